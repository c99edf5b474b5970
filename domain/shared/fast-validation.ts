/**
 * A fast path in front of valibot's `safeParse` for hot schemas (every ingested event).
 *
 * valibot stays the single source of the schema: the fast path is built once by walking the
 * schema's public structure (type, entries, wrapped, options, pipe items and their requirements)
 * into plain closures. On any input a closure returns exactly what valibot would output, or says
 * "not valid"; valibot then parses that input itself, so issues and messages remain valibot's.
 * Building refuses (throws) a schema holding anything the fast path does not know, so nothing
 * is ever accepted that valibot would refuse.
 */
import * as v from "valibot";

/** The fast path's answer for input valibot does not accept. */
export const INVALID: unique symbol = Symbol("invalid");
type Step = (input: unknown) => unknown;

type AnySchema = v.GenericSchema;
type AnyItem = v.PipeItem<unknown, unknown, v.BaseIssue<unknown>>;

export class UnsupportedSchemaError extends Error {
  override readonly name = "UnsupportedSchemaError";
}

/**
 * `v.safeParse(schema, input)` with a fast path for valid input: same success, same output;
 * invalid input goes to valibot for its issues. Throws UnsupportedSchemaError when built for a
 * schema the fast path cannot follow exactly.
 */
export function fastSafeParser<const Schema extends AnySchema>(
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
export function fastPath<const Schema extends AnySchema>(
  schema: Schema,
): (input: unknown) => v.InferOutput<Schema> | typeof INVALID {
  return compile(schema) as (input: unknown) => v.InferOutput<Schema> | typeof INVALID;
}

function compile(schema: AnySchema): Step {
  refuseUnknownKeys(schema);
  if (schema.async) throw new UnsupportedSchemaError("async schemas are not supported");
  if ("pipe" in schema) return pipeOf(schema.pipe as readonly AnyItem[]);
  const build = SCHEMAS.get(schema.reference);
  if (!build) throw new UnsupportedSchemaError(`schema "${schema.type}" is not supported`);
  return build(schema as never);
}

/**
 * Wrappers such as v.fallback or v.cache keep the wrapped schema's type and reference but add a
 * key and change what `~run` does: a schema with a key we do not know is refused.
 */
const COMMON_KEYS = new Set([
  "kind",
  "type",
  "reference",
  "expects",
  "async",
  "message",
  "~run",
  "~standard",
  "pipe",
]);
const OWN_KEYS: Record<string, readonly string[]> = {
  object: ["entries"],
  strict_object: ["entries"],
  optional: ["wrapped", "default"],
  picklist: ["options"],
  union: ["options"],
  record: ["key", "value"],
  array: ["item"],
};

function refuseUnknownKeys(schema: AnySchema): void {
  const own = OWN_KEYS[schema.type] ?? [];
  for (const key of Object.keys(schema)) {
    if (!COMMON_KEYS.has(key) && !own.includes(key)) {
      throw new UnsupportedSchemaError(`schema "${schema.type}" with "${key}" is not supported`);
    }
  }
}

function pipeOf(items: readonly AnyItem[]): Step {
  const steps = items.filter((item) => item.kind !== "metadata").map((item, i) =>
    i === 0 || item.kind === "schema" ? compile(item as AnySchema) : actionOf(item)
  );
  return (input) => {
    let value = input;
    for (const step of steps) {
      value = step(value);
      if (value === INVALID) return INVALID;
    }
    return value;
  };
}

// deno-lint-ignore no-explicit-any -- valibot's schema shapes, told apart by `reference`
type Builder = (schema: any) => Step;

/** Each builder mirrors the `~run` of valibot 1.x's schema of the same reference. */
const SCHEMAS = new Map<unknown, Builder>([
  [v.string, () => (input) => typeof input === "string" ? input : INVALID],
  [v.number, () => (input) => typeof input === "number" && !isNaN(input) ? input : INVALID],
  [v.boolean, () => (input) => typeof input === "boolean" ? input : INVALID],
  [v.unknown, () => (input) => input],
  [v.picklist, ({ options }: { options: readonly unknown[] }) => {
    const allowed = new Set(options); // SameValueZero, as Array#includes
    return (input) => allowed.has(input) ? input : INVALID;
  }],
  [v.optional, optionalOf],
  [v.union, ({ options }: { options: AnySchema[] }) => {
    const steps = options.map(compile);
    return (input) => {
      for (const step of steps) {
        const output = step(input);
        if (output !== INVALID) return output;
      }
      return INVALID;
    };
  }],
  [v.object, (schema: v.ObjectSchema<v.ObjectEntries, undefined>) => objectOf(schema, false)],
  [
    v.strictObject,
    (schema: v.StrictObjectSchema<v.ObjectEntries, undefined>) => objectOf(schema, true),
  ],
  [v.record, recordOf],
  [v.array, ({ item }: { item: AnySchema }) => {
    const step = compile(item);
    return (input) => {
      if (!Array.isArray(input)) return INVALID;
      const output: unknown[] = [];
      for (let i = 0; i < input.length; i++) {
        const value = step(input[i]);
        if (value === INVALID) return INVALID;
        output.push(value);
      }
      return output;
    };
  }],
]);

function optionalOf(schema: { wrapped: AnySchema; default: unknown }): Step {
  if (schema.default !== undefined) {
    throw new UnsupportedSchemaError("optional with a default is not supported");
  }
  const step = compile(schema.wrapped);
  return (input) => input === undefined ? undefined : step(input);
}

/**
 * valibot's object `~run` unrolled over the entries, as generated code: a closure looping over
 * the keys would make each `key in input` a lookup by a changing key (about 50 ns each, more than
 * the whole rest for an event of 7 fields among 27 entries); unrolled, each site sees one key.
 * Only the entries' own names go into the code, as JSON string literals; never input.
 */
function objectOf(
  schema: { entries: Record<string, AnySchema> },
  strict: boolean,
): Step {
  const entries = schema.entries;
  const steps: Step[] = [];
  const lines: string[] = [];
  for (const [key, entry] of Object.entries(entries)) {
    if (entry.type === "exact_optional" || entry.type === "nullish") {
      throw new UnsupportedSchemaError(`"${entry.type}" entries are not supported`);
    }
    const [name, i] = [JSON.stringify(key), steps.push(compile(entry)) - 1];
    lines.push(
      `if (${name} in input) {`,
      `  value = steps[${i}](input[${name}]);`,
      "  if (value === INVALID) return INVALID;",
      `  output[${name}] = value;`,
      entry.type === "optional" ? "}" : "} else return INVALID;",
    );
  }
  if (strict) {
    lines.push("for (const key in input) if (!hasOwn.call(entries, key)) return INVALID;");
  }
  const body = [
    "'use strict';",
    ...steps.map((_, i) => `const step${i} = steps[${i}];`),
    "return (input) => {",
    "  if (!input || typeof input !== 'object') return INVALID;",
    "  const output = {};",
    "  let value;",
    ...lines.map((line) => "  " + line.replace(/steps\[(\d+)\]\(/, "step$1(")),
    "  return output;",
    "};",
  ].join("\n");
  return new Function("INVALID", "hasOwn", "entries", "steps", body)(
    INVALID,
    Object.prototype.hasOwnProperty,
    entries,
    steps,
  );
}

function recordOf(schema: { key: AnySchema; value: AnySchema }): Step {
  const [keyStep, valueStep] = [compile(schema.key), compile(schema.value)];
  return (input) => {
    if (!input || typeof input !== "object") return INVALID;
    const source = input as Record<string, unknown>;
    const output: Record<PropertyKey, unknown> = {};
    for (const key in source) {
      if (!isValidObjectKey(source, key)) continue;
      const outputKey = keyStep(key);
      if (outputKey === INVALID) return INVALID;
      const value = valueStep(source[key]);
      if (value === INVALID) return INVALID;
      output[outputKey as PropertyKey] = value;
    }
    return output;
  };
}

/** valibot's rule for the keys a record takes from its input. */
function isValidObjectKey(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key) && key !== "__proto__" &&
    key !== "prototype" && key !== "constructor";
}

// deno-lint-ignore no-explicit-any -- valibot's action shapes, told apart by `reference`
type ActionBuilder = (action: any) => Step;

/** A validation: the value passes through when the requirement holds. */
const passes = (requirement: (value: never) => unknown): Step => (value) =>
  requirement(value as never) ? value : INVALID;

/** Each builder mirrors the `~run` of valibot 1.x's action of the same reference. */
const ACTIONS = new Map<unknown, ActionBuilder>([
  [v.minValue, ({ requirement }) => passes((value: number) => value >= requirement)],
  [v.maxValue, ({ requirement }) => passes((value: number) => value <= requirement)],
  [v.integer, () => passes(Number.isInteger)],
  [v.nonEmpty, () => passes((value: string) => value.length !== 0)],
  [v.minLength, ({ requirement }) => passes((value: string) => value.length >= requirement)],
  [v.maxLength, ({ requirement }) => passes((value: string) => value.length <= requirement)],
  [v.regex, ({ requirement }) => testerOf(requirement)],
  [v.uuid, ({ requirement }) => testerOf(requirement)],
  [v.isoTimestamp, ({ requirement }) => testerOf(requirement)],
  [v.check, ({ requirement }) => passes(requirement)],
  [v.trim, () => (value) => (value as string).trim()],
  [v.transform, ({ operation }) => operation],
]);

/** What an action may hold besides its requirement or operation (messages do not matter here). */
const ACTION_KEYS = new Set([
  "kind",
  "type",
  "reference",
  "async",
  "expects",
  "message",
  "requirement",
  "operation",
  "~run",
]);

function actionOf(item: AnyItem): Step {
  const build = ACTIONS.get(item.reference);
  const extra = Object.keys(item).find((key) => !ACTION_KEYS.has(key));
  if (!build || (item as { async?: boolean }).async || extra !== undefined) {
    throw new UnsupportedSchemaError(`action "${item.type}" is not supported`);
  }
  return build(item);
}

/** A stateful (global or sticky) pattern would answer differently on valibot's second run. */
function testerOf(pattern: RegExp): Step {
  if (pattern.global || pattern.sticky) {
    throw new UnsupportedSchemaError(`pattern ${pattern} is global or sticky`);
  }
  return passes((value: string) => pattern.test(value));
}
