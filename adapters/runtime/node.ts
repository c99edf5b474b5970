/**
 * The runtime port on Node.js: @hono/node-server and process signals. Node has no WebSocket
 * server of its own: @hono/node-server upgrades with a `ws` server that it feeds the upgrades.
 */
import { serve, upgradeWebSocket } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import process from "node:process";
import { WebSocketServer } from "ws";
import type { Runtime } from "./server.ts";

export const runtime: Runtime = {
  serve(fetch, { host, port }) {
    return new Promise((resolve) => {
      const websocket = { server: new WebSocketServer({ noServer: true }) };
      const server = serve(
        { fetch, hostname: host, port, websocket },
        (info: AddressInfo) =>
          resolve({
            port: info.port,
            shutdown: () => new Promise((done) => server.close(() => done())),
          }),
      );
    });
  },

  onShutdownSignal(handler) {
    let called = false;
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.on(signal, () => {
        if (called) return;
        called = true;
        handler(signal);
      });
    }
  },

  exit: (code) => process.exit(code),

  upgradeWebSocket,
};
