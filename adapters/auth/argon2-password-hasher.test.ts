import assert from "node:assert/strict";
import { argon2PasswordHasher } from "./argon2-password-hasher.ts";

Deno.test("argon2id hashes are salted, verify the right password only, and survive bad input", async () => {
  const hasher = argon2PasswordHasher();
  const first = await hasher.hash("correct horse battery");
  const second = await hasher.hash("correct horse battery");
  assert.match(first, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  assert.notEqual(first, second);
  assert.equal(await hasher.verify(first, "correct horse battery"), true);
  assert.equal(await hasher.verify(first, "correct horse batterx"), false);
  assert.equal(await hasher.verify("not a hash", "correct horse battery"), false);
});
