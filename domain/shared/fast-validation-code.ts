/**
 * The fast path's code generator (see fast-validation.ts): each emitter below mirrors the `~run`
 * of valibot 1.x's schema or action of the same reference, on valid input.
 */
import * as v from "valibot";

export class UnsupportedSchemaError extends Error {
  override readonly name = "UnsupportedSchemaError";
}

type AnySchema = v.GenericSchema;
type AnyItem = v.PipeItem<unknown, unknown, v.BaseIssue<unknown>>;

/**
 * A function body taking `INVALID` and `constants` that returns `(input) => output | INVALID`.
 * Throws UnsupportedSchemaError for a schema holding anything it does not know.
 */
export function generatedCode(schema: AnySchema): { source: string; constants: unknown[] } {
  const code = new Code();
  const output = code.schema(schema, "input", "return INVALID;");
  const source = [
    '"use strict";',
    ...code.constants.map((_, i) => `const c${i} = constants[${i}];`),
    "return (input) => {",
    ...code.lines,
    `return ${output};`,
    "};",
  ].join("\n");
  return { source, constants: code.constants };
}

class Code {
  readonly lines: string[] = [];
  readonly constants: unknown[] = [];
  #names = 0;

  /** A fresh local name. */
  name(prefix = "v"): string {
    return `${prefix}${this.#names++}`;
  }

  /** The name the generated code knows `value` by (passed by reference, never as text). */
  constant(value: unknown): string {
    return `c${this.constants.push(value) - 1}`;
  }

  line(text: string): void {
    this.lines.push(text);
  }

  /**
   * Emits the code that takes the value named `input` through `schema`; returns the name of its
   * output. `fail` is the statement for input valibot does not accept.
   */
  schema(schema: AnySchema, input: string, fail: string): string {
    refuseUnknownKeys(schema, OWN_KEYS[schema.type] ?? []);
    if (schema.async) throw new UnsupportedSchemaError("async schemas are not supported");
    if ("pipe" in schema) return this.pipe(schema.pipe as readonly AnyItem[], input, fail);
    const emit = SCHEMAS.get(schema.reference);
    if (!emit) throw new UnsupportedSchemaError(`schema "${schema.type}" is not supported`);
    return emit(this, schema, input, fail);
  }

  pipe(items: readonly AnyItem[], input: string, fail: string): string {
    let value = input;
    for (const item of items) {
      if (item.kind === "schema") value = this.schema(item as AnySchema, value, fail);
      else if (item.kind !== "metadata") value = this.action(item, value, fail);
    }
    return value;
  }

  action(item: AnyItem, input: string, fail: string): string {
    refuseUnknownKeys(item, ACTION_KEYS);
    const emit = ACTIONS.get(item.reference);
    if (!emit || (item as { async?: boolean }).async) {
      throw new UnsupportedSchemaError(`action "${item.type}" is not supported`);
    }
    return emit(this, item, input, fail);
  }
}

/**
 * Wrappers such as v.fallback or v.cache keep the wrapped schema's type and reference but add a
 * key and change what `~run` does: a schema or action with a key we do not know is refused.
 */
const COMMON_KEYS = [
  "kind",
  "type",
  "reference",
  "expects",
  "async",
  "message",
  "~run",
  "~standard",
  "pipe",
];
const OWN_KEYS: Record<string, readonly string[]> = {
  object: ["entries"],
  strict_object: ["entries"],
  optional: ["wrapped", "default"],
  picklist: ["options"],
  union: ["options"],
  record: ["key", "value"],
  array: ["item"],
};
const ACTION_KEYS = ["requirement", "operation"];

function refuseUnknownKeys(node: { type: string }, own: readonly string[]): void {
  const extra = Object.keys(node).find((key) => !COMMON_KEYS.includes(key) && !own.includes(key));
  if (extra !== undefined) {
    throw new UnsupportedSchemaError(`"${node.type}" with "${extra}" is not supported`);
  }
}

// deno-lint-ignore no-explicit-any -- valibot's schema and action shapes, told apart by reference
type Emitter = (code: Code, node: any, input: string, fail: string) => string;

/** Emits a test the value must pass; the output is the input. */
const test =
  (condition: (input: string, code: Code, node: never) => string): Emitter =>
  (code, node, input, fail) => {
    code.line(`if (!(${condition(input, code, node as never)})) ${fail}`);
    return input;
  };

const SCHEMAS = new Map<unknown, Emitter>([
  [v.string, test((input) => `typeof ${input} === "string"`)],
  [v.number, test((input) => `typeof ${input} === "number" && !Number.isNaN(${input})`)],
  [v.boolean, test((input) => `typeof ${input} === "boolean"`)],
  [v.unknown, (_code, _node, input) => input],
  // A Set compares as Array#includes does (SameValueZero).
  [
    v.picklist,
    test((input, code, { options }: { options: unknown[] }) =>
      `${code.constant(new Set(options))}.has(${input})`
    ),
  ],
  [v.optional, optional],
  [v.union, union],
  [v.object, (code, node, input, fail) => object(code, node.entries, input, fail, false)],
  [v.strictObject, (code, node, input, fail) => object(code, node.entries, input, fail, true)],
  [v.record, record],
  [v.array, array],
]);

