/** Reads of the media read model for playback. */
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import type { TranscodeOutputs } from "../../domain/transcoding/transcode-events.ts";

export interface PlaybackRow {
  upload_id: string;
  media_kind: "video" | "audio";
  /** "uploaded" until the reactor asks for a transcode. */
  status: "uploaded" | "requested" | "running" | "completed" | "failed";
  percent: number;
  reason: string | null;
  /** The newest finished outputs of the video (perhaps of an earlier upload while a new one runs). */
  outputs: TranscodeOutputs | null;
}

/** The video's newest upload's state, with the newest outputs there are; undefined without uploads. */
export async function playbackOf(
  sql: SqlExecutor,
  videoId: string,
): Promise<PlaybackRow | undefined> {
  const rows = await sql.query<PlaybackRow>(
    `SELECT u.upload_id, u.media_kind, coalesce(t.status, 'uploaded') AS status,
            coalesce(t.percent, 0) AS percent, t.reason, t.outputs
       FROM media.uploads u LEFT JOIN media.transcodes t USING (upload_id)
      WHERE u.video_id = $1
      ORDER BY u.uploaded_at DESC, u.upload_id
      LIMIT 20`,
    [videoId],
  );
  const [newest] = rows;
  if (!newest) return undefined;
  return {
    ...newest,
    percent: Number(newest.percent),
    outputs: rows.find((r) => r.outputs)?.outputs ?? null,
  };
}
