/** The playback document: signed URLs of a video's media, or where its transcode stands. */
import type { MediaUrlSigner } from "../../domain/ports/media-url-signer.ts";
import type { PlaybackRow } from "../../projections/media/queries.ts";
import { expiryFor, mediaLink } from "./media-urls.ts";

export function playbackDocument(
  videoId: string,
  row: PlaybackRow,
  signing: { signer: MediaUrlSigner; ttlSec: number; nowMs: number },
) {
  const transcode = {
    status: row.status,
    progress_percent: Math.round(row.percent),
    ...(row.reason ? { reason: row.reason } : {}),
  };
  const base = {
    video_id: videoId,
    upload_id: row.upload_id,
    media_kind: row.media_kind,
    transcode,
  };
  const outputs = row.outputs;
  if (!outputs) return { ...base, status: row.status === "failed" ? "failed" : "processing" };
  const link = mediaLink(
    signing.signer,
    videoId,
    outputs.output_prefix,
    expiryFor(signing.nowMs, signing.ttlSec),
  );
  const url = (key: string | undefined) => key === undefined ? undefined : link.url(key);
  return {
    ...base,
    status: "ready",
    expires_at: link.expires_at,
    master_playlist_url: url(outputs.master_playlist_key),
    progressive_url: url(outputs.progressive_key),
    poster_url: url(outputs.poster_key),
    audio_playlist_url: url(outputs.audio_playlist_key),
    variants: outputs.variants.map(({ name, width, height, bandwidth, codecs }) => ({
      name,
      width,
      height,
      bandwidth,
      codecs,
    })),
    audio: outputs.audio_renditions.map((a) => ({
      name: a.name,
      content_type: a.content_type,
      ...(a.kbps ? { kbps: a.kbps } : {}),
      url: link.url(a.key),
    })),
  };
}
