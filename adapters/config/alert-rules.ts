/** Reads the alert rules file (JSON) at start; a bad file stops start-up naming what is wrong. */
import { readFile } from "node:fs/promises";
import * as v from "valibot";
import { type AlertRule, AlertRules } from "../../domain/alerts/rules.ts";
import { ConfigError } from "./env.ts";

export async function loadAlertRules(path: string): Promise<AlertRule[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new ConfigError(`ALERT_RULES_FILE ${path}: ${String(error)}`);
  }
  const result = v.safeParse(AlertRules, parsed);
  if (!result.success) {
    const problems = result.issues.map((issue) =>
      `${v.getDotPath(issue) ?? "(file)"}: ${issue.message}`
    );
    throw new ConfigError(`ALERT_RULES_FILE ${path}: ${problems.join("; ")}`);
  }
  return result.output.rules;
}
