/** Where raised and resolved alerts are announced (a webhook), beside their stream. */
import type { AlertEvent } from "../alerts/alert-events.ts";

export interface AlertNotifier {
  /** Rejects when the receiver did not take it. */
  notify(alert: AlertEvent): Promise<void>;
}
