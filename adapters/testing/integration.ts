/**
 * Integration tests talk to real servers named by environment variables (see `ops/services env`).
 * A missing variable skips the test with the reason printed, unless REQUIRE_SERVICES=1 (set by
 * .ci/run), which turns the skip into a failure so CI can never pass without the real engine.
 *
 * Tests that stop shared engines (`stopsSharedEngines`) run only when asked for with
 * KAFKA_RESTART_TEST=1, and always in CI; their files end in `.outage.test.ts`, which the test task
 * runs after the others, one at a time.
 */
import process from "node:process";

export interface IntegrationTest<Variable extends string> {
  name: string;
  /** Environment variables the test needs; their values are passed to `fn`. */
  requires: readonly Variable[];
  fn: (env: Record<Variable, string>, t: Deno.TestContext) => Promise<void>;
  /** Why this engine may be absent even in CI (EventStoreDB cannot run on CI machines). */
  optionalBecause?: string;
  /** The test stops an engine others may be using (a broker restart, say). */
  stopsSharedEngines?: boolean;
}

export function integrationTest<const Variable extends string>(
  { name, requires, fn, optionalBecause, stopsSharedEngines }: IntegrationTest<Variable>,
): void {
  const required = process.env.REQUIRE_SERVICES === "1";
  if (stopsSharedEngines && !required && process.env.KAFKA_RESTART_TEST !== "1") {
    return skip(name, "set KAFKA_RESTART_TEST=1 to run it (it stops engines others may be using)");
  }
  const missing = requires.filter((variable) => !process.env[variable]);
  const env = Object.fromEntries(
    requires.map((variable) => [variable, process.env[variable] ?? ""]),
  ) as Record<Variable, string>;
  if (missing.length === 0) {
    Deno.test({ name, sanitizeOps: false, sanitizeResources: false, fn: (t) => fn(env, t) });
    return;
  }
  const reason = `${missing.join(", ")} not set (start the engines with ops/services up and ` +
    `eval "$(ops/services env)")`;
  if (required && !optionalBecause) {
    Deno.test(name, () => {
      throw new Error(`REQUIRE_SERVICES=1 but ${reason}`);
    });
    return;
  }
  skip(name, optionalBecause ?? reason);
}

function skip(name: string, reason: string): void {
  console.warn(`skipping "${name}": ${reason}`);
  Deno.test({ name, ignore: true, fn: () => {} });
}
