/**
 * Records per applied batch of the analytics projections on the telemetry log (QoE, views, view
 * boards), in place of the runtime's default: each batch pays its transaction and round trips, and
 * a session touched by a batch is read and written once per batch, so larger batches cost less per
 * record (docs/benchmarks.md). 5,000 records of about 500 bytes are a few MB in memory.
 */
export const TELEMETRY_BATCH_SIZE = 5_000;
