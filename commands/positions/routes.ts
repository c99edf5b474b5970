/**
 * PUT /v1/me/positions/{content_id}: where the viewer is in an item, from any device. The write
 * goes to the telemetry log like a heartbeat and is answered once the log has durably stored it;
 * the watch history projection makes it visible (GET /v1/me/positions/{content_id}).
 */
import { Hono } from "hono";
import { describeRoute, resolver, validator } from "hono-openapi";
import * as v from "valibot";
import type { TelemetryLog } from "../../domain/ports/telemetry-log.ts";
import { throwIfInvalid } from "../../domain/shared/validation.ts";
import { positionRecord, PositionReport } from "../../domain/watch-history/position-report.ts";
import { ContentId } from "../../domain/watch-history/viewer.ts";
import type { OnAccepted } from "../telemetry/on-accepted.ts";
import { requireViewer, viewerOf } from "./viewer.ts";

export interface PositionRouteDeps {
  log: TelemetryLog;
  /** Told of the record once stored (multi-device sync, positions cache). */
  onAccepted?: OnAccepted;
}

const ContentParam = v.object({ content_id: ContentId });
const PositionAnswer = v.object({
  event_id: v.string(),
  content_id: v.string(),
  position_sec: v.number(),
  event_time: v.string(),
});
const problem = (description: string) => ({ description });

export function positionRoutes(deps: PositionRouteDeps): Hono {
  return new Hono().put(
    "/positions/:content_id",
    describeRoute({
      tags: ["watch history"],
      summary: "Report the viewer's position in an item; the last one by client time wins",
      description:
        "For the signed-in user and profile (X-User-Id/X-Profile-Id with AUTH_MODE=off). `client_time` is " +
        "when the device saw the position (ISO 8601 or epoch ms): a write older than the stored " +
        "position changes nothing, so an offline device cannot move a newer position back.",
      responses: {
        202: {
          description: "Stored in the telemetry log; visible in the watch history shortly",
          content: { "application/json": { schema: resolver(PositionAnswer) } },
        },
        400: problem("A malformed position, time or id"),
        401: problem("Not signed in (no X-User-Id with AUTH_MODE=off)"),
        503: problem("The telemetry log cannot take writes now; retry after Retry-After"),
      },
    }),
    requireViewer,
    validator("param", ContentParam, throwIfInvalid),
    validator("json", PositionReport, throwIfInvalid),
    async (c) => {
      const { content_id } = c.req.valid("param");
      const record = positionRecord(c.req.valid("json"), {
        viewer: viewerOf(c),
        contentId: content_id,
        eventId: crypto.randomUUID(),
        receivedAtMs: Date.now(),
      });
      await deps.log.append([record]);
      await deps.onAccepted?.([record.value]);
      const { event_id, position_sec, timestamp } = record.value;
      return c.json({ event_id, content_id, position_sec, event_time: timestamp }, 202);
    },
  );
}
