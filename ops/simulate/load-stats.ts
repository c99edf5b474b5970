/**
 * What a load run measured: requests and events per second, errors by kind and latency
 * percentiles, per reporting interval and for the whole run.
 */
import { exactQuantile } from "./truth.ts";

export interface LoadFigures {
  seconds: number;
  requests: number;
  requests_per_sec: number;
  requests_by_route: Record<string, number>;
  events_accepted: number;
  events_per_sec: number;
  /** Failed requests by route and status (or "network"). */
  errors: Record<string, number>;
  latency_ms: { p50: number | null; p95: number | null; p99: number | null; max: number | null };
  /**
   * How late requests went out against their viewer's clock (a heartbeat due at 10:00:10 and sent
   * at 10:00:12 is 2 000 ms late): waiting for the previous answer or for a free connection.
   */
  send_delay_ms: { p50: number | null; p99: number | null };
}

class Tally {
  requests = 0;
  byRoute = new Map<string, number>();
  events = 0;
  errors = new Map<string, number>();
  latencies: number[] = [];
  delays: number[] = [];

  constructor(readonly startMs: number) {}

  figures(nowMs: number): LoadFigures {
    const seconds = Math.max(0.001, (nowMs - this.startMs) / 1000);
    const rate = (count: number) => Math.round((count / seconds) * 10) / 10;
    const quantile = (q: number, values = this.latencies) => {
      const value = exactQuantile(values, q);
      return value === null ? null : Math.round(value * 10) / 10;
    };
    return {
      seconds: Math.round(seconds * 10) / 10,
      requests: this.requests,
      requests_per_sec: rate(this.requests),
      requests_by_route: Object.fromEntries([...this.byRoute].sort()),
      events_accepted: this.events,
      events_per_sec: rate(this.events),
      errors: Object.fromEntries([...this.errors].sort()),
      latency_ms: {
        p50: quantile(0.5),
        p95: quantile(0.95),
        p99: quantile(0.99),
        max: this.latencies.length
          ? Math.round(this.latencies.reduce((a, b) => Math.max(a, b)) * 10) / 10
          : null,
      },
      send_delay_ms: { p50: quantile(0.5, this.delays), p99: quantile(0.99, this.delays) },
    };
  }
}

export class LoadStats {
  #total: Tally;
  #interval: Tally;

  constructor(private readonly now: () => number = Date.now) {
    this.#total = new Tally(now());
    this.#interval = new Tally(now());
  }

  /**
   * One answered (or failed) request: its route, status (0: no answer) and latency, and for a
   * request its viewer's clock set a time for, how late it went out.
   */
  request(
    route: string,
    status: number,
    latencyMs: number,
    eventsAccepted = 0,
    sendDelayMs?: number,
  ): void {
    for (const tally of [this.#total, this.#interval]) {
      tally.requests++;
      tally.byRoute.set(route, (tally.byRoute.get(route) ?? 0) + 1);
      tally.events += eventsAccepted;
      if (status === 0 || status >= 400) {
        const key = `${route} ${status === 0 ? "network" : status}`;
        tally.errors.set(key, (tally.errors.get(key) ?? 0) + 1);
      }
      if (status !== 0) tally.latencies.push(latencyMs);
      if (sendDelayMs !== undefined) tally.delays.push(sendDelayMs);
    }
  }

  /** The figures since the last interval, starting a new one. */
  interval(): LoadFigures {
    const figures = this.#interval.figures(this.now());
    this.#interval = new Tally(this.now());
    return figures;
  }

  total(): LoadFigures {
    return this.#total.figures(this.now());
  }
}
