/**
 * GET /v1/me/sync, upgraded to a WebSocket: the viewer's other devices' playback states, live
 * (seed 004). The socket subscribes to the viewer's channel on the PubSub port, so a state
 * accepted by any API process reaches it; after subscribing it sends `{"type":"subscribed"}`,
 * and from then on every `playback_state` message except those of its own device (`device_id`).
 * Messages from the client are ignored: devices report through POST /v1/events and
 * PUT /v1/me/positions, which are durable; the socket only tells. A socket opened with an access
 * token closes (1008) when the token's sign-in session ends (session-ends.ts).
 */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { UpgradeWebSocket, WSContext, WSEvents } from "hono/ws";
import { describeRoute } from "hono-openapi";
import { syncChannel } from "../../domain/device-sync/playback-state.ts";
import type { Logger } from "../../domain/ports/logger.ts";
import type { PubSub, Unsubscribe } from "../../domain/ports/pubsub.ts";
import type { Identity } from "../../domain/accounts/identity.ts";
import { identityOf } from "../../commands/identity.ts";
import type { SessionSockets } from "./session-ends.ts";

export interface DeviceSyncDeps {
  pubsub: PubSub;
  /** The runtime's WebSocket upgrade (hono/deno on Deno, @hono/node-server on Node). */
  upgradeWebSocket: UpgradeWebSocket;
  logger: Logger;
  /** With auth on: closes each socket when its sign-in session ends. */
  sessionSockets?: SessionSockets;
}

export function deviceSyncRoutes(deps: DeviceSyncDeps): Hono {
  return new Hono().get(
    "/sync",
    describeRoute({
      tags: ["watch history"],
      summary: "WebSocket: the viewer's other devices' play, pause, seek and stop, live",
      description: "Upgrade with `Upgrade: websocket`. Identity from X-User-Id/X-Profile-Id, or " +
        "the `user_id`/`profile_id` query parameters (browsers cannot set WebSocket headers); " +
        "`device_id` names this device so its own states are not echoed. The server first " +
        'sends `{"type":"subscribed"}`, then `{"type":"playback_state","action","state":' +
        '"playing|paused|stopped","content_id","position_sec","session_id","device_id",' +
        '"event_id","event_time"}` for each state change of the viewer\'s other devices. ' +
        "Delivery is live and at most once: a reconnecting client re-reads positions. A socket " +
        "opened with an access token closes with 1008 when the token's sign-in session ends " +
        "(logout, password change), within a minute at worst.",
      responses: {
        101: { description: "Switching to the WebSocket protocol" },
        401: { description: "No user" },
        426: { description: "Not a WebSocket upgrade request" },
      },
    }),
    deps.upgradeWebSocket((c) =>
      syncSocket(deps, identityOf(c), c.req.query("device_id") || undefined)
    ),
    () => {
      throw new HTTPException(426, { message: "this route speaks WebSocket: send Upgrade" });
    },
  );
}

function syncSocket(deps: DeviceSyncDeps, identity: Identity, deviceId?: string): WSEvents {
  let unsubscribe: Unsubscribe | undefined;
  let forgetSession: (() => void) | undefined;
  let closed = false;
  const channel = syncChannel(identity);
  return {
    onOpen: async (_event, ws: WSContext) => {
      try {
        unsubscribe = await deps.pubsub.subscribe(channel, (message) => {
          if (deviceId !== undefined && message.device_id === deviceId) return;
          if (ws.readyState === 1) ws.send(JSON.stringify(message));
        });
        if (identity.sessionId && deps.sessionSockets) {
          forgetSession = await deps.sessionSockets.watch(identity.sessionId, () => {
            ws.close(1008, "the session has ended: sign in again");
          });
        }
      } catch (error) {
        deps.logger.warn("device sync subscribe failed", { channel, error });
        ws.close(1011, "sync unavailable, retry later");
        return;
      }
      // Closed while subscribing: leave at once.
      if (closed) return void await leave();
      if (ws.readyState === 1) ws.send(JSON.stringify({ type: "subscribed" }));
    },
    onClose: async () => {
      closed = true;
      await leave();
    },
  };

  async function leave() {
    forgetSession?.();
    await unsubscribe?.();
  }
}
