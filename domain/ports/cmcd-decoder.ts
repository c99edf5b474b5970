/**
 * The CMCD decoder port: Common Media Client Data (CTA-5004, v1 and v2) as players send it, on
 * media requests (the `CMCD` query argument or the CMCD-Request/Object/Status/Session headers) or
 * as event-mode report lines, decoded to plain key → value data (lists as arrays).
 */

/** One decoded CMCD payload, e.g. `{ sid: "…", br: [3200], bs: true, v: 2 }`. */
export type CmcdData = Readonly<Record<string, unknown>>;

/** A line or value that is not CMCD; `message` says why. */
export class CmcdSyntaxError extends Error {
  override readonly name = "CmcdSyntaxError";
}

/** One line of an event-mode body: its data, or why it could not be read. */
export type CmcdLine = { data: CmcdData } | { error: string };

export interface CmcdDecoder {
  /**
   * The CMCD of a media request: the query argument, else the headers; undefined when it carries
   * none. Throws CmcdSyntaxError when present but unreadable.
   */
  fromRequest(url: string, headers: Headers): CmcdData | undefined;
  /** An event-mode body (`application/cmcd`): one payload per non-empty line. */
  fromLines(text: string): CmcdLine[];
}
