/** The SQL port on a PostgreSQL server, through postgres.js. */
import postgres from "postgres";
import type { ReservedConnection, SqlClient, SqlExecutor } from "../../domain/ports/sql.ts";

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

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return await this.sql.begin((tx) =>
      work({
        query: (text, params) => queryWith(tx, text, params),
        exec: async (text) => void await tx.unsafe(text),
      })
    ) as T;
  }

  async reserve(): Promise<ReservedConnection> {
    const connection = await this.sql.reserve();
    return {
      query: (text, params) => queryWith(connection, text, params),
      exec: async (text) => void await connection.unsafe(text),
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
