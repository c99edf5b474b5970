/** OpenAPI descriptions of the tus endpoint (the protocol itself is specified at tus.io). */
import type { DescribeRouteOptions } from "hono-openapi";
import { problem, problems } from "../../commands/catalog/openapi.ts";

const tags = ["media"];
const tusResumable = {
  name: "Tus-Resumable",
  in: "header" as const,
  required: true,
  schema: { type: "string" as const, enum: ["1.0.0"] },
};
const uploadId = {
  name: "id",
  in: "path" as const,
  required: true,
  schema: { type: "string" as const, format: "uuid" },
};
const noContent = (description: string) => ({ description });

export function tusDocs(maxBytes: number): Record<string, DescribeRouteOptions> {
  return {
    create: {
      tags,
      summary: "Start a resumable upload (tus creation)",
      description: "OPTIONS on this path answers the server's tus version, extensions " +
        "(creation, termination, expiration, checksum), Tus-Max-Size and Tus-Checksum-Algorithm. " +
        "POST takes Upload-Length (at most " + `${maxBytes} bytes) and Upload-Metadata with ` +
        "`video_id` (base64 of the item's UUID), optionally `filename` and `filetype`. Answers 201 " +
        "with the upload URL in Location. Unfinished uploads expire (Upload-Expires).",
      parameters: [
        tusResumable,
        { name: "Upload-Length", in: "header", required: true, schema: { type: "integer" } },
        { name: "Upload-Metadata", in: "header", required: true, schema: { type: "string" } },
      ],
      responses: {
        201: noContent("Created; Location is the upload URL"),
        400: problems[400],
        404: problems[404],
        413: problem("Upload-Length is over the limit"),
        415: problem("filetype is not audio or video"),
      },
    },
    patch: {
      tags,
      summary: "Send bytes at the upload's offset (HEAD on the same URL answers the offset)",
      description: "Body application/offset+octet-stream from Upload-Offset. With " +
        "`Upload-Checksum: sha1|sha256|md5 <base64>` the chunk is kept only when it matches " +
        "(460 otherwise). The last chunk runs the same check as a simple upload: 204 once " +
        "VideoUploaded is recorded, 422 with the reason once UploadRejected is.",
      parameters: [tusResumable, uploadId],
      responses: {
        204: noContent("Stored; Upload-Offset is the new offset"),
        400: problems[400],
        404: problems[404],
        409: problem("Upload-Offset is not the upload's offset"),
        410: noContent("The upload expired"),
        422: problem("The finished upload is not media this item can take"),
        460: noContent("Upload-Checksum does not match the body"),
      },
    },
    terminate: {
      tags,
      summary: "Abandon an unfinished upload and remove its parts (tus termination)",
      parameters: [tusResumable, uploadId],
      responses: { 204: noContent("Removed"), 404: problems[404] },
    },
  };
}
