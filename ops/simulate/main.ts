/**
 * Plays simulated sessions into a running service (POST /v1/events) and prints their ground truth,
 * with the QoE query that should show the same figures once the projection has caught up.
 *
 *   deno run -P=test ops/simulate/main.ts [--url=http://127.0.0.1:8080] [--sessions=300]
 *     [--seed=1] [--lateness=60]   (--lateness: the service's QOE_ALLOWED_LATENESS_SEC)
 */
import { integerOption, readOptions, textOption } from "../bench/lib/options.ts";
import { type SimulatedSession, simulateSessions } from "./sessions.ts";
import { summarizeTruth, truthByWindow } from "./truth.ts";

const options = readOptions(Deno.args, {
  url: textOption("SIMULATE_URL"),
  sessions: integerOption("SIMULATE_SESSIONS", 300),
  seed: integerOption("SIMULATE_SEED", 1),
  lateness: integerOption("QOE_ALLOWED_LATENESS_SEC", 60),
});
const url = options.url ?? "http://127.0.0.1:8080";
const SPAN_SEC = 900;
const BATCH = 100;

const lateness = options.lateness;
// Every event lies in the past (sessions last at most ten minutes past their play).
const startMs = Math.floor((Date.now() - (SPAN_SEC + 11 * 60) * 1000) / 300_000) * 300_000;
const simulation = simulateSessions({
  seed: options.seed,
  sessions: options.sessions,
  startMs,
  spanSec: SPAN_SEC,
  allowedLatenessSec: lateness,
});

for (let i = 0; i < simulation.deliveries.length; i += BATCH) {
  await post(simulation.deliveries.slice(i, i + BATCH));
}

const span = (() => {
  const starts = [...truthByWindow(simulation.sessions, 300).keys()];
  const to = new Date(Math.max(...starts) + 300_000).toISOString();
  return `window=5m&from=${new Date(startMs).toISOString()}&to=${to}`;
})();

/** The truth of some sessions over the whole span, and the query that should show it. */
function summarize(sessions: SimulatedSession[], query: string) {
  return { ...summarizeTruth(sessions), compare_with: `${url}${query}?${span}` };
}

const contents = [...new Set(simulation.sessions.map((session) => session.content_id))].sort();
const summary = {
  events_delivered: simulation.deliveries.length,
  overall: summarize(simulation.sessions, "/v1/qoe/overview"),
  by_content: Object.fromEntries(contents.map((id) => [
    id,
    summarize(simulation.sessions.filter((s) => s.content_id === id), `/v1/qoe/content/${id}`),
  ])),
};
console.log(JSON.stringify(summary, null, 2));

async function post(events: unknown[]): Promise<void> {
  for (;;) {
    const response = await fetch(`${url}/v1/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ events }),
    });
    const body = await response.text();
    if (response.status === 202) return;
    if (response.status !== 429 && response.status !== 503) {
      throw new Error(`POST /v1/events answered ${response.status}: ${body}`);
    }
    const wait = Number(response.headers.get("retry-after") ?? "1");
    await new Promise((resolve) => setTimeout(resolve, wait * 1000));
  }
}
