/**
 * Announces commits to other processes with NOTIFY, after the commit and outside the appending
 * transaction: a NOTIFY inside it holds a cluster-wide lock through commit and halves append
 * throughput (docs/benchmarks.md). Announcements coalesce: while one is on its way, any number of
 * further commits cause exactly one more.
 */
import type { SqlExecutor } from "../../domain/ports/sql.ts";

/**
 * The application_name of an announcement's transaction. NOTIFY takes a transaction id as it
 * commits, and readers of the log wait for every transaction of the database older than an event;
 * they leave out those of this name, which write no events (sessions-without-events.ts).
 */
export const ANNOUNCER_APPLICATION = "event-store-commit-announcer";

export class CommitAnnouncer {
  #sending?: Promise<void>;
  #again = false;

  constructor(private readonly sql: SqlExecutor, private readonly channel: string) {}

  announce(): void {
    if (this.#sending) {
      this.#again = true;
      return;
    }
    this.#sending = this.#send();
  }

  /** Resolves once no announcement is on its way. */
  async settled(): Promise<void> {
    while (this.#sending) await this.#sending;
  }

  async #send(): Promise<void> {
    do {
      this.#again = false;
      // A lost announcement only delays subscribers until their next idle poll.
      await this.sql.query(
        "SELECT set_config('application_name', $2, true), pg_notify($1, '')",
        [this.channel, ANNOUNCER_APPLICATION],
      ).catch(() => {});
    } while (this.#again);
    this.#sending = undefined;
  }
}
