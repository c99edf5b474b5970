/** Parsing untrusted input with valibot, failing with a ValidationError that names each field. */
import * as v from "valibot";
import { type FieldIssue, ValidationError } from "./errors.ts";

export function parseInput<const Schema extends v.GenericSchema>(
  schema: Schema,
  input: unknown,
): v.InferOutput<Schema> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  throw new ValidationError(fieldIssuesOf(result.issues));
}

/** valibot's issues as field issues: a dotted path and a message. */
export function fieldIssuesOf(issues: readonly v.BaseIssue<unknown>[]): FieldIssue[] {
  return issues.map(toFieldIssue);
}

function toFieldIssue(issue: v.BaseIssue<unknown>): FieldIssue {
  const path = v.getDotPath(issue) ?? "";
  return { path, message: plainMessage(issue.message) };
}

/** An issue as Standard Schema reports it (valibot and other validators share this shape). */
interface StandardIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }>;
}

/**
 * For validator hooks (hono-openapi's `validator(target, schema, throwIfInvalid)`): lets valid
 * input through and throws a ValidationError naming each bad field otherwise.
 */
export function throwIfInvalid(
  result: { success: true } | { success: false; error: readonly StandardIssue[] },
): void {
  if (result.success) return;
  throw new ValidationError(result.error.map((issue) => ({
    path: (issue.path ?? []).map((key) => String(typeof key === "object" ? key.key : key)).join(
      ".",
    ),
    message: plainMessage(issue.message),
  })));
}

/** valibot words unknown and missing keys as type errors on the key; say what they mean. */
function plainMessage(message: string): string {
  if (message.startsWith("Invalid key: Expected never")) return "unknown field";
  if (/^Invalid key: Expected ".*" but received undefined$/.test(message)) return "required";
  return message;
}
