/**
 * A catalog's history as the commands write it: the video and show deciders decide each command
 * on the stream's state, and the events go out as the command handler appends them (one append per
 * command, its stream's version expected). The mix is mostly new videos, then metadata updates,
 * some shows with seasons and episodes.
 */
import { shows, videos } from "../../../commands/catalog/aggregates.ts";
import { type Aggregate, streamName } from "../../../commands/handle-command.ts";
import type { ContentType, MetadataChanges } from "../../../domain/catalog/values.ts";
import type { JsonObject, NewEvent } from "../../../domain/ports/event-store.ts";
import type { DomainEvent } from "../../../domain/shared/decider.ts";
import { between, pick, type Random, randomUuid, seededRandom } from "./random.ts";

export interface CatalogAppend {
  stream: string;
  /** The stream's version before the append. */
  expectedVersion: number;
  events: NewEvent[];
}

export interface CatalogHistory {
  appends: CatalogAppend[];
  events: number;
  /** Videos created (episodes included): the rows the catalog read model ends up with. */
  videos: number;
  shows: number;
}

/**
 * Shares of the commands, in order; the rest adds episodes. In events: about 70% VideoCreated,
 * 17% VideoMetadataUpdated, the rest show events and status changes.
 */
const MIX = [
  ["create video", 0.66],
  ["update video", 0.18],
  ["toggle video", 0.02],
  ["create show", 0.03],
  ["add season", 0.02],
  ["update show", 0.01],
] as const;
type Step = (typeof MIX)[number][0] | "add episode";

const CONTENT_TYPES: readonly ContentType[] = [
  "movie",
  "movie",
  "movie",
  "short",
  "documentary",
  "audio_track",
];
const GENRES = ["Drama", "Comedy", "Documentary", "Thriller", "Animation", "Music", "Sci-Fi"];
const RATINGS = ["G", "PG", "PG-13", "R", "TV-14", "TV-MA", "16+"];
const TAGS = ["award", "classic", "family", "indie", "4k", "hdr", "new", "series", "festival"];
const WORDS = ["night", "river", "signal", "garden", "echo", "harbor", "glass", "winter", "orbit"];

interface StreamState<State> {
  state: State;
  version: number;
}

/** Plans at least `count` events (a command's events stay together), the same for the same seed. */
export function planCatalogHistory(count: number, seed = 1): CatalogHistory {
  const random = seededRandom(seed);
  const plan = new CatalogPlanner(random);
  while (plan.events < count) plan.step(chooseStep(random, plan));
  const { appends, events, videoIds, showIds } = plan;
  return { appends, events, videos: videoIds.length, shows: showIds.length };
}

/** One VideoCreated of a new video (a stream of its own), as CreateVideo appends it. */
export function newVideoAppend(random: Random): CatalogAppend & { videoId: string } {
  const planner = new CatalogPlanner(random);
  const videoId = planner.createVideo();
  return { ...planner.appends[0]!, videoId };
}

/**
 * The VideoCreated events of `count` new videos, `perAppend` to an append: one a stream as the
 * deciders write them, or several in one `catalog-import-*` stream (an import, which no command
 * writes, for machines where single-event appends cannot reach the rate wanted).
 */
export function newVideoAppends(
  random: Random,
  count: number,
  perAppend: number,
): (CatalogAppend & { videoIds: string[] })[] {
  const appends = [];
  for (let done = 0; done < count; done += perAppend) {
    const videos = Array.from(
      { length: Math.min(perAppend, count - done) },
      () => newVideoAppend(random),
    );
    appends.push({
      stream: videos.length === 1 ? videos[0]!.stream : `catalog-import-${randomUuid(random)}`,
      expectedVersion: 0,
      events: videos.flatMap((video) => video.events),
      videoIds: videos.map((video) => video.videoId),
    });
  }
  return appends;
}

/** The next command by MIX; one that needs a video or a show before there is one creates it. */
function chooseStep(random: Random, plan: { videoIds: unknown[]; showIds: unknown[] }): Step {
  let draw = random();
  const chosen = MIX.find(([, share]) => (draw -= share) < 0)?.[0] ?? "add episode";
  if (chosen === "update video" || chosen === "toggle video") {
    return plan.videoIds.length > 0 ? chosen : "create video";
  }
  const needsShow = chosen === "add season" || chosen === "update show" || chosen === "add episode";
  return needsShow && plan.showIds.length === 0 ? "create show" : chosen;
}

class CatalogPlanner {
  readonly appends: CatalogAppend[] = [];
  readonly videoIds: string[] = [];
  readonly showIds: string[] = [];
  events = 0;
  readonly #videos = new Map<string, StreamState<ReturnType<typeof videos.decider.initialState>>>();
  readonly #shows = new Map<string, StreamState<ReturnType<typeof shows.decider.initialState>>>();
  readonly #seasons = new Map<string, number>();

  constructor(private readonly random: Random) {}

