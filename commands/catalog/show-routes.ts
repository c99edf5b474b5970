/** Catalog commands on shows, their seasons and their episodes. */
import { Hono } from "hono";
import { describeRoute, validator } from "hono-openapi";
import { MetadataChanges } from "../../domain/catalog/values.ts";
import type { EventStore } from "../../domain/ports/event-store.ts";
import { throwIfInvalid } from "../../domain/shared/validation.ts";
import { handleCommand, loadAggregate } from "../handle-command.ts";
import { commandMetadata, etag, ifMatchVersion } from "../http-context.ts";
import { shows } from "./aggregates.ts";
import { addEpisode } from "./episodes.ts";
import { jsonResponse, problems } from "./openapi.ts";
import { showResource, videoResource } from "./representations.ts";
import {
  AddEpisodeBody,
  AddSeasonBody,
  CreateShowBody,
  IdParam,
  ShowResponse,
  VideoResponse,
} from "./schemas.ts";

const tags = ["catalog"];
const showAnswer = jsonResponse("The show with its seasons and episodes", ShowResponse);

export function showCommandRoutes(store: EventStore): Hono {
  const app = new Hono();

  app.post(
    "/",
    describeRoute({
      tags,
      summary: "Create a show",
      responses: { 201: showAnswer, 400: problems[400], 409: problems[409], 415: problems[415] },
    }),
    validator("json", CreateShowBody, throwIfInvalid),
    async (c) => {
      const { id = crypto.randomUUID(), ...fields } = c.req.valid("json");
      const { state, version } = await handleCommand(
        store,
        shows,
        id,
        { type: "CreateShow", data: { show_id: id, ...fields } },
        { metadata: commandMetadata(c) },
      );
      c.header("location", `/v1/shows/${id}`);
      c.header("etag", etag(version));
      return c.json(showResource(state, version, id), 201);
    },
  );

  app.get(
    "/:id",
    describeRoute({
      tags,
      summary: "Read a show",
      responses: { 200: showAnswer, 404: problems[404] },
    }),
    validator("param", IdParam, throwIfInvalid),
    async (c) => {
      const { id } = c.req.valid("param");
      const { state, version } = await loadAggregate(store, shows, id);
      c.header("etag", etag(version));
      return c.json(showResource(state, version, id));
    },
  );

  app.patch(
    "/:id",
    describeRoute({
      tags,
      summary: "Change a show's metadata (null clears a field)",
      responses: { 200: showAnswer, 400: problems[400], 404: problems[404], 409: problems[409] },
    }),
    validator("param", IdParam, throwIfInvalid),
    validator("json", MetadataChanges, throwIfInvalid),
    async (c) => {
      const { id } = c.req.valid("param");
      const { state, version } = await handleCommand(
        store,
        shows,
        id,
        { type: "UpdateShowMetadata", data: { show_id: id, changes: c.req.valid("json") } },
        { metadata: commandMetadata(c), expectedVersion: ifMatchVersion(c) },
      );
      c.header("etag", etag(version));
      return c.json(showResource(state, version, id));
    },
  );

  app.post(
    "/:id/seasons",
    describeRoute({
      tags,
      summary: "Add a season",
      responses: { 201: showAnswer, 400: problems[400], 404: problems[404], 409: problems[409] },
    }),
    validator("param", IdParam, throwIfInvalid),
    validator("json", AddSeasonBody, throwIfInvalid),
    async (c) => {
      const { id } = c.req.valid("param");
      const { state, version } = await handleCommand(
        store,
        shows,
        id,
        { type: "AddSeason", data: { show_id: id, ...c.req.valid("json") } },
        { metadata: commandMetadata(c) },
      );
      return c.json(showResource(state, version, id), 201);
    },
  );

  app.post(
    "/:id/episodes",
    describeRoute({
      tags,
      summary: "Add an episode (its season is added when missing)",
      responses: {
        201: jsonResponse("The episode", VideoResponse),
        400: problems[400],
        404: problems[404],
        409: problems[409],
      },
    }),
    validator("param", IdParam, throwIfInvalid),
    validator("json", AddEpisodeBody, throwIfInvalid),
    async (c) => {
      const { id } = c.req.valid("param");
      const episode = await addEpisode(store, id, c.req.valid("json"), {
        metadata: commandMetadata(c),
      });
      const episodeId = episode.state.status === "absent" ? "" : episode.state.video.video_id;
      c.header("location", `/v1/videos/${episodeId}`);
      return c.json(videoResource(episode.state, episode.version, episodeId), 201);
    },
  );

  for (const action of ["publish", "unpublish"] as const) {
    app.post(
      `/:id/${action}`,
      describeRoute({
        tags,
        summary: action === "publish"
          ? "Make a show visible again"
          : "Hide a show from the catalog",
        responses: { 200: showAnswer, 404: problems[404] },
      }),
      validator("param", IdParam, throwIfInvalid),
      async (c) => {
        const { id } = c.req.valid("param");
        const type = action === "publish" ? "PublishShow" : "UnpublishShow";
        const { state, version } = await handleCommand(store, shows, id, {
          type,
          data: { show_id: id },
        }, {
          metadata: commandMetadata(c),
        });
        return c.json(showResource(state, version, id));
      },
    );
  }

  app.delete(
    "/:id",
    describeRoute({
      tags,
      summary: "Delete a show that has no episodes left",
      responses: { 204: { description: "Deleted" }, 404: problems[404], 409: problems[409] },
    }),
    validator("param", IdParam, throwIfInvalid),
    async (c) => {
      const { id } = c.req.valid("param");
      await handleCommand(store, shows, id, { type: "DeleteShow", data: { show_id: id } }, {
        metadata: commandMetadata(c),
        expectedVersion: ifMatchVersion(c),
      });
      return c.body(null, 204);
    },
  );

  return app;
}
