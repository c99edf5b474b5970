/** Projection lag for /metrics, read from the runtime's status at each scrape (as GET /v1/projections). */
import type { Metrics, Sample } from "../../domain/ports/metrics.ts";
import type { ProjectionRuntime, ProjectionStatus } from "./runtime.ts";

export function projectionMetrics(metrics: Metrics, runtime: ProjectionRuntime): void {
  // One status read serves the three gauges of a scrape (they are read together).
  let pending: Promise<ProjectionStatus[]> | undefined;
  const status = () => {
    pending ??= runtime.status().finally(() => setTimeout(() => pending = undefined, 0));
    return pending;
  };
  const perGeneration = (figure: "events_behind" | "seconds_behind") => async () =>
    (await status()).flatMap((p): Sample[] =>
      p.generations.map((g) => ({
        labels: { projection: p.name, generation: String(g.generation), status: g.status },
        value: g[figure],
      }))
    );
  metrics.gauge({
    name: "projection_lag_events",
    help: "Events a projection generation is behind its source's head",
    read: perGeneration("events_behind"),
  });
  metrics.gauge({
    name: "projection_lag_seconds",
    help: "Seconds between the source's newest event and the last one a generation applied",
    read: perGeneration("seconds_behind"),
  });
  metrics.gauge({
    name: "projection_dead_letters",
    help: "Events parked as poison, per projection",
    read: async () =>
      (await status()).map((p) => ({ labels: { projection: p.name }, value: p.dead_letters })),
  });
}
