/**
 * The SQL port: PostgreSQL reached through either PGlite (in-process) or a server driver. Code
 * above it writes one dialect, PostgreSQL, and runs unchanged on both.
 */

export type SqlRow = Record<string, unknown>;

export interface SqlExecutor {
  /** Runs one statement with $1, $2... parameters and returns its rows. */
  query<Row = SqlRow>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs statements without parameters (a migration, say). */
  exec(text: string): Promise<void>;
}

/** A connection of one's own, for session state such as advisory locks. */
export interface ReservedConnection extends SqlExecutor {
  release(): Promise<void>;
}

export interface SqlClient extends SqlExecutor {
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** A dedicated connection (PGlite has only one, which it shares). */
  reserve(): Promise<ReservedConnection>;
  /** Calls `onNotify` for each NOTIFY on `channel` from any connection; resolves to an unlisten. */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  /** True when other processes may share the database (a server), false for in-process PGlite. */
  readonly shared: boolean;
  close(): Promise<void>;
}
