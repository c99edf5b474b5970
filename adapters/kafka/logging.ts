/** Routing of kafkajs's own log lines to the service's logger. */
import { type logCreator, logLevel } from "kafkajs";
import type { Logger } from "../../domain/ports/logger.ts";

/** kafkajs's log lines go to our logger as warnings (it logs recoverable trouble as errors). */
export function routeLogsTo(logger: Logger | undefined): logCreator {
  return () => ({ namespace, level, log }) => {
    if (!logger || level > logLevel.WARN) return;
    const { message, timestamp: _timestamp, ...fields } = log;
    // Appends reset the producer when a batch is in doubt (see producer.ts); this warns about it.
    if (message.startsWith("Limiting retries for the idempotent producer")) return;
    logger.warn(`kafka: ${message}`, { kafka_namespace: namespace, ...fields });
  };
}
