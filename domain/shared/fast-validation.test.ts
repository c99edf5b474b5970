import assert from "node:assert/strict";
import * as v from "valibot";
import { fastPath, fastSafeParser, INVALID, UnsupportedSchemaError } from "./fast-validation.ts";
import { PlaybackBatch, PlaybackEvent } from "../telemetry/playback-event.ts";

/** Same success as valibot, deep-equal output with the keys in the same order. */
function assertSameAsValibot(
  schema: v.GenericSchema,
  fast: (input: unknown) => unknown,
  input: unknown,
  label: string,
): boolean {
  const expected = v.safeParse(schema, input);
  const actual = fast(input);
  if (!expected.success) {
    assert.strictEqual(actual, INVALID, `${label}: valibot refuses it, the fast path accepts it`);
    return false;
  }
  assert.notStrictEqual(actual, INVALID, `${label}: valibot accepts it, the fast path refuses it`);
  assert.deepStrictEqual(actual, expected.output, label);
  assert.deepStrictEqual(keyOrder(actual), keyOrder(expected.output), `${label}: key order`);
  return true;
}

function keyOrder(value: unknown): unknown {
  if (!value || typeof value !== "object") return null;
  return Object.entries(value).map(([key, inner]) => [key, keyOrder(inner)]);
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
}

const UUID = "0b0f4b8e-4c1a-4d2f-9e3b-7a6c5d4e3f21";
const minimalEvent = () => ({
  event_id: UUID,
  type: "heartbeat",
  session_id: "s-1",
  seq: 3,
  content_id: "movie-1",
  timestamp: "2026-11-22T01:00:00.000Z",
  position_sec: 30,
});
const fullEvent = () => ({
  ...minimalEvent(),
  user_id: "user-42",
  profile_id: "profile-1",
  duration_sec: 5400,
  bitrate_kbps: 4500,
  resolution: "1920x1080",
  buffer_health_sec: 12.5,
  buffering_events: 1,
  dropped_frames: 3,
  played_ms: 30_000,
  rebuffer_ms: 120,
  stalls: 1,
  startup_ms: 800,
  error_code: "E42",
  fatal: false,
  seek_from_sec: 10,
  device_type: "tv",
  country: "PT",
  cdn_pop: "lis-1",
  device_id: "living-room",
  cmcd: { br: 4500, sid: "s-1", bs: true },
});

/** Values at and around every edge the event's fields have. */
const EDGES: unknown[] = [
  undefined,
  null,
  true,
  false,
  0,
  -0,
  1,
  -1,
  0.5,
  3600,
  3600.0001,
  604_800,
  604_801,
  1_000_000_000,
  1_000_000_001,
  2_592_000_000,
  2_592_000_001,
  Number.MAX_SAFE_INTEGER,
  8.64e15,
  8.64e15 + 1,
  NaN,
  Infinity,
  -Infinity,
  "",
  " ",
  " \t\n ",
  "\u00a0\u2028",
  "a",
  " a ",
  "1",
  "0",
  "NaN",
  "x".repeat(16),
  "x".repeat(17),
  "x".repeat(32),
  "x".repeat(33),
  "x".repeat(64),
  "x".repeat(65),
  "x".repeat(128),
  "x".repeat(129),
  ` ${"x".repeat(128)} `,
  "é".repeat(128),
  "\u{1F600}".repeat(64), // 128 UTF-16 units
  "\u{1F600}".repeat(65),
  "heartbeat",
  "HEARTBEAT",
  "ended",
  "tv",
  "PT",
  "pt",
  "PRT",
  "1920x1080",
  "1080p",
  "99x99",
  "1920x1080\n",
  "720P",
  UUID,
  UUID.toUpperCase(),
  UUID.replaceAll("-", ""),
  `${UUID} `,
  "2026-11-22T01:00:00Z",
  "2026-11-22T01:00:00.123456789Z",
  "2026-11-22T01:00:00.1234567891Z",
  "2026-11-22 01:00:00+01:00",
  "2026-11-22T01:00:00+0100",
  "2026-11-22T01:00:00 +01",
  "2026-11-22T01:00:00",
  "2026-11-22",
  "2026-02-31T00:00:00Z",
  "2026-13-01T00:00:00Z",
  "1970-01-01T00:00:00Z",
  "1970-01-01T00:00:00.001Z",
  "0000-01-01T00:00:00Z",
  "+012026-01-01T00:00:00Z",
  [],
  [1],
  {},
  { a: 1 },
  { br: 1, sid: "s", bs: false },
  { br: null },
  { br: NaN },
  { br: { nested: 1 } },
  { ["k".repeat(17)]: 1 },
  JSON.parse('{"__proto__": 1, "br": 2}'),
  JSON.parse('{"constructor": 1, "prototype": 2, "br": 3}'),
  new Date(0),
  Object.create(null),
];

for (const [name, base] of [["minimal", minimalEvent], ["full", fullEvent]] as const) {
  Deno.test(`PlaybackEvent (${name}): every field set to every edge value, as valibot`, () => {
    const fast = fastPath(PlaybackEvent);
    let accepted = 0;
    for (const key of Object.keys(PlaybackEvent.entries)) {
      for (const [i, value] of EDGES.entries()) {
        const event: Record<string, unknown> = { ...base(), [key]: value };
        if (assertSameAsValibot(PlaybackEvent, fast, event, `${key} = edge #${i}`)) accepted++;
        delete event[key];
        assertSameAsValibot(PlaybackEvent, fast, event, `${key} left out`);
      }
    }
    assert.ok(accepted > 100, `only ${accepted} mutated events accepted: the test lost its point`);
  });
}

