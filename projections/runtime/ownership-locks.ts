/**
 * Ownership locks of every projection run in this process, held on ONE reserved connection.
 * A session advisory lock lives as long as the connection that took it, so a runner must keep a
 * connection for as long as it owns its generation; one connection per runner would take a pool
 * connection per projection away from the API and the projections' own writes (with ten
 * projections, a pool of ten starved the service). A session may hold any number of advisory
 * locks, so one connection serves them all; it is reserved on the first lock and released with
 * the last.
 */
import type { ReservedConnection, SqlClient } from "../../domain/ports/sql.ts";

export class OwnershipLocks {
  #connection: Promise<ReservedConnection> | undefined;
  #held = 0;

  constructor(private readonly sql: SqlClient) {}

  /** Takes the lock named `key` if no session holds it; true when this process now owns it. */
  async tryLock(key: string): Promise<boolean> {
    this.#held++;
    try {
      const connection = await this.#reserved();
      const [row] = await connection.query<{ owner: boolean }>(
        "SELECT pg_try_advisory_lock(hashtext($1)) AS owner",
        [key],
      );
      if (row?.owner) return true;
    } catch (error) {
      await this.#drop();
      throw error;
    }
    await this.#drop();
    return false;
  }

  /** Gives up the lock taken by a successful `tryLock(key)`. */
  async unlock(key: string): Promise<void> {
    try {
      const connection = await this.#reserved();
      await connection.query("SELECT pg_advisory_unlock(hashtext($1))", [key]);
    } finally {
      await this.#drop();
    }
  }

  #reserved(): Promise<ReservedConnection> {
    this.#connection ??= this.sql.reserve();
    return this.#connection;
  }

  /** One lock fewer; the last one gives the connection back to the pool. */
  async #drop(): Promise<void> {
    if (--this.#held > 0 || !this.#connection) return;
    const connection = this.#connection;
    this.#connection = undefined;
    await (await connection).release();
  }
}
