/** Catalog commands on videos: any playable item (movie, short, documentary, episode, audio track). */
import { Hono } from "hono";
import { describeRoute, validator } from "hono-openapi";
import { MetadataChanges } from "../../domain/catalog/values.ts";
import type { EventStore } from "../../domain/ports/event-store.ts";
import { throwIfInvalid } from "../../domain/shared/validation.ts";
import { handleCommand, loadAggregate } from "../handle-command.ts";
import { commandMetadata, etag, ifMatchVersion } from "../http-context.ts";
import { videos } from "./aggregates.ts";
import { deleteVideo } from "./episodes.ts";
import { jsonResponse, problems } from "./openapi.ts";
import { videoResource } from "./representations.ts";
import { CreateVideoBody, IdParam, VideoResponse } from "./schemas.ts";

const tags = ["catalog"];
const videoAnswer = jsonResponse("The video", VideoResponse);

export function videoCommandRoutes(store: EventStore): Hono {
  const app = new Hono();

  app.post(
    "/",
    describeRoute({
      tags,
      summary: "Create a movie, short, documentary or audio track",
      responses: { 201: videoAnswer, 400: problems[400], 409: problems[409], 415: problems[415] },
    }),
    validator("json", CreateVideoBody, throwIfInvalid),
    async (c) => {
      const { id = crypto.randomUUID(), ...fields } = c.req.valid("json");
      const { state, version } = await handleCommand(
        store,
        videos,
        id,
        { type: "CreateVideo", data: { video_id: id, ...fields } },
        { metadata: commandMetadata(c) },
      );
      c.header("location", `/v1/videos/${id}`);
      c.header("etag", etag(version));
      return c.json(videoResource(state, version, id), 201);
    },
  );

  app.get(
    "/:id",
    describeRoute({
      tags,
      summary: "Read a video",
      responses: { 200: videoAnswer, 404: problems[404] },
    }),
    validator("param", IdParam, throwIfInvalid),
    async (c) => {
      const { id } = c.req.valid("param");
      const { state, version } = await loadAggregate(store, videos, id);
      c.header("etag", etag(version));
      return c.json(videoResource(state, version, id));
    },
  );

  app.patch(
    "/:id",
    describeRoute({
      tags,
      summary:
        "Change a video's metadata (null clears a field; If-Match guards against lost updates)",
      responses: { 200: videoAnswer, 400: problems[400], 404: problems[404], 409: problems[409] },
    }),
    validator("param", IdParam, throwIfInvalid),
    validator("json", MetadataChanges, throwIfInvalid),
    async (c) => {
      const { id } = c.req.valid("param");
      const { state, version } = await handleCommand(
        store,
        videos,
        id,
        { type: "UpdateVideoMetadata", data: { video_id: id, changes: c.req.valid("json") } },
        { metadata: commandMetadata(c), expectedVersion: ifMatchVersion(c) },
      );
      c.header("etag", etag(version));
      return c.json(videoResource(state, version, id));
    },
  );

  for (const action of ["publish", "unpublish"] as const) {
    app.post(
      `/:id/${action}`,
      describeRoute({
        tags,
        summary: action === "publish"
          ? "Make a video visible again"
          : "Hide a video from the catalog",
        responses: { 200: videoAnswer, 404: problems[404] },
      }),
      validator("param", IdParam, throwIfInvalid),
      async (c) => {
        const { id } = c.req.valid("param");
        const type = action === "publish" ? "PublishVideo" : "UnpublishVideo";
        const { state, version } = await handleCommand(store, videos, id, {
          type,
          data: { video_id: id },
        }, {
          metadata: commandMetadata(c),
        });
        return c.json(videoResource(state, version, id));
      },
    );
  }

  app.delete(
    "/:id",
    describeRoute({
      tags,
      summary: "Delete a video (an episode also leaves its show)",
      responses: { 204: { description: "Deleted" }, 404: problems[404] },
    }),
    validator("param", IdParam, throwIfInvalid),
    async (c) => {
      const { id } = c.req.valid("param");
      await deleteVideo(store, id, {
        metadata: commandMetadata(c),
        expectedVersion: ifMatchVersion(c),
      });
      return c.body(null, 204);
    },
  );

  return app;
}
