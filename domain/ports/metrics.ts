/**
 * Operational metrics: counters, gauges and histograms with labels, plus figures read only when
 * scraped (lag, queue lengths, live sessions). The adapter renders them (Prometheus text format).
 * Registering a name twice returns the same instrument, so features built more than once share it.
 */
export type Labels = Readonly<Record<string, string>>;

export interface Counter {
  inc(labels?: Labels, by?: number): void;
}

export interface Histogram {
  observe(labels: Labels, value: number): void;
}

export interface Sample {
  labels?: Labels;
  value: number;
}

export interface MetricHelp {
  name: string;
  help: string;
}

export interface Metrics {
  counter(metric: MetricHelp): Counter;
  /** `buckets`: upper bounds, ascending (a +Inf bucket is implied). */
  histogram(metric: MetricHelp & { buckets: readonly number[] }): Histogram;
  /** A gauge whose samples `read` returns at each scrape; a failing read is left out of that scrape. */
  gauge(metric: MetricHelp & { read: () => Promise<Sample[]> | Sample[] }): void;
}

/** Seconds, for request and job durations: 5 ms to 10 min. */
export const DURATION_BUCKETS = [
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
  10,
  30,
  60,
  300,
  600,
] as const;
