/**
 * Generated catalog items around the named ones: titles, genres, years and descriptions drawn by a
 * seeded generator from word lists that share no word with the suite's queries.
 */
import type { Item } from "./fixture.ts";

const ADJECTIVES = [
  "Silent",
  "Crimson",
  "Golden",
  "Broken",
  "Hidden",
  "Frozen",
  "Electric",
  "Wild",
  "Northern",
  "Burning",
  "Hollow",
  "Velvet",
  "Iron",
  "Quiet",
  "Distant",
  "Midnight",
  "Copper",
  "Restless",
];
const NOUNS = [
  "River",
  "Harbor",
  "Garden",
  "Empire",
  "Signal",
  "Orchard",
  "Mountain",
  "Lantern",
  "Frontier",
  "Station",
  "Kingdom",
  "Canyon",
  "Meadow",
  "Compass",
  "Tide",
  "Citadel",
  "Horizon",
  "Engine",
];
const GENRES = ["Drama", "Comedy", "Thriller", "Documentary", "Romance", "Horror", "Western"];
const TYPES = ["movie", "movie", "movie", "documentary", "short", "audio_track"];
const PLOTS = [
  "A retired detective returns for one last case in a coastal town.",
  "Two sisters inherit a vineyard and a family secret.",
  "A crew of miners is trapped after a landslide.",
  "A chef opens a restaurant in a city that never sleeps.",
  "Letters from a lost soldier reach his grandson decades later.",
  "A pianist loses her hearing on the eve of a concert tour.",
];

/** A small seeded generator (mulberry32): the same seed gives the same catalog. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function fillerItems(count: number, seed = 7): Item[] {
  const random = seeded(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  return Array.from({ length: count }, (_, index) => ({
    // The index keeps titles distinct at any size.
    title: `${pick(ADJECTIVES)} ${pick(NOUNS)} ${index + 1}`,
    content_type: pick(TYPES),
    genre: pick(GENRES),
    release_year: 1970 + Math.floor(random() * 55),
    description: pick(PLOTS),
    tags: [pick(NOUNS).toLowerCase()],
  }));
}
