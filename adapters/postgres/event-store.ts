/**
 * The event store port on PostgreSQL: one implementation for PGlite and for a server, through the
 * SQL port. Global order follows the xid8 rule of migration 001.
 */
import {
  type AppendResult,
  DuplicateEventError,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  type ReadAllFilter,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StoreHead,
  type SubscribeOptions,
  WrongExpectedVersionError,
} from "../../domain/ports/event-store.ts";
import type { SqlClient } from "../../domain/ports/sql.ts";
import { CommitSignal } from "../event-store/commit-signal.ts";
import {
  assertStreamName,
  type SerializedEvent,
  validateAppend,
} from "../event-store/validate-append.ts";
import { CommitAnnouncer } from "./commit-announcer.ts";
import { type EventPageRow, pageColumns, toRecordedEvents } from "./event-page.ts";
import { SESSIONS_WITHOUT_EVENTS } from "./sessions-without-events.ts";
import { GroupCommit, type Queued } from "./group-commit.ts";
import { sqlErrorOf } from "./sql-error.ts";
import { awaitedLater } from "../../domain/shared/awaited-later.ts";
import { isoTimeFormatter } from "../../domain/shared/iso-time.ts";

const COMMITS_CHANNEL = "event_store_commits";
const DEFAULT_BATCH = 1000;
/**
 * How often an idle subscriber reads even without a signal: a commit is signalled at once, but an
 * older transaction that was still open then only releases the events behind it when it ends.
 */
const IDLE_POLL_MS = 200;
/** Appends with "any" / "stream_exists" race only with other appends; retry a few times. */
const RACE_RETRIES = 5;
/**
 * Largest group of appends written in one transaction, in characters of event JSON (plus a
 * little per event): about 2,000 small events. A heavier append is written alone.
 */
const MAX_GROUP_WEIGHT = 1_000_000;
/** Appends of more events than this are written alone, at once, as before group commit. */
const MAX_GROUPED_EVENTS = 20;
/** Groups written at once, each on a connection of its own: one group's commit overlaps the next. */
const GROUPS_IN_FLIGHT = 2;
const EVENT_OVERHEAD = 300;

interface PendingAppend {
  stream: string;
  events: readonly NewEvent[];
  serialized: SerializedEvent[];
  expected_version: ExpectedVersion;
}

interface EventRow {
  global_position: number;
  transaction_id: string;
  stream_name: string;
  stream_version: number;
  event_id: string;
  event_type: string;
  schema_version: number;
  data: RecordedEvent["data"];
  /** Absent when the read left it out. */
  metadata?: RecordedEvent["metadata"];
  /** Milliseconds since the epoch. */
  recorded_at: number;
}

/**
 * Events of transactions older than every transaction that could still commit events before them
 * (migration 001): the oldest transaction running when the statement's snapshot was taken, leaving
 * out those that run in another database of the cluster, which cannot write this table, and those
 * of sessions that write no events (sessions-without-events.ts: the store's commit announcements,
 * the read models' transactions). One whose database is not known (it ended meanwhile, or is a
 * prepared transaction) holds events back, as any running transaction did before (decision 0028).
 */
const WITHOUT_EVENTS = SESSIONS_WITHOUT_EVENTS.map((name) => `'${name}'`).join(", ");
const SETTLED = `events.transaction_id < (
  SELECT coalesce(min(running.xid), pg_snapshot_xmax(pg_current_snapshot()))
  FROM pg_snapshot_xip(pg_current_snapshot()) AS running(xid)
  WHERE NOT EXISTS (
    SELECT FROM pg_stat_activity AS backend
    WHERE backend.backend_xid = xid(running.xid)
      AND (backend.datname <> current_database()
        OR backend.application_name IN (${WITHOUT_EVENTS}))
  )
)`;

// transaction_id goes out as text (xid8 has no JavaScript type); queries that order by it must
// name events.transaction_id, or they would sort by this text. recorded_at goes out as epoch
// milliseconds: a Date parsed from the timestamp's text cost more than the rest of the row.
const COLUMNS_BUT_METADATA = `global_position, transaction_id::text AS transaction_id, stream_name,
  stream_version, event_id::text AS event_id, event_type, schema_version, data,
  floor(extract(epoch FROM recorded_at) * 1000)::int8 AS recorded_at`;
