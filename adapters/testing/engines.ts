/** Test helpers that stop and start the engines ops/services runs, and tidy up after Kafka tests. */
import { Kafka, logLevel } from "kafkajs";

export async function engine(action: "up" | "down", name: string): Promise<void> {
  const root = new URL("../../", import.meta.url).pathname;
  const { code, stderr } = await new Deno.Command(`${root}ops/services`, {
    args: [action, name],
    cwd: root,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (code !== 0) {
    throw new Error(`ops/services ${action} ${name} failed: ${new TextDecoder().decode(stderr)}`);
  }
}

export async function deleteTopics(brokers: string[], topics: string[]): Promise<void> {
  if (topics.length === 0) return;
  const admin = new Kafka({ brokers, clientId: "telemetry-log-test", logLevel: logLevel.NOTHING })
    .admin();
  try {
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const ours = topics.filter((topic) => existing.has(topic));
    if (ours.length > 0) await admin.deleteTopics({ topics: ours });
  } finally {
    await admin.disconnect();
  }
}

export async function waitFor(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
