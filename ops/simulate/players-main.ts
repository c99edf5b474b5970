/**
 * Drives N simulated viewers against a running service on 127.0.0.1, printing requests/s,
 * events/s, errors and latency percentiles every few seconds, then a summary with the truth of
 * what the service acknowledged (compare with GET /v1/qoe/overview).
 *
 *   deno run -P=test ops/simulate/players-main.ts [--url=http://127.0.0.1:8080] [--viewers=100]
 *     [--duration=60] [--max-requests=N] [--seed=1] [--heartbeat=10] [--ramp=10] [--report=5]
 *     [--contents=8] [--hls-content=<video id>] [--admin-token=<token>] [--accounts=50]
 *     [--concurrency=256] [--chances=stall:0.05,seek:0.03,pause:0.02,fail:0.002,stop:0.01,...]
 *
 * With auth on, pass an admin's access token: `--accounts` viewer accounts are created and signed
 * in first, and viewers share them. Without it, viewers name themselves with X-User-Id
 * (AUTH_MODE=off). Raise the service's WRITE_RATE_PER_ADDRESS/INGEST_RATE_PER_ADDRESS for
 * thousands of viewers from one address, or read the 429s as the rate limits working.
 */
import { integerOption, readOptions, textOption } from "../bench/lib/options.ts";
import type { LoadFigures } from "./load-stats.ts";
import { runPlayers } from "./players.ts";
import { summarizeTruth } from "./truth.ts";
import { DEFAULT_CHANCES, type ViewerChances } from "./viewer.ts";

/** `stall:0.1,stop:0` over the defaults; each a probability from 0 to 1. */
export function parseChances(text: string | undefined): ViewerChances {
  const chances = { ...DEFAULT_CHANCES };
  for (const pair of (text ?? "").split(",").filter(Boolean)) {
    const [name, value] = pair.split(":");
    const chance = Number(value);
    if (!(name! in chances) || !(chance >= 0 && chance <= 1)) {
      throw new Error(
        `--chances: "${pair}" is not name:probability with a name of ${
          Object.keys(DEFAULT_CHANCES).join(", ")
        }`,
      );
    }
    chances[name as keyof ViewerChances] = chance;
  }
  return chances;
}

function printInterval(figures: LoadFigures, active: number) {
  const { p50, p95, p99 } = figures.latency_ms;
  const errors = Object.entries(figures.errors).map(([k, n]) => `${k}: ${n}`).join(", ");
  console.log(
    `${new Date().toISOString()} viewers ${active}  req/s ${figures.requests_per_sec}  ` +
      `events/s ${figures.events_per_sec}  p50/p95/p99 ${p50}/${p95}/${p99} ms  ` +
      `send delay p99 ${figures.send_delay_ms.p99} ms  ` +
      `errors ${errors || "none"}`,
  );
}

if (import.meta.main) {
  const options = readOptions(Deno.args, {
    url: textOption("SIMULATE_URL"),
    viewers: integerOption("SIMULATE_VIEWERS", 100),
    duration: integerOption("SIMULATE_DURATION_SEC", 60),
    "max-requests": integerOption("SIMULATE_MAX_REQUESTS", Number.MAX_SAFE_INTEGER),
    seed: integerOption("SIMULATE_SEED", 1),
    heartbeat: integerOption("SIMULATE_HEARTBEAT_SEC", 10),
    ramp: integerOption("SIMULATE_RAMP_SEC", 10),
    report: integerOption("SIMULATE_REPORT_SEC", 5),
    contents: integerOption("SIMULATE_CONTENTS", 8),
    "hls-content": textOption("SIMULATE_HLS_CONTENT"),
    "admin-token": textOption("SIMULATE_ADMIN_TOKEN"),
    accounts: integerOption("SIMULATE_ACCOUNTS", 50),
    concurrency: integerOption("SIMULATE_CONCURRENCY", 256),
    chances: textOption("SIMULATE_CHANCES"),
  });
  const url = options.url ?? "http://127.0.0.1:8080";
  const startedAt = new Date();
  const summary = await runPlayers({
    url,
    viewers: options.viewers,
    durationSec: options.duration,
    maxRequests: options["max-requests"],
    seed: options.seed,
    heartbeatMs: options.heartbeat * 1000,
    rampSec: options.ramp,
    chances: parseChances(options.chances),
    contents: Array.from({ length: options.contents }, (_, i) => `sim-content-${i}`),
    hlsContent: options["hls-content"],
    adminToken: options["admin-token"],
    accounts: options.accounts,
    concurrency: options.concurrency,
    reportEverySec: options.report,
    onReport: printInterval,
  });
  const from = new Date(Math.floor(startedAt.getTime() / 60_000) * 60_000).toISOString();
  console.log(JSON.stringify(
    {
      total: summary.total,
      posts_due: summary.posts_due,
      sessions_started: summary.sessions_started,
      // The service counted these rebuffers; the truth below could not (they have no end yet).
      open_stalls_at_stop: summary.open_stalls,
      truth: {
        ...summarizeTruth(summary.sessions),
        compare_with: `${url}/v1/qoe/overview?window=1m&from=${from}`,
      },
    },
    null,
    2,
  ));
}
