/**
 * The projection runtime: keeps one runner per live or building generation of each projection in
 * this process (ownership across processes is decided by the runners' locks), starts a rebuild when
 * a projection's code is newer than its live read model, drops retired generations, and answers
 * status, rebuild, reset and dead-letter requests.
 */
import type { EventStore, StoreHead } from "../../domain/ports/event-store.ts";
import type { Logger } from "../../domain/ports/logger.ts";
import type { SqlClient } from "../../domain/ports/sql.ts";
import { ConflictError, NotFoundError } from "../../domain/shared/errors.ts";
import type { TelemetryLog } from "../../domain/ports/telemetry-log.ts";
import type { Applier, PoisonPolicy } from "./apply-batch.ts";
import { total } from "./follow-telemetry.ts";
import {
  countOpenDeadLetters,
  createGeneration,
  type DeadLetter,
  dropRetired,
  type Generation,
  generationsOf,
  markRetried,
  openDeadLetters,
  retireAll,
} from "./generations.ts";
import { assertValidProjection, generationSchema, type SqlProjection } from "./projection.ts";
import { OwnershipLocks } from "./ownership-locks.ts";
import { runGeneration } from "./runner.ts";

export interface RuntimeOptions {
  sql: SqlClient;
  store: EventStore;
  /** Needed when a projection's source is the telemetry log. */
  telemetry?: TelemetryLog;
  logger: Logger;
  projections: readonly SqlProjection[];
  onPoison?: PoisonPolicy;
  batchSize?: number;
  /** How often the runtime looks for generations to run or drop (default 1000 ms). */
  tickMs?: number;
  /**
   * false: this process runs no projection (PROCESS_ROLES without `projections`); it reports status
   * and records rebuilds and resets, which a process that runs projections takes up on its tick.
   */
  runsProjections?: boolean;
}

export interface GenerationStatus extends Generation {
  running_here: boolean;
  events_behind: number;
  seconds_behind: number;
}

export interface ProjectionStatus {
  name: string;
  version: number;
  generations: GenerationStatus[];
  dead_letters: number;
  last_error: string | null;
}

interface Running {
  abort: AbortController;
  done: Promise<void>;
  /** Set once the runner holds the generation's lock (until then it only tries). */
  owner: boolean;
}

// Serialises start-up decisions (which generations exist) across processes.
const SETUP_LOCK = 7_400_262_004;

export class ProjectionRuntime {
  readonly #running = new Map<string, Running>();
  readonly #errors = new Map<string, string>();
  readonly #projections: Map<string, SqlProjection>;
  #timer?: ReturnType<typeof setInterval>;
  #ticking?: Promise<void>;
  /**
   * Projections whose generations are not settled yet (created, or rebuilt for newer code). An
   * engine down at start (Meilisearch creating the index) is retried each tick, not fatal.
   */
  readonly #unsettled: Set<SqlProjection>;

  readonly #locks: OwnershipLocks;

  constructor(private readonly options: RuntimeOptions) {
    this.#locks = new OwnershipLocks(options.sql, () => this.#ownershipLost());
    options.projections.forEach(assertValidProjection);
    const needsTelemetry = options.projections.find((p) => p.source === "telemetry");
    if (needsTelemetry && !options.telemetry) {
      throw new Error(
        `projection ${needsTelemetry.name} reads the telemetry log, which is not configured`,
      );
    }
    this.#projections = new Map(options.projections.map((p) => [p.name, p]));
    this.#unsettled = new Set(this.#projections.values());
  }

