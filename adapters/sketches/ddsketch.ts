/** The quantile sketch port on DataDog's DDSketch (relative-error guarantee, mergeable, protobuf). */
import { DDSketch } from "@datadog/sketches-js";
import { Buffer } from "node:buffer";
import type { QuantileSketch, QuantileSketches } from "../../domain/ports/quantile-sketch.ts";

class DdQuantileSketch implements QuantileSketch {
  constructor(readonly sketch: DDSketch) {}
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
    return Buffer.from(this.sketch.toProto()).toString("base64");
  }
}

export function ddSketches(relativeAccuracy = 0.01): QuantileSketches {
  return {
    relativeAccuracy,
    create: () => new DdQuantileSketch(new DDSketch({ relativeAccuracy })),
    parse: (serialized) =>
      new DdQuantileSketch(DDSketch.fromProto(Buffer.from(serialized, "base64")) as DDSketch),
  };
}
