/**
 * The several-process case: `count` API processes (api-process.ts) listening on one port with
 * SO_REUSEPORT, as a production host runs one per core, loaded by the same generator as the
 * single-process cases.
 */
import type { TelemetryCompression } from "../../../adapters/kafka/producer.ts";
import { generateLoad, type LoadOptions } from "./load.ts";
import type { ThroughputResult } from "./throughput.ts";

export interface ProcessesOptions extends LoadOptions {
  topic: string;
  partitions: number;
  compression: TelemetryCompression;
}

export async function ingestThroughputAcross(
  count: number,
  options: ProcessesOptions,
): Promise<ThroughputResult> {
  const port = freePort();
  const script = new URL("./api-process.ts", import.meta.url).pathname;
  const args = [port, options.topic, options.partitions, options.compression, options.batchSize];
  const children: Deno.ChildProcess[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const child = new Deno.Command(Deno.execPath(), {
        // SO_REUSEPORT is behind --unstable-net in Deno 2.
        args: ["run", "-P=test", "--unstable-net", script, ...args.map(String)],
        stdout: "piped",
        stderr: "inherit",
      }).spawn();
      children.push(child);
      await untilListening(child);
    }
    return await generateLoad(`http://127.0.0.1:${port}/v1/events`, options);
  } finally {
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(children.map((child) => child.status));
  }
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

async function untilListening(child: Deno.ChildProcess): Promise<void> {
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("listening")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`an API process did not start: ${text}`);
    text += value;
  }
  reader.releaseLock();
  child.stdout.cancel().catch(() => {});
}