const EVENT_COLUMNS = `${COLUMNS_BUT_METADATA}, metadata`;

/**
 * The events of `readAll` after `options.after`, in log order, as a FROM clause, and its
 * parameters: $1 and $2 the position, $3 the page size, $4 the event types if any.
 */
function readAfter(options: ReadAllOptions & ReadAllFilter): [string, unknown[]] {
  const [transactionId, globalPosition] = parsePosition(options.after);
  const params: unknown[] = [transactionId, globalPosition, options.max_count ?? DEFAULT_BATCH];
  const ofTypes = options.event_types ? "AND event_type = ANY($4::text[])" : "";
  if (options.event_types) params.push(options.event_types);
  const from = `FROM events
       WHERE (events.transaction_id, global_position) > ($1::text::xid8, $2::bigint)
         AND ${SETTLED} ${ofTypes}
       ORDER BY events.transaction_id, global_position`;
  return [from, params];
}

/** recorded_at as toISOString() writes it; events read in commit order come in runs of a second. */
const isoTime = isoTimeFormatter();

export class PostgresEventStore implements EventStore {
  readonly #commits = new CommitSignal();
  readonly #groups = new GroupCommit<PendingAppend, AppendResult>(
    (group) => this.#writeGroup(group),
    {
      maxInFlight: GROUPS_IN_FLIGHT,
      maxWeight: MAX_GROUP_WEIGHT,
      weigh: weighAppend,
      key: (append) => append.stream,
    },
  );
  #announcer?: CommitAnnouncer;
  #unlisten?: () => Promise<void>;

  private constructor(private readonly sql: SqlClient) {}

  /** The schema must be migrated already (see migrate.ts). */
  static async open(sql: SqlClient): Promise<PostgresEventStore> {
    const store = new PostgresEventStore(sql);
    // Processes sharing a server tell each other of their commits with NOTIFY.
    if (sql.shared) {
      store.#unlisten = await sql.listen(COMMITS_CHANNEL, () => store.#commits.notify());
      store.#announcer = new CommitAnnouncer(sql, COMMITS_CHANNEL);
    }
    return store;
  }

  async appendToStream(
    stream: string,
    events: readonly NewEvent[],
    { expected_version = "any" }: { expected_version?: ExpectedVersion } = {},
  ): Promise<AppendResult> {
    const serialized = validateAppend(stream, events);
    const append = { stream, events, serialized, expected_version };
    // A large append pays for its own transaction; in a group it would only hold the others up.
    if (events.length > MAX_GROUPED_EVENTS) return await this.#appendAlone(append);
    return await this.#groups.submit(append);
  }

  /** Writes a group of appends in one transaction (migration 006); see decision 0018. */
  async #writeGroup(group: Queued<PendingAppend, AppendResult>[]): Promise<void> {
    if (group.length === 1) return settle(group[0]!, this.#appendAlone(group[0]!.item));
    const appends = group.map((queued) => queued.item);
    let rows: AppendRow[];
    try {
      rows = await this.sql.query<AppendRow>(APPEND_MANY, appendManyParams(appends));
    } catch {
      // A conflict with another process's append, a repeated event id or a lost connection
      // spoils the whole group: each append then goes alone and gets its own outcome.
      for (const queued of group) await settle(queued, this.#appendAlone(queued.item));
      return;
    }
    if (rows.some((row) => row.appended_version !== null)) this.#announce();
    group.forEach((queued, i) => {
      const row = rows[i]!;
      const { stream, events, expected_version } = queued.item;
      void settle(
        queued,
        row.appended_version === null
          ? this.#resolveRejected(stream, events, expected_version, row.previous_version)
          : Promise.resolve(appendResultOf(row)),
      );
    });
  }

  async #appendAlone(
    { stream, events, serialized, expected_version }: PendingAppend,
  ): Promise<AppendResult> {
    const params = [
      stream,
      ...eventColumns(serialized),
      typeof expected_version === "number" ? "exact" : expected_version,
      typeof expected_version === "number" ? expected_version : null,
    ];
    for (let attempt = 0;; attempt++) {
      try {
        const [row] = await this.sql.query<AppendRow>(APPEND, params);
        if (!row || row.appended_version === null) {
          const actual = row?.previous_version ?? 0;
          return await this.#resolveRejected(stream, events, expected_version, actual);
        }
        this.#announce();
        return appendResultOf(row);
      } catch (error) {
        const { code, constraint } = sqlErrorOf(error);
        if (code !== "23505") throw error;
        if (constraint === "events_event_id_key") {
          return await this.#resolveRejected(stream, events, expected_version, null);
        }
        // Another append took the same stream version first.
        const racing = typeof expected_version !== "number" && attempt < RACE_RETRIES;
        if (racing) continue;
        throw new WrongExpectedVersionError(stream, expected_version, await this.#version(stream));
      }
    }
  }

  #announce(): void {
    this.#commits.notify();
    this.#announcer?.announce();
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    assertStreamName(stream);
    const rows = await this.sql.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE stream_name = $1 AND stream_version >= $2
       ORDER BY stream_version LIMIT $3`,
      [stream, options.from_version ?? 1, options.max_count ?? null],
    );
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions & ReadAllFilter = {}): Promise<RecordedEvent[]> {
    const [after, params] = readAfter(options);
    const page = `${after} LIMIT $3`;
    if (options.packed) {
      // The page as one row of a few texts (decision 0042): less of the caller's CPU, more of the
      // server's, which pays only on large pages read one after the other (decision 0046).
      const [texts] = await this.sql.query<EventPageRow>(
        `SELECT ${pageColumns(options.metadata !== false)} FROM (SELECT * ${page}) AS page`,
        params,
      );
      return toRecordedEvents(texts);
    }
    const rows = await this.sql.query<EventRow>(
      `SELECT ${options.metadata === false ? COLUMNS_BUT_METADATA : EVENT_COLUMNS} ${page}`,
      params,
    );
    return rows.map(toRecordedEvent);
  }

  async pageEnds(
    options: ReadAllOptions & ReadAllFilter & { max_count: number },
  ): Promise<string[]> {
    const [after, params] = readAfter(options);
    // $3, the page size, is not a limit here: the positions of every $3-th event are.
    const rows = await this.sql.query<{ transaction_id: string; global_position: number }>(
      `SELECT transaction_id, global_position FROM (
         SELECT events.transaction_id::text AS transaction_id, global_position,
                row_number() OVER (ORDER BY events.transaction_id, global_position) AS n
         ${after}
       ) AS numbered WHERE n % $3 = 0 ORDER BY n`,
      params,
    );
    return rows.map((row) => toPosition(row.transaction_id, row.global_position));
  }

  async *subscribeToAll(options: SubscribeOptions = {}): AsyncIterable<RecordedEvent[]> {
    const { signal, max_count } = options;
    // On a server, read the next batch while the consumer handles this one. PGlite has one
    // connection: a read ahead would run before the consumer's own writes and catch only the odd
    // new event, so every later batch would hold one event.
    const readAhead = this.sql.shared;
    let after = options.after;
    let seen = this.#commits.generation;
    const read = () => awaitedLater(this.readAll({ after, max_count }));
    let next: Promise<RecordedEvent[]> | undefined = read();
    while (!signal?.aborted) {
      const batch = await (next ?? read());
      if (batch.length === 0) await this.#commits.wait(seen, IDLE_POLL_MS, signal);
      else after = batch[batch.length - 1]!.position;
      seen = this.#commits.generation;
      next = readAhead ? read() : undefined;
      if (batch.length > 0) yield batch;
    }
  }

  async streamExists(stream: string): Promise<boolean> {
    assertStreamName(stream);
    return (await this.#version(stream)) > 0;
  }

  async head(): Promise<StoreHead | null> {
    const [row] = await this.sql.query<{ global_position: number; recorded_at: Date }>(
      `SELECT global_position, recorded_at FROM events
       WHERE ${SETTLED}
       ORDER BY events.transaction_id DESC, global_position DESC LIMIT 1`,
    );
    return row
      ? { global_position: row.global_position, recorded_at: row.recorded_at.toISOString() }
      : null;
  }

  async ping(): Promise<void> {
    await this.sql.query("SELECT 1");
  }

  async close(): Promise<void> {
    await this.#announcer?.settled();
    await this.#unlisten?.();
  }

  async #version(stream: string): Promise<number> {
    const [row] = await this.sql.query<{ version: number }>(
      "SELECT coalesce(max(stream_version), 0) AS version FROM events WHERE stream_name = $1",
      [stream],
    );
    return row?.version ?? 0;
  }

  /**
   * An append stored nothing: either it repeats one already stored (same event ids, same stream),
   * which succeeds without storing twice, or the stream was not at the expected version.
   */
  async #resolveRejected(
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
    actualVersion: number | null,
  ): Promise<AppendResult> {
    const stored = await this.sql.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE event_id = ANY($1::uuid[]) ORDER BY global_position`,
      [events.map((e) => e.event_id)],
    );
    const sameBatch = stored.length === events.length &&
      stored.every((row, i) =>
        row.stream_name === stream &&
        row.event_id === events[i]!.event_id.toLowerCase() &&
        row.stream_version === stored[0]!.stream_version + i
      );
    const last = stored[stored.length - 1];
    if (sameBatch && last) {
      return {
        next_expected_version: last.stream_version,
        global_position: last.global_position,
        position: toPosition(last.transaction_id, last.global_position),
      };
    }
    if (stored.length > 0) throw new DuplicateEventError(stream, stored.map((row) => row.event_id));
    throw new WrongExpectedVersionError(
      stream,
      expected,
      actualVersion ?? await this.#version(stream),
    );
  }
}

