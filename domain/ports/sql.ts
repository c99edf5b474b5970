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
  /**
   * Where the driver has it (a server): appends `records` to `table` with COPY … FROM STDIN, each
   * one's values taken in `columns` order. Undefined and null are NULL, an array is an array of its
   * elements, any other object is JSON. It fails as one INSERT of all of them would: the
   * transaction is aborted and nothing is written. Cheaper for the server than an INSERT.
   */
  copyInto?(
    table: string,
    columns: readonly string[],
    records: readonly SqlRow[],
  ): Promise<void>;
}

/** The executor of a transaction. */
export interface TransactionExecutor extends SqlExecutor {
  /**
   * Runs `work` behind a savepoint: when it throws, its statements are undone and the transaction
   * goes on. (Catching a failed statement is not enough: the server aborts the whole transaction,
   * and postgres.js fails the transaction with any statement's error unless it ran here.)
   */
  savepoint<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

/** A connection of one's own, for session state such as advisory locks. */
export interface ReservedConnection extends SqlExecutor {
  release(): Promise<void>;
}

export interface SqlClient extends SqlExecutor {
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: TransactionExecutor) => Promise<T>): Promise<T>;
  /** A dedicated connection (PGlite has only one, which it shares). */
  reserve(): Promise<ReservedConnection>;
  /** Calls `onNotify` for each NOTIFY on `channel` from any connection; resolves to an unlisten. */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  /** True when other processes may share the database (a server), false for in-process PGlite. */
  readonly shared: boolean;
  close(): Promise<void>;
}

/**
 * A statement named a table or view that does not exist (yet): a read model whose first
 * generation another process is still building, so the read can be retried shortly.
 */
export class MissingRelationError extends Error {
  override readonly name = "MissingRelationError";
  /** SQLSTATE undefined_table, kept so code that checks the SQL code still recognises it. */
  readonly code = "42P01";
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}
