/**
 * Keeps a running attempt's lease: appends progress (which renews the lease) when the percent has
 * moved a step or the lease is a third gone, one append at a time. When an append is refused
 * (another worker took the job over) it aborts the job through `lost`.
 */
import type { EventStore } from "../../domain/ports/event-store.ts";
import { handleCommand } from "../handle-command.ts";
import { REACTOR_METADATA, transcodeAggregate } from "./aggregate.ts";

const PERCENT_STEP = 10;

export class LeaseKeeper {
  readonly lost = new AbortController();
  #percent = 0;
  #reported = 0;
  #chain: Promise<void> = Promise.resolve();
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly store: EventStore,
    private readonly job: { upload_id: string; attempt: number },
    private readonly leaseMs: number,
  ) {
    this.#timer = setInterval(() => this.#append(), Math.max(100, leaseMs / 3));
  }

  /** The lease's end if it were renewed now. */
  leaseUntil(): string {
    return new Date(Date.now() + this.leaseMs).toISOString();
  }

  progress(percent: number): void {
    this.#percent = Math.floor(percent);
    if (this.#percent - this.#reported >= PERCENT_STEP) this.#append();
  }

  /** Stops renewing; resolves once the appends in flight are done. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#chain;
  }

  #append(): void {
    const percent = this.#percent;
    this.#reported = percent;
    this.#chain = this.#chain.then(async () => {
      if (this.lost.signal.aborted) return;
      try {
        await handleCommand(this.store, transcodeAggregate, this.job.upload_id, {
          type: "ReportProgress",
          data: { ...this.job, percent, lease_until: this.leaseUntil() },
        }, { metadata: REACTOR_METADATA });
      } catch (error) {
        this.lost.abort(error);
      }
    });
  }
}
