/** Which Meilisearch failures are an outage (503 for readers, retry for the projection). */
import {
  MeiliSearchApiError,
  MeiliSearchRequestError,
  MeiliSearchRequestTimeOutError,
  MeiliSearchTaskTimeOutError,
} from "meilisearch";
import { SearchUnavailableError } from "../../../domain/ports/search.ts";

/** Runs `work`; an unreachable, failing or index-less Meilisearch becomes SearchUnavailableError. */
export async function meiliCall<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isOutage(error)) {
      throw new SearchUnavailableError(`Meilisearch cannot ${what} now`, 5, { cause: error });
    }
    throw error;
  }
}

function isOutage(error: unknown): boolean {
  if (
    error instanceof MeiliSearchRequestError ||
    error instanceof MeiliSearchRequestTimeOutError ||
    error instanceof MeiliSearchTaskTimeOutError
  ) return true;
  if (!(error instanceof MeiliSearchApiError)) return false;
  return error.response.status >= 500 || error.cause?.code === "index_not_found";
}
