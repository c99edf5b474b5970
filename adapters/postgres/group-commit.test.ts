/**
 * The PostgreSQL event store's group commit (decisions 0018, 0028): appends made together are written in
 * one transaction, and each still gets its own outcome.
 */
import assert from "node:assert/strict";
import {
  type AppendResult,
  DuplicateEventError,
  type NewEvent,
  WrongExpectedVersionError,
} from "../../domain/ports/event-store.ts";
import type { SqlClient } from "../../domain/ports/sql.ts";
import { waitFor } from "../testing/engines.ts";
import { integrationTest } from "../testing/integration.ts";
import { withScratchDatabase } from "../testing/scratch-database.ts";
import { PostgresEventStore } from "./event-store.ts";
import { migrate } from "./migrate.ts";
import { migrations } from "./migrations/index.ts";
import { openPglite } from "./pglite-client.ts";
import { connectPostgres } from "./postgres-js-client.ts";

Deno.test("group commit on PGlite", async (t) => {
  const sql = await openPglite();
  await migrate(sql, migrations);
  await groupCommitSteps(t, sql);
});

integrationTest({
  name: "group commit on a server",
  requires: ["POSTGRES_URL"],
  fn: ({ POSTGRES_URL }, t) =>
    withScratchDatabase(POSTGRES_URL, async (url) => {
      const sql = connectPostgres({ url, max: 4 });
      await migrate(sql, migrations);
      // First, while no other store announces commits to this scratch database.
      await t.step("one NOTIFY per group", () => oneNotifyPerGroup(sql));
      await groupCommitSteps(t, sql);
    }),
});

/** Runs the steps on a store over `sql`, then closes both. */
async function groupCommitSteps(t: Deno.TestContext, sql: SqlClient) {
  const store = await PostgresEventStore.open(sql);
  try {
    await storeSteps(t, store);
  } finally {
    await store.close();
    await sql.close();
  }
}

