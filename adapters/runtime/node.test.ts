/** The same service on Node.js (20+): start on the embedded default, create a movie, read it back. */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startService } from "../testing/service-process.ts";
import { connectDevice, playbackEvent, postEvent } from "../../read-api/device-sync/sync-client.ts";

Deno.test("on Node.js the embedded service creates and reads a movie and syncs two devices", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "streaming-node-"));
  try {
    const service = await startService("node", ["--import", "tsx", "main.ts"], {
      PORT: "0",
      DATA_DIR: dataDir,
    });
    const created = await fetch(`${service.url}/v1/videos`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ content_type: "movie", title: "Arrival", release_year: 2016 }),
    });
    assert.equal(created.status, 201);
    const { id } = await created.json();
    let read = await fetch(`${service.url}/v1/videos/${id}`);
    for (let tries = 0; read.status === 404 && tries < 100; tries++) {
      await read.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, 50)); // the read model catches up
      read = await fetch(`${service.url}/v1/videos/${id}`);
    }
    assert.equal((await read.json()).title, "Arrival");
    // Multi-device sync over Node's WebSocket upgrade (ws).
    const tv = await connectDevice(service.url, "node-viewer", "tv");
    const phone = await connectDevice(service.url, "node-viewer", "phone");
    const pause = playbackEvent("node-viewer", "pause", { position_sec: 60, device_id: "tv" });
    assert.equal(await postEvent(service.url, pause), 202);
    assert.equal((await phone.next()).event_id, pause.event_id);
    await Promise.all([tv.close(), phone.close()]);
    assert.equal(await service.stop(), 0);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
