import assert from "node:assert/strict";
import { toRecordedEvents } from "./event-page.ts";

const ID = "0b7c7c9e-5d1a-4a55-9c7e-1f7a0d6b2c11";

Deno.test("a page's texts become its events, in log order whatever order the rows came in", () => {
  const lines = [
    `10/7 2 1 1700000000123 ${ID} video-b B2`,
    `9/8 1 1 1700000000000 ${ID} video-a A1`,
    `10/5 1 2 1700000001999 ${ID} video-b B1 with\\nnewline, \\\\n, \\\\ and  spaces `,
  ];
  const events = toRecordedEvents({
    scalars: lines.join("\n"),
    data: JSON.stringify([{ n: 2 }, { n: 1 }, { n: 3 }]),
    metadata: JSON.stringify([{}, { m: 1 }, {}]),
  });
  assert.deepEqual(events.map((event) => event.position), ["9/8", "10/5", "10/7"]);
  assert.deepEqual(events[0], {
    event_id: ID,
    type: "A1",
    schema_version: 1,
    data: { n: 1 },
    metadata: { m: 1 },
    stream_name: "video-a",
    stream_version: 1,
    global_position: 8,
    position: "9/8",
    recorded_at: "2023-11-14T22:13:20.000Z",
  });
  assert.deepEqual(events.map((event) => event.type), [
    "A1",
    "B1 with\nnewline, \\n, \\ and  spaces ",
    "B2",
  ]);
  assert.deepEqual(events.map((event) => event.data), [{ n: 1 }, { n: 3 }, { n: 2 }]);
  assert.equal(events[1]!.recorded_at, "2023-11-14T22:13:21.999Z");
  assert.equal(events[1]!.schema_version, 2);
});

Deno.test("an empty page has no events, and metadata left out is empty", () => {
  assert.deepEqual(toRecordedEvents({ scalars: null, data: null }), []);
  assert.deepEqual(toRecordedEvents(undefined), []);
  const [event] = toRecordedEvents({
    scalars: `1/1 1 1 0 ${ID} s T`,
    data: "[{}]",
  });
  assert.deepEqual(event!.metadata, {});
  assert.equal(event!.recorded_at, "1970-01-01T00:00:00.000Z");
});
