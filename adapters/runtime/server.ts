/** What main.ts needs of a runtime: serve a fetch handler, and tell when to shut down. */
import type { UpgradeWebSocket } from "hono/ws";

export type FetchHandler = (request: Request) => Response | Promise<Response>;

export interface RunningServer {
  /** The bound port (useful when 0 asked for any free port). */
  port: number;
  /** Stops accepting connections and resolves when in-flight requests have finished. */
  shutdown(): Promise<void>;
}

export interface Runtime {
  serve(fetch: FetchHandler, options: { host: string; port: number }): Promise<RunningServer>;
  /** Calls `handler` once on the first SIGINT or SIGTERM. */
  onShutdownSignal(handler: (signal: string) => void): void;
  exit(code: number): never;
  /** Hono's WebSocket upgrade for this runtime's server (multi-device sync). */
  upgradeWebSocket: UpgradeWebSocket;
}
