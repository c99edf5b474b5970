/**
 * Ownership locks of every projection run in this process, held on ONE reserved connection.
 * A session advisory lock lives as long as the connection that took it, so a runner must keep a
 * connection for as long as it owns its generation; one connection per runner would take a pool
 * connection per projection away from the API and the projections' own writes (with ten
 * projections, a pool of ten starved the service). A session may hold any number of advisory
 * locks, so one connection serves them all; it is reserved on the first lock and released with
 * the last.
 *
 * When that connection dies (the server restarted, the backend was terminated), every lock on it
 * is gone and another process may take the generations over: `onLost` tells the runtime to stop
 * its runners, and the next lock reserves a new connection.
 */
import type { ReservedConnection, SqlClient } from "../../domain/ports/sql.ts";

/** A lock this process holds. */
export interface OwnedLock {
  release(): Promise<void>;
}

/** One reserved connection and the locks taken (or being taken) on it. */
interface LockSession {
  /** The connection, and its server process: another process id means a new session. */
  connection: Promise<{ connection: ReservedConnection; pid: number }>;
  keys: Set<string>;
}

export class OwnershipLocks {
  #session: LockSession | undefined;

  constructor(private readonly sql: SqlClient, private readonly onLost: () => void) {}

  /**
   * Takes the lock named `key` if no session holds it. Resolves to what gives it up again when
   * this process now owns it, or undefined when another session holds it.
   */
  async tryLock(key: string): Promise<OwnedLock | undefined> {
    const session = this.#session ??= { connection: this.#reserve(), keys: new Set() };
    session.keys.add(key);
    try {
      const [row] = await this.#query<{ owner: boolean }>(
        session,
        "SELECT pg_try_advisory_lock(hashtext($1)) AS owner",
        [key],
      );
      if (row?.owner) return { release: () => this.#unlock(session, key) };
    } catch (error) {
      await this.#forget(session, key);
      throw error;
    }
    await this.#forget(session, key);
    return undefined;
  }

  /** Gives up a lock; one lost with its connection is gone already. */
  async #unlock(session: LockSession, key: string): Promise<void> {
    if (this.#session !== session || !session.keys.has(key)) return;
    try {
      await this.#query(session, "SELECT pg_advisory_unlock(hashtext($1))", [key]);
    } finally {
      await this.#forget(session, key);
    }
  }

  /**
   * Asks the connection holding the locks whether it is still the session that took them (a
   * runtime tick does): a driver may reconnect a reserved connection without a word, and the new
   * session holds none of the old one's locks.
   */
  async verify(): Promise<void> {
    const session = this.#session;
    if (!session?.keys.size) return;
    const pid = await this.#query<{ pid: number }>(session, "SELECT pg_backend_pid() AS pid")
      .then(([row]) => row?.pid, () => undefined); // a failed connection is lost by #query
    if (pid !== undefined && pid !== (await session.connection).pid) this.#lose(session, "healthy");
  }

  async #reserve() {
    const connection = await this.sql.reserve();
    try {
      const [row] = await connection.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      return { connection, pid: row!.pid };
    } catch (error) {
      if (!isConnectionLoss(error)) await connection.release();
      throw error;
    }
  }

  /** Runs a statement on the session; a failure of the connection loses the session's locks. */
  async #query<Row>(session: LockSession, text: string, params?: unknown[]): Promise<Row[]> {
    try {
      return await (await session.connection).connection.query<Row>(text, params);
    } catch (error) {
      if (isConnectionLoss(error)) this.#lose(session, "dead");
      throw error;
    }
  }

  /**
   * Forgets the session and its locks. A dead connection is not given back: postgres.js has
   * already counted it among the pool's closed connections, and one released on top would be
   * handed out as open and fail its next statement.
   */
  #lose(session: LockSession, connection: "healthy" | "dead"): void {
    if (this.#session !== session) return;
    this.#session = undefined;
    const hadLocks = session.keys.size > 0;
    session.keys.clear();
    if (connection === "healthy") {
      session.connection.then(({ connection }) => connection.release()).catch(() => {});
    }
    if (hadLocks) this.onLost();
  }

  /** One lock fewer on `session`; the last one gives the connection back to the pool. */
  async #forget(session: LockSession, key: string): Promise<void> {
    session.keys.delete(key);
    if (session.keys.size > 0 || this.#session !== session) return;
    this.#session = undefined;
    await (await session.connection).connection.release();
  }
}

/** Errors after which the connection (and so its session's locks) cannot be trusted. */
function isConnectionLoss(error: unknown): boolean {
  return (error as { transient?: unknown })?.transient === true;
}
