/** Test helpers: the QoE tables in a PGlite schema named like the live views, fed as the runtime would. */
import { partitionFor } from "../../adapters/telemetry-log/partition.ts";
import { migrate } from "../../adapters/postgres/migrate.ts";
import { migrations } from "../../adapters/postgres/migrations/index.ts";
import { openPglite } from "../../adapters/postgres/pglite-client.ts";
import { ddSketches } from "../../adapters/sketches/ddsketch.ts";
import type { JsonObject } from "../../domain/ports/event-store.ts";
import type { SqlClient } from "../../domain/ports/sql.ts";
import type { LoggedRecord } from "../../domain/ports/telemetry-log.ts";
import { QOE_PROJECTION, qoeProjection } from "./projection.ts";

export const sketches = ddSketches(0.01);

export async function qoeDatabase(allowedLatenessSec: number) {
  const sql = await openPglite();
  await migrate(sql, migrations);
  const projection = qoeProjection({ sketches, allowedLatenessSec });
  await sql.exec(`CREATE SCHEMA ${QOE_PROJECTION}`);
  await sql.transaction((tx) => projection.setup(tx, QOE_PROJECTION));
  return { sql, projection };
}

/** Log records for events in arrival order, spread over partitions by session as Kafka does. */
export function logRecords(values: readonly JsonObject[], partitions: number): LoggedRecord[] {
  const offsets = new Map<number, number>();
  return values.map((value) => {
    const key = String(value.session_id);
    const partition = partitionFor(key, partitions);
    const offset = offsets.get(partition) ?? 0;
    offsets.set(partition, offset + 1);
    return { key, partition, offset: String(offset), logged_at: String(value.timestamp), value };
  });
}

/** Applies records in chunks of arrival order, one transaction per partition's slice. */
export async function feed(
  sql: SqlClient,
  projection: ReturnType<typeof qoeProjection>,
  records: readonly LoggedRecord[],
  chunk = 200,
): Promise<void> {
  for (let i = 0; i < records.length; i += chunk) {
    const slice = records.slice(i, i + chunk);
    for (const partition of new Set(slice.map((r) => r.partition))) {
      const mine = slice.filter((r) => r.partition === partition);
      await sql.transaction((tx) => projection.apply(tx, QOE_PROJECTION, mine));
    }
  }
}
