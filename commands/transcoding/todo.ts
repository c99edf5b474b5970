/**
 * The reactor's to-do list, read from the media read model (projections/media, kept by the
 * projection runtime, whose checkpoint survives restarts). It only says what to look at: whether
 * an attempt may start is decided on the transcode stream itself.
 */
import type { SqlExecutor } from "../../domain/ports/sql.ts";

export interface UploadToTranscode {
  upload_id: string;
  video_id: string;
  source_key: string;
  media_kind: "video" | "audio";
  duration_sec: number;
  width: number | null;
  height: number | null;
  has_audio: boolean;
}

/** Uploads the reactor has not asked a transcode for yet. */
export function uploadsWithoutTranscode(
  sql: SqlExecutor,
  limit: number,
): Promise<UploadToTranscode[]> {
  return sql.query<UploadToTranscode>(
    `SELECT u.upload_id, u.video_id, u.source_key, u.media_kind, u.duration_sec, u.width, u.height,
            u.has_audio
       FROM media.uploads u LEFT JOIN media.transcodes t USING (upload_id)
      WHERE t.upload_id IS NULL
      ORDER BY u.uploaded_at
      LIMIT $1`,
    [limit],
  );
}

const WAITING = "status = 'requested' OR (status = 'running' AND lease_until <= $1)";

/** How many transcodes wait for an attempt (the queue, for /metrics). */
export async function transcodesWaiting(sql: SqlExecutor, now: Date): Promise<number> {
  const rows = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM media.transcodes WHERE ${WAITING}`,
    [now.toISOString()],
  );
  return rows[0]?.n ?? 0;
}

/** Transcodes waiting for an attempt: requested, or running on a lease that has run out. */
export async function transcodesToStart(
  sql: SqlExecutor,
  now: Date,
  limit: number,
): Promise<string[]> {
  const rows = await sql.query<{ upload_id: string }>(
    `SELECT upload_id FROM media.transcodes WHERE ${WAITING}
      ORDER BY updated_at
      LIMIT $2`,
    [now.toISOString(), limit],
  );
  return rows.map((r) => r.upload_id);
}
