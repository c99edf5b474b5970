/**
 * For tests of multi-device sync: a device as a real WebSocket client of a served app, and the
 * requests a player sends. Messages are queued, so a test reads them in order with `next()`.
 */
export interface SyncDevice {
  /** The next message (parsed), failing after `timeoutMs` rather than hanging the test. */
  next(timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves with the close's code and reason, whoever closed the socket. */
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

/**
 * Opens /v1/me/sync as this user and device and waits until it is subscribed: `user` is the user
 * id with AUTH_MODE=off, `{ accessToken }` the access token with auth on.
 */
export async function connectDevice(
  baseUrl: string,
  user: string | { accessToken: string },
  deviceId: string,
): Promise<SyncDevice> {
  const url = new URL("/v1/me/sync", baseUrl.replace(/^http/, "ws"));
  if (typeof user === "string") url.searchParams.set("user_id", user);
  else url.searchParams.set("access_token", user.accessToken);
  url.searchParams.set("device_id", deviceId);
  const socket = new WebSocket(url);
  const queued: Record<string, unknown>[] = [];
  const waiting: ((message: Record<string, unknown>) => void)[] = [];
  socket.onmessage = (event) => {
    const message = JSON.parse(String(event.data));
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else queued.push(message);
  };
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.addEventListener("close", ({ code, reason }) => resolve({ code, reason }))
  );
  const device: SyncDevice = {
    next(timeoutMs = 5_000) {
      const message = queued.shift();
      if (message) return Promise.resolve(message);
      return new Promise((resolve, reject) => {
        const waiter = (message: Record<string, unknown>) => {
          clearTimeout(timer);
          resolve(message);
        };
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(waiter), 1);
          reject(new Error(`${deviceId}: no message within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.push(waiter);
      });
    },
    closed,
    async close() {
      socket.close();
      await closed;
    },
  };
  const first = await device.next();
  if (first.type !== "subscribed") {
    throw new Error(`expected subscribed, got ${JSON.stringify(first)}`);
  }
  return device;
}

/** What a player posts: one playback event of this user's session. */
export function playbackEvent(
  user: string,
  type: string,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  return {
    event_id: crypto.randomUUID(),
    type,
    user_id: user,
    session_id: `session-${user}`,
    seq: 0,
    content_id: "episode-1",
    timestamp: new Date().toISOString(),
    ...fields,
  };
}

/** POST /v1/events with one event; the answer's status. */
export async function postEvent(baseUrl: string, event: Record<string, unknown>): Promise<number> {
  const response = await fetch(new URL("/v1/events", baseUrl), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ events: [event] }),
  });
  await response.body?.cancel();
  return response.status;
}