async function storeSteps(t: Deno.TestContext, store: PostgresEventStore) {
  await t.step("appends made together share one transaction, in call order", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.appendToStream(`together-${i}`, [event("A")])),
    );
    assert.equal(new Set(results.map(transactionOf)).size, 1, "one transaction");
    const positions = results.map((r) => r.global_position);
    assert.deepEqual(positions, [...positions].sort((a, b) => a - b), "positions in call order");
    for (const [i, result] of results.entries()) {
      const [stored] = await store.readStream(`together-${i}`);
      assert.equal(stored!.position, result.position);
    }
  });

  await t.step("appends made by tasks of one turn share a transaction (0028)", async () => {
    // Each callback is a task of its own, as each request of a server is, with its microtasks
    // run before the next: the first append must not go alone.
    const results = await Promise.all(
      Array.from(
        { length: 10 },
        (_, i) =>
          new Promise<AppendResult>((resolve, reject) =>
            setImmediate(() =>
              store.appendToStream(`turn-${i}`, [event("A")]).then(resolve, reject)
            )
          ),
      ),
    );
    assert.equal(new Set(results.map(transactionOf)).size, 1, "one transaction");
  });

  await t.step("a large append goes alone, beside the group", async () => {
    const [large, ...small] = await Promise.all([
      store.appendToStream("large", Array.from({ length: 21 }, () => event("Imported"))),
      ...Array.from({ length: 5 }, (_, i) => store.appendToStream(`small-${i}`, [event("A")])),
    ]);
    assert.equal(large!.next_expected_version, 21);
    assert.equal(new Set(small.map(transactionOf)).size, 1, "the small ones together");
    assert.notEqual(transactionOf(large!), transactionOf(small[0]!));
  });

  await t.step("each append in a group checks its own expected version", async () => {
    await store.appendToStream("checked-open", [event("Opened")]);
    const outcomes = await Promise.allSettled([
      store.appendToStream("checked-open", [event("Next")], { expected_version: 1 }),
      store.appendToStream("checked-missing", [event("A")], { expected_version: "stream_exists" }),
      store.appendToStream("checked-new", [event("A"), event("B")], {
        expected_version: "no_stream",
      }),
      store.appendToStream("checked-behind", [event("A")], { expected_version: 5 }),
      store.appendToStream("checked-any", [event("A")]),
    ]);
    assert.deepEqual(outcomes.map((o) => o.status), [
      "fulfilled",
      "rejected",
      "fulfilled",
      "rejected",
      "fulfilled",
    ]);
    for (const failed of [outcomes[1], outcomes[3]] as PromiseRejectedResult[]) {
      assert.ok(failed.reason instanceof WrongExpectedVersionError);
      assert.equal(failed.reason.actual, 0);
    }
    const fulfilled = outcomes.filter((o) => o.status === "fulfilled");
    assert.deepEqual(fulfilled.map((o) => o.value.next_expected_version), [2, 2, 1]);
    assert.equal(new Set(fulfilled.map((o) => transactionOf(o.value))).size, 1, "one transaction");
    assert.deepEqual((await store.readStream("checked-open")).map((e) => e.type), [
      "Opened",
      "Next",
    ]);
    assert.equal(await store.streamExists("checked-missing"), false);
    assert.equal(await store.streamExists("checked-behind"), false);
  });

  await t.step("concurrent appends to one stream are checked one after the other", async () => {
    await store.appendToStream("contested", [event("Opened")]);
    const outcomes = await Promise.allSettled([
      store.appendToStream("contested", [event("First")], { expected_version: 1 }),
      store.appendToStream("contested", [event("Stale")], { expected_version: 1 }),
      store.appendToStream("contested", [event("Second")], { expected_version: 2 }),
      store.appendToStream("contested", [event("Fresh")], { expected_version: "no_stream" }),
    ]);
    assert.deepEqual(outcomes.map((o) => o.status), [
      "fulfilled",
      "rejected",
      "fulfilled",
      "rejected",
    ]);
    const stale = (outcomes[1] as PromiseRejectedResult).reason;
    assert.ok(stale instanceof WrongExpectedVersionError);
    assert.equal(stale.actual, 2);
    assert.ok((outcomes[3] as PromiseRejectedResult).reason instanceof WrongExpectedVersionError);
    const stored = await store.readStream("contested");
    assert.deepEqual(stored.map((e) => e.type), ["Opened", "First", "Second"]);
  });

  await t.step("one failing append fails alone; the others are stored", async () => {
    const taken = event("Taken");
    await store.appendToStream("owner", [taken]);
    const repeated = [event("Once")];
    const first = await store.appendToStream("repeated", repeated);
    const outcomes = await Promise.allSettled([
      store.appendToStream("bystander-1", [event("A")]),
      store.appendToStream("thief", [event("B"), taken]),
      store.appendToStream("repeated", repeated),
      store.appendToStream("bystander-2", [event("C"), event("D")]),
    ]);
    assert.deepEqual(outcomes.map((o) => o.status), [
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
    ]);
    assert.ok((outcomes[1] as PromiseRejectedResult).reason instanceof DuplicateEventError);
    assert.equal(
      (outcomes[2] as PromiseFulfilledResult<AppendResult>).value.position,
      first.position,
    );
    assert.equal(await store.streamExists("thief"), false);
    assert.equal((await store.readStream("repeated")).length, 1);
    assert.deepEqual((await store.readStream("bystander-2")).map((e) => e.type), ["C", "D"]);
  });

  await t.step("a stream's appends chained in one tick all land, in order", async () => {
    const outcomes = await Promise.all(
      Array.from(
        { length: 10 },
        (_, i) =>
          store.appendToStream("chained", [event(`E${i}`)], {
            expected_version: i === 0 ? "no_stream" : i,
          }),
      ),
    );
    assert.deepEqual(outcomes.map((o) => o.next_expected_version), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const stored = await store.readStream("chained");
    assert.deepEqual(stored.map((e) => e.type), Array.from({ length: 10 }, (_, i) => `E${i}`));
  });
}

/**
 * Notifications are delivered in commit order, so the store's NOTIFYs counted until a marker on a
 * channel of the test's own, sent once the store has closed, are all that it sent.
 */
async function oneNotifyPerGroup(sql: SqlClient) {
  let commits = 0;
  let counted: number | undefined;
  const marker = `group_commit_test_${crypto.randomUUID().replaceAll("-", "")}`;
  const unlistenCommits = await sql.listen("event_store_commits", () => commits++);
  const unlistenMarker = await sql.listen(marker, () => counted = commits);
  const store = await PostgresEventStore.open(sql);
  try {
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => store.appendToStream(`notify-${i}`, [event("A")])),
    );
    assert.equal(new Set(results.map(transactionOf)).size, 1, "one transaction");
  } finally {
    await store.close(); // resolves once its announcements are sent
  }
  try {
    await sql.query("SELECT pg_notify($1, '')", [marker]);
    await waitFor(() => counted !== undefined, 10_000, "the marker");
    assert.equal(counted, 1);
  } finally {
    await unlistenCommits();
    await unlistenMarker();
  }
}

function transactionOf(result: AppendResult): string {
  return result.position.split("/")[0]!;
}

function event(type: string): NewEvent {
  return { event_id: crypto.randomUUID(), type, schema_version: 1, data: {} };
}
