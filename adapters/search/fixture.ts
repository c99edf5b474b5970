/**
 * A deterministic catalog for the relevance suite and the benchmark: named items the suite asks
 * for (Avatar, Spider-Man, Pokémon, Interstellar, shows with episodes, unpublished and deleted
 * ones) among generated filler, as catalog events in the order the commands would append them.
 */
import type { NewEvent } from "../../domain/ports/event-store.ts";
import { fillerItems } from "./fixture-filler.ts";

export interface Append {
  stream: string;
  events: NewEvent[];
}

export interface Item {
  title: string;
  content_type?: string;
  genre?: string;
  release_year?: number;
  description?: string;
  tags?: string[];
}

interface Show {
  title: string;
  genre: string;
  release_year: number;
  episodes: string[][];
  description?: string;
}

const MOVIES: Item[] = [
  {
    title: "Avatar",
    genre: "Sci-Fi",
    release_year: 2009,
    tags: ["pandora", "aliens"],
    description: "A paraplegic marine on the moon Pandora is torn between orders and the Na'vi.",
  },
  {
    title: "Avatar: The Way of Water",
    genre: "Sci-Fi",
    release_year: 2022,
    description: "Jake Sully and his family explore the reefs of Pandora.",
  },
  {
    title: "Spider-Man",
    genre: "Action",
    release_year: 2002,
    tags: ["superhero", "marvel"],
    description: "Bitten by a genetically altered spider, a student becomes a masked hero.",
  },
  {
    title: "Spider-Man: No Way Home",
    genre: "Action",
    release_year: 2021,
    tags: ["superhero"],
    description: "With his identity revealed, a young hero asks a sorcerer for help.",
  },
  {
    title: "Pokémon: The First Movie",
    genre: "Animation",
    release_year: 1998,
    tags: ["anime"],
    description: "Ash and Pikachu face Mewtwo, a clone with a grudge.",
  },
  {
    title: "Interstellar",
    genre: "Science Fiction",
    release_year: 2014,
    description: "Explorers travel through a wormhole near Saturn to find a new home for humanity.",
  },
  {
    title: "Jurassic Park",
    genre: "Adventure",
    release_year: 1993,
    tags: ["dinosaurs"],
    description: "Cloned dinosaurs escape on an island theme park.",
  },
  {
    title: "Amélie",
    genre: "Comedy",
    release_year: 2001,
    description: "A shy waitress in Montmartre decides to change the lives of those around her.",
  },
  {
    title: "Blue Planet Oceans",
    content_type: "documentary",
    genre: "Nature",
    release_year: 2017,
    description: "Whales, corals and the deep sea filmed over four years.",
  },
  {
    title: "Lo-fi Beats to Study",
    content_type: "audio_track",
    genre: "Music",
    release_year: 2020,
  },
  {
    title: "Paper Boat",
    content_type: "short",
    genre: "Drama",
    release_year: 2019,
    description: "A boy follows a paper boat down a flooded street.",
  },
];

const SHOWS: Show[] = [
  {
    title: "Breaking Bad",
    genre: "Crime",
    release_year: 2008,
    description: "A chemistry teacher turns to making methamphetamine.",
    episodes: [["Pilot", "Cat's in the Bag", "And the Bag's in the River"], [
      "Seven Thirty-Seven",
      "Grilled",
    ]],
  },
  {
    title: "Stranger Things",
    genre: "Sci-Fi",
    release_year: 2016,
    episodes: [["The Vanishing of Will Byers", "The Weirdo on Maple Street", "Holly, Jolly"]],
  },
  {
    title: "Pokémon Journeys",
    genre: "Animation",
    release_year: 2019,
    episodes: [["Enter Pikachu!", "Legend? Go! Friends? Go!"], ["Settling the Score"]],
  },
];

/** Unpublished and deleted items: never found by default; the unpublished one on request. */
const HIDDEN = {
  unpublished: { title: "Avatar Secret Cut", genre: "Sci-Fi", release_year: 2010 },
  deleted: { title: "Spider-Man Lost Reel", genre: "Action", release_year: 2005 },
  unpublishedShow: {
    title: "Hidden Harbor",
    genre: "Drama",
    release_year: 2015,
    episodes: [["Harbor Lights"]],
  },
};

/** A deterministic UUID (version 4 layout) for item `n` of `namespace`. */
export function fixtureId(namespace: number, n: number): string {
  const hex = (n + namespace * 1_000_000).toString(16).padStart(12, "0");
  return `00000000-0000-4000-8000-${hex}`;
}

const event = (type: string, data: Record<string, unknown>): NewEvent => ({
  event_id: crypto.randomUUID(),
  type,
  schema_version: 1,
  data: JSON.parse(JSON.stringify(data)),
});

export function videoCreated(id: string, item: Item, extra: Record<string, unknown> = {}): Append {
  const data = { video_id: id, content_type: item.content_type ?? "movie", ...item, ...extra };
  return { stream: `video-${id}`, events: [event("VideoCreated", data)] };
}

function showAppends(show: Show, showIndex: number, nextId: () => string): Append[] {
  const showId = fixtureId(1, showIndex);
  const { episodes, ...metadata } = show;
  const appends: Append[] = [{
    stream: `show-${showId}`,
    events: [event("ShowCreated", { show_id: showId, ...metadata })],
  }];
  episodes.forEach((titles, season) =>
    titles.forEach((title, episode) =>
      appends.push(videoCreated(nextId(), { title, content_type: "episode", genre: show.genre }, {
        show_id: showId,
        season_number: season + 1,
        episode_number: episode + 1,
      }))
    )
  );
  return appends;
}

/** The suite's catalog: at least 200 items, named ones first, then `filler` generated ones. */
export function fixtureCatalog(filler = 190): Append[] {
  let n = 0;
  const nextId = () => fixtureId(0, n++);
  const appends: Append[] = MOVIES.map((item) => videoCreated(nextId(), item));
  SHOWS.forEach((show, index) => appends.push(...showAppends(show, index, nextId)));
  const unpublished = nextId();
  const deleted = nextId();
  appends.push(
    videoCreated(unpublished, HIDDEN.unpublished),
    {
      stream: `video-${unpublished}`,
      events: [event("VideoUnpublished", { video_id: unpublished })],
    },
    videoCreated(deleted, HIDDEN.deleted),
    { stream: `video-${deleted}`, events: [event("VideoDeleted", { video_id: deleted })] },
    ...showAppends(HIDDEN.unpublishedShow, SHOWS.length, nextId),
  );
  const hiddenShow = fixtureId(1, SHOWS.length);
  appends.push({
    stream: `show-${hiddenShow}`,
    events: [event("ShowUnpublished", { show_id: hiddenShow })],
  });
  for (const item of fillerItems(filler)) appends.push(videoCreated(nextId(), item));
  return appends;
}

/** Catalog items the fixture holds (episodes included, hidden ones not). */
export function fixtureSize(filler = 190): number {
  const episodes = SHOWS.reduce((sum, show) => sum + show.episodes.flat().length, 0);
  return MOVIES.length + episodes + filler;
}
