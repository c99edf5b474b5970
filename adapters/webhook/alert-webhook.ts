/** Alert notifications as a JSON POST to a configured URL. */
import type { AlertEvent } from "../../domain/alerts/alert-events.ts";
import type { AlertNotifier } from "../../domain/ports/alert-notifier.ts";

export function alertWebhook(url: string, timeoutMs = 5_000): AlertNotifier {
  return {
    async notify(alert: AlertEvent) {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ event: alert.type, ...alert.data }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`webhook answered ${response.status}`);
    },
  };
}
