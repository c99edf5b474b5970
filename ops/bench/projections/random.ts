/** A seeded pseudo-random source, so that every run (and every engine) gets the same workload. */

import { seeded } from "../../../adapters/search/fixture-filler.ts";

export type Random = () => number;

/** Numbers in [0, 1), the same sequence for the same seed (the search fixtures' mulberry32). */
export const seededRandom: (seed: number) => Random = seeded;

/** A whole number from `min` to `max`, both included. */
export function between(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** A version 4 UUID made of the source's numbers. */
export function randomUuid(random: Random): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = "4";
  hex[16] = "89ab"[Math.floor(random() * 4)]!;
  const text = hex.join("");
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${
    text.slice(20)
  }`;
}
