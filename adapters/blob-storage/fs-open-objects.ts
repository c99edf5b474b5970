/**
 * Open files of the directory store's objects, kept with their descriptions, so that serving a
 * range costs one positioned read instead of opening the file, reading its JSON sidecar and closing
 * both. Media objects never change once written (their keys name the upload and the attempt), so a
 * bounded LRU of open files covers the ones being played. Files stay open while reads use them and
 * close when evicted, idle or replaced. A put or delete through this store drops its key at once;
 * bytes replaced behind the store's back (another process, another tool) are noticed within
 * REVALIDATE_MS, by comparing the file at the path with the open one.
 */
import { type FileHandle, stat } from "node:fs/promises";
import { clearInterval, setInterval } from "node:timers";
import type { BlobInfo } from "../../domain/ports/blob-storage.ts";
import { errnoOf } from "./fs-files.ts";
import { openObject, versionOf } from "./fs-sidecar.ts";
import { LruMap } from "./lru-map.ts";

/** How often a kept file is compared with the file now at its path. */
const REVALIDATE_MS = 1_000;
/** A kept file nobody read for this long is closed. */
const IDLE_MS = 30_000;

/** An object's open file lent to one read; `release` once done with the handle. */
export interface ObjectLease {
  handle: FileHandle;
  info: BlobInfo;
  release(): Promise<void>;
}

interface Kept {
  handle: FileHandle;
  info: BlobInfo;
  version: string;
  users: number;
  usedAt: number;
  checkedAt: number;
  dropped: boolean;
}

export class OpenObjects {
  readonly #kept: LruMap<string, Kept>;
  #sweeper: ReturnType<typeof setInterval> | undefined;

  constructor(capacity: number) {
    this.#kept = new LruMap(capacity, (_key, kept) => this.#drop(kept));
  }

  /**
   * The kept file of `key` when it was found current less than REVALIDATE_MS ago, lent at once:
   * the common case of a player's reads, with no promise between the request and its bytes.
   */
  leaseChecked(key: string): ObjectLease | undefined {
    const kept = this.#kept.get(key);
    if (kept === undefined || Date.now() - kept.checkedAt >= REVALIDATE_MS) return undefined;
    return this.#lend(kept);
  }

  /** The object's open file and description: a kept one when still current, else opened anew. */
  async lease(key: string, filePath: string, sidecarPath: string): Promise<ObjectLease> {
    const kept = this.#kept.get(key);
    if (kept && await this.#isCurrent(kept, filePath)) return this.#lend(kept);
    if (kept) this.forget(key);
    const opened = await openObject(key, filePath, sidecarPath);
    if (!opened.version) {
      // Described with defaults (no matching sidecar): used once, not kept.
      return { ...opened, release: () => opened.handle.close() };
    }
    const raced = this.#kept.get(key);
    if (raced?.version === opened.version) {
      await opened.handle.close();
      return this.#lend(raced);
    }
    const now = Date.now();
    const fresh: Kept = {
      handle: opened.handle,
      info: opened.info,
      version: opened.version,
      users: 0,
      usedAt: now,
      checkedAt: now,
      dropped: false,
    };
    this.#kept.set(key, fresh);
    this.#startSweeping();
    return this.#lend(fresh);
  }

  /** Closes the kept file of `key` once its reads are done (it is being replaced or removed). */
  forget(key: string): void {
    this.#kept.delete(key);
  }

  /** Closes every kept file once its reads are done. */
  close(): void {
    for (const [key] of [...this.#kept.entries()]) this.#kept.delete(key);
  }

  #lend(kept: Kept): ObjectLease {
    kept.users++;
    kept.usedAt = Date.now();
    let released = false;
    return {
      handle: kept.handle,
      info: kept.info,
      release: async () => {
        if (released) return;
        released = true;
        kept.users--;
        if (kept.dropped && kept.users === 0) await kept.handle.close().catch(() => {});
      },
    };
  }

  async #isCurrent(kept: Kept, filePath: string): Promise<boolean> {
    const now = Date.now();
    if (now - kept.checkedAt < REVALIDATE_MS) return true;
    try {
      const current = versionOf(await stat(filePath, { bigint: true }));
      kept.checkedAt = now;
      return current === kept.version;
    } catch (error) {
      if (["ENOENT", "ENOTDIR"].includes(errnoOf(error) ?? "")) return false;
      throw error;
    }
  }

  #drop(kept: Kept): void {
    kept.dropped = true;
    if (kept.users === 0) kept.handle.close().catch(() => {});
    if (this.#kept.size === 0) this.#stopSweeping();
  }

  #startSweeping(): void {
    if (this.#sweeper !== undefined) return;
    this.#sweeper = setInterval(() => {
      const idleBefore = Date.now() - IDLE_MS;
      for (const [key, kept] of [...this.#kept.entries()]) {
        if (kept.users === 0 && kept.usedAt < idleBefore) this.#kept.delete(key);
      }
    }, IDLE_MS / 2);
    this.#sweeper.unref(); // never what keeps the process alive
  }

  #stopSweeping(): void {
    clearInterval(this.#sweeper);
    this.#sweeper = undefined;
  }
}
