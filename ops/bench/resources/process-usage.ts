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
