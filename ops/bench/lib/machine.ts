/** The machine and command behind a benchmark run, for its report; URL passwords are masked. */
import os from "node:os";
import { type EnvLookup, processEnv } from "./options.ts";

/** `url` with its password, if any, replaced by `***`. */
export function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.href;
}

export interface CommandLine {
  /** The script as run from the repository root, e.g. `ops/bench/x/main.ts`. */
  script: string;
  /** Variables holding URLs, echoed first and redacted. */
  urlEnv?: readonly string[];
  /** Variables echoed as they are (the options' variables). */
  env?: readonly string[];
  args?: readonly string[];
  lookup?: EnvLookup;
}

/** The command that reproduces this run: the variables that are set, permissions, arguments. */
export function commandLine(
  { script, urlEnv = [], env = [], args = Deno.args, lookup = processEnv }: CommandLine,
): string {
  const assignments = [
    ...urlEnv.filter((name) => lookup(name)).map((name) => `${name}=${redactUrl(lookup(name)!)}`),
    ...env.filter((name) => lookup(name)).map((name) => `${name}=${lookup(name)}`),
  ];
  const everything = Deno.permissions.querySync({ name: "ffi" }).state === "granted";
  const permissions = everything ? "-A" : "-P=test";
  return [...assignments, "deno run", permissions, script, ...args].join(" ");
}

/** Report lines: the command, CPU, memory, OS, Deno and the load average now. */
export function describeMachine(command: string): string[] {
  const memoryGiB = Deno.systemMemoryInfo().total / 2 ** 30;
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  return [
    `Command: \`${command}\``,
    `CPU: ${navigator.hardwareConcurrency} cores (${cpu}), memory ${memoryGiB.toFixed(1)} GiB`,
    `OS: ${Deno.build.os} ${Deno.osRelease()} (${Deno.build.arch})`,
    `Deno ${Deno.version.deno} (V8 ${Deno.version.v8})`,
    `Load average (1, 5, 15 min) at the end: ${
      Deno.loadavg().map((load) => load.toFixed(2)).join(", ")
    }`,
  ];
}
