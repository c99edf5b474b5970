/**
 * One API process of the ingest benchmark's several-process case: POST /v1/events as
 * throughput.ts serves it, in front of the Kafka telemetry log (KAFKA_BROKERS), on a port its
 * sibling processes share (SO_REUSEPORT: the kernel spreads the clients' connections over them).
 * Prints "listening" once up; closes the log and ends on SIGTERM.
 *
 *   deno run -P=test ops/bench/ingest/api-process.ts <port> <topic> <partitions> <compression> <batch-size>
 */
import { KafkaTelemetryLog } from "../../../adapters/kafka/telemetry-log.ts";
import type { TelemetryCompression } from "../../../adapters/kafka/producer.ts";
import { ingestApp } from "./throughput.ts";

const [port, topic, partitions, compression, batchSize] = Deno.args;
const log = new KafkaTelemetryLog({
  brokers: (Deno.env.get("KAFKA_BROKERS") ?? "").split(","),
  topic,
  partitions: Number(partitions),
  compression: compression as TelemetryCompression,
});
await log.partitionCount(); // creates the topic (or finds it) before the clients come
const server = Deno.serve({
  hostname: "127.0.0.1",
  port: Number(port),
  reusePort: true,
  onListen: () => console.log("listening"),
}, ingestApp(log, Number(batchSize)).fetch);
Deno.addSignalListener("SIGTERM", async () => {
  await server.shutdown();
  await log.close();
  Deno.exit(0);
});
