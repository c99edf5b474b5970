/**
 * Media delivery. GET /v1/videos/:id/playback answers signed URLs from the media read model (keep
 * this path: an auth middleware can be put in front of it alone). The stream routes check the
 * signature in the path, then stream the bytes with Range support, or redirect to a presigned URL
 * of the store (S3) so the bytes bypass the service; playlists are always served here, since
 * their relative URIs must stay under the signed path.
 */
import { Hono } from "hono";
import { describeRoute, validator } from "hono-openapi";
import * as v from "valibot";
import { Id } from "../../domain/catalog/values.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import { NotFoundError } from "../../domain/shared/errors.ts";
import { throwIfInvalid } from "../../domain/shared/validation.ts";
import { playbackOf } from "../../projections/media/queries.ts";
import { json } from "../openapi.ts";
import { playbackDocument } from "./playback.ts";
import { mediaRequestOf, toResponse } from "./serve-blob.ts";
import { type StreamDeps, streamMedia } from "./stream.ts";

export interface MediaDeliveryDeps extends StreamDeps {
  readModels: SqlExecutor;
  /** How long handed-out URLs stay valid (rounded up to 5 minutes). */
  urlTtlSec: number;
}

const tags = ["media"];

export function mediaRoutes(deps: MediaDeliveryDeps): Hono {
  const app = new Hono();

  app.get(
    "/:id/playback",
    describeRoute({
      tags,
      summary:
        "Signed URLs of a video's master playlist, progressive file, poster and audio renditions",
      description:
        "While the media is not ready, `status` is processing or failed and `transcode` " +
        "says how far it is. URLs expire at `expires_at`.",
      responses: {
        200: json("Playback URLs or transcode state"),
        404: json("No upload for the video"),
      },
    }),
    validator("param", v.object({ id: Id }), throwIfInvalid),
    async (c) => {
      const { id } = c.req.valid("param");
      const row = await playbackOf(deps.readModels, id);
      if (!row) throw new NotFoundError(`video ${id} has no uploaded media`);
      c.header("cache-control", "private, no-store");
      return c.json(
        playbackDocument(id, row, {
          signer: deps.signer,
          ttlSec: deps.urlTtlSec,
          nowMs: Date.now(),
        }),
      );
    },
  );

  app.on(
    ["GET", "HEAD"],
    "/:id/stream/*",
    describeRoute({
      tags,
      summary: "A media file under a signed URL (HLS playlists and segments, MP4, poster, audio)",
      description:
        "Supports Range (206, 416), If-Range, If-None-Match and HEAD. A wrong, expired or " +
        "tampered signature gets 403. In redirect mode, files other than playlists answer 302 to a " +
        "presigned URL of the object store.",
      responses: {
        200: { description: "The whole file" },
        206: { description: "The asked range" },
        302: { description: "Redirect to a presigned object-store URL" },
        403: { description: "Signature wrong, expired or tampered" },
        404: { description: "No such file" },
        416: { description: "Range outside the file" },
      },
    }),
    async (c) => {
      const path = c.req.path;
      return toResponse(
        await streamMedia(
          deps,
          mediaRequestOf(c.req.raw),
          c.req.param("id"),
          path.slice(path.indexOf("/stream/") + 8),
        ),
      );
    },
  );
  return app;
}
