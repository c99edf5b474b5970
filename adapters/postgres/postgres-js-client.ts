/** The SQL port on a PostgreSQL server, through postgres.js. */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import postgres from "postgres";
import type {
  ReservedConnection,
  SqlClient,
  SqlExecutor,
  SqlRow,
  TransactionExecutor,
} from "../../domain/ports/sql.ts";
import { binaryEncoders, copyBinaryChunks } from "./copy-binary.ts";
import { copyTextChunks } from "./copy-text.ts";
import { noDelaySockets } from "./no-delay-socket.ts";
import { translated } from "./sql-error.ts";

export interface PostgresOptions {
  url: string;
  /** Connections in the pool (default 10). */
  max?: number;
  /** The sessions' application_name (READ_MODEL_APPLICATION: they write no events). */
  applicationName?: string;
}

export function connectPostgres({ url, max = 10, applicationName }: PostgresOptions): SqlClient {
  const sql = postgres(url, {
    max,
    onnotice: () => {},
    ...(applicationName ? { connection: { application_name: applicationName } } : {}),
    // postgres.js reads a `socket` option that its types leave out.
    ...{ socket: noDelaySockets() } as object,
    // Seconds before a lost connection tries again. postgres.js grows this to 20 s with every
    // failed attempt of any connection, so queries waited that long after a server restart.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 2),
    // Row counts and positions fit in a double long before they reach 2^53.
    types: {
      int8: { to: 20, from: [20], serialize: String, parse: Number },
      // As in PGlite: a string is JSON text already; anything else is serialized.
      json: { to: 3802, from: [114, 3802], serialize: toJsonText, parse: JSON.parse },
    },
  });
  return new PostgresJsClient(sql);
}

type Types = { int8: number; json: unknown };
type Sql = postgres.Sql<Types>;
type TransactionSql = postgres.TransactionSql<Types>;
type ReservedSql = postgres.ReservedSql<Types>;

function toJsonText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

class PostgresJsClient implements SqlClient {
  readonly shared = true;

  constructor(private readonly sql: Sql) {}

  query<Row>(text: string, params?: readonly unknown[]): Promise<Row[]> {
    return queryWith(this.sql, text, params);
  }

  exec(text: string): Promise<void> {
    return execWith(this.sql, text);
  }

  copyInto(table: string, columns: readonly string[], records: readonly SqlRow[]): Promise<void> {
    return copyWith(this.sql, table, columns, records);
  }

  transaction<T>(work: (tx: TransactionExecutor) => Promise<T>): Promise<T> {
    return translated(this.sql.begin((tx) =>
      work({
        ...executorOf(tx),
        // postgres.js fails a transaction with the error of any statement it ran, caught or not,
        // except those of a savepoint of its own, which it rolls back to.
        savepoint: <S>(inner: (tx: SqlExecutor) => Promise<S>) =>
          translated(tx.savepoint((point) => inner(executorOf(point))) as Promise<S>),
      })
    ) as Promise<T>);
  }

  async reserve(): Promise<ReservedConnection> {
    const connection = await translated(this.sql.reserve());
    return { ...executorOf(connection), release: () => Promise.resolve(connection.release()) };
  }

  async listen(channel: string, onNotify: () => void): Promise<() => Promise<void>> {
    const { unlisten } = await this.sql.listen(channel, onNotify);
    return unlisten;
  }

  close(): Promise<void> {
    return this.sql.end({ timeout: 5 });
  }
}

function executorOf(sql: Sql | TransactionSql | ReservedSql): SqlExecutor {
  return {
    query: (text, params) => queryWith(sql, text, params),
    exec: (text) => execWith(sql, text),
    copyInto: (table, columns, records) => copyWith(sql, table, columns, records),
  };
}

async function queryWith<Row>(
  sql: Sql | TransactionSql | ReservedSql,
  text: string,
  params?: readonly unknown[],
): Promise<Row[]> {
  // Named prepared statements: parsed and planned once per connection, and one round trip per
  // query instead of two (postgres.js describes unprepared statements first).
  // deno-lint-ignore no-explicit-any -- postgres.js types parameters by its own serializers
  const rows = await translated(sql.unsafe(text, params as any[] | undefined, { prepare: true }));
  // A plain array, as PGlite gives: postgres.js adds count/command/columns properties to its own.
  return Array.from(rows) as unknown as Row[];
}

async function execWith(sql: Sql | TransactionSql | ReservedSql, text: string): Promise<void> {
  await translated(sql.unsafe(text));
}

/**
 * COPY … FROM STDIN, in the binary format where copy-binary.ts encodes every column's type (the
 * server then parses nothing), otherwise in the text format. No other statement may go out on the
 * connection meanwhile (postgres.js refuses it), so callers in a transaction wait for it. A
 * rejected COPY settles with the server's error only with the driver patched (ops/patches/apply.mjs).
 */
async function copyWith(
  sql: Sql | TransactionSql | ReservedSql,
  table: string,
  columns: readonly string[],
  records: readonly SqlRow[],
): Promise<void> {
  if (records.length === 0) return;
  const encoders = binaryEncoders(await columnTypes(sql, table, columns));
  const statement = `COPY ${table} (${columns.join(", ")}) FROM STDIN` +
    (encoders ? " (FORMAT binary)" : "");
  const chunks = encoders
    ? copyBinaryChunks(columns, encoders, records)
    : copyTextChunks(columns, records);
  await translated((async () => {
    const writable = await sql.unsafe(statement).writable();
    await pipeline(Readable.from(chunks), writable);
  })());
}

/** The type OIDs of the table's columns, in order; null for a column it has no such name for. */
async function columnTypes(
  sql: Sql | TransactionSql | ReservedSql,
  table: string,
  columns: readonly string[],
): Promise<(number | null)[]> {
  const rows = await queryWith<{ type: number | null }>(
    sql,
    `SELECT a.atttypid::int AS type
     FROM unnest($2::text[]) WITH ORDINALITY AS c(name, at)
     LEFT JOIN pg_attribute a ON a.attrelid = $1::regclass AND a.attname = c.name
       AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY c.at`,
    [table, columns],
  );
  return rows.map((row) => row.type);
}
