/**
 * The Grafana dashboard queries only series the service exposes: the metric names in its PromQL are
 * checked against a scrape of the whole service plus the process-specific families (Kafka producer
 * errors, transcode worker), so a renamed metric cannot leave a panel silently empty.
 */
import assert from "node:assert/strict";
import { KafkaTelemetryLog } from "../../adapters/kafka/telemetry-log.ts";
import { PrometheusRegistry } from "../../adapters/metrics/prometheus-registry.ts";
import { testService } from "../../adapters/testing/service.ts";
import { transcodeWorkerMetrics } from "../../commands/transcoding/metrics.ts";
import dashboard from "./streaming-qoe.json" with { type: "json" };

const FUNCTIONS = new Set(["sum", "max", "rate", "histogram_quantile"]);

function queriedMetrics(): Set<string> {
  const panels = dashboard.panels as { targets?: { expr: string }[] }[];
  const names = new Set<string>();
  for (const { expr } of panels.flatMap((panel) => panel.targets ?? [])) {
    // What is left without label matchers, ranges and `by (...)` groupings: functions and metrics.
    const bare = expr.replace(/\{[^}]*\}|\[[^\]]*\]|by \([^)]*\)/g, "");
    for (const [word] of bare.matchAll(/[a-z_][a-z0-9_]*/g)) {
      if (!FUNCTIONS.has(word)) names.add(word.replace(/_(bucket|sum|count)$/, ""));
    }
  }
  return names;
}

Deno.test("every series the Grafana dashboard queries is exposed on /metrics", async () => {
  const api = await testService();
  const exposed = new Set(
    [...(await (await api.app.request("/metrics")).text()).matchAll(/^# TYPE (\S+) /gm)]
      .map((m) => m[1]!),
  );
  const workers = new PrometheusRegistry();
  transcodeWorkerMetrics(workers, () => 0);
  const log = new KafkaTelemetryLog({ brokers: ["127.0.0.1:1"], metrics: workers });
  await log.close();
  for (const [, name] of (await workers.render()).matchAll(/^# TYPE (\S+) /gm)) exposed.add(name!);

  const queried = queriedMetrics();
  assert.ok(queried.has("playback_sessions_active") && queried.has("qoe_score"));
  assert.deepEqual([...queried].filter((name) => !exposed.has(name)), []);
});
