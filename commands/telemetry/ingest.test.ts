import assert from "node:assert/strict";
import { MemoryRecentKeys } from "../../adapters/memory/recent-keys.ts";
import { migrate } from "../../adapters/postgres/migrate.ts";
import { migrations } from "../../adapters/postgres/migrations/index.ts";
import { openPglite } from "../../adapters/postgres/pglite-client.ts";
import { SqlTelemetryLog } from "../../adapters/postgres/telemetry-log.ts";
import type { JsonObject } from "../../domain/ports/event-store.ts";
import { ingestBatch } from "./ingest.ts";
import { heartbeat } from "./testing.ts";

const TV = "Mozilla/5.0 (Linux; Tizen 6.0) AppleWebKit/537.36 SamsungBrowser/4.0 TV Safari/537.36";

Deno.test("the records told as accepted carry the request's facts and no field left undefined", async () => {
  const sql = await openPglite();
  await migrate(sql, migrations);
  const log = await SqlTelemetryLog.open(sql);
  const told: JsonObject[] = [];
  const session = crypto.randomUUID();
  // A caller other than JSON (CMCD, a test) may hand in optional fields set to undefined.
  const event = (seq: number, extra: Record<string, unknown>) =>
    heartbeat(session, seq, { position_sec: undefined, ...extra });
  const result = await ingestBatch(
    {
      log,
      recent: new MemoryRecentKeys(),
      maxEvents: 10,
      onAccepted: (records) => Promise.resolve(void told.push(...records)),
    },
    { events: [event(1, { device_type: "console" }), event(2, { country: "FR" })] },
    { receivedAt: Date.parse("2026-11-21T12:00:05.000Z"), userAgent: TV, profileId: "kids" },
  );
  assert.deepEqual([result.accepted, result.rejected.length], [2, 0]);
  assert.deepEqual(
    told.map((r) => [r.seq, r.device_type, r.browser, r.os, r.country, r.profile_id]),
    [
      [1, "console", "Samsung Internet", "Tizen", undefined, "kids"],
      [2, "tv", "Samsung Internet", "Tizen", "FR", "kids"],
    ],
  );
  for (const record of told) {
    assert.equal(record.received_at, "2026-11-21T12:00:05.000Z");
    assert.deepEqual(
      Object.entries(record).filter(([, value]) => value === undefined),
      [],
      "no key with an undefined value",
    );
    assert.equal("position_sec" in record || "user_id" in record, false, "absent ones stay absent");
  }
  assert.equal("country" in told[0]!, false);
  await log.close();
  await sql.close();
});