  step(step: Step): void {
    const random = this.random;
    switch (step) {
      case "create video":
        this.createVideo();
        return;
      case "update video": {
        const id = pick(random, this.videoIds);
        this.#handle(videos, this.#videos, id, {
          type: "UpdateVideoMetadata",
          data: { video_id: id, changes: this.#changes() },
        });
        return;
      }
      case "toggle video": {
        const id = pick(random, this.videoIds);
        const published = this.#videos.get(id)?.state.status === "published";
        const type = published ? "UnpublishVideo" : "PublishVideo";
        this.#handle(videos, this.#videos, id, { type, data: { video_id: id } });
        return;
      }
      case "create show":
        this.#createShow();
        return;
      case "add season": {
        const id = pick(random, this.showIds);
        const season = (this.#seasons.get(id) ?? 0) + 1;
        this.#seasons.set(id, season);
        this.#handle(shows, this.#shows, id, {
          type: "AddSeason",
          data: { show_id: id, season_number: season, title: `Season ${season}` },
        });
        return;
      }
      case "update show": {
        const id = pick(random, this.showIds);
        this.#handle(shows, this.#shows, id, {
          type: "UpdateShowMetadata",
          data: { show_id: id, changes: { title: this.#title() } },
        });
        return;
      }
      case "add episode":
        this.#addEpisode(pick(random, this.showIds));
    }
  }

  createVideo(
    contentType = pick(this.random, CONTENT_TYPES),
    episode?: { show_id: string; season_number: number; episode_number: number },
    id = randomUuid(this.random),
  ): string {
    this.#handle(videos, this.#videos, id, {
      type: "CreateVideo",
      data: {
        video_id: id,
        content_type: contentType,
        ...this.#details(),
        duration_sec: between(this.random, 60, 9_000),
        ...episode,
      },
    });
    this.videoIds.push(id);
    return id;
  }

  #createShow(): void {
    const id = randomUuid(this.random);
    this.#handle(shows, this.#shows, id, {
      type: "CreateShow",
      data: { show_id: id, ...this.#details() },
    });
    this.showIds.push(id);
  }

  /** The slot on the show (adding the season when it is new), then the episode's video. */
  #addEpisode(showId: string): void {
    const show = this.#shows.get(showId)!.state;
    const held = show.status === "absent" ? [] : show.show.episodes;
    const season = Math.max(1, this.#seasons.get(showId) ?? 1);
    this.#seasons.set(showId, season);
    const slot = {
      episode_id: randomUuid(this.random),
      season_number: season,
      episode_number: held.filter((e) => e.season_number === season).length + 1,
    };
    this.#handle(shows, this.#shows, showId, {
      type: "AddEpisode",
      data: { show_id: showId, ...slot },
    });
    const { episode_id, ...position } = slot;
    // The episode's video has the slot's id, as addEpisode in commands/catalog/episodes.ts has.
    this.createVideo("episode", { show_id: showId, ...position }, episode_id);
  }

  /** Decides `command` on the stream's state and records the append its events make. */
  #handle<Command, Event extends DomainEvent, State>(
    aggregate: Aggregate<Command, Event, State>,
    streams: Map<string, StreamState<State>>,
    id: string,
    command: Command,
  ): void {
    const stream = streams.get(id) ?? { state: aggregate.decider.initialState(), version: 0 };
    const decided = aggregate.decider.decide(command, stream.state);
    if (decided.length === 0) return;
    for (const event of decided) stream.state = aggregate.decider.evolve(stream.state, event);
    this.appends.push({
      stream: streamName(aggregate.category, id),
      expectedVersion: stream.version,
      events: decided.map((event) => ({
        event_id: randomUuid(this.random),
        type: event.type,
        schema_version: aggregate.eventTypes.versionOf(event.type),
        data: event.data as JsonObject,
        metadata: { correlation_id: randomUuid(this.random), actor: "user:bench" },
      })),
    });
    stream.version += decided.length;
    streams.set(id, stream);
    this.events += decided.length;
  }

  #details() {
    const random = this.random;
    return {
      title: this.#title(),
      description: Array.from({ length: between(random, 12, 40) }, () => pick(random, WORDS))
        .join(" "),
      genre: pick(random, GENRES),
      release_year: between(random, 1950, 2026),
      rating: pick(random, RATINGS),
      tags: [...new Set(Array.from({ length: between(random, 1, 4) }, () => pick(random, TAGS)))],
    };
  }

  #changes(): MetadataChanges {
    const random = this.random;
    const all: MetadataChanges = {
      title: this.#title(),
      genre: pick(random, GENRES),
      rating: pick(random, RATINGS),
      tags: [pick(random, TAGS)],
      release_year: between(random, 1950, 2026),
    };
    const chosen = Object.entries(all).filter(() => random() < 0.4);
    return Object.fromEntries(chosen.length > 0 ? chosen : [["title", all.title]]);
  }

  #title(): string {
    const random = this.random;
    return `${pick(random, WORDS)} ${pick(random, WORDS)} ${between(random, 1, 999)}`;
  }
}

/** The event types of the history by share, largest first: "70% VideoCreated, 16% ...". */
export function describeMix({ appends, events }: Pick<CatalogHistory, "appends" | "events">) {
  const counts = new Map<string, number>();
  for (const event of appends.flatMap((append) => append.events)) {
    counts.set(event.type, (counts.get(event.type) ?? 0) + 1);
  }
  return [...counts]
    .sort(([typeA, a], [typeB, b]) => b - a || typeA.localeCompare(typeB))
    .map(([type, count]) =>
      `${((100 * count) / events).toFixed(count * 100 < events ? 1 : 0)}% ${type}`
    )
    .join(", ");
}
