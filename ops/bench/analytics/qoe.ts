/**
 * QoE benchmark: the QoE projection's apply rate from Kafka (events/s, from its first apply to the
 * checkpoint that covers every record) beside a bare kafkajs consumer of the same topic in the same
 * run. Events are simulated sessions (ops/simulate), so the mix of heartbeats, stalls, starts and
 * ends is a real one. See docs/benchmarks.md.
 *
 *   deno run -P=test ops/bench/analytics/qoe.ts [--sessions 4000] [--partitions 6]
 *     [--batch-size 5000] [--markdown results.md]
 *
 * KAFKA_BROKERS names the brokers (a topic of the run's own, deleted at the end); POSTGRES_URL a
 * server for the read model (a scratch database, dropped at the end), else PGlite.
 */
import { kafkaGroupId, KafkaTelemetryLog } from "../../../adapters/kafka/telemetry-log.ts";
import { ddSketches } from "../../../adapters/sketches/ddsketch.ts";
import { consumerGroupOf } from "../../../projections/runtime/follow-telemetry.ts";
import type { TelemetryProjection } from "../../../projections/runtime/projection.ts";
import { qoeProjection } from "../../../projections/qoe/projection.ts";
import { TELEMETRY_BATCH_SIZE } from "../../../projections/runtime/telemetry-batch.ts";
import { simulateSessions } from "../../simulate/sessions.ts";
import { commandLine, describeMachine } from "../lib/machine.ts";
import { integerOption, optionEnvNames, readOptions, textOption } from "../lib/options.ts";
import { progress } from "../lib/progress.ts";
import { formatCount, formatReport, markdownTable, type Report } from "../lib/report.ts";
import { type Engine, openPgliteEngine, openScratchServerEngine } from "../projections/engines.ts";
import { bareKafkaConsume, deleteKafkaLeftovers } from "../projections/kafka.ts";
import { benchRuntime, waitForGeneration } from "../projections/runtime.ts";

const SCRIPT = "ops/bench/analytics/qoe.ts";
const SPECS = {
  "sessions": integerOption("BENCH_SESSIONS", 4_000),
  "partitions": integerOption("BENCH_PARTITIONS", 6),
  // The projection's own batch size unless told otherwise.
  "batch-size": integerOption("BENCH_BATCH_SIZE", TELEMETRY_BATCH_SIZE),
  "markdown": textOption("BENCH_MARKDOWN"),
};
const TARGET_EVENTS_PER_SEC = 50_000;
const LATENESS_SEC = 60;
const APPEND_CHUNK = 1_000;

/** Runs the benchmark with `args` (flags as on the command line), prints and returns its report. */
export async function runBenchmark(args: string[] = Deno.args): Promise<Report> {
  const options = readOptions(args, SPECS);
  const brokers = Deno.env.get("KAFKA_BROKERS");
  const postgresUrl = Deno.env.get("POSTGRES_URL");
  if (!brokers) throw new Error("KAFKA_BROKERS is not set: the benchmark reads from Kafka");
  progress(`simulating ${formatCount(options.sessions)} sessions`);
  const simulation = simulateSessions({
    seed: 11,
    sessions: options.sessions,
    startMs: Date.now() - 3 * 3600 * 1000,
    spanSec: 3_600,
    allowedLatenessSec: LATENESS_SEC,
  });
  const records = simulation.deliveries.map((event) => ({ key: event.session_id, value: event }));
  const engine = postgresUrl
    ? await openScratchServerEngine(postgresUrl, 4)
    : await openPgliteEngine();
  const runId = crypto.randomUUID().slice(0, 8);
  const topic = `bench-qoe-${runId}`;
  const bareGroup = `bench-qoe-bare-${runId}`;
  const groups = [bareGroup];
  const log = new KafkaTelemetryLog({
    brokers: brokers.split(","),
    topic,
    partitions: options.partitions,
    clientId: "bench-qoe",
  });
  try {
    progress(`Kafka: producing ${formatCount(records.length)} events to ${topic}`);
    for (let i = 0; i < records.length; i += APPEND_CHUNK) {
      await log.append(records.slice(i, i + APPEND_CHUNK));
    }
    progress("Kafka: bare kafkajs consumer");
    const bare = await bareKafkaConsume(brokers.split(","), topic, bareGroup, records.length);
    progress(`${engine.label}: QoE projection from Kafka`);
    const applied = await runQoe(engine, log, options["batch-size"], records.length);
    groups.push(kafkaGroupId(topic, applied.group));
    const rate = applied.events / applied.seconds;
    const bareRate = bare.events / bare.seconds;
    const table = markdownTable(
      [
        { title: "read model", align: "left" },
        { title: "case", align: "left" },
        { title: "events", align: "right" },
        { title: "events/s", align: "right" },
        { title: "bare consumer events/s", align: "right" },
        { title: "ratio", align: "right" },
        { title: "target", align: "left" },
        { title: "met", align: "left" },
      ],
      [[
        engine.label,
        `QoE projection, ${options.partitions} partitions, batches of up to ` +
        `${options["batch-size"]} (${formatCount(applied.events / applied.batches)} on average)`,
        formatCount(applied.events),
        formatCount(rate),
        formatCount(bareRate),
        (rate / bareRate).toFixed(2),
        `≥ ${formatCount(TARGET_EVENTS_PER_SEC)} events/s`,
        rate >= TARGET_EVENTS_PER_SEC ? "yes" : "no",
      ]],
    );
    const command = commandLine({
      args,
      script: SCRIPT,
      urlEnv: ["POSTGRES_URL"],
      env: ["KAFKA_BROKERS", ...optionEnvNames(SPECS)],
    });
    const result: Report = {
      machine: [...describeMachine(command), ...await engine.describe()],
      table,
      skipped: postgresUrl ? [] : ["PostgreSQL server: POSTGRES_URL is not set (PGlite used)"],
    };
    const report = formatReport(result);
    console.log(report);
    if (options.markdown) await Deno.writeTextFile(options.markdown, report);
    return result;
  } finally {
    await log.close();
    await engine.dispose();
    for (const problem of await deleteKafkaLeftovers(brokers.split(","), topic, groups)) {
      progress(`Kafka clean-up failed: ${problem}`);
    }
  }
}

/** Runs the QoE projection on a fresh generation, timed from its first apply to the full checkpoint. */
async function runQoe(
  engine: Engine,
  log: KafkaTelemetryLog,
  batchSize: number,
  total: number,
): Promise<{ events: number; seconds: number; batches: number; group: string }> {
  const qoe = qoeProjection({ sketches: ddSketches(), allowedLatenessSec: LATENESS_SEC });
  let firstApply: number | undefined;
  let batches = 0;
  const timed: TelemetryProjection = {
    ...qoe,
    batchSize,
    apply(tx, schema, records) {
      firstApply ??= performance.now();
      batches++;
      return qoe.apply(tx, schema, records);
    },
  };
  const runtime = benchRuntime(engine, [timed], batchSize, log);
  await runtime.start();
  try {
    const [live] = await engine.sql.query<{ generation: number }>(
      "SELECT generation FROM projection_generations WHERE projection = $1 AND status = 'live'",
      [qoe.name],
    );
    const generation = live!.generation;
    const done = await waitForGeneration(
      engine.sql,
      runtime,
      qoe.name,
      generation,
      (row) => row.global_position >= total,
    );
    return {
      events: total,
      seconds: (done - firstApply!) / 1000,
      batches,
      group: consumerGroupOf(qoe.name, generation),
    };
  } finally {
    await runtime.stop();
  }
}

if (import.meta.main) await runBenchmark();
