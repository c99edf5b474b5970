/**
 * The service on a PostgreSQL server opens the read models' sessions under the name that tells
 * readers of the event log not to wait for their transactions, and the event store's under another,
 * through which its appends go (the events table refuses the named ones).
 */
import assert from "node:assert/strict";
import { connectPostgres } from "../postgres/postgres-js-client.ts";
import { READ_MODEL_APPLICATION } from "../postgres/sessions-without-events.ts";
import { integrationTest } from "../testing/integration.ts";
import { withScratchDatabase } from "../testing/scratch-database.ts";
import { startService } from "../testing/service-process.ts";
import { until } from "../../projections/runtime/testing.ts";

integrationTest({
  name: "PostgreSQL: the read models' sessions are named as writing no events, the store's are not",
  requires: ["POSTGRES_URL"],
  fn: ({ POSTGRES_URL }) =>
    withScratchDatabase(POSTGRES_URL, async (url) => {
      const service = await startService(Deno.execPath(), ["run", "-P=server", "main.ts"], {
        PORT: "0",
        EVENT_STORE: "postgres",
        READ_MODELS: "postgres",
        POSTGRES_URL: url,
      });
      const observer = connectPostgres({ url, max: 1 });
      try {
        const created = await fetch(`${service.url}/v1/videos`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ content_type: "movie", title: "Arrival" }),
        });
        assert.equal(created.status, 201, await created.text());
        const total = await until(
          async () => (await (await fetch(`${service.url}/v1/videos`)).json()).total,
          (total) => total === 1,
        );
        assert.equal(total, 1, "the projection, on the read models' sessions, applied the event");
        const sessions = await observer.query<{ application_name: string }>(
          `SELECT DISTINCT application_name FROM pg_stat_activity
           WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        );
        const names = sessions.map((session) => session.application_name);
        assert.ok(names.includes(READ_MODEL_APPLICATION), names.join(", "));
        assert.ok(names.some((name) => name !== READ_MODEL_APPLICATION), names.join(", "));
      } finally {
        await observer.close();
        assert.equal(await service.stop(), 0);
      }
    }),
});
