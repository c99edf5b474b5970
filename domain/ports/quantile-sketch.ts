/**
 * The quantile sketch port: a mergeable summary of a distribution (video start times) whose
 * quantiles are within a relative error of the exact ones. Sketches of windows and shards are
 * merged, never averaged. Serialized as text to live in a read-model column.
 */

export interface QuantileSketch {
  add(value: number): void;
  merge(other: QuantileSketch): void;
  /** The value at quantile `q` (0-1), or null when the sketch is empty. */
  quantile(q: number): number | null;
  readonly count: number;
  serialize(): string;
}

export interface QuantileSketches {
  /** A returned quantile is within this fraction of an exact sample quantile (0.01 = 1 %). */
  readonly relativeAccuracy: number;
  create(): QuantileSketch;
  parse(serialized: string): QuantileSketch;
}
