/** GET /health (the process is alive) and GET /ready (every configured adapter answers). */
import { Hono } from "hono";

export type ReadinessChecks = Record<string, () => Promise<void>>;

const CHECK_TIMEOUT_MS = 2_000;

export function healthRoutes(checks: ReadinessChecks): Hono {
  return new Hono()
    .get("/health", (c) => c.json({ status: "ok" }))
    .get("/ready", async (c) => {
      const results = await Promise.all(
        Object.entries(checks).map(async ([name, check]) => [name, await outcome(check)] as const),
      );
      const ready = results.every(([, result]) => result === "ok");
      return c.json(
        { status: ready ? "ready" : "not_ready", checks: Object.fromEntries(results) },
        ready ? 200 : 503,
        ready ? {} : { "retry-after": "5" },
      );
    });
}

async function outcome(check: () => Promise<void>): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer in ${CHECK_TIMEOUT_MS} ms`)),
      CHECK_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([check(), timeout]);
    return "ok";
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}
