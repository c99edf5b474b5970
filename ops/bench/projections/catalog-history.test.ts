import assert from "node:assert/strict";
import * as v from "valibot";
import { VideoCreatedData } from "../../../domain/catalog/video-events.ts";
import { ShowCreatedData } from "../../../domain/catalog/show-events.ts";
import { describeMix, newVideoAppend, planCatalogHistory } from "./catalog-history.ts";
import { seededRandom } from "./random.ts";

const history = planCatalogHistory(5_000);
const events = history.appends.flatMap((append) => append.events);
const ofType = (type: string) => events.filter((event) => event.type === type);

Deno.test("the history has at least the events asked for, the same for the same seed", () => {
  assert.ok(history.events >= 5_000 && history.events < 5_003);
  assert.equal(events.length, history.events);
  assert.deepEqual(planCatalogHistory(5_000), history);
  assert.notDeepEqual(planCatalogHistory(5_000, 2).appends[0], history.appends[0]);
});

Deno.test("each stream's appends expect the version the previous ones left", () => {
  const versions = new Map<string, number>();
  for (const { stream, expectedVersion, events } of history.appends) {
    assert.equal(expectedVersion, versions.get(stream) ?? 0, stream);
    versions.set(stream, expectedVersion + events.length);
  }
  assert.equal(new Set(events.map((event) => event.event_id)).size, events.length);
});

Deno.test("mostly new videos, then metadata updates, and some shows with seasons and episodes", () => {
  const share = (type: string) => ofType(type).length / history.events;
  assert.ok(share("VideoCreated") > 0.6, `VideoCreated ${share("VideoCreated")}`);
  assert.ok(share("VideoMetadataUpdated") > 0.1 && share("VideoMetadataUpdated") < 0.25);
  for (const type of ["ShowCreated", "SeasonAdded", "EpisodeAdded", "ShowMetadataUpdated"]) {
    assert.ok(share(type) > 0, type);
  }
  assert.equal(ofType("VideoCreated").length, history.videos);
  assert.equal(ofType("ShowCreated").length, history.shows);
  assert.match(describeMix(history), /^\d+% VideoCreated, \d+% VideoMetadataUpdated, /);
});

Deno.test("the events carry the domain's snake_case data, as the deciders produce it", () => {
  for (const event of ofType("VideoCreated")) v.parse(VideoCreatedData, event.data);
  for (const event of ofType("ShowCreated")) v.parse(ShowCreatedData, event.data);
  const shows = new Set(ofType("ShowCreated").map((event) => event.data.show_id));
  const episodes = ofType("VideoCreated").filter((event) => event.data.content_type === "episode");
  assert.ok(episodes.length > 0);
  for (const episode of episodes) assert.ok(shows.has(episode.data.show_id!), "a known show");
  const slots = new Set(ofType("EpisodeAdded").map((event) => event.data.episode_id));
  for (const episode of episodes) assert.ok(slots.has(episode.data.video_id), "a reserved slot");
  for (const event of ofType("VideoMetadataUpdated")) {
    assert.ok(Object.keys(event.data.changes as object).length > 0);
  }
});

Deno.test("newVideoAppend is one VideoCreated on a new video's stream", () => {
  const append = newVideoAppend(seededRandom(9));
  assert.equal(append.stream, `video-${append.videoId}`);
  assert.equal(append.expectedVersion, 0);
  assert.equal(append.events.length, 1);
  assert.equal(append.events[0]!.type, "VideoCreated");
  assert.equal(v.parse(VideoCreatedData, append.events[0]!.data).video_id, append.videoId);
});
