/** Load from wrk (one thread, a few connections) and the checks the edge must pass. */
export interface LoadResult {
  requests: number;
  bytes: number;
  seconds: number;
  p99_ms: number;
  errors: number;
}

export type Workload =
  | { kind: "range"; path: string; fileSize: number; rangeBytes: number }
  | { kind: "paths"; base: string; count: number };

export async function runWrk(
  wrk: string,
  port: number,
  workload: Workload,
  options: { connections: number; seconds: number },
): Promise<LoadResult> {
  const script = new URL("./wrk.lua", import.meta.url).pathname;
  const args = workload.kind === "range"
    ? ["range", workload.path, String(workload.fileSize), String(workload.rangeBytes)]
    : ["paths", workload.base, String(workload.count)];
  const { stdout, success, stderr } = await new Deno.Command(wrk, {
    args: [
      "-t1",
      `-c${options.connections}`,
      `-d${options.seconds}s`,
      "-s",
      script,
      `http://127.0.0.1:${port}`,
      "--",
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(stdout);
  const line = text.split("\n").find((l) => l.startsWith("{"));
  if (!success || !line) throw new Error(`wrk failed: ${text}${new TextDecoder().decode(stderr)}`);
  return JSON.parse(line);
}

/** Status of one GET (the body is dropped). */
export async function statusOf(url: string, headers: Record<string, string> = {}): Promise<number> {
  const response = await fetch(url, { headers });
  await response.body?.cancel();
  return response.status;
}
