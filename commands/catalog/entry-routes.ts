/**
 * The commands videos and shows share: create, change metadata, publish, unpublish, delete. Reads
 * are served from the catalog read model (read-api/catalog). Each route file states only what differs (schemas, commands, representations) in a CatalogEntry.
 */
import { Hono } from "hono";
import { describeRoute, validator } from "hono-openapi";
import type * as v from "valibot";
import { MetadataChanges } from "../../domain/catalog/values.ts";
import type { EventStore } from "../../domain/ports/event-store.ts";
import type { DomainEvent } from "../../domain/shared/decider.ts";
import { throwIfInvalid } from "../../domain/shared/validation.ts";
import { type Aggregate, type CommandOptions, handleCommand } from "../handle-command.ts";
import { type CommandDeps, commandOptions, etag, ifMatchVersion } from "../http-context.ts";
import { jsonResponse, problems } from "./openapi.ts";
import { IdParam } from "./schemas.ts";

type CreateBody = v.GenericSchema<unknown, { id?: string }>;

export interface CatalogEntry<Command, Event extends DomainEvent, State, Body extends CreateBody> {
  /** "video" or "show": the path is /v1/<noun>s. */
  noun: string;
  aggregate: Aggregate<Command, Event, State>;
  /** The resource the API shows for a state; throws NotFoundError when there is none. */
  resource: (state: State, version: number, id: string) => object;
  responseSchema: v.GenericSchema;
  createSchema: Body;
  summaries: { create: string; delete: string };
  create: (id: string, fields: Omit<v.InferOutput<Body>, "id">) => Command;
  update: (id: string, changes: MetadataChanges) => Command;
  publish: (id: string) => Command;
  unpublish: (id: string) => Command;
  delete: (store: EventStore, id: string, options: CommandOptions) => Promise<unknown>;
}

const tags = ["catalog"];

export function catalogEntryRoutes<
  Command,
  Event extends DomainEvent,
  State,
  Body extends CreateBody,
>(
  deps: CommandDeps,
  entry: CatalogEntry<Command, Event, State, Body>,
): Hono {
  const { store } = deps;
  const app = new Hono();
  const answer = jsonResponse(`The ${entry.noun}`, entry.responseSchema);
  const handle = (id: string, command: Command, options: CommandOptions) =>
    handleCommand(store, entry.aggregate, id, command, options);

  app.post(
    "/",
    describeRoute({
      tags,
      summary: entry.summaries.create,
      responses: { 201: answer, 400: problems[400], 409: problems[409], 415: problems[415] },
    }),
    validator("json", entry.createSchema, throwIfInvalid),
    async (c) => {
      const { id = crypto.randomUUID(), ...fields } = c.req.valid("json") as v.InferOutput<Body>;
      const { state, version } = await handle(
        id,
        entry.create(id, fields),
        commandOptions(c, deps),
      );
      c.header("location", `/v1/${entry.noun}s/${id}`);
      c.header("etag", etag(version));
      return c.json(entry.resource(state, version, id), 201);
    },
  );

  app.patch(
    "/:id",
    describeRoute({
      tags,
      summary:
        `Change a ${entry.noun}'s metadata (null clears a field; If-Match guards against lost updates)`,
      responses: { 200: answer, 400: problems[400], 404: problems[404], 409: problems[409] },
    }),
    validator("param", IdParam, throwIfInvalid),
    validator("json", MetadataChanges, throwIfInvalid),
    async (c) => {
      const { id } = c.req.valid("param");
      const options = { ...commandOptions(c, deps), expectedVersion: ifMatchVersion(c) };
      const { state, version } = await handle(id, entry.update(id, c.req.valid("json")), options);
      c.header("etag", etag(version));
      return c.json(entry.resource(state, version, id));
    },
  );

  for (const action of ["publish", "unpublish"] as const) {
    app.post(
      `/:id/${action}`,
      describeRoute({
        tags,
        summary: action === "publish"
          ? `Make a ${entry.noun} visible again`
          : `Hide a ${entry.noun} from the catalog`,
        responses: { 200: answer, 404: problems[404] },
      }),
      validator("param", IdParam, throwIfInvalid),
      async (c) => {
        const { id } = c.req.valid("param");
        const { state, version } = await handle(id, entry[action](id), commandOptions(c, deps));
        c.header("etag", etag(version));
        return c.json(entry.resource(state, version, id));
      },
    );
  }

  app.delete(
    "/:id",
    describeRoute({
      tags,
      summary: entry.summaries.delete,
      responses: { 204: { description: "Deleted" }, 404: problems[404], 409: problems[409] },
    }),
    validator("param", IdParam, throwIfInvalid),
    async (c) => {
      const { id } = c.req.valid("param");
      await entry.delete(store, id, {
        ...commandOptions(c, deps),
        expectedVersion: ifMatchVersion(c),
      });
      return c.body(null, 204);
    },
  );

  return app;
}
