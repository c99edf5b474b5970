/**
 * Next up for a show: the episode after the last completed one in broadcast order, across season
 * boundaries. "Last" is by order, not by time (as Jellyfin does): a viewer who rewatched episode 2
 * after finishing episode 5 is offered episode 6. Specials (season 0) are outside the order.
 */

export interface EpisodeInOrder {
  id: string;
  seasonNumber: number;
  episodeNumber: number;
  /** Unpublished episodes keep their place in the order but are never offered. */
  published: boolean;
  /** By the viewer, under the resume rules. */
  completed: boolean;
}

export const SPECIALS_SEASON = 0;

/**
 * The episode to offer, or undefined when there is none: the viewer finished the last one, or the
 * show has nothing published after it. With nothing completed, the first published episode.
 */
export function nextUp(episodes: readonly EpisodeInOrder[]): EpisodeInOrder | undefined {
  const ordered = episodes
    .filter((episode) => episode.seasonNumber !== SPECIALS_SEASON)
    .toSorted((a, b) => a.seasonNumber - b.seasonNumber || a.episodeNumber - b.episodeNumber);
  const lastCompleted = ordered.findLastIndex((episode) => episode.completed);
  return ordered.slice(lastCompleted + 1).find((episode) => episode.published);
}