  async start(): Promise<void> {
    await this.tick();
    this.#timer = setInterval(() => void this.tick(), this.options.tickMs ?? 1000);
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#ticking;
    for (const running of this.#running.values()) running.abort.abort();
    await Promise.all([...this.#running.values()].map((running) => running.done));
  }

  /** One pass: run what should run here, stop and drop what was retired. */
  tick(): Promise<void> {
    this.#ticking ??= this.#tick().finally(() => this.#ticking = undefined);
    return this.#ticking;
  }

  async status(): Promise<ProjectionStatus[]> {
    const heads = await this.#heads();
    return await Promise.all([...this.#projections.values()].map(async (projection) => {
      const head = heads[projection.source];
      const generations = await generationsOf(this.options.sql, projection.name);
      return {
        name: projection.name,
        version: projection.version,
        generations: generations
          .filter((g) => g.status !== "retired")
          .map((g) => ({
            ...g,
            running_here: this.#running.get(runKey(g))?.owner === true,
            ...lag(g, head),
          })),
        dead_letters: await countOpenDeadLetters(this.options.sql, projection.name),
        last_error: this.#errors.get(projection.name) ?? null,
      };
    }));
  }

  /** Starts building a new generation beside the live one; it goes live once caught up. */
  async rebuild(name: string): Promise<number> {
    const projection = this.#projection(name);
    const generation = await this.#locked(async () => {
      const building = (await generationsOf(this.options.sql, name)).find((g) =>
        g.status === "building"
      );
      return building?.generation ??
        await this.options.sql.transaction((tx) => createGeneration(tx, projection, "building"));
    });
    await this.tick();
    return generation;
  }

