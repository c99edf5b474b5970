/** GET /v1/me/sessions: the viewer's playback sessions, newest first, with their status now. */
import { Hono } from "hono";
import { describeRoute, validator } from "hono-openapi";
import * as v from "valibot";
import { requireViewer, viewerOf } from "../../commands/positions/viewer.ts";
import { sessionStatus } from "../../domain/playback/session.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import { throwIfInvalid } from "../../domain/shared/validation.ts";
import { viewerSessions } from "../../projections/sessions/queries.ts";
import { json, wholeNumberParam } from "../openapi.ts";

const SessionsQuery = v.strictObject({
  status: v.optional(v.picklist(["playing", "ended", "failed", "dropped", "all"]), "all"),
  limit: v.optional(wholeNumberParam(1, 100), "20"),
});

/** `heartbeatSec`: the players' heartbeat interval; three silent intervals mean dropped. */
export function sessionRoutes(sql: SqlExecutor, heartbeatSec: number): Hono {
  return new Hono().get(
    "/sessions",
    describeRoute({
      tags: ["telemetry"],
      summary: "The viewer's playback sessions with their status (playing, ended, failed, dropped)",
      description: `A session silent for ${3 * heartbeatSec} s (three heartbeats) is dropped; ` +
        "watch time is what its last event reported.",
      responses: { 200: json("The sessions, newest first"), 401: json("Not signed in") },
    }),
    requireViewer,
    validator("query", SessionsQuery, throwIfInvalid),
    async (c) => {
      const viewer = viewerOf(c);
      const { status, limit } = c.req.valid("query");
      // The status filter is applied here: "dropped" depends on the clock, not on a stored value.
      const now = Date.now();
      const sessions = (await viewerSessions(sql, viewer, 500))
        .map((session) => ({ ...session, status: sessionStatus(session, now, heartbeatSec) }))
        .filter((session) => status === "all" || session.status === status)
        .slice(0, limit);
      return c.json({ sessions });
    },
  );
}
