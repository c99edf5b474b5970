/**
 * The CPU time a timed pass costs: this process's, and the PostgreSQL server's when it runs on
 * this machine, twice over: the whole server (every process named postgres, backends that exited
 * included: the postmaster is charged their time when it reaps them), which counts other clients'
 * work too, and the backends connected to the benchmark's own database while the pass ran (those
 * that exited before its end, such as parallel workers, are missed).
 */
import process from "node:process";

export interface CpuSpent {
  processSec: number;
  /** Null when not measured (PGlite, or no local server). */
  server: { wholeSec: number; databaseSec: number } | null;
}

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICKS_PER_SEC = 100;

/** Starts measuring; the function returned says how much CPU was spent since. */
export async function cpuMeter(database: string | null): Promise<() => Promise<CpuSpent>> {
  const processStart = process.cpuUsage();
  const serverStart = database === null ? null : await serverTicks(database);
  return async () => {
    const { user, system } = process.cpuUsage(processStart);
    const serverEnd = serverStart === null ? null : await serverTicks(database!);
    return {
      processSec: (user + system) / 1e6,
      server: serverStart === null || serverEnd === null ? null : {
        wholeSec: (serverEnd.whole - serverStart.whole) / TICKS_PER_SEC,
        databaseSec: [...serverEnd.backends].reduce(
          (sum, [pid, ticks]) => sum + ticks - (serverStart.backends.get(pid) ?? 0),
          0,
        ) / TICKS_PER_SEC,
      },
    };
  };
}

export function describeCpu({ processSec, server }: CpuSpent): string {
  const serverCpu = server === null
    ? ""
    : `, server ${server.wholeSec.toFixed(2)} s (its backends of this database ` +
      `${server.databaseSec.toFixed(2)} s)`;
  return `CPU: process ${processSec.toFixed(2)} s${serverCpu}`;
}

/** The same, per item (records, appends) in microseconds: steadier than a rate on a busy machine. */
export function describeCpuPer({ processSec, server }: CpuSpent, items: number, item: string) {
  const micros = (sec: number) => (sec * 1e6 / items).toFixed(1);
  const serverCpu = server === null
    ? ""
    : `, server ${micros(server.wholeSec)} (its backends of this database ` +
      `${micros(server.databaseSec)})`;
  return `CPU per ${item}: process ${micros(processSec)} µs${serverCpu}`;
}

interface ServerTicks {
  /** All postgres processes, with their reaped children. */
  whole: number;
  /** The backends connected to the database, by pid. */
  backends: Map<number, number>;
}

async function serverTicks(database: string): Promise<ServerTicks | null> {
  // The process titles name a backend's database: "postgres: <user> <database> <client> <state>".
  const { stdout } = await new Deno.Command("ps", { args: ["-C", "postgres", "-o", "pid=,args="] })
    .output();
  const titles = new Map<number, string>();
  for (const line of new TextDecoder().decode(stdout).split("\n")) {
    const match = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (match) titles.set(Number(match[1]), match[2]!);
  }
  if (titles.size === 0) return null;
  // A process that ended meanwhile is missing from the output (cat says so on stderr).
  const { stdout: stats } = await new Deno.Command("cat", {
    args: [...titles.keys()].map((pid) => `/proc/${pid}/stat`),
    stderr: "null",
  }).output();
  const ticks: ServerTicks = { whole: 0, backends: new Map() };
  for (const line of new TextDecoder().decode(stats).split("\n")) {
    if (line === "") continue;
    // Fields after the command name (which may hold spaces): utime, stime, cutime, cstime are
    // the 14th to the 17th.
    const fields = line.slice(line.lastIndexOf(")") + 2).split(" ").map(Number);
    const own = fields[14 - 3]! + fields[15 - 3]!;
    ticks.whole += own + fields[16 - 3]! + fields[17 - 3]!;
    const pid = Number(line.slice(0, line.indexOf(" ")));
    if (titles.get(pid)?.split(" ")[2] === database) ticks.backends.set(pid, own);
  }
  return ticks;
}
