/**
 * The Metrics port in the Prometheus text exposition format (version 0.0.4), written here rather
 * than with a client library: three instrument kinds and a renderer are all the service needs.
 */
import type {
  Counter,
  Histogram,
  Labels,
  MetricHelp,
  Metrics,
  Sample,
} from "../../domain/ports/metrics.ts";
import type { Logger } from "../../domain/ports/logger.ts";

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

interface Family {
  header: string;
  instrument?: unknown;
  samples(): Promise<string[]> | string[];
}

interface Series {
  labels: Labels;
  /** Observations at or below each bucket's bound (cumulative, as the format wants). */
  buckets: number[];
  count: number;
  sum: number;
}

export class PrometheusRegistry implements Metrics {
  readonly #families = new Map<string, Family>();

  constructor(private readonly logger?: Logger) {}

  counter(metric: MetricHelp): Counter {
    const values = new Map<string, number>();
    return this.#register(metric, "counter", {
      instrument: {
        inc: (labels = {}, by = 1) => {
          const key = labelText(labels);
          values.set(key, (values.get(key) ?? 0) + by);
        },
      } satisfies Counter,
      samples: () => [...values].map(([labels, value]) => `${metric.name}${labels} ${value}`),
    });
  }

  histogram(metric: MetricHelp & { buckets: readonly number[] }): Histogram {
    const series = new Map<string, Series>();
    const line = (suffix: string, labels: Labels, value: number) =>
      `${metric.name}${suffix}${labelText(labels)} ${value}`;
    return this.#register(metric, "histogram", {
      instrument: {
        observe: (labels, value) => {
          const key = labelText(labels);
          let s = series.get(key);
          if (!s) {
            series.set(
              key,
              s = { labels, buckets: metric.buckets.map(() => 0), count: 0, sum: 0 },
            );
          }
          for (let i = 0; i < metric.buckets.length; i++) {
            if (value <= metric.buckets[i]!) s.buckets[i]!++;
          }
          s.count++;
          s.sum += value;
        },
      } satisfies Histogram,
      samples: () =>
        [...series.values()].flatMap(({ labels, buckets, count, sum }) => [
          ...metric.buckets.map((bound, i) =>
            line("_bucket", { ...labels, le: String(bound) }, buckets[i]!)
          ),
          line("_bucket", { ...labels, le: "+Inf" }, count),
          line("_sum", labels, sum),
          line("_count", labels, count),
        ]),
    });
  }

  gauge(metric: MetricHelp & { read: () => Promise<Sample[]> | Sample[] }): void {
    this.#register(metric, "gauge", {
      samples: async () =>
        (await metric.read()).map((s) => `${metric.name}${labelText(s.labels ?? {})} ${s.value}`),
    });
  }

  /** Every family in the text format; a family whose read fails is logged and left out. */
  async render(): Promise<string> {
    const families = await Promise.all([...this.#families].map(async ([name, family]) => {
      try {
        return [family.header, ...await family.samples()].join("\n");
      } catch (error) {
        this.logger?.warn("metric left out of the scrape", { metric: name, error });
        return undefined;
      }
    }));
    return families.filter((f) => f !== undefined).join("\n") + "\n";
  }

  #register<T>(metric: MetricHelp, type: string, family: Omit<Family, "header">): T {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(metric.name)) {
      throw new Error(`not a Prometheus metric name: ${metric.name}`);
    }
    const existing = this.#families.get(metric.name);
    if (existing) return existing.instrument as T;
    const help = metric.help.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");
    const header = `# HELP ${metric.name} ${help}\n# TYPE ${metric.name} ${type}`;
    this.#families.set(metric.name, { ...family, header });
    return family.instrument as T;
  }
}

/**
 * `{a="1",b="2"}` with values escaped, or "" without labels; keys sorted so a series has one key.
 * Runs on every count of every request: label names are ASCII identifiers, so a plain comparison
 * sorts them (no locale), and most values need no escaping.
 */
function labelText(labels: Labels): string {
  const known = frozenLabelTexts.get(labels);
  if (known !== undefined) return known;
  const text = labelTextOf(labels);
  if (Object.isFrozen(labels)) frozenLabelTexts.set(labels, text);
  return text;
}

/**
 * The text of frozen label objects, kept: a hot path (the lean media path) counts every request
 * with one of a few frozen objects and is spared the sort and the string building. A frozen object
 * cannot change, so its text cannot go stale; objects built per call are not kept.
 */
const frozenLabelTexts = new WeakMap<Labels, string>();

function labelTextOf(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return "";
  let text = "";
  for (const key of keys) text += `${text ? "," : "{"}${key}="${escapeLabel(labels[key]!)}"`;
  return `${text}}`;
}

const NEEDS_ESCAPE = /[\\"\n]/;

function escapeLabel(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
}
