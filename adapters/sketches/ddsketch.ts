/**
 * The quantile sketch port on DataDog's DDSketch (relative-error guarantee, mergeable). Serialized
 * as compact JSON of its bins (a key and the counts from it on) rather than its protobuf form,
 * which costs far more per sketch on the projection's hot path.
 */
import { DDSketch } from "@datadog/sketches-js";
import type { QuantileSketch, QuantileSketches } from "../../domain/ports/quantile-sketch.ts";

type DenseStore = DDSketch["store"];

interface Encoded {
  /** Relative accuracy: bins of another accuracy mean other values. */
  a: number;
  n: number;
  s: number;
  lo: number;
  hi: number;
  z: number;
  /** Positive and negative stores: the first key, then the counts of consecutive keys. */
  p: [number, number[]];
  m: [number, number[]];
}

class DdQuantileSketch implements QuantileSketch {
  constructor(readonly sketch: DDSketch, private readonly accuracy: number) {}
  add(value: number) {
    this.sketch.accept(value);
  }
  merge(other: QuantileSketch) {
    if (!(other instanceof DdQuantileSketch)) throw new TypeError("can only merge DDSketches");
    if (other.count > 0) this.sketch.merge(other.sketch);
  }
  quantile(q: number) {
    return this.count === 0 ? null : this.sketch.getValueAtQuantile(q);
  }
  get count() {
    return this.sketch.count;
  }
  serialize() {
    const { sketch } = this;
    const encoded: Encoded = {
      a: this.accuracy,
      n: sketch.count,
      s: sketch.sum,
      lo: sketch.min,
      hi: sketch.max,
      z: sketch.zeroCount,
      p: binsOf(sketch.store),
      m: binsOf(sketch.negativeStore),
    };
    return JSON.stringify(encoded);
  }
}

function binsOf(store: DenseStore): [number, number[]] {
  if (store.count === 0) return [0, []];
  const from = store.minKey - store.offset;
  return [store.minKey, store.bins.slice(from, store.maxKey - store.offset + 1)];
}

function addBins(store: DenseStore, [first, counts]: [number, number[]]) {
  counts.forEach((count, i) => count > 0 && store.add(first + i, count));
}

export function ddSketches(relativeAccuracy = 0.01): QuantileSketches {
  const create = () => new DDSketch({ relativeAccuracy });
  return {
    relativeAccuracy,
    create: () => new DdQuantileSketch(create(), relativeAccuracy),
    parse(serialized) {
      const encoded = JSON.parse(serialized) as Encoded;
      if (encoded.a !== relativeAccuracy) {
        throw new Error(
          `a sketch of accuracy ${encoded.a} cannot join ones of ${relativeAccuracy}`,
        );
      }
      const sketch = create();
      addBins(sketch.store, encoded.p);
      addBins(sketch.negativeStore, encoded.m);
      Object.assign(sketch, {
        count: encoded.n,
        sum: encoded.s,
        min: encoded.lo,
        max: encoded.hi,
        zeroCount: encoded.z,
      });
      return new DdQuantileSketch(sketch, relativeAccuracy);
    },
  };
}
