import assert from "node:assert/strict";
import { cropAndHighlight, highlight } from "./highlight.ts";

Deno.test("highlight marks whole words, the last word as a prefix, across diacritics", () => {
  assert.equal(
    highlight("Pokémon: The Movie", "pokemon mov"),
    "<mark>Pokémon</mark>: The <mark>Movie</mark>",
  );
  assert.equal(highlight("Interstellar", "inter"), "<mark>Interstellar</mark>");
  assert.equal(highlight("Avatar", "avatr"), "<mark>Avatar</mark>");
  assert.equal(highlight("Tom & Jerry <3", "jerry"), "Tom &amp; <mark>Jerry</mark> &lt;3");
});

Deno.test("cropAndHighlight keeps a window around the first match", () => {
  const words = Array.from({ length: 80 }, (_, i) => `w${i}`);
  words[20] = "dragon";
  const cropped = cropAndHighlight(words.join(" "), "dragon");
  assert.match(cropped, /^…w15 .* <mark>dragon<\/mark> .* w44…$/);
  assert.equal(cropped.split(" ").length, 30);
});
