/**
 * Which kafkajs failures mean "Kafka is unavailable" (a 503 the client may retry), and the
 * deadlines that bound how long the log waits for the broker.
 */
import { TelemetryLogUnavailableError } from "../../domain/ports/telemetry-log.ts";
import { Deadlines } from "../runtime/deadlines.ts";

const UNAVAILABLE_ERRORS = new Set([
  "KafkaJSNumberOfRetriesExceeded",
  "KafkaJSConnectionError",
  "KafkaJSConnectionClosedError",
  "KafkaJSRequestTimeoutError",
  "KafkaJSBrokerNotFound",
  "KafkaJSNoBrokerAvailableError",
  "KafkaJSMetadataNotLoaded",
  "KafkaJSTopicMetadataNotLoaded",
  "KafkaJSGroupCoordinatorNotFound",
  "KafkaJSTimeout",
  "KafkaJSLockTimeout",
]);

/**
 * The broker cannot take records now: kafkajs gave up retrying, could not connect, timed out, or
 * answered with a retriable error (no leader, not enough replicas). Anything else (a record too
 * large, a bad configuration) is not something a client should retry, and is not mapped.
 */
export function unavailable(error: unknown): TelemetryLogUnavailableError | undefined {
  if (error instanceof TelemetryLogUnavailableError) return error;
  for (const e of causes(error)) {
    const retriable = (e as { retriable?: unknown }).retriable === true;
    if (retriable || UNAVAILABLE_ERRORS.has(e.name)) {
      return new TelemetryLogUnavailableError(`Kafka unavailable: ${e.message}`, { cause: error });
    }
  }
  return undefined;
}

/** Errors of a partition its leader does not serve yet (kafkajs wraps them; the type says it). */
const LEADER_NOT_READY = new Set([
  "NOT_LEADER_FOR_PARTITION",
  "LEADER_NOT_AVAILABLE",
  "UNKNOWN_TOPIC_OR_PARTITION",
]);

/** The partition's leader is not serving it yet, as for a moment after the topic is created. */
export function leaderNotReady(error: unknown): boolean {
  return causes(error).some((e) => LEADER_NOT_READY.has((e as { type?: string }).type ?? ""));
}

/** The error and its causes, outermost first (kafkajs wraps the broker's error in its own). */
function causes(error: unknown): Error[] {
  const chain: Error[] = [];
  let e: unknown = error;
  while (e instanceof Error && !chain.includes(e)) { // an error may name itself as its cause
    chain.push(e);
    e = (e as { cause?: unknown }).cause;
  }
  return chain;
}

/** Throws the error as unavailable when it is one (see unavailable), as it is otherwise. */
export function rethrowMapped(error: unknown): never {
  throw unavailable(error) ?? error;
}

/** One timer for every pending append and ping, not a timer each (see Deadlines). */
const deadlines = new Deadlines(100);

/**
 * Runs `work`, failing as unavailable if it has not finished within `ms` (to 100 ms later; it is
 * not stopped).
 */
export function withDeadline(ms: number, what: string, work: () => Promise<void>): Promise<void> {
  return deadlines.within(
    work(),
    ms,
    () => new TelemetryLogUnavailableError(`${what} within ${ms} ms`),
  );
}

/** Waits for `work` at most `ms`. */
export async function settledWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([work, new Promise((resolve) => timer = setTimeout(resolve, ms))]);
  clearTimeout(timer);
}
