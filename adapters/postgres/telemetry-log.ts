/**
 * The telemetry log port on the SQL port: the embedded profile's stand-in for Kafka, a table of
 * (partition, offset) records (migration 003) on PGlite, which also runs on a PostgreSQL server.
 *
 * Consumer groups live in this object: the embedded profile is one process, so the members of a
 * group are the `consume` calls made on one SqlTelemetryLog, and each partition has one owner among
 * them. Processes sharing a server do not coordinate their groups (use Kafka for that).
 */
import type { Logger } from "../../domain/ports/logger.ts";
import type { SqlClient } from "../../domain/ports/sql.ts";
import {
  type ConsumeOptions,
  type LoggedRecord,
  type TelemetryBatch,
  type TelemetryLog,
  TelemetryLogUnavailableError,
  type TelemetryRecord,
} from "../../domain/ports/telemetry-log.ts";
import { CommitSignal } from "../event-store/commit-signal.ts";
import { partitionFor } from "../telemetry-log/partition.ts";
import { CommitAnnouncer } from "./commit-announcer.ts";
import { sqlErrorOf } from "./sql-error.ts";

export interface SqlTelemetryLogOptions {
  /** Partitions keys are spread over (default 6, like the Kafka topic). */
  partitions?: number;
  /** Records older than this are deleted (default 7 days, the seeds' retention). */
  retentionMs?: number;
  /** How often the log prunes while open (default hourly; 0 turns it off). */
  pruneIntervalMs?: number;
  /** How often an idle consumer reads without being woken (default 200 ms). */
  pollMs?: number;
  logger?: Logger;
}

const APPENDS_CHANNEL = "telemetry_log_appends";
const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_MAX_BATCH = 500;
/** Rows deleted per statement while pruning, so one prune never holds a huge transaction. */
const PRUNE_CHUNK = 10_000;

interface RecordRow {
  partition: number;
  offset: string;
  key: string;
  value: LoggedRecord["value"];
  logged_at: Date;
}

interface CounterRow {
  partition: number;
  next_offset: string;
}

export class SqlTelemetryLog implements TelemetryLog {
  /** Signalled on appends and on group membership changes. */
  readonly #activity = new CommitSignal();
  readonly #groups = new LocalGroups();
  readonly #closing = new AbortController();
  readonly #partitions: number;
  readonly #pollMs: number;
  #announcer?: CommitAnnouncer;
  #unlisten?: () => Promise<void>;
  #pruneTimer?: ReturnType<typeof setInterval>;
  #pruning?: Promise<unknown>;

  private constructor(private readonly sql: SqlClient, options: SqlTelemetryLogOptions) {
    this.#partitions = options.partitions ?? 6;
    this.#pollMs = options.pollMs ?? 200;
    if (!Number.isInteger(this.#partitions) || this.#partitions < 1) {
      throw new RangeError(`partitions must be a positive integer, got ${this.#partitions}`);
    }
  }

  /** The schema must be migrated already (see migrate.ts). */
  static async open(
    sql: SqlClient,
    options: SqlTelemetryLogOptions = {},
  ): Promise<SqlTelemetryLog> {
    const log = new SqlTelemetryLog(sql, options);
    if (sql.shared) {
      log.#unlisten = await sql.listen(APPENDS_CHANNEL, () => log.#activity.notify());
      log.#announcer = new CommitAnnouncer(sql, APPENDS_CHANNEL);
    }
    const { retentionMs = 7 * DAY_MS, pruneIntervalMs = 60 * 60 * 1000, logger } = options;
    if (pruneIntervalMs > 0) {
      log.#pruneTimer = setInterval(() => {
        // A slow prune is not started twice; a failed one is retried at the next tick.
        log.#pruning ??= log.pruneOlderThan(retentionMs)
          .catch((error) => logger?.warn("telemetry log prune failed", { error }))
          .finally(() => log.#pruning = undefined);
      }, pruneIntervalMs);
    }
    return log;
  }

