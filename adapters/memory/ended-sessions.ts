/** EndedSessions in this process's memory: enough for one API process (the embedded profile). */
import type { EndedSessions } from "../../domain/ports/ended-sessions.ts";

export class MemoryEndedSessions implements EndedSessions {
  /** Session id → when it may be forgotten (epoch ms), in the order they ended. */
  readonly #until = new Map<string, number>();

  /** `ttlMs`: how long an ended session is remembered, the access tokens' lifetime. */
  constructor(private readonly ttlMs: number) {}

  end(sessionIds: readonly string[]): Promise<void> {
    const now = Date.now();
    this.#forgetBefore(now);
    for (const id of sessionIds) {
      this.#until.delete(id); // re-inserted last: the map stays in expiry order
      this.#until.set(id, now + this.ttlMs);
    }
    return Promise.resolve();
  }

  has(sessionId: string): Promise<boolean> {
    const until = this.#until.get(sessionId);
    return Promise.resolve(until !== undefined && until > Date.now());
  }

  #forgetBefore(now: number): void {
    for (const [id, until] of this.#until) {
      if (until > now) return;
      this.#until.delete(id);
    }
  }
}
