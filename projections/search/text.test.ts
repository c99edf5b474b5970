import assert from "node:assert/strict";
import { joinedPairs, normalize, prefixTsQuery, wordsOf } from "./text.ts";

Deno.test("normalize drops diacritics and case", () => {
  assert.equal(normalize("Pokémon Évolution"), "pokemon evolution");
});

Deno.test("wordsOf splits on anything but letters and digits", () => {
  assert.deepEqual(wordsOf("Spider-Man: No Way Home (2021)"), [
    "spider",
    "man",
    "no",
    "way",
    "home",
    "2021",
  ]);
  assert.deepEqual(wordsOf("  -- "), []);
});

Deno.test("joinedPairs writes adjacent words together", () => {
  assert.deepEqual(joinedPairs("Spider-Man Home"), ["spiderman", "manhome"]);
});

Deno.test("prefixTsQuery: every word, the last a prefix, and each pair joined", () => {
  assert.equal(prefixTsQuery("inter"), "(inter:*)");
  assert.equal(prefixTsQuery("spider man"), "(spider & man:*) | (spiderman:*)");
  assert.equal(prefixTsQuery("a b c"), "(a & b & c:*) | (ab & c:*) | (a & bc:*)");
  assert.equal(prefixTsQuery("'; drop table --"), "(drop & table:*) | (droptable:*)");
  assert.equal(prefixTsQuery("!!"), undefined);
});
