/** The SQL port on PGlite: PostgreSQL compiled to WebAssembly, in this process, persisted to a directory. */
import { PGlite, type Transaction } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import type {
  ReservedConnection,
  SqlClient,
  SqlExecutor,
  TransactionExecutor,
} from "../../domain/ports/sql.ts";
import { translated } from "./sql-error.ts";

const INT8_OID = 20;

/** Opens (creating if needed) the database in `dataDir`, or in memory when it is absent. */
export async function openPglite(dataDir?: string): Promise<SqlClient> {
  const db = await PGlite.create({
    dataDir,
    extensions: { pg_trgm, unaccent },
    // Row counts and positions fit in a double long before they reach 2^53.
    parsers: { [INT8_OID]: Number },
  });
  return new PgliteClient(db);
}

class PgliteClient implements SqlClient {
  readonly shared = false;

  constructor(private readonly db: PGlite) {}

  query<Row>(text: string, params?: readonly unknown[]): Promise<Row[]> {
    return queryWith(this.db, text, params);
  }

  exec(text: string): Promise<void> {
    return execWith(this.db, text);
  }

  transaction<T>(work: (tx: TransactionExecutor) => Promise<T>): Promise<T> {
    return translated(this.db.transaction((tx) => {
      const executor: SqlExecutor = {
        query: (text, params) => queryWith(tx, text, params),
        exec: (text) => execWith(tx, text),
      };
      return work({ ...executor, savepoint: (inner) => behindSavepoint(executor, inner) });
    }));
  }

  reserve(): Promise<ReservedConnection> {
    // One process, one connection: session state such as advisory locks lives on it anyway.
    return Promise.resolve({
      query: (text, params) => this.query(text, params),
      exec: (text) => this.exec(text),
      release: () => Promise.resolve(),
    });
  }

  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>> {
    return this.db.listen(channel, onNotify);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

async function behindSavepoint<T>(
  tx: SqlExecutor,
  work: (tx: SqlExecutor) => Promise<T>,
): Promise<T> {
  await tx.exec("SAVEPOINT port_savepoint");
  try {
    const result = await work(tx);
    await tx.exec("RELEASE SAVEPOINT port_savepoint");
    return result;
  } catch (error) {
    await tx.exec("ROLLBACK TO SAVEPOINT port_savepoint");
    throw error;
  }
}

async function queryWith<Row>(
  target: PGlite | Transaction,
  text: string,
  params?: readonly unknown[],
): Promise<Row[]> {
  const result = await translated(target.query<Row>(text, params ? [...params] : undefined));
  return result.rows;
}

async function execWith(target: PGlite | Transaction, text: string): Promise<void> {
  await translated(target.exec(text));
}
