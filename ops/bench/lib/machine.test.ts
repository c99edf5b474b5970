import assert from "node:assert/strict";
import { commandLine, redactUrl } from "./machine.ts";

Deno.test("redactUrl masks the password and keeps the rest", () => {
  assert.equal(
    redactUrl("postgres://user:secret@127.0.0.1:5432/db?sslmode=disable"),
    "postgres://user:***@127.0.0.1:5432/db?sslmode=disable",
  );
});

Deno.test("redactUrl leaves a URL without a password as it is", () => {
  assert.equal(redactUrl("postgres://user@host:5432/db"), "postgres://user@host:5432/db");
  assert.equal(redactUrl("postgres://host/db"), "postgres://host/db");
});

Deno.test("redactUrl refuses text that is not a URL", () => {
  assert.throws(() => redactUrl("not a url"), TypeError);
});

Deno.test("commandLine echoes the set variables, URLs redacted, then script and arguments", () => {
  const variables: Record<string, string> = {
    DB_URL: "postgres://u:pw@h/db",
    BENCH_A: "5",
    BENCH_B: "",
  };
  const line = commandLine({
    script: "ops/bench/x/main.ts",
    urlEnv: ["DB_URL", "OTHER_URL"],
    env: ["BENCH_A", "BENCH_B"],
    args: ["--a", "6"],
    lookup: (name) => variables[name],
  });
  assert.match(
    line,
    /^DB_URL=postgres:\/\/u:\*\*\*@h\/db BENCH_A=5 deno run (-A|-P=test) ops\/bench\/x\/main\.ts --a 6$/,
  );
});
