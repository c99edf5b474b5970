/**
 * Sync sockets end with their sign-in session. A socket is opened with an access token, which is
 * refused from the moment its session ends (logout, a password change, the device signing in
 * again: adapters/http/middleware/identity.ts), and from then on the socket must not go on telling
 * that viewer's states either. Each end is announced on the pub/sub port, which reaches the sockets
 * of every API process at once; delivery being at most once, each socket also asks the list of
 * ended sessions every `recheckMs`.
 */
import type { EndedSessions } from "../../domain/ports/ended-sessions.ts";
import type { Logger } from "../../domain/ports/logger.ts";
import type { PubSub, Unsubscribe } from "../../domain/ports/pubsub.ts";

const CHANNEL = "sessions-ended";

/** The list of ended sessions, announcing each end to every process's sockets on `pubsub`. */
export function announcingEnds(
  ended: EndedSessions,
  pubsub: PubSub,
  logger: Logger,
): EndedSessions {
  return {
    async end(sessionIds) {
      await ended.end(sessionIds);
      // The list has them now: a lost announcement only leaves sockets open until their recheck.
      await pubsub.publish(CHANNEL, { session_ids: [...sessionIds] }).catch((error) =>
        logger.warn("announcing ended sessions failed", { error })
      );
    },
    has: (sessionId) => ended.has(sessionId),
  };
}

export interface SessionSocketsDeps {
  pubsub: PubSub;
  ended: EndedSessions;
  logger: Logger;
  /** How often each socket asks whether its session ended (default 60 s). */
  recheckMs?: number;
}

/** This process's sync sockets by sign-in session, each closed when its session ends. */
export class SessionSockets {
  readonly #closers = new Map<string, Set<() => void>>();
  #listening?: Promise<Unsubscribe>;

  constructor(private readonly deps: SessionSocketsDeps) {}

  /**
   * Calls `close` once the session has ended (at once if it has already); resolves to the function
   * that forgets the socket, for when it closed on its own.
   */
  async watch(sessionId: string, close: () => void): Promise<() => void> {
    await this.#listen();
    let done = false;
    const closers = this.#closers.get(sessionId) ?? new Set();
    const forget = () => {
      done = true;
      clearInterval(timer);
      closers.delete(closeOnce);
      if (closers.size === 0 && this.#closers.get(sessionId) === closers) {
        this.#closers.delete(sessionId);
      }
    };
    const closeOnce = () => {
      if (done) return;
      forget();
      close();
    };
    this.#closers.set(sessionId, closers.add(closeOnce));
    const recheck = async () => {
      if (await this.#hasEnded(sessionId)) closeOnce();
    };
    const timer = setInterval(recheck, this.deps.recheckMs ?? 60_000);
    // An end announced before the socket was watched reached no one: ask once now.
    await recheck();
    return forget;
  }

  #listen(): Promise<Unsubscribe> {
    this.#listening ??= this.deps.pubsub.subscribe(CHANNEL, (message) => {
      const ids = Array.isArray(message.session_ids) ? message.session_ids : [];
      for (const id of ids) {
        for (const close of this.#closers.get(String(id)) ?? []) close();
      }
    }).catch((error) => {
      this.#listening = undefined; // the next socket tries again
      throw error;
    });
    return this.#listening;
  }

  /** An outage of the list keeps the socket: its token is let through the same way. */
  async #hasEnded(sessionId: string): Promise<boolean> {
    try {
      return await this.deps.ended.has(sessionId);
    } catch (error) {
      this.deps.logger.warn("checking a sync socket's session failed", { error });
      return false;
    }
  }
}
