/** The SQL port on a PostgreSQL server, through postgres.js. */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import postgres from "postgres";
import type { ReservedConnection, SqlClient, SqlExecutor } from "../../domain/ports/sql.ts";
import { copyTextChunks } from "./copy-text.ts";

export interface PostgresOptions {
  url: string;
  /** Connections in the pool (default 10). */
  max?: number;
}

export function connectPostgres({ url, max = 10 }: PostgresOptions): SqlClient {
  const sql = postgres(url, {
    max,
    onnotice: () => {},
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

  async exec(text: string): Promise<void> {
    await this.sql.unsafe(text);
  }

  copyRows(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]) {
    return copyWith(this.sql, table, columns, rows);
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return await this.sql.begin((tx) =>
      work({
        query: (text, params) => queryWith(tx, text, params),
        exec: async (text) => void await tx.unsafe(text),
        copyRows: (table, columns, rows) => copyWith(tx, table, columns, rows),
      })
    ) as T;
  }

  async reserve(): Promise<ReservedConnection> {
    const connection = await this.sql.reserve();
    return {
      query: (text, params) => queryWith(connection, text, params),
      exec: async (text) => void await connection.unsafe(text),
      copyRows: (table, columns, rows) => copyWith(connection, table, columns, rows),
      release: () => Promise.resolve(connection.release()),
    };
  }

  async listen(channel: string, onNotify: () => void): Promise<() => Promise<void>> {
    const { unlisten } = await this.sql.listen(channel, onNotify);
    return unlisten;
  }

  close(): Promise<void> {
    return this.sql.end({ timeout: 5 });
  }
}

async function queryWith<Row>(
  sql: Sql | TransactionSql | ReservedSql,
  text: string,
  params?: readonly unknown[],
): Promise<Row[]> {
  // Named prepared statements: parsed and planned once per connection, and one round trip per
  // query instead of two (postgres.js describes unprepared statements first).
  // deno-lint-ignore no-explicit-any -- postgres.js types parameters by its own serializers
  const rows = await sql.unsafe(text, params as any[] | undefined, { prepare: true });
  // A plain array, as PGlite gives: postgres.js adds count/command/columns properties to its own.
  return Array.from(rows) as unknown as Row[];
}

async function copyWith(
  sql: Sql | TransactionSql | ReservedSql,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  if (rows.length === 0) return;
  const query = sql.unsafe(`COPY ${table} (${columns.join(", ")}) FROM STDIN`);
  // When the server rejects the rows (a duplicate key, say), postgres.js hands the error only to
  // the query, whose promise already resolved to the stream, and never finishes the stream: catch
  // it on its way to the query.
  const rejected = Promise.withResolvers<never>();
  const handle = query as unknown as { reject(error: unknown): void };
  const reject = handle.reject;
  handle.reject = (error) => {
    rejected.reject(error);
    reject(error);
  };
  const target = await query.writable();
  await Promise.race([pipeline(Readable.from(copyTextChunks(rows)), target), rejected.promise]);
}
