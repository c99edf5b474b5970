import assert from "node:assert/strict";
import { testService } from "../adapters/testing/service.ts";
import { type EventStore, WrongExpectedVersionError } from "../domain/ports/event-store.ts";
import { videos } from "./catalog/aggregates.ts";
import { SqlSnapshotStore } from "../adapters/postgres/snapshot-store.ts";
import type { AccountCommand } from "../domain/accounts/account.ts";
import { accounts } from "./accounts/aggregate.ts";
import { handleCommand, loadAggregate } from "./handle-command.ts";

/** The real store, except that its next `conflicts` appends fail as if another writer came first. */
function withInjectedConflicts(
  store: EventStore,
  conflicts: number,
): EventStore & { appends: number } {
  let remaining = conflicts;
  const wrapper = Object.create(store) as EventStore & { appends: number };
  wrapper.appends = 0;
  wrapper.appendToStream = (stream, events, options) => {
    wrapper.appends++;
    if (remaining-- > 0) {
      return Promise.reject(
        new WrongExpectedVersionError(stream, options?.expected_version ?? "any", 99),
      );
    }
    return store.appendToStream(stream, events, options);
  };
  return wrapper;
}

async function createdVideo(store: EventStore): Promise<string> {
  const id = crypto.randomUUID();
  await handleCommand(store, videos, id, {
    type: "CreateVideo",
    data: { video_id: id, content_type: "movie", title: "Arrival" },
  });
  return id;
}

Deno.test("concurrent commands on one aggregate all land, each decided on fresh state", async () => {
  const { store } = await testService();
  const id = await createdVideo(store);
  const changes = [{ genre: "Sci-Fi" }, { rating: "PG-13" }, { release_year: 2016 }, {
    description: "Linguist",
  }];
  const results = await Promise.all(changes.map((change) =>
    handleCommand(store, videos, id, {
      type: "UpdateVideoMetadata",
      data: { video_id: id, changes: change },
    }, { retries: 10 })
  ));
  assert.deepEqual(results.map((r) => r.events.length), [1, 1, 1, 1]);
  const stream = await store.readStream(`video-${id}`);
  assert.deepEqual(stream.map((e) => e.stream_version), [1, 2, 3, 4, 5]);
});

Deno.test("a conflict is retried a bounded number of times, then surfaces", async () => {
  const { store } = await testService();
  const id = await createdVideo(store);
  const update = {
    type: "UpdateVideoMetadata" as const,
    data: { video_id: id, changes: { genre: "Drama" } },
  };

  const flaky = withInjectedConflicts(store, 2);
  const handled = await handleCommand(flaky, videos, id, update, { retries: 2 });
  assert.equal(handled.version, 2);
  assert.equal(flaky.appends, 3);

  const hopeless = withInjectedConflicts(store, 100);
  await assert.rejects(
    handleCommand(hopeless, videos, id, {
      ...update,
      data: { ...update.data, changes: { genre: "War" } },
    }, { retries: 3 }),
    WrongExpectedVersionError,
  );
  assert.equal(hopeless.appends, 4);
});

Deno.test("a caller's expected version is checked and never retried", async () => {
  const { store } = await testService();
  const id = await createdVideo(store);
  const flaky = withInjectedConflicts(store, 1);
  await assert.rejects(
    handleCommand(flaky, videos, id, {
      type: "UpdateVideoMetadata",
      data: { video_id: id, changes: { genre: "Drama" } },
    }, { expectedVersion: 1 }),
    WrongExpectedVersionError,
  );
  assert.equal(flaky.appends, 1);
  await assert.rejects(
    handleCommand(store, videos, id, {
      type: "UpdateVideoMetadata",
      data: { video_id: id, changes: { genre: "Drama" } },
    }, { expectedVersion: 5 }),
    WrongExpectedVersionError,
  );
});

Deno.test("a long stream loads from its newest snapshot, to the state a full fold gives", async () => {
  const { store, sql } = await testService();
  const snapshots = new SqlSnapshotStore(sql);
  const aggregate = { ...accounts, snapshots: { schema: 1, every: 3 } };
  const account_id = crypto.randomUUID();
  const stream = `account-${account_id}`;
  const now = Date.now();
  const session = { session_id: "s1", expires_at: now + 60_000, now };
  const run = (command: AccountCommand) =>
    handleCommand(store, aggregate, account_id, command, { snapshots });
  await run({
    type: "Register",
    data: { account_id, email: "ada@example.com", role: "viewer", password_hash: "h" },
  });
  await run({
    type: "LogIn",
    data: {
      ...session,
      account_id,
      password_verified: true,
      device_id: "tv",
      profile_id: "default",
      refresh_hash: "r0",
      max_devices: 3,
    },
  });
  for (let i = 1; i <= 7; i++) {
    const refreshed = await run({
      type: "Refresh",
      data: { ...session, account_id, presented_hash: `r${i - 1}`, refresh_hash: `r${i}` },
    });
    assert.equal(refreshed.version, i + 2);
  }

  const saved = await snapshots.load(stream, 1);
  const events = await store.readStream(stream);
  assert.equal(saved?.version, 9, "taken at versions 3, 6 and 9");
  assert.equal(saved.event_id, events[8]!.event_id);
  const full = await loadAggregate(store, aggregate, account_id);
  assert.deepEqual(await loadAggregate(store, aggregate, account_id, snapshots), full);
  assert.deepEqual(full.state, saved.state);

  // The load starts from the snapshot: a mark put in it shows.
  await sql.query(
    `UPDATE aggregate_snapshots SET state = jsonb_set(state, '{email}', '"marked"') WHERE stream = $1`,
    [stream],
  );
  const marked = await loadAggregate(store, aggregate, account_id, snapshots);
  assert.equal((marked.state as { email: string }).email, "marked");
  // A snapshot whose event is not the stream's any more (the store was restored, say) is left.
  await sql.query("UPDATE aggregate_snapshots SET event_id = 'elsewhere' WHERE stream = $1", [
    stream,
  ]);
  assert.deepEqual(await loadAggregate(store, aggregate, account_id, snapshots), full);
});
