import assert from "node:assert/strict";
import * as v from "valibot";
import { GeoRestriction, playableIn } from "./geo.ts";

Deno.test("allow lists play only in their countries, block lists everywhere else", () => {
  const allow = { mode: "allow" as const, countries: ["BR", "PT"] };
  const block = { mode: "block" as const, countries: ["US"] };
  assert.deepEqual(
    ["BR", "pt", "US"].map((country) => playableIn(allow, country)),
    [true, true, false],
  );
  assert.deepEqual(["BR", "US"].map((country) => playableIn(block, country)), [true, false]);
  assert.equal(playableIn(null, undefined), true, "unrestricted plays anywhere");
  assert.equal(playableIn(block, undefined), false, "restricted and country unknown: refused");
});

Deno.test("a restriction names a mode and at least one two-letter country", () => {
  assert.deepEqual(v.parse(GeoRestriction, { mode: "allow", countries: ["pt", "BR", "PT"] }), {
    mode: "allow",
    countries: ["BR", "PT"],
  });
  assert.equal(v.safeParse(GeoRestriction, { mode: "allow", countries: [] }).success, false);
  assert.equal(v.safeParse(GeoRestriction, { mode: "deny", countries: ["BR"] }).success, false);
  assert.equal(v.safeParse(GeoRestriction, { mode: "block", countries: ["BRA"] }).success, false);
});
