/**
 * Sockets for postgres.js with Nagle's algorithm off (TCP_NODELAY), as libpq and most drivers set.
 * postgres.js leaves it on, so a small write that follows another before the server acknowledged it
 * waits for that acknowledgement, which Linux delays up to 40 ms: a COPY's last data and CopyDone,
 * or a statement sent right after a COPY, each stalled that long (a transaction with a two-row COPY
 * took about 88 ms instead of 3-8 ms).
 */
import net from "node:net";

/** What postgres.js passes its `socket` option: its parsed hosts and ports, or a Unix socket path. */
export interface SocketTarget {
  host: readonly string[];
  port: readonly number[];
  path?: string | false;
}

/**
 * A `socket` option for postgres.js: a socket with TCP_NODELAY, taking the URL's hosts in turn from
 * one connection attempt to the next as postgres.js does with its own. It is handed over while it
 * connects: postgres.js queues its first message, and sees a failure as its own socket's `error`
 * and `close` (so a refused connection fails the queries waiting for it).
 */
export function noDelaySockets(): (target: SocketTarget) => net.Socket {
  let next = 0;
  return ({ host, port, path }) => {
    const index = next++ % host.length;
    const socket = path ? net.connect(path) : net.connect(port[index] ?? port[0]!, host[index]);
    return socket.setNoDelay(true);
  };
}
