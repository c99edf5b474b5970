/** SQLSTATE and constraint of a database error, whichever driver threw it. */
export function sqlErrorOf(error: unknown): { code?: string; constraint?: string } {
  if (typeof error !== "object" || error === null) return {};
  const e = error as { code?: unknown; constraint?: unknown; constraint_name?: unknown };
  const constraint = e.constraint_name ?? e.constraint;
  return {
    code: typeof e.code === "string" ? e.code : undefined,
    constraint: typeof constraint === "string" ? constraint : undefined,
  };
}
