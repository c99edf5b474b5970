/**
 * The search-index projection's documents in Meilisearch: one index per projection generation,
 * named `<prefix><generation schema>`. Every write waits for its task, so the projection commits
 * its checkpoint only after the documents are stored (at least once; the version guard in
 * projections/search/documents.ts makes a repeat change nothing).
 */
import type { Meilisearch } from "meilisearch";
import type { SearchDocument, SearchDocumentStore } from "../../../domain/ports/search.ts";
import { meiliCall } from "./errors.ts";
import { fromStored, INDEX_SETTINGS, type StoredDocument, toStored } from "./settings.ts";

const PAGE = 1000;
const TASK_TIMEOUT_MS = 60_000;

export class MeilisearchDocumentStore implements SearchDocumentStore {
  constructor(private readonly client: Meilisearch, private readonly prefix = "") {}

  indexName(generation: string): string {
    return `${this.prefix}${generation}`;
  }

  create(generation: string): Promise<void> {
    const uid = this.indexName(generation);
    return meiliCall("create an index", async () => {
      // A leftover of a rolled-back set-up would otherwise keep its documents.
      await this.client.deleteIndexIfExists(uid);
      await this.#done(this.client.createIndex(uid, { primaryKey: "id" }).waitTask(this.#wait));
      await this.#done(this.client.index(uid).updateSettings(INDEX_SETTINGS).waitTask(this.#wait));
    });
  }

  drop(generation: string): Promise<void> {
    return meiliCall("drop an index", async () => {
      await this.client.deleteIndexIfExists(this.indexName(generation));
    });
  }

  load(
    generation: string,
    ids: readonly string[],
    showIds: readonly string[],
  ): Promise<SearchDocument[]> {
    const filters = [
      ids.length > 0 ? `id IN [${ids.map(quote).join(", ")}]` : undefined,
      showIds.length > 0 ? `show_id IN [${showIds.map(quote).join(", ")}]` : undefined,
    ].filter((filter) => filter !== undefined);
    if (filters.length === 0) return Promise.resolve([]);
    const index = this.client.index<StoredDocument>(this.indexName(generation));
    return meiliCall("read documents", async () => {
      const documents: SearchDocument[] = [];
      for (let offset = 0;; offset += PAGE) {
        const page = await index.getDocuments({
          filter: filters.join(" OR "),
          limit: PAGE,
          offset,
        });
        documents.push(...page.results.map(fromStored));
        if (page.results.length < PAGE) return documents;
      }
    });
  }

  save(generation: string, documents: readonly SearchDocument[]): Promise<void> {
    if (documents.length === 0) return Promise.resolve();
    const index = this.client.index<StoredDocument>(this.indexName(generation));
    return meiliCall(
      "store documents",
      () => this.#done(index.addDocuments(documents.map(toStored)).waitTask(this.#wait)),
    );
  }

  readonly #wait = { timeout: TASK_TIMEOUT_MS, interval: 10 };

  /** Throws when the task did not succeed (a failed task is no outage: the batch is at fault). */
  async #done(task: Promise<{ status: string; error?: { message: string } | null }>) {
    const finished = await task;
    if (finished.status !== "succeeded") {
      throw new Error(`Meilisearch task ${finished.status}: ${finished.error?.message ?? "?"}`);
    }
  }
}

/** A filter string literal. */
export function quote(value: string): string {
  return `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}
