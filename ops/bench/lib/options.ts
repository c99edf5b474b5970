/** Benchmark options from flags and environment: flag beats variable, variable beats default. */

/** Reads one environment variable; tests pass their own instead of the process environment. */
export type EnvLookup = (name: string) => string | undefined;

export const processEnv: EnvLookup = (name) => Deno.env.get(name);

/** A whole number of at least `min`; an empty environment variable counts as unset. */
export interface IntegerOption {
  kind: "integer";
  env: string;
  fallback: number;
  min: number;
}

/** Text, limited to `choices` when given; undefined when neither flag nor environment sets it. */
export interface TextOption<T extends string = string> {
  kind: "text";
  env: string;
  choices?: readonly T[];
}

/** Option specifications by flag name (without the leading `--`), in usage order. */
export type OptionSpecs = Record<string, IntegerOption | TextOption>;

export type OptionValues<S extends OptionSpecs> = {
  [K in keyof S]: S[K] extends IntegerOption ? number
    : S[K] extends TextOption<infer T> ? T | undefined
    : never;
};

export function integerOption(env: string, fallback: number, min = 1): IntegerOption {
  return { kind: "integer", env, fallback, min };
}

export function textOption<T extends string = string>(
  env: string,
  choices?: readonly T[],
): TextOption<T> {
  return { kind: "text", env, choices };
}

/** Every option's value from `args`, else from `env`, else its default; throws on a bad value. */
export function readOptions<S extends OptionSpecs>(
  args: readonly string[],
  specs: S,
  env: EnvLookup = processEnv,
): OptionValues<S> {
  const given = parseFlags(args, Object.keys(specs));
  const values: Record<string, number | string | undefined> = {};
  for (const [flag, spec] of Object.entries(specs)) {
    values[flag] = spec.kind === "integer"
      ? wholeNumber(flag, given[flag], spec, env)
      : choice(flag, given[flag] ?? env(spec.env), spec.choices);
  }
  return values as OptionValues<S>;
}

/** The environment variables behind `specs`, in their order. */
export function optionEnvNames(specs: OptionSpecs): string[] {
  return Object.values(specs).map((spec) => spec.env);
}

/** `--name value` or `--name=value` pairs of `known` names; anything else is an error. */
export function parseFlags(
  args: readonly string[],
  known: readonly string[],
): Record<string, string | undefined> {
  const values: Record<string, string | undefined> = {};
  for (let index = 0; index < args.length; index++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(args[index]!);
    if (!match || !known.includes(match[1]!)) {
      throw new Error(
        `unknown argument "${args[index]}"; flags: ${known.map((k) => `--${k}`).join(" ")}`,
      );
    }
    const value = match[2] ?? args[++index];
    if (value === undefined) throw new Error(`--${match[1]} needs a value`);
    values[match[1]!] = value;
  }
  return values;
}

function wholeNumber(
  flag: string,
  given: string | undefined,
  { env, fallback, min }: IntegerOption,
  lookup: EnvLookup,
): number {
  const text = given ?? lookup(env);
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    const wanted = min === 1 ? "a positive integer" : `an integer of at least ${min}`;
    throw new Error(`--${flag} (${env}) must be ${wanted}, got "${text}"`);
  }
  return value;
}

function choice(
  flag: string,
  value: string | undefined,
  choices: readonly string[] | undefined,
): string | undefined {
  if (value === undefined || !choices || choices.includes(value)) return value;
  const listed = choices.length > 1
    ? `${choices.slice(0, -1).join(", ")} or ${choices[choices.length - 1]}`
    : choices.join("");
  throw new Error(`--${flag} must be ${listed}, got "${value}"`);
}
