import assert from "node:assert/strict";
import { correctedTime, deviceFrom } from "./enrichment.ts";

Deno.test("a client clock running 90 s fast is corrected by the batch's sent_at", () => {
  const received = Date.parse("2026-11-21T12:00:00Z");
  const sentAt = received + 90_000;
  const event = sentAt - 10_000; // ten seconds before sending, on the client's clock
  assert.equal(correctedTime(event, sentAt, received), received - 10_000);
  assert.equal(correctedTime(event, undefined, received), event);
});

Deno.test("user agents give device type, browser and system", () => {
  const cases: [string, string, string, string][] = [
    [
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
      "mobile",
      "Safari",
      "iOS",
    ],
    [
      "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
      "mobile",
      "Chrome",
      "Android",
    ],
    [
      "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
      "tablet",
      "Chrome",
      "Android",
    ],
    [
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0",
      "desktop",
      "Edge",
      "Windows",
    ],
    [
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.1; rv:121.0) Gecko/20100101 Firefox/121.0",
      "desktop",
      "Firefox",
      "macOS",
    ],
    [
      "Mozilla/5.0 (SMART-TV; Linux; Tizen 7.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/5.0 TV Safari/537.36",
      "tv",
      "Samsung Internet",
      "Tizen",
    ],
    ["curl/8.4.0", "other", "other", "other"],
  ];
  for (const [ua, device_type, browser, os] of cases) {
    assert.deepEqual(deviceFrom(ua), { device_type, browser, os }, ua);
  }
  assert.deepEqual(deviceFrom(undefined), { device_type: "other", browser: "other", os: "other" });
});
