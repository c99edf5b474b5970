/**
 * The behaviour every EventStore adapter must show, as test steps. Each adapter's test file runs it
 * against a real store. Stream names are unique per run, so a shared server database is fine.
 */
import assert from "node:assert/strict";
import {
  DuplicateEventError,
  type EventStore,
  InvalidEventError,
  type NewEvent,
  type ReadAllFilter,
  type ReadAllOptions,
  type RecordedEvent,
  WrongExpectedVersionError,
} from "../../domain/ports/event-store.ts";

export interface ContractOptions {
  /** Concurrent writers in the ordering test (8 in the full run) and events each appends. */
  writers?: number;
  eventsPerWriter?: number;
}

export async function runEventStoreContract(
  t: Deno.TestContext,
  store: EventStore,
  { writers = 8, eventsPerWriter = 2_000 }: ContractOptions = {},
): Promise<void> {
  const run = crypto.randomUUID().slice(0, 8);
  const stream = (name: string) => `contract_${run}-${name}`;

  await t.step("append and read back a stream", async () => {
    const events = [
      event("Created", { title: "Arrival" }),
      event("Renamed", { title: "Arrival (2016)" }),
    ];
    events[0]!.metadata = {
      correlation_id: "c-1",
      causation_id: "c-0",
      actor: "user-1",
      received_at: now(),
    };
    const result = await store.appendToStream(stream("round-trip"), events, {
      expected_version: "no_stream",
    });
    assert.equal(result.next_expected_version, 2);

    const read = await store.readStream(stream("round-trip"));
    assert.deepEqual(read.map(pickNew), events.map((e) => ({ ...e, metadata: e.metadata ?? {} })));
    assert.deepEqual(read.map((e) => e.stream_version), [1, 2]);
    assert.ok(read[0]!.global_position < read[1]!.global_position);
    assert.equal(read[1]!.position, result.position);
    assert.ok(!Number.isNaN(Date.parse(read[0]!.recorded_at)));
    assert.deepEqual((await store.readStream(stream("round-trip"), { from_version: 2 })).length, 1);
    assert.equal(await store.streamExists(stream("round-trip")), true);
    assert.equal(await store.streamExists(stream("never-written")), false);
    assert.deepEqual(await store.readStream(stream("never-written")), []);
  });

  await t.step("expected versions are enforced with a typed conflict", async () => {
    const name = stream("versions");
    await assert.rejects(
      store.appendToStream(name, [event("A")], { expected_version: "stream_exists" }),
      WrongExpectedVersionError,
    );
    await store.appendToStream(name, [event("A")], { expected_version: "no_stream" });
    const conflict = await store.appendToStream(name, [event("B")], {
      expected_version: "no_stream",
    })
      .catch((e) => e);
    assert.ok(conflict instanceof WrongExpectedVersionError);
    assert.equal(conflict.actual, 1);
    assert.equal(conflict.stream, name);
    await store.appendToStream(name, [event("B")], { expected_version: 1 });
    await store.appendToStream(name, [event("C")], { expected_version: "stream_exists" });
    await assert.rejects(
      store.appendToStream(name, [event("D")], { expected_version: 2 }),
      WrongExpectedVersionError,
    );
    assert.equal((await store.appendToStream(name, [event("D")])).next_expected_version, 4);
  });

  await t.step("of N concurrent appenders at one version exactly one wins", async () => {
    const name = stream("race");
    await store.appendToStream(name, [event("Opened")]);
    const outcomes = await Promise.allSettled(
      Array.from(
        { length: 10 },
        (_, i) => store.appendToStream(name, [event("Raced", { i })], { expected_version: 1 }),
      ),
    );
    assert.equal(outcomes.filter((o) => o.status === "fulfilled").length, 1);
    for (const outcome of outcomes) {
      if (outcome.status === "rejected") {
        assert.ok(outcome.reason instanceof WrongExpectedVersionError);
      }
    }
    assert.equal((await store.readStream(name)).length, 2);
  });

  await t.step("re-appending the same event ids stores them once", async () => {
    const name = stream("idempotent");
    const batch = [event("A"), event("B")];
    const first = await store.appendToStream(name, batch, { expected_version: "no_stream" });
    const again = await store.appendToStream(name, batch, { expected_version: "no_stream" });
    const anyVersion = await store.appendToStream(name, batch);
    assert.equal(again.next_expected_version, first.next_expected_version);
    assert.equal(anyVersion.position, first.position);
    assert.equal((await store.readStream(name)).length, 2);
    await assert.rejects(store.appendToStream(name, [batch[1]!, event("C")]), DuplicateEventError);
    assert.equal((await store.readStream(name)).length, 2);
  });

  await t.step("readAll resumes after a position, in commit order", async () => {
    const marker = await store.appendToStream(stream("all-marker"), [event("Marker")]);
    await store.appendToStream(stream("all-a"), [event("A1"), event("A2")]);
    await store.appendToStream(stream("all-b"), [event("B1")]);
    await store.appendToStream(stream("all-a"), [event("A3")]);
    const all = await readAllAfter(store, marker.position, stream("all-"), 4);
    assert.deepEqual(all.map((e) => e.type), ["A1", "A2", "B1", "A3"]);
    const rest = await readAllAfter(store, all[1]!.position, stream("all-"), 2);
    assert.deepEqual(rest.map((e) => e.type), ["B1", "A3"]);
  });

  await t.step("readAll narrowed to event types, with or without metadata", async () => {
    const [kept, skipped] = [`Kept_${run}`, `Skipped_${run}`];
    const marker = await store.appendToStream(stream("narrow-marker"), [event("Marker")]);
    const first = { ...event(kept, { n: 1 }), metadata: { actor: "user-1" } };
    await store.appendToStream(stream("narrow"), [first, event(skipped), event(kept, { n: 2 })]);
    await store.appendToStream(stream("narrow"), [event(skipped)]);
    const whole = await readAllAfter(store, marker.position, stream("narrow"), 4);
    const types = [kept, `Absent_${run}`];
    const narrowed = await store.readAll({ after: marker.position, event_types: types });
    assert.deepEqual(narrowed, whole.filter((e) => e.type === kept));
    assert.deepEqual(narrowed[0]!.metadata, { actor: "user-1" });
    assert.equal(narrowed[0]!.recorded_at, new Date(narrowed[0]!.recorded_at).toISOString());
    // max_count counts the events of those types; the next read goes on after the last.
    const [one] = await store.readAll({ after: marker.position, max_count: 1, event_types: types });
    assert.deepEqual(one, narrowed[0]);
    const rest = await store.readAll({ after: one!.position, event_types: types, metadata: false });
    assert.deepEqual(rest, [narrowed[1]]);
    const lean = await store.readAll({
      after: marker.position,
      event_types: types,
      metadata: false,
    });
    assert.deepEqual(lean, narrowed.map((e) => ({ ...e, metadata: {} })));
    assert.deepEqual(await store.readAll({ after: rest[0]!.position, event_types: types }), []);
  });

  await t.step("a packed readAll returns what a plain one does, odd texts included", async () => {
    const marker = await store.appendToStream(stream("packed-marker"), [event("Marker")]);
    // Types of any characters, unique to the run; stream names of other scripts and signs.
    const types = ["Type with  spaces ", "Tab\tand\nnewline", "Back\\slash \\n ½", "Plain"]
      .map((type) => `${type} ${run}`);
    const data = { text: 'quote"back\\slash\nnewline · 千と千尋 · 🎬', blob: "x".repeat(100_000) };
    const events = types.map((type, i) => ({
      ...event(type, { ...data, i }),
      schema_version: i + 1,
      metadata: { actor: "user-1", i },
    }));
    await store.appendToStream(stream("packed·ストリーム/½"), events.slice(0, 3));
    await store.appendToStream(stream("packed-other"), events.slice(3));
    const read = async (options: ReadAllOptions & ReadAllFilter) =>
      [await store.readAll(options), await store.readAll({ ...options, packed: true })] as const;
    for (const metadata of [true, false]) {
      const [plain, packed] = await read({ after: marker.position, event_types: types, metadata });
      assert.deepEqual(packed, plain);
      assert.deepEqual(packed.map((e) => e.type), types);
      assert.deepEqual(packed.map((e) => e.data.i), [0, 1, 2, 3]);
    }
    const [[first], [firstPacked]] = await read({
      after: marker.position,
      event_types: types,
      max_count: 1,
    });
    assert.deepEqual(firstPacked, first);
    const [rest, restPacked] = await read({ after: first!.position, event_types: types });
    assert.deepEqual(restPacked, rest);
    assert.equal(restPacked.length, 3);
    assert.deepEqual(await read({ after: rest[2]!.position, event_types: types }), [[], []]);
    // Unnarrowed, after the same position: the packed read's events are the plain read's first.
    const whole = await store.readAll({ after: marker.position, max_count: 100, packed: true });
    const plain = await store.readAll({ after: marker.position, max_count: whole.length });
    assert.deepEqual(whole, plain);
  });

  await t.step(
    "pageEnds names where readAll's full pages end, where the store has it",
    async () => {
      if (!store.pageEnds) return;
      const marker = await store.appendToStream(stream("pages-marker"), [event("Marker")]);
      const types = ["Paged", "Skipped"].map((type) => `${type} ${run}`);
      await store.appendToStream(
        stream("pages"),
        Array.from({ length: 7 }, (_, i) => event(types[i % 3 === 2 ? 1 : 0]!, { i })),
      );
      const narrowed = { after: marker.position, event_types: [types[0]!], max_count: 2 };
      const ends = await store.pageEnds(narrowed);
      // Five events of the type: two full pages of two, the last one left out.
      const pages = [await store.readAll(narrowed)];
      for (const end of ends) pages.push(await store.readAll({ ...narrowed, after: end }));
      assert.deepEqual(ends, pages.slice(0, 2).map((page) => page.at(-1)!.position));
      assert.deepEqual(pages.map((page) => page.map((e) => e.data.i)), [[0, 1], [3, 4], [6]]);
    },
  );

  await t.step("head is the newest committed event", async () => {
    const appended = await store.appendToStream(stream("head"), [event("Newest")]);
    const head = await store.head();
    assert.ok(head);
    assert.ok(head.global_position >= appended.global_position);
    assert.ok(!Number.isNaN(Date.parse(head.recorded_at)));
  });

  await t.step("large and unicode payloads round-trip unchanged", async () => {
    const unicode = {
      title: "Amélie · 千と千尋の神隠し · Лёд · עברית · 🎬🍿👩🏽‍🚀 · e\u0301",
      nested: { list: ["𝄞", "\u{10FFFF}", "tab\tand\nnewline", 'quote"back\\slash'] },
      numbers: [0, -1.5, 1e21, Number.MAX_SAFE_INTEGER],
    };
    const large = { blob: "x".repeat(900_000) };
    await store.appendToStream(stream("payloads"), [
      event("Unicode", unicode),
      event("Large", large),
    ]);
    const [readUnicode, readLarge] = await store.readStream(stream("payloads"));
    assert.deepEqual(readUnicode!.data, unicode);
    assert.equal((readLarge!.data as typeof large).blob.length, 900_000);
  });

  await t.step("invalid stream names and payloads are rejected with clear errors", async () => {
    for (
      const bad of ["", " leading-space", "with space", "$system", "tab\tname", "x".repeat(201)]
    ) {
      await assert.rejects(
        store.appendToStream(bad, [event("A")]),
        InvalidEventError,
        `stream "${bad}"`,
      );
    }
    const invalid: [string, NewEvent[]][] = [
      ["no events", []],
      ["event id not a UUID", [{ ...event("A"), event_id: "42" }]],
      ["empty type", [event("")]],
      ["schema version 0", [{ ...event("A"), schema_version: 0 }]],
      ["data not an object", [{ ...event("A"), data: [1, 2] as never }]],
      ["NUL in text", [event("A", { text: "a\u0000b" })]],
      ["lone surrogate", [event("A", { text: "\ud800" })]],
      ["not a JSON number", [event("A", { n: Number.NaN })]],
      ["too large", [event("A", { blob: "x".repeat(1_000_001) })]],
    ];
    for (const [why, events] of invalid) {
      const error = await store.appendToStream(stream("invalid"), events).catch((e) => e);
      assert.ok(error instanceof InvalidEventError, `${why}: ${error}`);
      assert.ok(error.message.length > 10, why);
    }
    assert.equal(await store.streamExists(stream("invalid")), false);
  });

  await t.step(
    `${writers} concurrent writers: a subscriber sees every event once, in order`,
    async () => {
      const marker = await store.appendToStream(stream("order-marker"), [event("Marker")]);
      const total = writers * eventsPerWriter;
      const abort = new AbortController();
      const seen: RecordedEvent[] = [];
      const subscriber = (async () => {
        for await (
          const batch of store.subscribeToAll({ after: marker.position, signal: abort.signal })
        ) {
          seen.push(...batch.filter((e) => e.stream_name.startsWith(stream("order-w"))));
          if (seen.length >= total) abort.abort();
        }
      })();
      await Promise.all(Array.from({ length: writers }, async (_, w) => {
        for (let sent = 0; sent < eventsPerWriter;) {
          const size = Math.min(1 + (sent % 5), eventsPerWriter - sent);
          const batch = Array.from(
            { length: size },
            (_, i) => event("Written", { w, n: sent + i }),
          );
          await store.appendToStream(stream(`order-w${w}`), batch);
          sent += size;
        }
      }));
      const timeout = setTimeout(() => abort.abort(), 60_000);
      await subscriber;
      clearTimeout(timeout);

      assert.equal(new Set(seen.map((e) => e.event_id)).size, seen.length, "no event twice");
      assert.equal(seen.length, total, "every event");
      for (let w = 0; w < writers; w++) {
        const numbers = seen.filter((e) => e.data.w === w).map((e) => e.data.n);
        assert.deepEqual(
          numbers,
          Array.from({ length: eventsPerWriter }, (_, i) => i),
          `writer ${w} order`,
        );
      }
      const resumed = await readAllAfter(
        store,
        seen[total / 2 - 1]!.position,
        stream("order-w"),
        total / 2,
      );
      assert.deepEqual(
        resumed.map((e) => e.event_id),
        seen.slice(total / 2).map((e) => e.event_id),
        "readAll from a subscriber's position continues where it was",
      );
    },
  );
}

/**
 * The log after `after` until `count` events of streams named `prefix…` came back (or 10 s went by;
 * suites share the store). An event shows once every transaction older than its own has ended, which
 * on a busy server can be a moment after its append returned: another client's transaction.
 */
async function readAllAfter(
  store: EventStore,
  after: string,
  prefix: string,
  count: number,
): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  let position = after;
  const deadline = Date.now() + 10_000;
  while (events.length < count && Date.now() < deadline) {
    const batch = await store.readAll({ after: position, max_count: 1000 });
    if (batch.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      continue;
    }
    events.push(...batch.filter((e) => e.stream_name.startsWith(prefix)));
    position = batch[batch.length - 1]!.position;
  }
  return events;
}

function event(type: string, data: Record<string, unknown> = {}): NewEvent {
  return { event_id: crypto.randomUUID(), type, schema_version: 1, data: data as NewEvent["data"] };
}

function pickNew({ event_id, type, schema_version, data, metadata }: RecordedEvent): NewEvent {
  return { event_id, type, schema_version, data, metadata };
}

function now(): string {
  return new Date().toISOString();
}
