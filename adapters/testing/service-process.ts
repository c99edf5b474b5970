/**
 * Runs the service as a child process, as a user would, and finds its address in the "listening"
 * log line. For end-to-end tests of the runtime entry points.
 */
export interface ServiceProcess {
  url: string;
  /** The process id, e.g. for reading its memory. */
  pid: number;
  /** JSON log lines (and any other output) so far. */
  output: string[];
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: Deno.Signal): Promise<number>;
}

export function startService(
  command: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<ServiceProcess> {
  const child = spawn(command, args, env);
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`service did not listen within ${timeoutMs} ms:\n${output.join("\n")}`));
    }, timeoutMs);
    const finished = child.status.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code} before listening:\n${output.join("\n")}`));
      return code;
    });
    collectLines(child, output, (line) => {
      const url = listeningUrl(line);
      if (!url) return;
      clearTimeout(timer);
      resolve({
        url,
        pid: child.pid,
        output,
        stop: (signal = "SIGTERM") => (child.kill(signal), finished),
      });
    });
  });
}

/** Runs the command to its end and returns its exit code and output (for start-up failures). */
export async function runToExit(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; output: string }> {
  const child = spawn(command, args, env);
  const output: string[] = [];
  const done = collectLines(child, output, () => {});
  const { code } = await child.status;
  await done;
  return { code, output: output.join("\n") };
}

/**
 * Services started by tests run with AUTH_MODE=off unless the test sets it: their callers name
 * themselves with X-User-Id. Auth tests pass AUTH_MODE=on explicitly.
 */
function spawn(command: string, args: string[], env: Record<string, string>): Deno.ChildProcess {
  return new Deno.Command(command, {
    args,
    env: { AUTH_MODE: "off", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

function collectLines(
  child: Deno.ChildProcess,
  output: string[],
  onLine: (line: string) => void,
): Promise<void[]> {
  return Promise.all([child.stdout, child.stderr].map(async (stream) => {
    let pending = "";
    for await (const text of stream.pipeThrough(new TextDecoderStream())) {
      const lines = (pending + text).split("\n");
      pending = lines.pop()!;
      for (const line of lines) {
        output.push(line);
        onLine(line);
      }
    }
    if (pending) output.push(pending);
  }));
}

function listeningUrl(line: string): string | undefined {
  try {
    const entry = JSON.parse(line);
    return entry.message === "listening" ? entry.url : undefined;
  } catch {
    return undefined;
  }
}
