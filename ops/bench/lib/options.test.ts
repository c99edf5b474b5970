import assert from "node:assert/strict";
import {
  type EnvLookup,
  integerOption,
  optionEnvNames,
  parseFlags,
  readOptions,
  textOption,
} from "./options.ts";

const specs = {
  "events": integerOption("BENCH_EVENTS", 100),
  "only": textOption("BENCH_ONLY", ["a", "b", "c"]),
  "markdown": textOption("BENCH_MARKDOWN"),
};

const env = (values: Record<string, string>): EnvLookup => (name) => values[name];
const none = env({});

Deno.test("a flag beats the environment, which beats the default", () => {
  const variables = env({ BENCH_EVENTS: "20", BENCH_ONLY: "b", BENCH_MARKDOWN: "env.md" });
  assert.deepEqual(readOptions([], specs, none), {
    events: 100,
    only: undefined,
    markdown: undefined,
  });
  assert.deepEqual(readOptions([], specs, variables), {
    events: 20,
    only: "b",
    markdown: "env.md",
  });
  assert.deepEqual(
    readOptions(["--events", "3", "--only=c", "--markdown", "x.md"], specs, variables),
    {
      events: 3,
      only: "c",
      markdown: "x.md",
    },
  );
});

Deno.test("an empty variable leaves a number at its default", () => {
  assert.equal(readOptions([], specs, env({ BENCH_EVENTS: "" })).events, 100);
});

Deno.test("a number that is not a positive integer is refused, naming flag and variable", () => {
  for (const bad of ["0", "-1", "1.5", "ten"]) {
    assert.throws(
      () => readOptions(["--events", bad], specs, none),
      { message: `--events (BENCH_EVENTS) must be a positive integer, got "${bad}"` },
    );
  }
  assert.throws(
    () => readOptions([], specs, env({ BENCH_EVENTS: "2k" })),
    /--events \(BENCH_EVENTS\) must be a positive integer, got "2k"/,
  );
});

Deno.test("a number with a lower bound of its own takes it, and refuses below it", () => {
  const withZero = { pause: integerOption("BENCH_PAUSE", 0, 0) };
  assert.equal(readOptions(["--pause", "0"], withZero, none).pause, 0);
  assert.throws(
    () => readOptions(["--pause", "-1"], withZero, none),
    { message: '--pause (BENCH_PAUSE) must be an integer of at least 0, got "-1"' },
  );
});

Deno.test("a value outside the choices is refused, listing them", () => {
  assert.throws(
    () => readOptions(["--only", "d"], specs, none),
    { message: '--only must be a, b or c, got "d"' },
  );
  const two = { only: textOption("BENCH_ONLY", ["pglite", "postgres"]) };
  assert.throws(
    () => readOptions([], two, env({ BENCH_ONLY: "mysql" })),
    { message: '--only must be pglite or postgres, got "mysql"' },
  );
});

Deno.test("unknown arguments and missing values are refused", () => {
  assert.throws(
    () => parseFlags(["--nope", "1"], ["events", "only"]),
    { message: 'unknown argument "--nope"; flags: --events --only' },
  );
  assert.throws(() => parseFlags(["events"], ["events"]), /unknown argument "events"/);
  assert.throws(() => parseFlags(["--events"], ["events"]), { message: "--events needs a value" });
});

Deno.test("flags take the next argument or the text after =, the last one winning", () => {
  assert.deepEqual(parseFlags(["--a", "1", "--b=x=y", "--a", "2"], ["a", "b"]), {
    a: "2",
    b: "x=y",
  });
  assert.deepEqual(parseFlags(["--a="], ["a"]), { a: "" });
});

Deno.test("optionEnvNames lists the variables in the specs' order", () => {
  assert.deepEqual(optionEnvNames(specs), ["BENCH_EVENTS", "BENCH_ONLY", "BENCH_MARKDOWN"]);
});