function optional(
  code: Code,
  node: { wrapped: AnySchema; default: unknown },
  input: string,
  fail: string,
): string {
  if (node.default !== undefined) {
    throw new UnsupportedSchemaError("optional with a default is not supported");
  }
  const output = code.name();
  code.line(`let ${output};`);
  code.line(`if (${input} !== undefined) {`);
  code.line(`${output} = ${code.schema(node.wrapped, input, fail)};`);
  code.line("}");
  return output;
}

/** The first option that accepts the value gives the output, as in valibot. */
function union(code: Code, node: { options: AnySchema[] }, input: string, fail: string): string {
  const [output, done] = [code.name(), code.name("union")];
  code.line(`let ${output};`);
  code.line(`${done}: {`);
  for (const option of node.options) {
    const next = code.name("option");
    code.line(`${next}: {`);
    code.line(`${output} = ${code.schema(option, input, `break ${next};`)};`);
    code.line(`break ${done};`);
    code.line("}");
  }
  code.line(fail);
  code.line("}");
  return output;
}

/** Entries in the schema's order, a missing optional key left out, as valibot's objects do. */
function object(
  code: Code,
  entries: Record<string, AnySchema>,
  input: string,
  fail: string,
  strict: boolean,
): string {
  code.line(`if (!${input} || typeof ${input} !== "object") ${fail}`);
  const output = code.name();
  code.line(`const ${output} = {};`);
  for (const [key, entry] of Object.entries(entries)) {
    const [name, value] = [JSON.stringify(key), code.name()];
    code.line(`if (${name} in ${input}) {`);
    code.line(`const ${value} = ${input}[${name}];`);
    code.line(`${output}[${name}] = ${code.schema(entry, value, fail)};`);
    code.line(entry.type === "optional" ? "}" : `} else ${fail}`);
  }
  if (strict) {
    const key = code.name("key");
    const known = `${code.constant(Object.prototype.hasOwnProperty)}.call(${
      code.constant(entries)
    }, ${key})`;
    code.line(`for (const ${key} in ${input}) if (!${known}) ${fail}`);
  }
  return output;
}

/** Own keys but __proto__, prototype and constructor, as valibot's records take them. */
function record(
  code: Code,
  node: { key: AnySchema; value: AnySchema },
  input: string,
  fail: string,
): string {
  code.line(`if (!${input} || typeof ${input} !== "object") ${fail}`);
  const [output, key, value] = [code.name(), code.name("key"), code.name()];
  const hasOwn = code.constant(Object.prototype.hasOwnProperty);
  code.line(`const ${output} = {};`);
  code.line(`for (const ${key} in ${input}) {`);
  code.line(
    `if (!${hasOwn}.call(${input}, ${key}) || ${key} === "__proto__" || ${key} === "prototype" || ${key} === "constructor") continue;`,
  );
  code.line(`const ${value} = ${input}[${key}];`);
  const outputKey = code.schema(node.key, key, fail);
  code.line(`${output}[${outputKey}] = ${code.schema(node.value, value, fail)};`);
  code.line("}");
  return output;
}

function array(code: Code, node: { item: AnySchema }, input: string, fail: string): string {
  code.line(`if (!Array.isArray(${input})) ${fail}`);
  const [output, index, value] = [code.name(), code.name("i"), code.name()];
  code.line(`const ${output} = [];`);
  code.line(`for (let ${index} = 0; ${index} < ${input}.length; ${index}++) {`);
  code.line(`const ${value} = ${input}[${index}];`);
  code.line(`${output}.push(${code.schema(node.item, value, fail)});`);
  code.line("}");
  return output;
}

/** Emits a transformation: the output is a new value. */
const transformation =
  (expression: (input: string, code: Code, node: never) => string): Emitter =>
  (code, node, input) => {
    const output = code.name();
    code.line(`const ${output} = ${expression(input, code, node as never)};`);
    return output;
  };

type Requirement<T> = { requirement: T };

/** A requirement's value, passed by reference. */
const required = (code: Code, node: Requirement<unknown>) => code.constant(node.requirement);

/** A stateful (global or sticky) pattern would answer differently on valibot's second run. */
function pattern(input: string, code: Code, { requirement }: Requirement<RegExp>): string {
  if (requirement.global || requirement.sticky) {
    throw new UnsupportedSchemaError(`pattern ${requirement} is global or sticky`);
  }
  return `${code.constant(requirement)}.test(${input})`;
}

const ACTIONS = new Map<unknown, Emitter>([
  [v.minValue, test((input, code, node) => `${input} >= ${required(code, node)}`)],
  [v.maxValue, test((input, code, node) => `${input} <= ${required(code, node)}`)],
  [v.integer, test((input, code, node) => `${required(code, node)}(${input})`)],
  [v.nonEmpty, test((input) => `${input}.length !== 0`)],
  [v.minLength, test((input, code, node) => `${input}.length >= ${required(code, node)}`)],
  [v.maxLength, test((input, code, node) => `${input}.length <= ${required(code, node)}`)],
  [v.regex, test(pattern)],
  [v.uuid, test(pattern)],
  [v.isoTimestamp, test(pattern)],
  // Called as methods of the action, as valibot calls them.
  [v.check, test((input, code, node) => `${code.constant(node)}.requirement(${input})`)],
  [
    v.transform,
    transformation((input, code, node) => `${code.constant(node)}.operation(${input})`),
  ],
  [v.trim, transformation((input) => `${input}.trim()`)],
]);
