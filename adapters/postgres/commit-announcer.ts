/**
 * Announces commits to other processes with NOTIFY, after the commit and outside the appending
 * transaction: a NOTIFY inside it holds a cluster-wide lock through commit and halves append
 * throughput (docs/benchmarks.md). Announcements coalesce: while one is on its way, any number of
 * further commits cause exactly one more.
 */
import type { SqlExecutor } from "../../domain/ports/sql.ts";

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
      await this.sql.query("SELECT pg_notify($1, '')", [this.channel]).catch(() => {});
    } while (this.#again);
    this.#sending = undefined;
  }
}
