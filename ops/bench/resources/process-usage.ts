/**
 * A process's resident memory and CPU time so far, from /proc/<pid>/stat read through `cat`
 * (Deno reads /proc itself only with every permission granted).
 */
export interface ProcessUsage {
  rssMiB: number;
  /** User plus system CPU time since the process started, in seconds. */
  cpuSec: number;
}

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICKS_PER_SEC = 100;
const PAGE_BYTES = 4096;

export async function processUsage(pid: number): Promise<ProcessUsage> {
  const { stdout } = await new Deno.Command("cat", { args: [`/proc/${pid}/stat`] }).output();
  return parseStat(new TextDecoder().decode(stdout));
}

/** Fields after the command name (which may hold spaces): utime is the 14th, rss the 24th. */
export function parseStat(stat: string): ProcessUsage {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const field = (n: number) => Number(fields[n - 3]);
  const cpuTicks = field(14) + field(15);
  if (!Number.isFinite(cpuTicks)) throw new Error(`not a /proc stat line: ${stat.slice(0, 80)}`);
  return { rssMiB: (field(24) * PAGE_BYTES) / 2 ** 20, cpuSec: cpuTicks / TICKS_PER_SEC };
}

/** CPU seconds so far of every running process named one of `names` (e.g. "redis-server"), by pid. */
export async function cpuByName(names: readonly string[]): Promise<Map<number, CommandCpu>> {
  const { stdout } = await new Deno.Command("pgrep", { args: ["-x", names.join("|")] }).output();
  const pids = new TextDecoder().decode(stdout).split("\n").filter((line) => line !== "");
  if (pids.length === 0) return new Map();
  // Read together; a process that ended meanwhile is missing from the output (cat says so).
  const { stdout: stats } = await new Deno.Command("cat", {
    args: pids.map((pid) => `/proc/${pid}/stat`),
    stderr: "null",
  }).output();
  const usage = new Map<number, CommandCpu>();
  for (const line of new TextDecoder().decode(stats).split("\n")) {
    if (line === "") continue;
    const name = line.slice(line.indexOf("(") + 1, line.lastIndexOf(")"));
    usage.set(Number(line.slice(0, line.indexOf(" "))), { name, cpuSec: parseStat(line).cpuSec });
  }
  return usage;
}

export interface CommandCpu {
  name: string;
  cpuSec: number;
}

/** CPU seconds by process name between two `cpuByName` readings (processes started since count whole). */
export function cpuSpentByName(
  before: Map<number, CommandCpu>,
  after: Map<number, CommandCpu>,
): Record<string, number> {
  const spent: Record<string, number> = {};
  for (const [pid, { name, cpuSec }] of after) {
    spent[name] = (spent[name] ?? 0) + cpuSec - (before.get(pid)?.cpuSec ?? 0);
  }
  return spent;
}
