/** What main.ts needs of a runtime: serve a fetch handler, and tell when to shut down. */
import type { UpgradeWebSocket } from "hono/ws";

export type FetchHandler = (request: Request) => Response | Promise<Response>;

export interface RunningServer {
  /** The bound port (useful when 0 asked for any free port). */
  port: number;
  /** Stops accepting connections and resolves when in-flight requests have finished. */
  shutdown(): Promise<void>;
}

/** A TCP connection as Deno.Conn offers it. */
export interface ByteConn {
  read(into: Uint8Array): Promise<number | null>;
  write(bytes: Uint8Array): Promise<number>;
  close(): void;
}

/** Accepted TCP connections, until closed. */
export interface ByteListener extends AsyncIterable<ByteConn> {
  /** The bound port. */
  port: number;
  close(): void;
}

export interface Runtime {
  serve(fetch: FetchHandler, options: { host: string; port: number }): Promise<RunningServer>;
  /** Plain TCP connections, for the media port (adapters/http/media-listener.ts); not on Node. */
  listen?(options: { host: string; port: number }): ByteListener;
  /** Calls `handler` once on the first SIGINT or SIGTERM. */
  onShutdownSignal(handler: (signal: string) => void): void;
  exit(code: number): never;
  /** Hono's WebSocket upgrade for this runtime's server (multi-device sync). */
  upgradeWebSocket: UpgradeWebSocket;
}
