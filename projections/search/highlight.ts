/**
 * Highlighting for the embedded search, in the shape Meilisearch gives: matched words wrapped in
 * <mark>…</mark>, the description cropped to a window around the first match. A word matches a
 * query word when it is the same, starts with the last query word (typing), or is one typo away
 * from a query word of five letters or more (as the trigram match lets through).
 */
import { normalize, wordsOf } from "./text.ts";

const WORD = /[\p{L}\p{N}]+/gu;
const CROP_WORDS = 30;

export function highlight(text: string, q: string): string {
  const query = wordsOf(q);
  return escapeHtml(text).replace(
    WORD,
    (word) => matches(word, query) ? `<mark>${word}</mark>` : word,
  );
}

/** The description cut to about 30 words around its first match, marked like `highlight`. */
export function cropAndHighlight(text: string, q: string): string {
  const query = wordsOf(q);
  const words = [...text.matchAll(WORD)];
  if (words.length <= CROP_WORDS) return highlight(text, q);
  const first = Math.max(0, words.findIndex((w) => matches(w[0], query)));
  const start = Math.max(0, Math.min(first - 5, words.length - CROP_WORDS));
  const end = start + CROP_WORDS - 1;
  const from = words[start]!.index!;
  const to = words[end]!.index! + words[end]![0].length;
  return `${start > 0 ? "…" : ""}${highlight(text.slice(from, to), q)}${
    end < words.length - 1 ? "…" : ""
  }`;
}

function matches(word: string, query: readonly string[]): boolean {
  const normalized = normalize(word);
  return query.some((q, index) =>
    normalized === q ||
    (index === query.length - 1 && normalized.startsWith(q)) ||
    (q.length >= 5 && oneTypoApart(normalized, q))
  );
}

/** One insertion, deletion or substitution apart. */
function oneTypoApart(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const tailA = a.slice(i + (a.length >= b.length ? 1 : 0));
  const tailB = b.slice(i + (b.length >= a.length ? 1 : 0));
  return tailA === tailB;
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"]/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!,
  );
}
