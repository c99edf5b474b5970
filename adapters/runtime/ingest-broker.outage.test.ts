/**
 * The Kafka broker stopped while players send telemetry: the API answers 503 with Retry-After,
 * nothing it accepted is lost, and it accepts again once the broker is back.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KafkaTelemetryLog } from "../kafka/telemetry-log.ts";
import { deleteTopics, engine } from "../testing/engines.ts";
import { playbackBatch, postBatch } from "../testing/ingest-load.ts";
import { integrationTest } from "../testing/integration.ts";
import { startService } from "../testing/service-process.ts";

const name =
  "the broker stopped: the API answers 503, then accepts again, and loses nothing it accepted";
integrationTest({ name, requires: ["KAFKA_BROKERS"], stopsSharedEngines: true, fn: brokerOutage });

async function brokerOutage({ KAFKA_BROKERS }: { KAFKA_BROKERS: string }) {
  const dataDir = await mkdtemp(join(tmpdir(), "streaming-outage-"));
  const topic = `ingest-outage-${crypto.randomUUID()}`;
  const brokers = KAFKA_BROKERS.split(",");
  const accepted: string[] = [];
  const service = await startService(Deno.execPath(), ["run", "-P=server", "main.ts"], {
    PORT: "0",
    DATA_DIR: dataDir,
    TELEMETRY_LOG: "kafka",
    KAFKA_BROKERS,
    KAFKA_TOPIC: topic,
  });
  const send = async () => {
    const batch = playbackBatch(10);
    const response = await postBatch(service.url, batch);
    if (response.status === 202) accepted.push(...batch.events.map((e) => e.event_id));
    return response;
  };
  let brokerDown = false;
  try {
    assert.equal((await send()).status, 202);
    await engine("down", "kafka");
    brokerDown = true;
    const refused = await send();
    assert.equal(refused.status, 503);
    assert.ok(Number(refused.headers.get("retry-after")) > 0);
    assert.equal((await refused.json()).status, 503);
    assert.equal(
      (await (await fetch(`${service.url}/ready`)).json()).checks.telemetry_log === "ok",
      false,
    );

    await engine("up", "kafka");
    brokerDown = false;
    const deadline = Date.now() + 60_000;
    let status = 0;
    while (status !== 202 && Date.now() < deadline) {
      const response = await send();
      status = response.status;
      await response.body?.cancel();
      if (status !== 202) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.equal(status, 202, "accepts again once the broker is back");

    const log = new KafkaTelemetryLog({ brokers, topic });
    const logged = new Set<string>();
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 20_000);
    for await (
      const batch of log.consume({
        group: crypto.randomUUID(),
        startOffset: () => Promise.resolve(undefined),
        signal: abort.signal,
      })
    ) {
      batch.records.forEach((r) => logged.add(r.value.event_id as string));
      if (accepted.every((id) => logged.has(id))) abort.abort();
    }
    clearTimeout(timer);
    await log.close();
    assert.deepEqual(
      accepted.filter((id) => !logged.has(id)),
      [],
      "every accepted event is in the log",
    );
  } finally {
    if (brokerDown) await engine("up", "kafka");
    await service.stop();
    await deleteTopics(brokers, [topic]);
    await rm(dataDir, { recursive: true, force: true });
  }
}
