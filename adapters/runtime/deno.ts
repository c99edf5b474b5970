/**
 * The runtime port on Deno: Deno.serve, Deno.listen (the media port), Deno's signal listeners and
 * its WebSocket upgrade.
 */
import { upgradeWebSocket } from "hono/deno";
import type { Runtime } from "./server.ts";

export const runtime: Runtime = {
  serve(fetch, { host, port }) {
    return new Promise((resolve) => {
      const server = Deno.serve({
        hostname: host,
        port,
        onListen: ({ port }) => resolve({ port, shutdown: () => server.shutdown() }),
      }, fetch);
    });
  },

  listen({ host, port }) {
    const listener = Deno.listen({ hostname: host, port });
    return {
      port: listener.addr.port,
      close: () => listener.close(),
      async *[Symbol.asyncIterator]() {
        for await (const conn of listener) {
          // Answers are written whole or in large chunks: no reason to wait for acknowledgements.
          conn.setNoDelay(true);
          yield conn;
        }
      },
    };
  },

  onShutdownSignal(handler) {
    let called = false;
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      Deno.addSignalListener(signal, () => {
        if (called) return;
        called = true;
        handler(signal);
      });
    }
  },

  exit: (code) => Deno.exit(code),

  upgradeWebSocket,
};