  /** Drops every generation and starts again from an empty read model (reads see it fill up). */
  async reset(name: string): Promise<number> {
    const projection = this.#projection(name);
    const generation = await this.#locked(() =>
      this.options.sql.transaction(async (tx) => {
        await retireAll(tx, name);
        return await createGeneration(tx, projection, "live");
      })
    );
    await this.tick();
    return generation;
  }

  deadLetters(name: string): Promise<DeadLetter[]> {
    this.#projection(name);
    return openDeadLetters(this.options.sql, name);
  }

  /** Applies a parked event again to the live generation; it stays parked if it fails again. */
  async retryDeadLetter(name: string, id: number): Promise<void> {
    const projection = this.#projection(name);
    const [letter] = await openDeadLetters(this.options.sql, name, id);
    if (!letter) throw new NotFoundError(`no open dead letter ${id} for projection ${name}`);
    const live = (await generationsOf(this.options.sql, name)).find((g) => g.status === "live");
    if (!live) throw new NotFoundError(`projection ${name} has no live generation`);
    const applier = projection as Applier<unknown>;
    await this.options.sql.transaction(async (tx) => {
      await applier.apply(tx, generationSchema(name, live.generation), [letter.event]);
      await markRetried(tx, name, id);
    }).catch((error) => {
      throw new ConflictError(`dead letter ${id} failed again: ${error?.message ?? error}`);
    });
  }

  /** How far each source goes: the newest event, and the telemetry log's total end offset. */
  async #heads(): Promise<Record<SqlProjection["source"], StoreHead | null>> {
    const { store, telemetry } = this.options;
    const [events, ends] = await Promise.all([store.head(), telemetry?.endOffsets()]);
    return {
      events,
      telemetry: ends
        ? { global_position: total(ends), recorded_at: new Date().toISOString() }
        : null,
    };
  }

  async #tick(): Promise<void> {
    await this.#settleGenerations();
    if (this.options.runsProjections === false) return;
    await this.#locks.verify();
    for (const projection of this.#projections.values()) {
      if (this.#unsettled.has(projection)) continue;
      try {
        const generations = await generationsOf(this.options.sql, projection.name);
        for (const generation of generations) {
          if (generation.status === "retired") await this.#retire(generation);
          else if (generation.version === projection.version) this.#run(projection, generation);
        }
      } catch (error) {
        this.#fail(projection.name, error);
      }
    }
  }

  #run(projection: SqlProjection, generation: Generation): void {
    const key = runKey(generation);
    if (this.#running.has(key)) return;
    const abort = new AbortController();
    const deps = {
      sql: this.options.sql,
      locks: this.#locks,
      store: this.options.store,
      telemetry: this.options.telemetry,
      logger: this.options.logger,
      onPoison: this.options.onPoison ?? "park",
      batchSize: projection.batchSize ?? this.options.batchSize ?? 500,
    };
    const running: Running = { abort, done: Promise.resolve(), owner: false };
    running.done = runGeneration(
      deps,
      projection,
      generation,
      abort.signal,
      () => {
        running.owner = true;
        this.#errors.delete(projection.name); // owned again: an earlier failure is history
      },
    )
      .then((exit) => {
        if (exit !== "not_owner") this.#errors.delete(projection.name);
      })
      .catch((error) => this.#fail(projection.name, error))
      .finally(() => this.#running.get(key) === running && this.#running.delete(key));
    this.#running.set(key, running);
  }

  async #retire(generation: Generation): Promise<void> {
    const running = this.#running.get(runKey(generation));
    if (running) {
      running.abort.abort();
      await running.done;
    }
    const schema = generationSchema(generation.projection, generation.generation);
    await this.#projections.get(generation.projection)?.onRetire?.(schema);
    await this.options.sql.transaction(async (tx) => {
      // Another process may still be finishing a batch on it; try again next tick rather than wait.
      await tx.exec("SET LOCAL lock_timeout = '2s'");
      await dropRetired(tx, generation.projection, generation.generation);
    });
  }

  async #settleGenerations(): Promise<void> {
    for (const projection of this.#unsettled) {
      try {
        await this.#ensureGeneration(projection);
        this.#unsettled.delete(projection);
      } catch (error) {
        this.#fail(projection.name, error);
      }
    }
  }

  async #ensureGeneration(projection: SqlProjection): Promise<void> {
    await this.#locked(async () => {
      const generations = await generationsOf(this.options.sql, projection.name);
      const live = generations.find((g) => g.status === "live");
      const building = generations.find((g) =>
        g.status === "building" && g.version === projection.version
      );
      if (!live) {
        await this.options.sql.transaction((tx) => createGeneration(tx, projection, "live"));
      } else if (live.version < projection.version && !building) {
        this.options.logger.info("projection code is newer than its read model: rebuilding", {
          projection: projection.name,
          live_version: live.version,
          version: projection.version,
        });
        await this.options.sql.transaction((tx) => createGeneration(tx, projection, "building"));
      } else if (live.version > projection.version) {
        this.options.logger.warn("read model is newer than this code: not running it here", {
          projection: projection.name,
          live_version: live.version,
          version: projection.version,
        });
      }
    });
  }

  /** Runs `work` holding the runtime's setup lock, so processes starting together agree. */
  async #locked<T>(work: () => Promise<T>): Promise<T> {
    const connection = await this.options.sql.reserve();
    try {
      await connection.query("SELECT pg_advisory_lock($1)", [SETUP_LOCK]);
      try {
        return await work();
      } finally {
        await connection.query("SELECT pg_advisory_unlock($1)", [SETUP_LOCK]);
      }
    } finally {
      await connection.release();
    }
  }

  #projection(name: string): SqlProjection {
    const projection = this.#projections.get(name);
    if (!projection) throw new NotFoundError(`no projection named "${name}"`);
    return projection;
  }

  /** The connection holding our locks died: stop what we ran; the next tick takes them again. */
  #ownershipLost(): void {
    this.options.logger.warn("projection ownership locks lost with their connection; retaking");
    for (const [key, running] of this.#running) {
      if (!running.owner) continue;
      running.abort.abort();
      // It may be stuck in a statement the lost connection will never answer: the next tick starts
      // afresh without waiting. If it ever goes on, its checkpoint no longer matches (StaleGeneration).
      this.#running.delete(key);
    }
  }

  #fail(projection: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.#errors.set(projection, message);
    this.options.logger.error("projection failed; retrying on the next tick", {
      projection,
      error,
    });
  }
}

function runKey(generation: Pick<Generation, "projection" | "generation">): string {
  return `${generation.projection}:${generation.generation}`;
}

function lag(generation: Generation, head: StoreHead | null) {
  const events_behind = Math.max(0, (head?.global_position ?? 0) - generation.global_position);
  const since = generation.last_event_at?.getTime();
  const seconds_behind = events_behind > 0 && head && since !== undefined
    ? Math.max(0, (Date.parse(head.recorded_at) - since) / 1000)
    : 0;
  return { events_behind, seconds_behind };
}
