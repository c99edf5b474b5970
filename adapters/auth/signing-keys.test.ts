import assert from "node:assert/strict";
import { parseSigningKeys, storedSigningKey } from "./signing-keys.ts";

Deno.test("signing keys parse as kid:secret pairs, secrets may hold colons", () => {
  const keys = parseSigningKeys("new:abc:def,old:xyz");
  assert.deepEqual(keys.map((k) => [k.kid, new TextDecoder().decode(k.secret)]), [
    ["new", "abc:def"],
    ["old", "xyz"],
  ]);
});

Deno.test("without configured keys one is generated once and kept", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const [first] = await storedSigningKey(dir);
    const [again] = await storedSigningKey(dir);
    assert.ok(first && again);
    assert.equal(first.secret.length, 64);
    assert.deepEqual(again, first);
    assert.equal((await Deno.stat(`${dir}/signing-key`)).mode! & 0o777, 0o600);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
