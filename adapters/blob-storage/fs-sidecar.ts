/**
 * The JSON sidecar beside each object in the directory store: what a plain file cannot keep, its
 * media type and SHA-256, tied to one version of the file so that a sidecar never describes bytes
 * it was not written with.
 */
import type { BigIntStats } from "node:fs";
import { type FileHandle, open, readFile } from "node:fs/promises";
import { type BlobInfo, BlobNotFoundError } from "../../domain/ports/blob-storage.ts";
import { errnoOf } from "./fs-files.ts";

export interface Sidecar {
  content_type: string;
  checksum_sha256: string;
  /** `versionOf` the data file it describes. */
  version: string;
}

/** Reads that find a put between its two renames try again this often before settling. */
const READ_ATTEMPTS = 3;

/** Served for a file whose sidecar is missing or belongs to another version. */
const UNKNOWN_CONTENT_TYPE = "application/octet-stream";

/**
 * Identifies one written version of a file: its inode, size and modification time, which the
 * rename that publishes the file keeps and a later put replaces.
 */
export function versionOf(stats: BigIntStats): string {
  return [stats.ino, stats.size, stats.mtimeNs].map((n) => n.toString(36)).join("-");
}

/** An object's file, open, with its description. */
export interface OpenObject {
  handle: FileHandle;
  info: BlobInfo;
  /** The file version a matching sidecar described; absent when `info` holds defaults. */
  version?: string;
}

/** Opens the object's file for reading; BlobNotFoundError when there is none. */
export async function openObjectFile(key: string, filePath: string): Promise<FileHandle> {
  return await open(filePath, "r").catch((error) => {
    const missing = ["ENOENT", "ENOTDIR", "EISDIR"].includes(errnoOf(error) ?? "");
    throw missing ? new BlobNotFoundError(key) : error;
  });
}

/**
 * The object's file, opened, with its description. A sidecar that does not match is read again a
 * few times: a put may be between publishing the sidecar and the file.
 */
export async function openObject(
  key: string,
  filePath: string,
  sidecarPath: string,
): Promise<OpenObject> {
  for (let attempt = 1;; attempt++) {
    const handle = await openObjectFile(key, filePath);
    try {
      const stats = await handle.stat({ bigint: true });
      if (!stats.isFile()) throw new BlobNotFoundError(key); // a folder of objects
      const sidecar = await readSidecar(sidecarPath);
      if (matches(sidecar, stats)) {
        return { handle, info: describe(key, stats, sidecar), version: sidecar.version };
      }
      if (attempt === READ_ATTEMPTS) return { handle, info: describe(key, stats, sidecar) };
    } catch (error) {
      await handle.close();
      throw error;
    }
    await handle.close();
    await new Promise((resolve) => setTimeout(resolve, 5 * attempt));
  }
}

export function encodeSidecar(sidecar: Sidecar): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(sidecar));
}

/** The sidecar at `path`; undefined when there is none or it cannot be parsed. */
async function readSidecar(path: string): Promise<Sidecar | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (["ENOENT", "ENOTDIR", "EISDIR"].includes(errnoOf(error) ?? "")) return undefined;
    throw error;
  }
  try {
    const value: unknown = JSON.parse(text);
    return isSidecar(value) ? value : undefined;
  } catch {
    return undefined; // a torn write by another tool; the put that replaces it repairs it
  }
}

/** Whether `sidecar` was written for the file version `stats` describes. */
function matches(sidecar: Sidecar | undefined, stats: BigIntStats): sidecar is Sidecar {
  return sidecar?.version === versionOf(stats);
}

/** The object's description from its file and, when it matches, its sidecar. */
function describe(key: string, stats: BigIntStats, sidecar: Sidecar | undefined): BlobInfo {
  const common = {
    key,
    size: Number(stats.size),
    last_modified: new Date(Number(stats.mtimeMs)).toISOString(),
  };
  if (!matches(sidecar, stats)) {
    return { ...common, content_type: UNKNOWN_CONTENT_TYPE, etag: `"${versionOf(stats)}"` };
  }
  return {
    ...common,
    content_type: sidecar.content_type,
    etag: `"${sidecar.checksum_sha256}"`,
    checksum_sha256: sidecar.checksum_sha256,
  };
}

function isSidecar(value: unknown): value is Sidecar {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.content_type === "string" && typeof record.checksum_sha256 === "string" &&
    typeof record.version === "string";
}
