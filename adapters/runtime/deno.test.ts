/** The service as a user runs it (`deno task start`): start, write, stop gracefully, restart, read. */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runToExit, startService } from "../testing/service-process.ts";

const run = (env: Record<string, string>) =>
  startService(Deno.execPath(), ["run", "-P=server", "main.ts"], { PORT: "0", ...env });

async function post(url: string, body: unknown) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** GETs until the read model has it (projections catch up right after start). */
async function eventually(url: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(url);
    if (response.ok || Date.now() > deadline) return await response.json();
    await response.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

Deno.test("the embedded service keeps its catalog across a graceful restart", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "streaming-e2e-"));
  try {
    const first = await run({ DATA_DIR: dataDir });
    const movie = await post(`${first.url}/v1/videos`, { content_type: "movie", title: "Arrival" });
    const show = await post(`${first.url}/v1/shows`, { title: "Dark" });
    const episode = await post(`${first.url}/v1/shows/${show.body.id}/episodes`, {
      season_number: 1,
      episode_number: 1,
      title: "Secrets",
    });
    assert.deepEqual([movie.status, show.status, episode.status], [201, 201, 201]);
    const bad = await post(`${first.url}/v1/videos`, { content_type: "movie" });
    assert.equal(bad.status, 400);

    assert.equal(await first.stop("SIGTERM"), 0, first.output.join("\n"));
    assert.ok(
      first.output.some((line) => line.includes('"message":"stopped"')),
      first.output.join("\n"),
    );

    const second = await run({ DATA_DIR: dataDir });
    const movieAgain = await eventually(`${second.url}/v1/videos/${movie.body.id}`);
    const showAgain = await eventually(`${second.url}/v1/shows/${show.body.id}`);
    assert.equal(movieAgain.title, "Arrival");
    assert.equal(showAgain.seasons[0].episodes[0].id, episode.body.id);
    assert.equal(await second.stop("SIGINT"), 0);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

Deno.test("a bad setting stops start-up with a message naming the variable", async () => {
  const { code, output } = await runToExit(Deno.execPath(), ["run", "-P=server", "main.ts"], {
    PORT: "http",
    EVENT_STORE: "mysql",
  });
  assert.equal(code, 2);
  assert.match(output, /PORT: PORT must be a whole number \(got "http"\)/);
  assert.match(output, /EVENT_STORE must be pglite, postgres or eventstoredb/);
});
