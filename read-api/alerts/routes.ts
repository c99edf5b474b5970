/** GET /v1/alerts: raised and resolved QoE alerts, newest first. */
import { Hono } from "hono";
import { describeRoute, validator } from "hono-openapi";
import * as v from "valibot";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import { throwIfInvalid } from "../../domain/shared/validation.ts";
import { listAlerts } from "../../projections/alerts/queries.ts";
import { json, wholeNumberParam } from "../openapi.ts";

const AlertsQuery = v.strictObject({
  status: v.optional(v.picklist(["firing", "resolved", "all"]), "all"),
  limit: v.optional(wholeNumberParam(1, 500), "50"),
});

export function alertRoutes(sql: SqlExecutor): Hono {
  return new Hono().get(
    "/",
    describeRoute({
      tags: ["qoe"],
      summary: "QoE alerts raised by the rules file, firing or resolved, newest first",
      description:
        "Each alert is raised and resolved by events on its stream `alert-<rule>-<scope>`.",
      responses: { 200: json("The alerts"), 400: json("Bad query") },
    }),
    validator("query", AlertsQuery, throwIfInvalid),
    async (c) => c.json({ alerts: await listAlerts(sql, c.req.valid("query")) }),
  );
}
