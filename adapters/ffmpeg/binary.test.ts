import assert from "node:assert/strict";
import process from "node:process";
import { ffmpegPath, ffprobePath, MediaToolNotFoundError } from "./binary.ts";

async function runs(executable: string): Promise<boolean> {
  const { code } = await new Deno.Command(executable, { args: ["-version"], stdout: "null" })
    .output();
  return code === 0;
}

Deno.test("a configured path wins over the search", async () => {
  assert.equal(await ffprobePath("/opt/custom/ffprobe"), "/opt/custom/ffprobe");
});

Deno.test("without ffmpeg on PATH, the binary shipped by @ffmpeg-installer runs", async () => {
  const saved = process.env.PATH;
  process.env.PATH = "";
  try {
    const shipped = await ffmpegPath();
    assert.match(shipped, /@ffmpeg-installer/);
    assert.ok(await runs(shipped));
    await assert.rejects(ffprobePath(), MediaToolNotFoundError);
  } finally {
    process.env.PATH = saved;
  }
});
