/**
 * ops/projections: operate the projections of a running service through its HTTP API.
 *
 *   ops/projections list              names, versions and live generations
 *   ops/projections status            generations with position, lag and dead letters
 *   ops/projections rebuild <name>    build a new generation beside the live one, wait until it is live
 *   ops/projections reset <name>      drop the read model and replay it in place
 *
 * API_URL names the service (default http://127.0.0.1:$PORT, the port the service takes too, 8080
 * when unset).
 */
import process from "node:process";

interface GenerationState {
  generation: number;
  version: number;
  status: string;
  events_applied: number;
  events_behind: number;
  seconds_behind: number;
  running_here: boolean;
}

interface ProjectionState {
  name: string;
  version: number;
  generations: GenerationState[];
  dead_letters: number;
  last_error: string | null;
}

const api = (process.env.API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 8080}`)
  .replace(/\/$/, "");

async function request(method: string, path: string): Promise<unknown> {
  const response = await fetch(`${api}${path}`, { method }).catch((error) => {
    const reason = error instanceof Error ? (error.cause ?? error).toString() : String(error);
    throw new Error(
      `cannot reach the service at ${api} (${reason}); API_URL names where it listens`,
    );
  });
  const body = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${body}`);
  return body ? JSON.parse(body) : undefined;
}

async function states(): Promise<ProjectionState[]> {
  return ((await request("GET", "/v1/projections")) as { projections: ProjectionState[] })
    .projections;
}

function describe(g: GenerationState): string {
  return `g${g.generation} v${g.version} ${g.status.padEnd(8)} applied ${g.events_applied}, ` +
    `behind ${g.events_behind} events / ${g.seconds_behind.toFixed(1)} s`;
}

async function rebuild(name: string): Promise<void> {
  const { generation } = (await request("POST", `/v1/projections/${name}/rebuild`)) as {
    generation: number;
  };
  console.log(`${name}: building generation ${generation} beside the live one`);
  for (;;) {
    const projection = (await states()).find((p) => p.name === name)!;
    const target = projection.generations.find((g) => g.generation === generation);
    if (!target) throw new Error(`generation ${generation} disappeared (was it reset meanwhile?)`);
    console.log(`  ${describe(target)}`);
    if (target.status === "live") return console.log(`${name}: generation ${generation} is live`);
    if (projection.last_error) console.log(`  last error: ${projection.last_error}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function main([command, name]: string[]): Promise<void> {
  switch (command) {
    case "list":
      for (const p of await states()) {
        const live = p.generations.find((g) => g.status === "live");
        console.log(`${p.name}\tversion ${p.version}\tlive generation ${live?.generation ?? "-"}`);
      }
      return;
    case "status":
      for (const p of await states()) {
        console.log(`${p.name} (version ${p.version}, ${p.dead_letters} dead letters)`);
        for (const g of p.generations) {
          console.log(`  ${describe(g)}${g.running_here ? "" : " (elsewhere)"}`);
        }
        if (p.last_error) console.log(`  last error: ${p.last_error}`);
      }
      return;
    case "rebuild":
    case "reset":
      if (!name) throw new Error(`usage: ops/projections ${command} <name>`);
      if (command === "rebuild") return await rebuild(name);
      console.log(await request("POST", `/v1/projections/${name}/reset`));
      return;
    default:
      throw new Error("usage: ops/projections list | status | rebuild <name> | reset <name>");
  }
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
