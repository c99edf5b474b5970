/** Catalog commands on shows, their seasons and their episodes. */
import type { Hono } from "hono";
import { describeRoute, validator } from "hono-openapi";
import type { ShowCommand, ShowState } from "../../domain/catalog/show.ts";
import type { ShowEvent } from "../../domain/catalog/show-events.ts";
import { throwIfInvalid } from "../../domain/shared/validation.ts";
import { handleCommand } from "../handle-command.ts";
import { type CommandDeps, commandOptions } from "../http-context.ts";
import { shows } from "./aggregates.ts";
import { type CatalogEntry, catalogEntryRoutes } from "./entry-routes.ts";
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

const showEntry: CatalogEntry<ShowCommand, ShowEvent, ShowState, typeof CreateShowBody> = {
  noun: "show",
  aggregate: shows,
  resource: showResource,
  responseSchema: ShowResponse,
  createSchema: CreateShowBody,
  summaries: { create: "Create a show", delete: "Delete a show that has no episodes left" },
  create: (show_id, fields) => ({ type: "CreateShow", data: { show_id, ...fields } }),
  update: (show_id, changes) => ({ type: "UpdateShowMetadata", data: { show_id, changes } }),
  publish: (show_id) => ({ type: "PublishShow", data: { show_id } }),
  unpublish: (show_id) => ({ type: "UnpublishShow", data: { show_id } }),
  delete: (store, show_id, options) =>
    handleCommand(store, shows, show_id, { type: "DeleteShow", data: { show_id } }, options),
};

export function showCommandRoutes(deps: CommandDeps): Hono {
  const { store } = deps;
  const app = catalogEntryRoutes(deps, showEntry);

  app.post(
    "/:id/seasons",
    describeRoute({
      tags,
      summary: "Add a season",
      responses: {
        201: jsonResponse("The show", ShowResponse),
        400: problems[400],
        404: problems[404],
        409: problems[409],
      },
    }),
    validator("param", IdParam, throwIfInvalid),
    validator("json", AddSeasonBody, throwIfInvalid),
    async (c) => {
      const { id } = c.req.valid("param");
      const command = { type: "AddSeason" as const, data: { show_id: id, ...c.req.valid("json") } };
      const { state, version } = await handleCommand(
        store,
        shows,
        id,
        command,
        commandOptions(c, deps),
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
      const episode = await addEpisode(store, id, c.req.valid("json"), commandOptions(c, deps));
      const episodeId = episode.state.status === "absent" ? "" : episode.state.video.video_id;
      c.header("location", `/v1/videos/${episodeId}`);
      return c.json(videoResource(episode.state, episode.version, episodeId), 201);
    },
  );

  return app;
}
