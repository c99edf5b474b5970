/**
 * A backing service (Redis, say) cannot answer now: down, unreachable, or too slow. Ports whose
 * adapters share one service (recent keys, rate limiting, pub/sub on Redis) throw this one error,
 * so the HTTP shell answers 503 with Retry-After without knowing which engine is behind them, and a
 * command can decide to go on without a best-effort port (RecentKeys) during an outage.
 */
export class BackingServiceUnavailableError extends Error {
  override readonly name: string = "BackingServiceUnavailableError";
  /** An outage, not a bad request or a poison event: retrying later may succeed. */
  readonly transient = true;
  constructor(
    /** Which service, e.g. "redis"; for logs, not for clients. */
    readonly service: string,
    message: string,
    readonly retryAfterSec = 5,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
