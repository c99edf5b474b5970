/** OpenAPI descriptions of the upload routes. */
import type { DescribeRouteOptions } from "hono-openapi";
import { VideoUploadedData } from "../../domain/media/upload-events.ts";
import { jsonResponse, problem, problems } from "../catalog/openapi.ts";

const tags = ["media"];

export function simpleUploadDoc(maxBytes: number): DescribeRouteOptions {
  return {
    tags,
    summary: "Upload a video's or audio track's source file in one request",
    description: "multipart/form-data with the file in field `file`, at most " +
      `${maxBytes} bytes (use the resumable /v1/uploads for large files). The bytes are checked ` +
      "with ffprobe: real media of the item's kind (audio for audio tracks, video otherwise) is " +
      "recorded as VideoUploaded; anything else is recorded as UploadRejected, answered 422 " +
      "with the reason, and not kept.",
    requestBody: {
      required: true,
      content: {
        "multipart/form-data": {
          schema: {
            type: "object",
            required: ["file"],
            properties: { file: { type: "string", format: "binary" } },
          },
        },
      },
    },
    responses: {
      201: jsonResponse("The upload, as VideoUploaded records it", VideoUploadedData),
      400: problems[400],
      404: problems[404],
      409: problems[409],
      413: problem("The file is larger than the upload limit"),
      415: problem("The request is not multipart/form-data, or the file is not declared as media"),
      422: problem("The bytes are not media this item can take; `detail` says why"),
    },
  };
}
