/**
 * The leaderboard benchmark's data: a catalog of contents with genres and types, and counted views
 * whose popularity falls off with rank (a few hits, a long tail) and whose times crowd the recent
 * past, as real boards look. Seeded, so runs compare.
 */
import type { CountedView } from "../../../domain/ports/leaderboard.ts";
import { between, pick, type Random, randomUuid, seededRandom } from "../projections/random.ts";

export const GENRES = ["Drama", "Comedy", "Sci-Fi", "Documentary", "Kids", "Music", "Horror"];
const TYPES = ["movie", "short", "documentary", "episode", "audio"];
const DAY_MS = 86_400_000;

export interface Content {
  id: string;
  title: string;
  genre: string;
  content_type: string;
}

export interface ViewsWorkload {
  contents: Content[];
  views: CountedView[];
}

export function viewsWorkload(
  contents: number,
  views: number,
  now: number,
  seed = 11,
): ViewsWorkload {
  const random = seededRandom(seed);
  const catalog = Array.from({ length: contents }, (_, i) => ({
    id: randomUuid(random),
    title: `Title ${i}`,
    genre: pick(random, GENRES),
    content_type: pick(random, TYPES),
  }));
  return {
    contents: catalog,
    views: Array.from({ length: views }, (_, i) => ({
      session_id: randomUuid(random),
      content_id: catalog[popularIndex(random, contents)]!.id,
      viewed_at: new Date(now - recentAge(random)).toISOString(),
      partition: 0,
      offset: String(i),
    })),
  };
}

/** Rank r drawn with weight about 1/r (a Zipf-like head and long tail). */
function popularIndex(random: Random, contents: number): number {
  return Math.min(contents - 1, Math.floor(Math.exp(random() * Math.log(contents + 1))) - 1);
}

/** Half the views in the last day, most of the rest in the last month, a few up to a year. */
function recentAge(random: Random): number {
  const roll = random();
  if (roll < 0.5) return between(random, 0, DAY_MS);
  if (roll < 0.9) return between(random, 0, 30 * DAY_MS);
  return between(random, 0, 365 * DAY_MS);
}