  /** One statement, so one transaction: resolves once the whole batch is committed. */
  async append(records: readonly TelemetryRecord[]): Promise<void> {
    if (records.length === 0) return;
    const partitions = records.map((record) => partitionFor(record.key, this.#partitions));
    try {
      await this.sql.query("SELECT telemetry_log_append($1::integer[], $2::text[], $3::text[])", [
        partitions,
        records.map((record) => record.key),
        records.map((record) => JSON.stringify(record.value)),
      ]);
    } catch (error) {
      throw unavailable(error) ?? error;
    }
    this.#activity.notify();
    this.#announcer?.announce();
  }

  async *consume(options: ConsumeOptions): AsyncIterable<TelemetryBatch> {
    const { group, startOffset, max_batch = DEFAULT_MAX_BATCH } = options;
    assertMaxBatch(max_batch);
    const signal = anySignal(options.signal, this.#closing.signal);
    const member = this.#groups.join(group, this.#partitions);
    this.#activity.notify(); // members of the group re-balance
    /** Owned partitions and the next offset to read in each. */
    const positions = new Map<number, bigint>();
    try {
      while (!signal.aborted) {
        const seen = this.#activity.generation;
        if (await this.#rebalance(member, positions, startOffset)) this.#activity.notify();
        const batches = await this.#read(positions, max_batch);
        for (const batch of batches) {
          // Only once the consumer asks for the next batch does this one count as applied.
          yield batch;
          positions.set(batch.partition, BigInt(batch.next_offset));
          if (signal.aborted) return;
        }
        if (batches.length === 0) await this.#activity.wait(seen, this.#pollMs, signal);
      }
    } finally {
      member.leave();
      this.#activity.notify();
    }
  }

  partitionCount(): Promise<number> {
    return Promise.resolve(this.#partitions);
  }

  /** From the partitions' counters: every partition, "0" where nothing was appended yet. */
  async endOffsets(): Promise<Map<number, string>> {
    let rows: CounterRow[];
    try {
      rows = await this.sql.query<CounterRow>(
        `SELECT partition, next_offset::text AS next_offset FROM telemetry_log_partitions
         WHERE partition < $1`,
        [this.#partitions],
      );
    } catch (error) {
      throw unavailable(error) ?? error;
    }
    const ends = new Map<number, string>(
      Array.from({ length: this.#partitions }, (_, p) => [p, "0"]),
    );
    for (const row of rows) ends.set(row.partition, row.next_offset);
    return ends;
  }

  async ping(): Promise<void> {
    try {
      await this.sql.query("SELECT 1 FROM telemetry_log_partitions LIMIT 1");
    } catch (error) {
      throw unavailable(error) ?? error;
    }
  }

  /** Deletes records logged more than `ageMs` ago; resolves to how many. */
  async pruneOlderThan(ageMs: number): Promise<number> {
    let deleted = 0;
    while (true) {
      const [row] = await this.sql.query<{ deleted: number }>(
        `WITH doomed AS (
           SELECT partition, "offset" FROM telemetry_log
           WHERE logged_at < now() - $1::double precision * interval '1 millisecond' LIMIT $2
         ), gone AS (
           DELETE FROM telemetry_log t USING doomed d
           WHERE t.partition = d.partition AND t."offset" = d."offset" RETURNING 1
         )
         SELECT count(*)::integer AS deleted FROM gone`,
        [ageMs, PRUNE_CHUNK],
      );
      deleted += row?.deleted ?? 0;
      if ((row?.deleted ?? 0) < PRUNE_CHUNK) return deleted;
    }
  }

  /** Stops consumers and the pruning; the SQL client stays open (its owner closes it). */
  async close(): Promise<void> {
    this.#closing.abort();
    clearInterval(this.#pruneTimer);
    await this.#pruning;
    await this.#announcer?.settled();
    await this.#unlisten?.();
  }

  /**
   * Gives up partitions now assigned to another member and takes assigned ones that are free,
   * positioned at the consumer's checkpoint. Runs only between batches, so a partition changes
   * hands after its owner has applied (and checkpointed) everything it was given.
   */
  async #rebalance(
    member: Member,
    positions: Map<number, bigint>,
    startOffset: ConsumeOptions["startOffset"],
  ): Promise<boolean> {
    const assigned = member.assignment();
    let released = false;
    for (const partition of positions.keys()) {
      if (assigned.has(partition)) continue;
      member.release(partition);
      positions.delete(partition);
      released = true;
    }
    for (const partition of assigned) {
      if (positions.has(partition) || !member.acquire(partition)) continue;
      try {
        positions.set(partition, parseOffset(await startOffset(partition) ?? "0"));
      } catch (error) {
        member.release(partition);
        throw error;
      }
    }
    return released;
  }

  /** Up to `maxBatch` records of each owned partition that has records past its position. */
  async #read(positions: Map<number, bigint>, maxBatch: number): Promise<TelemetryBatch[]> {
    if (positions.size === 0) return [];
    const owned = [...positions.keys()];
    let rows: RecordRow[];
    try {
      rows = await this.sql.query<RecordRow>(
        `SELECT r.partition, r."offset"::text AS "offset", r.key, r.value, r.logged_at
         FROM unnest($1::integer[], $2::text[]) AS p(partition, next_offset)
         JOIN telemetry_log_partitions c
           ON c.partition = p.partition AND c.next_offset > p.next_offset::bigint
         CROSS JOIN LATERAL (
           SELECT * FROM telemetry_log t
           WHERE t.partition = p.partition AND t."offset" >= p.next_offset::bigint
           ORDER BY t."offset" LIMIT $3
         ) r
         ORDER BY r.partition, r."offset"`,
        [owned, owned.map((partition) => String(positions.get(partition))), maxBatch],
      );
    } catch (error) {
      throw unavailable(error) ?? error;
    }
    return toBatches(rows);
  }
}

function toBatches(rows: readonly RecordRow[]): TelemetryBatch[] {
  const batches: TelemetryBatch[] = [];
  for (const row of rows) {
    let batch = batches[batches.length - 1];
    if (batch?.partition !== row.partition) {
      batch = { partition: row.partition, records: [], next_offset: "" };
      batches.push(batch);
    }
    batch.records.push({
      key: row.key,
      value: row.value,
      partition: row.partition,
      offset: row.offset,
      logged_at: row.logged_at.toISOString(),
    });
    batch.next_offset = String(BigInt(row.offset) + 1n);
  }
  return batches;
}

/**
 * In-process consumer groups. Partition p is assigned to the member at index p mod size (members
 * in joining order); a member takes an assigned partition only once its previous owner has let go.
 */
class LocalGroups {
  readonly #groups = new Map<string, { members: Member[]; owners: Map<number, Member> }>();

  join(name: string, partitions: number): Member {
    let group = this.#groups.get(name);
    if (!group) this.#groups.set(name, group = { members: [], owners: new Map() });
    const { members, owners } = group;
    const member: Member = {
      assignment: () => {
        const index = members.indexOf(member);
        const mine = new Set<number>();
        for (let p = index; index >= 0 && p < partitions; p += members.length) mine.add(p);
        return mine;
      },
      acquire: (partition) => {
        const owner = owners.get(partition);
        if (owner && owner !== member) return false;
        owners.set(partition, member);
        return true;
      },
      release: (partition) => {
        if (owners.get(partition) === member) owners.delete(partition);
      },
      leave: () => {
        members.splice(members.indexOf(member), 1);
        for (const [partition, owner] of owners) if (owner === member) owners.delete(partition);
        if (members.length === 0) this.#groups.delete(name);
      },
    };
    members.push(member);
    return member;
  }
}

interface Member {
  assignment(): Set<number>;
  acquire(partition: number): boolean;
  release(partition: number): void;
  leave(): void;
}

function parseOffset(offset: string): bigint {
  if (!/^\d{1,19}$/.test(offset)) {
    throw new RangeError(`"${offset}" is not an offset (a non-negative decimal integer)`);
  }
  return BigInt(offset);
}

function assertMaxBatch(maxBatch: number): void {
  if (!Number.isInteger(maxBatch) || maxBatch < 1) {
    throw new RangeError(`max_batch must be a positive integer, got ${maxBatch}`);
  }
}

function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal {
  return AbortSignal.any(signals.filter((signal) => signal !== undefined));
}

/**
 * The database cannot take or serve records now: no connection (SQLSTATE class 08 or a driver's
 * connection error), a server shutting down (57P0x), out of disk or memory (53xxx), or a closed
 * PGlite. Anything else (a bug, bad data) is not retried by clients, so it is not mapped.
 */
function unavailable(error: unknown): TelemetryLogUnavailableError | undefined {
  const { code = "" } = sqlErrorOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const down = /^(08|53|57P0)/.test(code) ||
    /^(ECONN|ENOTFOUND|ETIMEDOUT|EPIPE|EHOSTUNREACH|CONNECTION_|CONNECT_TIMEOUT)/.test(code) ||
    (code === "" && /PGlite is closed/i.test(message));
  if (!down) return undefined;
  return new TelemetryLogUnavailableError(`telemetry log database unavailable: ${message}`, {
    cause: error,
  });
}
