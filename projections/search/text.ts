/**
 * Words as search sees them: lower case, without diacritics ("Pokémon" is "pokemon"), split on
 * anything that is not a letter or a digit ("spider-man" is "spider" "man").
 */

export function normalize(text: string): string {
  return text.normalize("NFD").replace(/\p{M}+/gu, "").toLowerCase();
}

export function wordsOf(text: string): string[] {
  return normalize(text).split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 0);
}

/**
 * Adjacent words written together ("spider man" gives "spiderman"), indexed beside the words so
 * that a query typed as one word finds a title written as two.
 */
export function joinedPairs(text: string): string[] {
  const words = wordsOf(text);
  return words.slice(1).map((word, index) => words[index] + word);
}

const MAX_QUERY_WORDS = 8;

/**
 * A tsquery (config `simple`) for what was typed: every word, the last as a prefix; and, for each
 * pair of adjacent words, the same with the pair written as one word ("spider man" also matches
 * "spiderman"). Undefined when there is no word. Words hold only letters and digits, so the text
 * is safe inside to_tsquery.
 */
export function prefixTsQuery(q: string): string | undefined {
  const words = wordsOf(q).slice(0, MAX_QUERY_WORDS);
  if (words.length === 0) return undefined;
  const term = (word: string, index: number, last: number) => index === last ? `${word}:*` : word;
  const all = (list: string[]) => list.map((w, i) => term(w, i, list.length - 1)).join(" & ");
  const alternatives = [all(words)];
  for (let i = 0; i + 1 < words.length; i++) {
    alternatives.push(
      all([...words.slice(0, i), words[i]! + words[i + 1]!, ...words.slice(i + 2)]),
    );
  }
  return alternatives.map((alternative) => `(${alternative})`).join(" | ");
}