Deno.test("PlaybackEvent: random mixes of edge values in several fields, as valibot", () => {
  const fast = fastPath(PlaybackEvent);
  const keys = Object.keys(PlaybackEvent.entries);
  const next = random(5);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  let accepted = 0;
  for (let i = 0; i < 5_000; i++) {
    const event: Record<string, unknown> = next() < 0.5 ? minimalEvent() : fullEvent();
    for (let changes = 1 + Math.floor(next() * 3); changes > 0; changes--) {
      event[pick(keys)] = pick(EDGES);
    }
    if (assertSameAsValibot(PlaybackEvent, fast, event, `mix #${i}`)) accepted++;
  }
  assert.ok(accepted > 300, `only ${accepted} mixes accepted`);
});

Deno.test("PlaybackEvent: odd whole inputs (non-objects, extra and prototype keys), as valibot", () => {
  const fast = fastPath(PlaybackEvent);
  const withHidden = Object.defineProperty(minimalEvent(), "user_id", {
    value: "hidden",
    enumerable: false,
  });
  class Event {
    constructor() {
      Object.assign(this, minimalEvent());
    }
  }
  const inputs: unknown[] = [
    ...EDGES,
    [minimalEvent()],
    Object.assign([], minimalEvent()),
    { ...minimalEvent(), extra: 1 },
    { ...minimalEvent(), extra: undefined },
    { ...minimalEvent(), user_id: undefined, cmcd: undefined },
    JSON.parse(
      JSON.stringify({ ...minimalEvent(), __proto__: null }).replace(
        '"event_id"',
        '"__proto__":{"a":1},"event_id"',
      ),
    ),
    JSON.parse(`{"constructor": "x", ${JSON.stringify(minimalEvent()).slice(1)}`),
    JSON.parse(`{"toString": "x", ${JSON.stringify(minimalEvent()).slice(1)}`),
    Object.create(minimalEvent()), // inherited enumerable fields
    Object.assign(Object.create({ extra: 1 }), minimalEvent()),
    Object.assign(Object.create(null), minimalEvent()),
    withHidden,
    new Event(),
    JSON.parse(JSON.stringify(fullEvent())),
    { ...fullEvent(), timestamp: Date.parse("2026-11-22T01:00:00Z") },
    { ...fullEvent(), timestamp: 1.5 },
    { ...fullEvent(), seq: "3" },
    { ...fullEvent(), position_sec: "30" },
  ];
  for (const [i, input] of inputs.entries()) {
    assertSameAsValibot(PlaybackEvent, fast, input, `input #${i}`);
  }
});

Deno.test("PlaybackBatch: envelopes as valibot", () => {
  const fast = fastPath(PlaybackBatch);
  const events = [minimalEvent(), "anything", null];
  const inputs: unknown[] = [
    { events },
    { events, sent_at: "2026-11-22T01:00:00Z" },
    { events, sent_at: 1_763_773_200_000 },
    { events, sent_at: "yesterday" },
    { events, sent_at: undefined },
    { events: [] },
    { events: {} },
    { events, extra: 1 },
    // deno-lint-ignore no-sparse-arrays -- a hole reads as undefined
    { events: [1, , 3] },
    {},
    null,
  ];
  for (const [i, input] of inputs.entries()) {
    assertSameAsValibot(PlaybackBatch, fast, input, `#${i}`);
  }
});

Deno.test("refused input gets valibot's own issues; accepted input valibot's output", () => {
  const parse = fastSafeParser(PlaybackEvent);
  for (const input of [{ ...minimalEvent(), seq: -1, extra: 1 }, null, { type: "nope" }]) {
    const [actual, expected] = [parse(input), v.safeParse(PlaybackEvent, input)];
    assert.strictEqual(actual.success, false);
    assert.deepStrictEqual(actual.issues, expected.issues);
  }
  const valid = fullEvent();
  assert.deepStrictEqual(parse(valid), v.safeParse(PlaybackEvent, valid));
});

Deno.test("other supported schemas: object, array, record, union, pipes, metadata, as valibot", () => {
  const schemas: v.GenericSchema[] = [
    v.object({ name: v.pipe(v.string(), v.minLength(2), v.description("a name")) }),
    v.array(v.union([v.pipe(v.string(), v.transform(Number), v.number()), v.boolean()])),
    v.record(v.string(), v.pipe(v.number(), v.check((n) => n % 2 === 0))),
    v.pipe(v.unknown(), v.transform((value) => ({ wrapped: value }))),
    v.optional(v.picklist([NaN, 0, "a"])),
  ];
  const inputs: unknown[] = [
    ...EDGES,
    { name: "ab", extra: 1 },
    ["1", "x", true, 2],
    ["1", "2"],
    { a: 2, b: 4 },
    JSON.parse('{"__proto__": 3, "a": 2}'),
  ];
  for (const [s, schema] of schemas.entries()) {
    const fast = fastPath(schema);
    for (const [i, input] of inputs.entries()) {
      assertSameAsValibot(schema, fast, input, `schema #${s}, input #${i}`);
    }
  }
});

Deno.test("a schema holding anything the fast path does not know is refused when built", () => {
  const refused: v.GenericSchema[] = [
    v.fallback(v.string(), "x"),
    v.optional(v.string(), "default"),
    v.nullish(v.string()),
    v.date(),
    v.pipe(v.string(), v.email()),
    v.pipe(v.string(), v.regex(/a/g)),
    v.pipe(v.string(), v.transform((s) => s), v.brand("Name")),
    v.strictObject({ a: v.exactOptional(v.string()) }),
    v.strictObject({ nested: v.object({ deep: v.fallback(v.number(), 0) }) }),
    v.array(v.nullable(v.string())),
  ];
  for (const [i, schema] of refused.entries()) {
    assert.throws(() => fastPath(schema), UnsupportedSchemaError, `schema #${i}`);
  }
});
