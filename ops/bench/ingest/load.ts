/**
 * The ingest benchmark's load generator: wrk (a C HTTP client, in a process of its own) with
 * wrk.lua, which sends batches of heartbeats, every event unique, from a body built once with only
 * the ids patched in per request. It replaced clients written in Deno (fetch on a Worker thread,
 * one JSON body per request), which spent about 3x the CPU per event on the same two cores as the
 * server. A tenth as many posts warm up first; then the timed ones, as fast as the connections go
 * or paced at a number of posts/s.
 */
import { ensureDebianTool } from "../media/servers.ts";

export interface LoadOptions {
  batches: number;
  batchSize: number;
  clients: number;
  /** Posts per second for the timed posts; 0 or absent: as fast as the clients go. */
  rate?: number;
}

export interface LoadResult {
  events: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU seconds wrk used over the timed posts. */
  generatorCpuSeconds: number;
}

interface WrkSummary {
  answers: number;
  accepted: number;
  seconds: number;
  p50_ms: number;
  p99_ms: number;
  failed: number;
  cpu_seconds: number;
}

/** Warms up, then runs the timed posts against `url`; `timed` wraps the timed part. */
export async function generateLoad(
  url: string,
  options: LoadOptions,
  timed: <T>(run: () => Promise<T>) => Promise<T> = (run) => run(),
): Promise<LoadResult> {
  const wrk = await ensureDebianTool("wrk", "wrk");
  if (!wrk) throw new Error("the ingest benchmark needs wrk (Debian package wrk)");
  await runWrk(wrk, url, Math.max(1, Math.ceil(options.batches / 10)), options);
  const summary = await timed(() => runWrk(wrk, url, options.batches, options));
  return {
    events: summary.accepted,
    seconds: summary.seconds,
    p50Ms: summary.p50_ms,
    p99Ms: summary.p99_ms,
    generatorCpuSeconds: summary.cpu_seconds,
  };
}

/** One wrk run of `posts` posts: one thread, `clients` connections. */
async function runWrk(
  wrk: string,
  url: string,
  posts: number,
  { batchSize, clients, rate = 0 }: LoadOptions,
): Promise<WrkSummary> {
  const script = new URL("./wrk.lua", import.meta.url).pathname;
  const child = new Deno.Command(wrk, {
    // wrk runs for its -d however soon the script stops; SIGINT ends it once the posts are in.
    args: ["-t1", `-c${clients}`, "-d600s", "-s", script, url, "--", posts, batchSize, rate]
      .map(String),
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  let output = "";
  for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
    const stopped = (output + chunk).includes("stopped\n") && !output.includes("stopped\n");
    output += chunk;
    if (stopped) child.kill("SIGINT");
  }
  const { success } = await child.status;
  const json = output.split("\n").find((line) => line.startsWith('{"answers"'));
  if (!success || !json) throw new Error(`wrk failed: ${output}${await stderr}`);
  const summary: WrkSummary = JSON.parse(json);
  if (summary.failed > 0 || summary.answers !== posts) {
    throw new Error(
      `POST /v1/events: ${summary.failed} of ${summary.answers} posts not answered 202`,
    );
  }
  return summary;
}
