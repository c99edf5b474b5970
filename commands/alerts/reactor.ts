/** Runs the alert evaluation every `intervalMs` until stopped; a failed round is logged and retried. */
import { type AlertEvaluationDeps, evaluateAlerts } from "./evaluate.ts";

export function startAlertReactor(
  deps: AlertEvaluationDeps,
  intervalMs: number,
): { stop(): Promise<void> } {
  let stopped = false;
  let wake: () => void = () => {};
  const loop = (async () => {
    while (!stopped) {
      try {
        await evaluateAlerts(deps);
      } catch (error) {
        deps.logger.error("alert evaluation failed", { error: String(error) });
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