interface AppendRow {
  previous_version: number;
  appended_version: number | null;
  last_global_position: number | null;
  last_transaction_id: string | null;
}

/** One statement and one round trip; the function is in migration 002. */
const APPEND = "SELECT * FROM append_to_stream($1, $2, $3, $4, $5, $6, $7, $8)";
/** A group of appends, one row back per append, in order; the function is in migration 006. */
const APPEND_MANY = "SELECT * FROM append_to_streams($1, $2, $3, $4, $5, $6, $7, $8, $9)";

/** Event ids, types, schema versions, data and metadata as the append functions take them. */
function eventColumns(serialized: readonly SerializedEvent[]): unknown[][] {
  return [
    serialized.map((s) => s.event.event_id),
    serialized.map((s) => s.event.type),
    serialized.map((s) => s.event.schema_version),
    serialized.map((s) => s.data),
    serialized.map((s) => s.metadata),
  ];
}

function appendManyParams(appends: readonly PendingAppend[]): unknown[] {
  return [
    appends.map((a) => a.stream),
    appends.map((a) => typeof a.expected_version === "number" ? "exact" : a.expected_version),
    appends.map((a) => typeof a.expected_version === "number" ? a.expected_version : null),
    appends.flatMap((a, i) => a.serialized.map(() => i + 1)),
    ...eventColumns(appends.flatMap((a) => a.serialized)),
  ];
}

