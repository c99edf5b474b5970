/**
 * A tus Locker for several API processes: an upload's lock is a lease (Redis in production), so a
 * PATCH on one process and a HEAD or PATCH of the same upload on another never run together. tus
 * asks a lock's holder to let go when another request wants it (a client that resumes after a
 * dropped connection while the old request still runs): the waiter publishes a release request on
 * the upload's channel, and the holder, subscribed to it, stops its request. @tus/server's own
 * MemoryLocker does all this within one process only.
 */
import { ERRORS, type Lock, type Locker, type RequestRelease } from "@tus/server";
import type { Lease, Leases } from "../../domain/ports/leases.ts";
import type { PubSub, Unsubscribe } from "../../domain/ports/pubsub.ts";

export interface SharedLockerOptions {
  leases: Leases;
  /** Carries release requests to the holder, wherever it runs. */
  pubsub: PubSub;
  /** Longest wait for a lock (default 30 s, as @tus/server's); then the request fails. */
  acquireTimeoutMs?: number;
  /** Pause between attempts while another request holds the lock (default 50 ms). */
  retryMs?: number;
}

export class SharedLocker implements Locker {
  constructor(private readonly options: SharedLockerOptions) {}

  newLock(id: string): Lock {
    return new SharedLock(id, this.options);
  }
}

class SharedLock implements Lock {
  #held: { lease: Lease; unsubscribe: Unsubscribe } | undefined;

  constructor(private readonly id: string, private readonly options: SharedLockerOptions) {}

  async lock(stop: AbortSignal, requestRelease: RequestRelease): Promise<void> {
    const { leases, pubsub, acquireTimeoutMs = 30_000, retryMs = 50 } = this.options;
    const channel = `tus-release:${this.id}`;
    const giveUpAt = Date.now() + acquireTimeoutMs;
    while (true) {
      const lease = await leases.take(`tus:${this.id}`, requestRelease);
      if (lease) {
        // A release request published before this subscription is sent again by its waiter.
        const unsubscribe = await pubsub.subscribe(channel, () => requestRelease()).catch(
          async (error) => {
            await lease.release();
            throw error;
          },
        );
        this.#held = { lease, unsubscribe };
        return;
      }
      if (stop.aborted || Date.now() >= giveUpAt) throw ERRORS.ERR_LOCK_TIMEOUT;
      await pubsub.publish(channel, { upload_id: this.id });
      await pause(retryMs, stop);
    }
  }

  async unlock(): Promise<void> {
    const held = this.#held;
    if (!held) throw new Error(`releasing the lock of upload ${this.id}, which is not held`);
    this.#held = undefined;
    await held.unsubscribe();
    await held.lease.release();
  }
}

/** Resolves after `ms`, or at once when `stop` is aborted. */
function pause(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      stop.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    stop.addEventListener("abort", done);
  });
}
