import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "./env.ts";

Deno.test("defaults give the embedded profile on port 8080 with data under ./data", () => {
  const config = loadConfig({});
  assert.equal(config.PORT, 8080);
  assert.equal(config.DATA_DIR, "./data");
  assert.equal(config.EVENT_STORE, "pglite");
});

Deno.test("a bad value names the variable and what was expected", () => {
  assert.throws(() => loadConfig({ PORT: "eighty" }), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /PORT: PORT must be a whole number \(got "eighty"\)/);
    return true;
  });
  assert.throws(() => loadConfig({ PORT: "70000" }), /PORT must be at most 65535/);
  assert.throws(() => loadConfig({ LOG_LEVEL: "loud" }), /LOG_LEVEL must be one of/);
});

Deno.test("an engine chosen without its address is refused", () => {
  assert.throws(
    () => loadConfig({ EVENT_STORE: "postgres" }),
    /EVENT_STORE=postgres needs POSTGRES_URL/,
  );
  assert.throws(
    () => loadConfig({ POSTGRES_URL: "mysql://x" }),
    /POSTGRES_URL must start with postgres:/,
  );
  const config = loadConfig({
    EVENT_STORE: "postgres",
    POSTGRES_URL: "postgres://u:p@127.0.0.1:5432/db",
  });
  assert.equal(config.EVENT_STORE, "postgres");
});

Deno.test("the Kafka telemetry log needs its brokers", () => {
  assert.throws(
    () => loadConfig({ TELEMETRY_LOG: "kafka" }),
    /TELEMETRY_LOG=kafka needs KAFKA_BROKERS/,
  );
  assert.throws(
    () => loadConfig({ KAFKA_BROKERS: "localhost" }),
    /KAFKA_BROKERS must be host:port/,
  );
  const config = loadConfig({ TELEMETRY_LOG: "kafka", KAFKA_BROKERS: "127.0.0.1:9092,kafka:9092" });
  assert.equal(config.KAFKA_TOPIC, "playback-telemetry");
  assert.equal(config.TELEMETRY_PARTITIONS, 6);
});

Deno.test("Kafka compression is zstd unless set to gzip or none", () => {
  assert.equal(loadConfig({}).KAFKA_COMPRESSION, "zstd");
  assert.equal(loadConfig({ KAFKA_COMPRESSION: "gzip" }).KAFKA_COMPRESSION, "gzip");
  assert.equal(loadConfig({ KAFKA_COMPRESSION: "none" }).KAFKA_COMPRESSION, "none");
  assert.throws(() => loadConfig({ KAFKA_COMPRESSION: "lz4" }), /KAFKA_COMPRESSION must be/);
});

Deno.test("the view rule's threshold and the leaderboards' cache are bounded", () => {
  assert.equal(loadConfig({}).VIEW_MIN_PLAYED_SEC, 10);
  assert.equal(loadConfig({ VIEW_MIN_PLAYED_SEC: "30" }).VIEW_MIN_PLAYED_SEC, 30);
  assert.throws(() => loadConfig({ VIEW_MIN_PLAYED_SEC: "0" }), /VIEW_MIN_PLAYED_SEC/);
  assert.throws(() => loadConfig({ LEADERBOARD_CACHE_MS: "-1" }), /LEADERBOARD_CACHE_MS/);
});

Deno.test("auth is on unless AUTH_MODE=off, and signing keys are kid:secret pairs", () => {
  const config = loadConfig({});
  assert.equal(config.AUTH_MODE, "on");
  assert.equal(config.MAX_DEVICES_PER_ACCOUNT, 3);
  assert.equal(loadConfig({ AUTH_MODE: "off" }).AUTH_MODE, "off");
  assert.throws(() => loadConfig({ AUTH_MODE: "maybe" }), /AUTH_MODE must be on or off/);
  const keys = `2026-02:${"b".repeat(32)},2026-01:${"a".repeat(40)}`;
  assert.equal(loadConfig({ AUTH_SIGNING_KEYS: keys }).AUTH_SIGNING_KEYS, keys);
  assert.throws(() => loadConfig({ AUTH_SIGNING_KEYS: "k1:short" }), /secrets of 32\+ characters/);
});

Deno.test("media: signing keys as kid:secret pairs, delivery mode, transcode concurrency", () => {
  const config = loadConfig({ MEDIA_SIGNING_KEYS: "k2:0123456789abcdef,k1:fedcba9876543210" });
  assert.equal(config.MEDIA_SIGNING_KEYS, "k2:0123456789abcdef,k1:fedcba9876543210");
  assert.equal(config.MEDIA_URL_TTL_SEC, 3600);
  assert.equal(config.MEDIA_DELIVERY, "redirect");
  assert.equal(config.MEDIA_PORT, undefined);
  assert.equal(loadConfig({ MEDIA_PORT: "8081" }).MEDIA_PORT, 8081);
  assert.throws(() => loadConfig({ MEDIA_PORT: "http" }), /MEDIA_PORT must be a whole number/);
  assert.equal(config.TRANSCODE_CONCURRENCY, 1);
  assert.throws(() => loadConfig({ MEDIA_SIGNING_KEYS: "k1:short" }), /MEDIA_SIGNING_KEYS must be/);
  assert.throws(() => loadConfig({ MEDIA_DELIVERY: "cdn" }), /MEDIA_DELIVERY must be/);
  assert.throws(() => loadConfig({ TRANSCODE_SEGMENT_SEC: "10" }), /at most 6/);
});

Deno.test("uploads: local blobs by default, S3 needs its bucket and both credentials", () => {
  const config = loadConfig({});
  assert.equal(config.BLOB_STORAGE, "fs");
  assert.equal(config.UPLOAD_MAX_BYTES, 2 * 2 ** 30);
  assert.equal(config.UPLOAD_EXPIRY_SEC, 86_400);
  assert.throws(() => loadConfig({ BLOB_STORAGE: "s3" }), /BLOB_STORAGE=s3 needs S3_BUCKET/);
  assert.throws(
    () => loadConfig({ BLOB_STORAGE: "s3", S3_BUCKET: "media", S3_ACCESS_KEY_ID: "id" }),
    /S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together/,
  );
  assert.throws(
    () => loadConfig({ UPLOAD_EXPIRY_SEC: "5" }),
    /UPLOAD_EXPIRY_SEC must be at least 60/,
  );
  const s3 = loadConfig({
    BLOB_STORAGE: "s3",
    S3_BUCKET: "media",
    S3_ENDPOINT: "http://127.0.0.1:57070",
    S3_FORCE_PATH_STYLE: "true",
  });
  assert.equal(s3.S3_FORCE_PATH_STYLE, true);
});

Deno.test("process roles default to all of them; METRICS_TOKEN is a 16+ character secret", () => {
  assert.deepEqual(loadConfig({}).PROCESS_ROLES, ["api", "projections", "transcoder"]);
  assert.deepEqual(loadConfig({ PROCESS_ROLES: "api" }).PROCESS_ROLES, ["api"]);
  assert.deepEqual(
    loadConfig({ PROCESS_ROLES: "projections,transcoder" }).PROCESS_ROLES,
    ["projections", "transcoder"],
  );
  assert.throws(() => loadConfig({ PROCESS_ROLES: "api,web" }), /PROCESS_ROLES must be/);
  assert.equal(loadConfig({}).METRICS_TOKEN, undefined);
  assert.throws(() => loadConfig({ METRICS_TOKEN: "short" }), /METRICS_TOKEN must be 16\+/);
});
