/**
 * The Range request header (RFC 9110 14.2) for one range of bytes. Several ranges, other units or
 * bad syntax give undefined: the range is then ignored and the whole object served, as the RFC
 * allows.
 */
import type { ByteRange } from "../../domain/ports/blob-storage.ts";

export function parseRangeHeader(header: string | undefined): ByteRange | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, first, last] = match;
  if (first === "" && last === "") return undefined;
  if (first === "") return { suffix: Number(last) };
  const start = Number(first);
  if (last === "") return { start };
  const end = Number(last);
  return end >= start && Number.isSafeInteger(end) ? { start, end } : undefined;
}
