/** Sends playback batches to a running service from several workers and records what got a 202. */

export function playbackBatch(size: number) {
  const session = crypto.randomUUID();
  return {
    sent_at: new Date().toISOString(),
    events: Array.from({ length: size }, (_, seq) => ({
      event_id: crypto.randomUUID(),
      type: "heartbeat",
      session_id: session,
      seq,
      content_id: "movie-1",
      timestamp: new Date().toISOString(),
      position_sec: seq * 10,
    })),
  };
}

export function postBatch(url: string, batch: ReturnType<typeof playbackBatch>): Promise<Response> {
  return fetch(`${url}/v1/events`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(batch),
  });
}

/**
 * Keeps `workers` clients sending batches until the server goes away or `stop` aborts; the ids of
 * events answered 202 are added to `acknowledged`.
 */
export async function sendUntilGone(
  url: string,
  acknowledged: Set<string>,
  { workers = 4, batchSize = 20, stop }: {
    workers?: number;
    batchSize?: number;
    stop?: AbortSignal;
  } = {},
): Promise<void> {
  await Promise.all(Array.from({ length: workers }, async () => {
    while (!stop?.aborted) {
      const batch = playbackBatch(batchSize);
      try {
        const response = await postBatch(url, batch);
        await response.body?.cancel();
        if (response.status === 202) batch.events.forEach((e) => acknowledged.add(e.event_id));
      } catch {
        return; // the server is gone
      }
    }
  }));
}
