/**
 * The search index kept outside SQL (Meilisearch): one index per generation, reached through the
 * SearchDocumentStore port. The shows (needed to describe episodes) stay in SQL beside the
 * checkpoint. Documents are written before the checkpoint commits and guarded by stream version
 * (documents.ts), so a batch applied again, after a crash or a lost transaction, changes nothing.
 * A retired generation's index is dropped with it (onRetire).
 */
import type { SearchDocumentStore } from "../../../domain/ports/search.ts";
import type { EventProjection } from "../../runtime/projection.ts";
import { applySearchEvents, SEARCH_EVENT_TYPES, touchedBy } from "../documents.ts";
import { loadShows, saveShows, SHOWS_TABLE } from "../shows.ts";

export function searchIndexProjection(
  store: SearchDocumentStore,
  name = "search_index",
): EventProjection {
  return {
    source: "events",
    name,
    version: 1,
    tables: ["shows"],
    eventTypes: SEARCH_EVENT_TYPES,
    async setup(tx, schema) {
      await tx.exec(`CREATE TABLE ${schema}.shows ${SHOWS_TABLE}`);
      await store.create(schema);
    },
    async apply(tx, schema, events) {
      const { videoIds, showIds, showsWithEpisodes } = touchedBy(events);
      const [documents, shows] = await Promise.all([
        store.load(schema, videoIds, showsWithEpisodes),
        loadShows(tx, schema, showIds),
      ]);
      const changed = applySearchEvents(
        new Map(documents.map((d) => [d.id, d])),
        new Map(shows.map((s) => [s.id, s])),
        events,
      );
      await store.save(schema, changed.documents);
      await saveShows(tx, schema, changed.shows);
    },
    onRetire: (schema) => store.drop(schema),
  };
}
