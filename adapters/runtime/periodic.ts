/**
 * Background work repeated at an interval (alert evaluation, read-model retention): one round at
 * start, then one every `intervalMs` after the previous one ended, so rounds never overlap. A failed
 * round is logged and the next one comes as usual. `stop` waits for a round in progress.
 */
import type { Logger } from "../../domain/ports/logger.ts";

export function repeatEvery(
  what: string,
  work: () => Promise<unknown>,
  intervalMs: number,
  logger: Logger,
): { stop(): Promise<void> } {
  let stopped = false;
  let wake: () => void = () => {};
  const loop = (async () => {
    while (!stopped) {
      try {
        await work();
      } catch (error) {
        logger.error(`${what} failed`, { error: String(error) });
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, intervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake();
      await loop;
    },
  };
}
