import assert from "node:assert/strict";
import { loadAlertRules } from "./alert-rules.ts";
import { ConfigError, loadConfig } from "./env.ts";

Deno.test("the shipped rules file holds seed 001's four rules", async () => {
  const rules = await loadAlertRules("config/alert-rules.json");
  assert.deepEqual(
    rules.map((rule) => [rule.name, rule.metric, rule.condition, rule.threshold, rule.severity]),
    [
      ["LowQoE", "qoe_score", "<", 70, "warning"],
      ["HighRebuffering", "rebuffering_ratio", ">", 0.02, "critical"],
      ["HighVST", "vst_p95_ms", ">", 3000, "warning"],
      ["PlaybackErrors", "error_rate", ">", 0.01, "critical"],
    ],
  );
});

Deno.test("a bad rules file stops start-up naming the file and the field", async () => {
  const path = await Deno.makeTempFile({ suffix: ".json" });
  try {
    await Deno.writeTextFile(path, JSON.stringify({ rules: [{ name: "X", metric: "mood" }] }));
    await assert.rejects(() => loadAlertRules(path), (error: Error) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, new RegExp(`${path}.*rules\\.0\\.metric`));
      return true;
    });
    await assert.rejects(() => loadAlertRules(`${path}.missing`), ConfigError);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("QoE and alert settings: defaults and bounds", () => {
  const config = loadConfig({});
  assert.equal(config.QOE_ALLOWED_LATENESS_SEC, 60);
  assert.equal(config.ALERT_RULES_FILE, "config/alert-rules.json");
  assert.equal(config.ALERT_WEBHOOK_URL, undefined);
  assert.throws(() => loadConfig({ QOE_ALLOWED_LATENESS_SEC: "-5" }), /QOE_ALLOWED_LATENESS_SEC/);
  assert.throws(() => loadConfig({ ALERT_WEBHOOK_URL: "ftp://x" }), /ALERT_WEBHOOK_URL/);
});
