/**
 * The service killed with SIGKILL while it writes and while its projection replays, then started
 * again: every acknowledged write is there, and the read model counts each event exactly once.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { integrationTest } from "../testing/integration.ts";
import { withScratchDatabase } from "../testing/scratch-database.ts";
import { startService } from "../testing/service-process.ts";

type Profile = Record<string, string>;

const start = (profile: Profile) =>
  startService(Deno.execPath(), ["run", "-P=server", "main.ts"], {
    PORT: "0",
    PROJECTION_BATCH_SIZE: "10",
    ...profile,
  });

async function createMovies(url: string, count: number, acknowledged: string[]) {
  await Promise.all(Array.from({ length: 4 }, async (_, worker) => {
    for (let i = worker; i < count; i += 4) {
      const id = crypto.randomUUID();
      try {
        const response = await fetch(`${url}/v1/videos`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ id, content_type: "movie", title: `Movie ${i}` }),
        });
        await response.body?.cancel();
        if (response.status === 201) acknowledged.push(id);
      } catch {
        return; // the server is gone
      }
    }
  }));
}

async function caughtUp(url: string) {
  for (let tries = 0; tries < 400; tries++) {
    const { projections } = await (await fetch(`${url}/v1/projections`)).json();
    const [live] = projections[0].generations.filter((g: { status: string }) =>
      g.status === "live"
    );
    if (live && live.events_behind === 0 && projections[0].generations.length === 1) return live;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the catalog projection did not catch up");
}

async function readModelTotal(url: string): Promise<number> {
  return (await (await fetch(`${url}/v1/videos?status=all&limit=1`)).json()).total;
}

/** Writes, SIGKILL, replay, SIGKILL, restart: then checks what survived. */
async function crashTwiceAndCheck(profile: Profile) {
  const acknowledged: string[] = [];
  // 1. Killed while clients are writing and the projection is following.
  const first = await start(profile);
  const writing = createMovies(first.url, 400, acknowledged);
  while (acknowledged.length < 150) await new Promise((resolve) => setTimeout(resolve, 5));
  await first.stop("SIGKILL");
  await writing;

  // 2. Killed while the projection replays everything from the start.
  const second = await start(profile);
  await caughtUp(second.url);
  await (await fetch(`${second.url}/v1/projections/catalog/reset`, { method: "POST" })).body
    ?.cancel();
  await new Promise((resolve) => setTimeout(resolve, 150));
  await second.stop("SIGKILL");

  const third = await start(profile);
  const live = await caughtUp(third.url);
  const total = await readModelTotal(third.url);
  assert.ok(total >= acknowledged.length, `${total} videos, ${acknowledged.length} acknowledged`);
  assert.equal(live.events_applied, total, "each event applied once");
  for (const id of acknowledged) {
    const response = await fetch(`${third.url}/v1/videos/${id}`);
    await response.body?.cancel();
    assert.equal(response.status, 200, `acknowledged video ${id}`);
  }
  await third.stop();
}

Deno.test("embedded: SIGKILL during writes and during a replay loses no acknowledged write and counts nothing twice", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "streaming-crash-"));
  try {
    await crashTwiceAndCheck({ DATA_DIR: dataDir });
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

integrationTest({
  name:
    "PostgreSQL: SIGKILL during writes and during a replay loses no acknowledged write and counts nothing twice",
  requires: ["POSTGRES_URL"],
  fn: ({ POSTGRES_URL }) =>
    withScratchDatabase(
      POSTGRES_URL,
      (url) => crashTwiceAndCheck({ EVENT_STORE: "postgres", POSTGRES_URL: url }),
    ),
});
