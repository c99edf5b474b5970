/** File-system steps of the directory blob store: durable writes, atomic moves, walks. */
import type { BigIntStats } from "node:fs";
import {
  type FileHandle,
  mkdir,
  open,
  readdir,
  rename,
  rm,
  rmdir,
  stat,
  unlink,
} from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { BlobStorageUnavailableError } from "../../domain/ports/blob-storage.ts";

/** Errors that mean the directory cannot serve now (disk full, read-only, I/O), not a bad call. */
const UNAVAILABLE_CODES = new Set([
  "ENOSPC",
  "EDQUOT",
  "EROFS",
  "EIO",
  "EMFILE",
  "ENFILE",
  "EACCES",
  "EPERM",
]);

export function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** Runs `work`, turning file-system failures into BlobStorageUnavailableError. */
export async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw unavailableOr(error);
  }
}

/** `error` as BlobStorageUnavailableError when the file system itself failed, else unchanged. */
export function unavailableOr(error: unknown): unknown {
  const code = errnoOf(error);
  if (code && UNAVAILABLE_CODES.has(code)) {
    return new BlobStorageUnavailableError(`blob directory failed: ${code}`, { cause: error });
  }
  return error;
}

/**
 * Writes `chunks` to a new file at `path` and flushes it to disk before answering, so that a
 * rename after it never exposes a file whose bytes a crash could still lose.
 */
export async function writeFileDurably(
  path: string,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): Promise<BigIntStats> {
  const handle = await open(path, "wx");
  try {
    for await (const chunk of chunks) {
      for (let offset = 0; offset < chunk.byteLength;) {
        const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
        offset += bytesWritten;
      }
    }
    await handle.sync();
    return await handle.stat({ bigint: true });
  } finally {
    await handle.close();
  }
}

/**
 * Renames `from` to `to`, creating `to`'s folders, and flushes the folder entry. A folder removed
 * by a concurrent delete between the two steps is created again.
 */
export async function moveInto(from: string, to: string): Promise<void> {
  for (let attempt = 1;; attempt++) {
    try {
      await mkdir(dirname(to), { recursive: true });
      await rename(from, to);
      await syncDirectory(dirname(to));
      return;
    } catch (error) {
      if (errnoOf(error) !== "ENOENT" || attempt === 3) throw error;
    }
  }
}

/** Flushes a folder's entries (a rename into it) to disk; a no-op where folders cannot be opened. */
async function syncDirectory(path: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, "r");
    await handle.sync();
  } catch (error) {
    if (!["EISDIR", "EPERM", "EINVAL", "EBADF"].includes(errnoOf(error) ?? "")) throw error;
  } finally {
    await handle?.close();
  }
}

/** Removes the file at `path`; nothing to do when there is none (absent, or a folder). */
export async function removeFile(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if (!["ENOENT", "ENOTDIR", "EISDIR"].includes(errnoOf(error) ?? "")) throw error;
  }
}

/** Removes the empty folders from `path`'s folder up to (not including) `root`. */
export async function pruneEmptyFolders(root: string, path: string): Promise<void> {
  for (let folder = dirname(path); isInside(root, folder); folder = dirname(folder)) {
    try {
      await rmdir(folder);
    } catch {
      return; // not empty (or gone): the folders above are not empty either
    }
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== "" && !rel.startsWith("..") && !rel.startsWith(sep);
}

/** Files under `folder` (recursively) as "/"-separated paths relative to it, with their stats. */
export async function* walkFiles(
  folder: string,
  namePrefix = "",
  base = "",
): AsyncGenerator<{ path: string; stats: BigIntStats }> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    if (["ENOENT", "ENOTDIR"].includes(errnoOf(error) ?? "")) return;
    throw error;
  }
  for (const entry of entries) {
    if (!entry.name.startsWith(namePrefix)) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      yield* walkFiles(path, "", `${base}${entry.name}/`);
    } else if (entry.isFile()) {
      const stats = await stat(path, { bigint: true }).catch(() => undefined); // deleted meanwhile
      if (stats) yield { path: `${base}${entry.name}`, stats };
    }
  }
}

/** Deletes files in `folder` not modified for `maxAgeMs`: temp files of puts a crash cut short. */
export async function removeStaleFiles(folder: string, maxAgeMs: number): Promise<void> {
  for await (const { path, stats } of walkFiles(folder)) {
    if (Date.now() - Number(stats.mtimeMs) > maxAgeMs) {
      await rm(join(folder, path), { force: true });
    }
  }
}
