/**
 * POST /v1/videos/{id}/upload: a simple upload, the whole file in one multipart/form-data request
 * (field `file`), streamed to blob storage as it arrives. Large files should use the resumable
 * tus endpoint (/v1/uploads) instead.
 */
import { Hono } from "hono";
import { describeRoute, validator } from "hono-openapi";
import {
  UnsupportedMediaTypeError,
  UploadTooLargeError,
} from "../../domain/media/upload-errors.ts";
import { ValidationError } from "../../domain/shared/errors.ts";
import { throwIfInvalid } from "../../domain/shared/validation.ts";
import { IdParam } from "../catalog/schemas.ts";
import { commandMetadata } from "../http-context.ts";
import { acceptUpload, type UploadDeps, uploadTarget } from "./accept-upload.ts";
import { uploadCommands } from "./upload-commands.ts";
import { multipartFile } from "./multipart-file.ts";
import { simpleUploadDoc } from "./openapi.ts";

export interface UploadRouteDeps extends UploadDeps {
  /** Largest file a simple upload takes (413 beyond). */
  maxBytes: number;
}

/** Room for the multipart framing around the file when judging a declared Content-Length. */
const FRAMING_BYTES = 64 * 1024;

export function uploadRoutes(deps: UploadRouteDeps): Hono {
  const commands = uploadCommands(deps);
  return new Hono().post(
    "/:id/upload",
    describeRoute(simpleUploadDoc(deps.maxBytes)),
    validator("param", IdParam, throwIfInvalid),
    async (c) => {
      const { id } = c.req.valid("param");
      await uploadTarget(deps.store, id);
      const contentType = c.req.header("content-type") ?? "";
      if (!/^multipart\/form-data\s*;/i.test(contentType)) {
        throw new UnsupportedMediaTypeError('send the file as multipart/form-data, field "file"');
      }
      const declaredLength = declaredLengthOf(c.req.header("content-length"));
      if (declaredLength !== undefined && declaredLength > deps.maxBytes + FRAMING_BYTES) {
        throw new UploadTooLargeError(deps.maxBytes);
      }
      const body = c.req.raw.body;
      if (!body) throw new ValidationError([{ path: "file", message: "the body is empty" }]);
      const file = await multipartFile(body, {
        contentType,
        field: "file",
        maxFileBytes: deps.maxBytes,
        declaredLength,
      });
      try {
        await commands.checkStart({
          videoId: id,
          fileName: file.fileName,
          fileType: file.contentType,
        });
      } catch (error) {
        await file.body.cancel();
        throw error;
      }
      const uploaded = await acceptUpload(deps, {
        uploadId: crypto.randomUUID(),
        videoId: id,
        body: file.body,
        metadata: commandMetadata(c),
      });
      return c.json(uploaded, 201);
    },
  );
}

function declaredLengthOf(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  if (!/^\d+$/.test(header.trim())) {
    throw new ValidationError([{ path: "Content-Length", message: "must be a whole number" }]);
  }
  return Number(header);
}
