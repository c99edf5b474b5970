/**
 * RecentKeys in this process's memory: bounded (least recently remembered forgotten first) and
 * expiring. Enough for one API process; several processes share one through Redis.
 *
 * Event ids and (session, seq) places are kept apart, each as the event carries it: no key string
 * is built per event, and a place costs a lookup of its session's string once per run of events
 * of one session (a batch is usually one session) plus number lookups (decision 0039).
 */
import type { EventKeys, RecentKeys } from "../../domain/ports/recent-keys.ts";
import { RecencyMap } from "./recency-map.ts";

export class MemoryRecentKeys implements RecentKeys {
  /** Event id → when it expires. */
  readonly #ids = new RecencyMap<string, number>();
  /** Session → its seqs → when each expires. A session is forgotten whole, so its seqs need no order. */
  readonly #sessions = new RecencyMap<string, Map<number, number>>();
  /** Seqs kept over all sessions. */
  #places = 0;

  /** `capacity` bounds the event ids and, separately, the (session, seq) places kept. */
  constructor(
    private readonly ttlMs = 10 * 60 * 1000,
    private readonly capacity = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  seen(events: readonly EventKeys[]): Promise<boolean[]> {
    const now = this.now();
    const seqsOf = this.#sessionLookup();
    return Promise.resolve(events.map((event) =>
      (this.#ids.get(event.event_id) ?? 0) > now ||
      (seqsOf(event.session_id)?.get(event.seq) ?? 0) > now
    ));
  }

  remember(events: readonly EventKeys[]): Promise<void> {
    const expiry = this.now() + this.ttlMs;
    let session: string | undefined;
    let seqs = new Map<number, number>();
    for (const event of events) {
      this.#ids.set(event.event_id, expiry);
      if (event.session_id !== session) {
        session = event.session_id;
        seqs = this.#sessions.get(session) ?? new Map();
        this.#sessions.set(session, seqs);
      }
      const size = seqs.size;
      seqs.set(event.seq, expiry);
      this.#places += seqs.size - size;
    }
    while (this.#ids.size > this.capacity) this.#ids.shift();
    // A whole session at a time: its last remember is older than any other session's.
    while (this.#places > this.capacity) {
      const oldest = this.#sessions.shift();
      if (oldest === undefined) break;
      this.#places -= oldest[1].size;
    }
    return Promise.resolve();
  }

  /** The seqs of a session, looked up once per run of events of the same session. */
  #sessionLookup(): (session: string) => Map<number, number> | undefined {
    let last: string | undefined;
    let seqs: Map<number, number> | undefined;
    return (session) => {
      if (session !== last) [last, seqs] = [session, this.#sessions.get(session)];
      return seqs;
    };
  }
}
