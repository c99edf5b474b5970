import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { parseKidSecretList } from "../config/kid-secret-list.ts";
import { SecureLinkSigner } from "./secure-link.ts";

const old = { kid: "k1", secret: "an-older-secret-0001" };
const current = { kid: "k2", secret: "the-current-secret-02" };
const scope = "a/b/1/";

Deno.test("a grant verifies until it expires, and only for its scope", () => {
  const signer = new SecureLinkSigner([current, old]);
  const grant = signer.sign(scope, 2_000);
  assert.equal(grant.kid, "k2");
  assert.equal(signer.verify(scope, grant, 1_999), "valid");
  assert.equal(signer.verify(scope, grant, 2_000), "valid");
  assert.equal(signer.verify(scope, grant, 2_001), "expired");
  assert.equal(signer.verify("a/b/2/", grant, 1_000), "invalid");
  assert.equal(signer.verify(scope, { ...grant, expires: 3_000 }, 1_000), "invalid");
  assert.equal(
    signer.verify(scope, {
      ...grant,
      signature: grant.signature.replace(/^./, (c) => c === "A" ? "B" : "A"),
    }, 1_000),
    "invalid",
  );
  assert.equal(signer.verify(scope, { ...grant, kid: "k9" }, 1_000), "invalid");
  assert.equal(signer.verify(scope, { ...grant, kid: "k1" }, 1_000), "invalid");
});

Deno.test("after a rotation the older key still verifies what it signed", () => {
  const before = new SecureLinkSigner([old]).sign(scope, 2_000);
  const after = new SecureLinkSigner([current, old]);
  assert.equal(after.verify(scope, before, 1_000), "valid");
  assert.equal(new SecureLinkSigner([current]).verify(scope, before, 1_000), "invalid");
});

Deno.test("signatures are nginx secure_link_md5 digests of expires, scope and secret", () => {
  const grant = new SecureLinkSigner([current]).sign(scope, 2_000);
  const nginx = createHash("md5").update(`2000${scope} ${current.secret}`).digest("base64")
    .replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  assert.equal(grant.signature, nginx);
});

Deno.test("keys are configured as kid:secret pairs and checked", () => {
  assert.deepEqual(parseKidSecretList("k2:the-current-secret-02, k1:an-older:secret-0001"), [
    current,
    { kid: "k1", secret: "an-older:secret-0001" },
  ]);
  assert.throws(() => new SecureLinkSigner([]), /at least one/);
  assert.throws(() => new SecureLinkSigner([{ kid: "k/1", secret: "x".repeat(16) }]), /must match/);
  assert.throws(() => new SecureLinkSigner([{ kid: "k1", secret: "short" }]), /shorter/);
});
