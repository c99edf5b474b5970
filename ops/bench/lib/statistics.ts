/** Summary statistics of measured samples: nearest-rank percentiles and the median. */

/** The nearest-rank percentile (`rank` 0 to 100) of `values`, NaN when there are none. */
export function percentile(values: readonly number[], rank: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(
    sorted.length - 1,
    Math.max(0, Math.ceil((rank / 100) * sorted.length) - 1),
  );
  return sorted[index] ?? Number.NaN;
}

/** The 50th nearest-rank percentile: for an even count, the lower of the two middle values. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}
