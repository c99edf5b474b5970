import assert from "node:assert/strict";
import { jsonLogger } from "../../adapters/logging/json-logger.ts";
import { MemoryEndedSessions } from "../../adapters/memory/ended-sessions.ts";
import { MemoryPubSub } from "../../adapters/memory/pubsub.ts";
import { announcingEnds, SessionSockets } from "./session-ends.ts";

const logger = jsonLogger("silent");

/** Two processes' sockets on one pub/sub, the list of ended sessions shared (as on Redis). */
function twoProcesses(recheckMs = 60_000) {
  const pubsub = new MemoryPubSub(logger);
  const list = new MemoryEndedSessions(60_000);
  const ended = announcingEnds(list, pubsub, logger);
  const sockets = () => new SessionSockets({ pubsub, ended, logger, recheckMs });
  return { pubsub, list, ended, processes: [sockets(), sockets()] };
}

/** A socket's close, as a promise and a count. */
function closer() {
  let calls = 0;
  let resolve!: () => void;
  const closed = new Promise<void>((done) => resolve = done);
  return {
    closed,
    calls: () => calls,
    close: () => {
      calls++;
      resolve();
    },
  };
}

Deno.test("a session's end closes its sockets in every process, and no other session's", async () => {
  const { pubsub, ended, processes: [first, second] } = twoProcesses();
  const [here, there, other] = [closer(), closer(), closer()];
  const forget = await Promise.all([
    first!.watch("session-a", here.close),
    second!.watch("session-a", there.close),
    second!.watch("session-b", other.close),
  ]);
  await ended.end(["session-a"]);
  await Promise.all([here.closed, there.closed]);
  await ended.end(["session-a"]); // ended again: closed once
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual([here.calls(), there.calls(), other.calls()], [1, 1, 0]);
  for (const stop of forget) stop();
  await pubsub.close();
});

Deno.test("a socket whose session ended before it was watched closes at once", async () => {
  const { pubsub, ended, processes: [sockets] } = twoProcesses();
  await ended.end(["session-a"]);
  const socket = closer();
  await sockets!.watch("session-a", socket.close);
  assert.equal(socket.calls(), 1);
  await pubsub.close();
});

Deno.test("an end whose announcement was lost closes the socket at its next recheck", async () => {
  const { pubsub, list, processes: [sockets] } = twoProcesses(20);
  const socket = closer();
  const forget = await sockets!.watch("session-a", socket.close);
  await list.end(["session-a"]); // on the list only, as when the announcement is lost
  await socket.closed;
  assert.equal(socket.calls(), 1);
  forget();
  await pubsub.close();
});

Deno.test("a socket forgotten (closed on its own) is not closed by its session's end", async () => {
  const { pubsub, ended, processes: [sockets] } = twoProcesses(20);
  const socket = closer();
  const forget = await sockets!.watch("session-a", socket.close);
  forget();
  await ended.end(["session-a"]);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(socket.calls(), 0);
  await pubsub.close();
});
