import assert from "node:assert/strict";
import { testService } from "../adapters/testing/service.ts";
import { type EventStore, WrongExpectedVersionError } from "../domain/ports/event-store.ts";
import { videos } from "./catalog/aggregates.ts";
import { handleCommand } from "./handle-command.ts";

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