function weighAppend({ serialized }: PendingAppend): number {
  return serialized.reduce((sum, s) => sum + s.data.length + s.metadata.length + EVENT_OVERHEAD, 0);
}

function appendResultOf(row: AppendRow): AppendResult {
  return {
    next_expected_version: row.appended_version!,
    global_position: row.last_global_position!,
    position: toPosition(row.last_transaction_id!, row.last_global_position!),
  };
}

async function settle<Result>(queued: Queued<unknown, Result>, outcome: Promise<Result>) {
  try {
    queued.resolve(await outcome);
  } catch (error) {
    queued.reject(error);
  }
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    event_id: row.event_id,
    type: row.event_type,
    schema_version: row.schema_version,
    data: row.data,
    metadata: row.metadata ?? {},
    stream_name: row.stream_name,
    stream_version: row.stream_version,
    global_position: row.global_position,
    position: toPosition(row.transaction_id, row.global_position),
    recorded_at: isoTime(row.recorded_at),
  };
}

function toPosition(transactionId: string, globalPosition: number): string {
  return `${transactionId}/${globalPosition}`;
}

function parsePosition(position: string | undefined): [string, number] {
  if (position === undefined) return ["0", 0];
  const match = /^(\d+)\/(\d+)$/.exec(position);
  if (!match) throw new RangeError(`"${position}" is not a position of the PostgreSQL event store`);
  return [match[1]!, Number(match[2])];
}
