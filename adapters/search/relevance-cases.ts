/** The relevance suite's cases over the fixture catalog (see relevance.ts for how they run). */
import type { SearchResult } from "../../domain/ports/search.ts";
import type { RelevanceCase } from "./relevance.ts";

const SPIDER_MAN = ["Spider-Man", "Spider-Man: No Way Home"];

const allFrom = (show: string, n: number) => (result: SearchResult) =>
  result.hits.slice(0, n).every((hit) => hit.show_title === show)
    ? undefined
    : `the first ${n} hits should be episodes of ${show}`;

const ordered = (result: SearchResult) => {
  const years = result.hits.map((hit) => hit.release_year ?? 0);
  return years.every((year, i) => i === 0 || years[i - 1]! >= year)
    ? undefined
    : `years should descend: ${years.join(", ")}`;
};

export const RELEVANCE_CASES: RelevanceCase[] = [
  { name: "a typo: avatr finds Avatar", query: { q: "avatr" }, expect: { top: ["Avatar"] } },
  {
    name: "a typo in a long word: interstelar finds Interstellar",
    query: { q: "interstelar" },
    expect: { top: ["Interstellar"] },
  },
  {
    name: "a typo in the first word: jurasic park finds Jurassic Park",
    query: { q: "jurasic park" },
    expect: { top: ["Jurassic Park"] },
  },
  {
    name: "words joined: spiderman finds Spider-Man",
    query: { q: "spiderman" },
    expect: { topAnyOrder: SPIDER_MAN },
  },
  {
    name: "words split: spider man finds Spider-Man",
    query: { q: "spider man" },
    expect: { topAnyOrder: SPIDER_MAN },
  },
  {
    name: "hyphenated: spider-man finds Spider-Man",
    query: { q: "spider-man" },
    expect: { topAnyOrder: SPIDER_MAN },
  },
  {
    name: "diacritics: pokemon finds Pokémon, the movie first and the show's episodes",
    query: { q: "pokemon" },
    expect: {
      top: ["Pokémon: The First Movie"],
      includes: ["Enter Pikachu!", "Settling the Score"],
      check: (result) =>
        result.hits[0]?.highlight.title.includes("<mark>Pokémon</mark>")
          ? undefined
          : `the title should be highlighted: ${result.hits[0]?.highlight.title}`,
    },
  },
  { name: "diacritics: amelie finds Amélie", query: { q: "amelie" }, expect: { top: ["Amélie"] } },
  {
    name: "typing a prefix: inter finds Interstellar",
    query: { q: "inter" },
    expect: { top: ["Interstellar"] },
  },
  {
    name: "a word of the description: wormhole finds Interstellar",
    query: { q: "wormhole" },
    expect: { top: ["Interstellar"], total: 1 },
  },
  {
    name: "a tag: dinosaurs finds Jurassic Park",
    query: { q: "dinosaurs" },
    expect: { top: ["Jurassic Park"] },
  },
  {
    name: "episodes by their show's title: breaking bad",
    query: { q: "breaking bad" },
    expect: { total: 5, check: allFrom("Breaking Bad", 5) },
  },
  {
    name: "show and episode words together: stranger things will",
    query: { q: "stranger things will" },
    expect: { top: ["The Vanishing of Will Byers"] },
  },
  {
    name: "a title before a mere description match: pandora",
    query: { q: "pandora" },
    expect: { topAnyOrder: ["Avatar", "Avatar: The Way of Water"] },
  },
  {
    name: "filters: avatar, movies from 2015 on",
    query: { q: "avatar", type: "movie", year_from: 2015 },
    expect: { top: ["Avatar: The Way of Water"], total: 1 },
  },
  {
    name: "facets count every match: avatar",
    query: { q: "avatar" },
    expect: {
      total: 2,
      facets: {
        content_type: { movie: 2 },
        genre: { "Sci-Fi": 2 },
        release_year: { "2009": 1, "2022": 1 },
      },
    },
  },
  {
    name: "a genre filter ignores case: animation episodes",
    query: { q: "", genre: "animation", type: "episode" },
    expect: { total: 3, facets: { content_type: { episode: 3 } } },
  },
  {
    name: "browsing sorted by year: documentaries, newest year first",
    query: { q: "", type: "documentary", sort: "-year", limit: 50 },
    expect: { includes: ["Blue Planet Oceans"], check: ordered },
  },
  {
    name: "unpublished items only on request",
    query: { q: "avatar", include_unpublished: true },
    expect: { includes: ["Avatar Secret Cut"], total: 3 },
  },
  {
    name: "unpublished and deleted items are not found by default",
    query: { q: "secret cut lost reel" },
    expect: { excludes: ["Avatar Secret Cut", "Spider-Man Lost Reel"] },
  },
  {
    name: "deleted items are never found",
    query: { q: "lost reel", include_unpublished: true },
    expect: { excludes: ["Spider-Man Lost Reel"] },
  },
  {
    name: "episodes of an unpublished show are hidden",
    query: { q: "harbor lights" },
    expect: { excludes: ["Harbor Lights"] },
  },
  {
    name: "synonyms: sci-fi finds science fiction",
    query: { q: "sci-fi" },
    expect: { includes: ["Interstellar", "Avatar"] },
    expectedDifference: {
      adapter: "embedded",
      note: "the embedded index has no synonyms: sci-fi finds the Sci-Fi genre only",
      instead: { includes: ["Avatar"], excludes: ["Interstellar"] },
    },
  },
  {
    name: "suggest while typing: spid",
    query: { q: "spid", suggest: true },
    expect: { topAnyOrder: SPIDER_MAN },
  },
  {
    name: "suggest while typing with diacritics: pokem",
    query: { q: "pokem", suggest: true },
    expect: { top: ["Pokémon: The First Movie"] },
  },
];
