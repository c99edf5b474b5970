/**
 * A fast path in front of valibot's `safeParse` for hot schemas (every ingested event).
 *
 * valibot stays the single source of the schema: the fast path is built once by walking the
 * schema's public structure (type, reference, entries, wrapped, options, pipe items and their
 * requirements) into one generated function, valibot's `~run` methods unrolled. On any input it
 * returns exactly what valibot would output, or INVALID; valibot then parses that input itself,
 * so issues and messages remain valibot's. Building refuses (throws) a schema holding anything
 * the fast path does not know, so nothing is ever accepted that valibot would refuse.
 *
 * Why generated code: walked at run time, each `key in input` of an object is a lookup by a
 * changing key (about 50 ns each, more than all the rest for an event of 7 fields among 27
 * entries) and each step a call through a shared closure; unrolled, every site sees one key and
 * one check. Only the schema's own key names go into the code (as JSON string literals);
 * requirements, patterns and operations are passed in by reference, never as text.
 */
import * as v from "valibot";
import { generatedCode } from "./fast-validation-code.ts";

export { UnsupportedSchemaError } from "./fast-validation-code.ts";

/** The fast path's answer for input valibot does not accept. */
export const INVALID: unique symbol = Symbol("invalid");

/**
 * `v.safeParse(schema, input)` with a fast path for valid input: same success, same output;
 * invalid input goes to valibot for its issues. Throws UnsupportedSchemaError when built for a
 * schema the fast path cannot follow exactly.
 */
export function fastSafeParser<const Schema extends v.GenericSchema>(
  schema: Schema,
): (input: unknown) => v.SafeParseResult<Schema> {
  const fast = fastPath(schema);
  return (input) => {
    const output = fast(input);
    if (output === INVALID) return v.safeParse(schema, input);
    return { typed: true, success: true, output, issues: undefined } as v.SafeParseResult<Schema>;
  };
}

/**
 * The fast path alone: valibot's output for input valibot accepts, INVALID otherwise. Throws
 * UnsupportedSchemaError for a schema it cannot follow exactly.
 */
export function fastPath<const Schema extends v.GenericSchema>(
  schema: Schema,
): (input: unknown) => v.InferOutput<Schema> | typeof INVALID {
  const { source, constants } = generatedCode(schema);
  return new Function("INVALID", "constants", source)(INVALID, constants);
}
