/**
 * Per-event validation micro-benchmark (issue 5): µs per event of valibot's `v.safeParse` of the
 * PlaybackEvent schema beside its fast path (domain/shared/fast-validation.ts), in the same run,
 * rounds interleaved so both see the same machine load, with the ratio. Two events: the ingest
 * benchmark's heartbeat (7 fields, as wrk.lua sends it) and a full heartbeat (17 fields).
 *
 *   deno run -P=test ops/bench/ingest/validation.ts [--events 20000] [--rounds 7]
 */
import * as v from "valibot";
import { fastSafeParser } from "../../../domain/shared/fast-validation.ts";
import { PlaybackEvent } from "../../../domain/telemetry/playback-event.ts";
import { integerOption, readOptions } from "../lib/options.ts";
import { median } from "../lib/statistics.ts";

const { events: EVENTS, rounds: ROUNDS } = readOptions(Deno.args, {
  "events": integerOption("BENCH_VALIDATION_EVENTS", 20_000),
  "rounds": integerOption("BENCH_VALIDATION_ROUNDS", 7),
});

const time = new Date().toISOString();
const benchmarkHeartbeat = (seq: number) => ({
  event_id: crypto.randomUUID(),
  type: "heartbeat",
  session_id: "s-0123456789",
  seq,
  content_id: "movie-1",
  timestamp: time,
  position_sec: seq * 10,
});
const fullHeartbeat = (seq: number) => ({
  ...benchmarkHeartbeat(seq),
  user_id: "user-42",
  profile_id: "profile-1",
  duration_sec: 5400,
  bitrate_kbps: 4500,
  resolution: "1920x1080",
  buffer_health_sec: 12.5,
  buffering_events: 1,
  dropped_frames: 3,
  device_type: "tv",
  country: "PT",
});

const fast = fastSafeParser(PlaybackEvent);
const parsers = {
  valibot: (raw: unknown) => v.safeParse(PlaybackEvent, raw),
  "fast path": fast,
};

/** Events as the server sees them: fresh objects out of JSON.parse. */
function eventsOf(make: (seq: number) => object): unknown[] {
  return JSON.parse(JSON.stringify(Array.from({ length: EVENTS }, (_, i) => make(i % 100))));
}

function microsPerEvent(parse: (raw: unknown) => { success: boolean }, events: unknown[]): number {
  const start = performance.now();
  for (const event of events) if (!parse(event).success) throw new Error("a valid event refused");
  return (performance.now() - start) * 1000 / events.length;
}

console.log(
  `validation µs/event, ${EVENTS} events × ${ROUNDS} rounds (median), load ${
    Deno.loadavg().map((load) => load.toFixed(2)).join(" ")
  }`,
);
for (
  const [name, make] of [["benchmark heartbeat (7 fields)", benchmarkHeartbeat], [
    "full heartbeat (17 fields)",
    fullHeartbeat,
  ]] as const
) {
  const times: Record<string, number[]> = { valibot: [], "fast path": [] };
  for (let round = 0; round <= ROUNDS; round++) {
    for (const [parser, parse] of Object.entries(parsers)) {
      const micros = microsPerEvent(parse, eventsOf(make));
      if (round > 0) times[parser]!.push(micros); // round 0 warms up
    }
  }
  const [slow, quick] = [median(times.valibot!), median(times["fast path"]!)];
  console.log(
    `${name}: valibot ${slow.toFixed(2)} µs, fast path ${quick.toFixed(2)} µs, ${
      (slow / quick).toFixed(1)
    }x`,
  );
}
