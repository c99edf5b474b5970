/** The CMCD decoder port on @svta/cml-cmcd, the reference implementation of CTA-5004. */
import { decodeCmcd, fromCmcdHeaders, fromCmcdQuery } from "@svta/cml-cmcd";
import {
  type CmcdData,
  type CmcdDecoder,
  type CmcdLine,
  CmcdSyntaxError,
} from "../../domain/ports/cmcd-decoder.ts";

const HEADER = /^cmcd-(request|object|status|session)$/i;

export class CmlCmcdDecoder implements CmcdDecoder {
  fromRequest(url: string, headers: Headers): CmcdData | undefined {
    const query = new URL(url).searchParams;
    if (query.has("CMCD")) return decoded(() => fromCmcdQuery(query));
    if (![...headers.keys()].some((name) => HEADER.test(name))) return undefined;
    return decoded(() => fromCmcdHeaders(headers));
  }

  fromLines(text: string): CmcdLine[] {
    return text.split(/\r?\n/).filter((line) => line.trim() !== "").map((line) => {
      try {
        return { data: decoded(() => decodeCmcd(line.trim())) };
      } catch (error) {
        return { error: (error as Error).message };
      }
    });
  }
}

/** The library's result as plain data; its parse failures as CmcdSyntaxError. */
function decoded(decode: () => object): CmcdData {
  try {
    return { ...decode() };
  } catch (error) {
    throw new CmcdSyntaxError(`not CMCD: ${(error as Error).message}`, { cause: error });
  }
}
