/**
 * Configuration from environment variables, validated at start. A bad value stops start-up with a
 * message that names the variable and what it should be. See the README for every variable.
 */
import * as v from "valibot";
import { LOG_LEVELS } from "../logging/json-logger.ts";

const integer = (name: string, min: number, max: number, fallback: number) =>
  v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.regex(/^\d+$/, `${name} must be a whole number`),
      v.transform(Number),
      v.minValue(min, `${name} must be at least ${min}`),
      v.maxValue(max, `${name} must be at most ${max}`),
    ),
    String(fallback),
  );

const url = (name: string, protocols: string[]) =>
  v.optional(v.pipe(
    v.string(),
    v.url(`${name} must be a URL`),
    v.check(
      (value) => protocols.includes(new URL(value).protocol),
      `${name} must start with ${protocols.join(" or ")}//`,
    ),
  ));

const bucket = (name: string) =>
  v.optional(v.pipe(
    v.string(),
    v.regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, `${name} must be an S3 bucket name`),
  ));

/** api: the HTTP API; projections: the projection runtime and alert rules; transcoder: transcodes. */
export type ProcessRole = "api" | "projections" | "transcoder";

const EnvSchema = v.pipe(
  v.object({
    PORT: integer("PORT", 0, 65_535, 8080),
    HOST: v.optional(v.pipe(v.string(), v.nonEmpty("HOST must not be empty")), "127.0.0.1"),
    DATA_DIR: v.optional(v.pipe(v.string(), v.nonEmpty("DATA_DIR must not be empty")), "./data"),
    EVENT_STORE: v.optional(
      v.picklist(
        ["pglite", "postgres", "eventstoredb"],
        "EVENT_STORE must be pglite, postgres or eventstoredb",
      ),
      "pglite",
    ),
    POSTGRES_URL: url("POSTGRES_URL", ["postgres:", "postgresql:"]),
    POSTGRES_POOL_SIZE: integer("POSTGRES_POOL_SIZE", 1, 1000, 10),
    EVENTSTORE_URL: url("EVENTSTORE_URL", ["esdb:", "esdb+discover:"]),
    TELEMETRY_LOG: v.optional(
      v.picklist(["embedded", "kafka"], "TELEMETRY_LOG must be embedded or kafka"),
      "embedded",
    ),
    KAFKA_BROKERS: v.optional(v.pipe(
      v.string(),
      v.regex(/^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$/, "KAFKA_BROKERS must be host:port[,host:port...]"),
    )),
    KAFKA_TOPIC: v.optional(
      v.pipe(v.string(), v.regex(/^[A-Za-z0-9._-]{1,249}$/, "KAFKA_TOPIC must be a topic name")),
      "playback-telemetry",
    ),
    KAFKA_COMPRESSION: v.optional(
      v.picklist(["zstd", "gzip", "none"], "KAFKA_COMPRESSION must be zstd, gzip or none"),
      "zstd",
    ),
    TELEMETRY_PARTITIONS: integer("TELEMETRY_PARTITIONS", 1, 1000, 6),
    TELEMETRY_MAX_EVENTS: integer("TELEMETRY_MAX_EVENTS", 1, 10_000, 100),
    SEARCH: v.optional(
      v.picklist(["embedded", "meilisearch"], "SEARCH must be embedded or meilisearch"),
      "embedded",
    ),
    MEILISEARCH_URL: url("MEILISEARCH_URL", ["http:", "https:"]),
    MEILISEARCH_API_KEY: v.optional(
      v.pipe(v.string(), v.nonEmpty("MEILISEARCH_API_KEY must not be empty")),
    ),
    MEILISEARCH_INDEX_PREFIX: v.optional(
      v.pipe(
        v.string(),
        v.regex(/^[a-z0-9_]{0,40}$/, "MEILISEARCH_INDEX_PREFIX: lower-case letters, digits, _"),
      ),
      "",
    ),
    REDIS_URL: url("REDIS_URL", ["redis:", "rediss:"]),
    REDIS_KEY_PREFIX: v.optional(v.pipe(v.string(), v.maxLength(100)), "streaming:"),
    POSITIONS_CACHE_TTL_SEC: integer("POSITIONS_CACHE_TTL_SEC", 1, 30 * 86_400, 3600),
    INGEST_RATE_PER_USER: integer("INGEST_RATE_PER_USER", 1, 1_000_000, 10),
    INGEST_BURST_PER_USER: integer("INGEST_BURST_PER_USER", 1, 1_000_000, 50),
    INGEST_RATE_PER_ADDRESS: integer("INGEST_RATE_PER_ADDRESS", 1, 1_000_000, 200),
    INGEST_BURST_PER_ADDRESS: integer("INGEST_BURST_PER_ADDRESS", 1, 1_000_000, 1000),
    TRUST_PROXY: v.optional(
      v.pipe(
        v.picklist(["true", "false"], "TRUST_PROXY must be true or false"),
        v.transform((x) => x === "true"),
      ),
      "false",
    ),
    SESSION_HEARTBEAT_SEC: integer("SESSION_HEARTBEAT_SEC", 1, 600, 10),
    RESUME_MIN_PERCENT: integer("RESUME_MIN_PERCENT", 0, 100, 5),
    RESUME_MAX_PERCENT: integer("RESUME_MAX_PERCENT", 0, 100, 90),
    RESUME_MIN_DURATION_SEC: integer("RESUME_MIN_DURATION_SEC", 0, 86_400, 300),
    VIEW_MIN_PLAYED_SEC: integer("VIEW_MIN_PLAYED_SEC", 1, 3_600, 10),
    LEADERBOARD_CACHE_MS: integer("LEADERBOARD_CACHE_MS", 0, 60_000, 1_000),
    TRUSTED_COUNTRY_HEADER: v.optional(
      v.pipe(
        v.string(),
        v.regex(/^[A-Za-z0-9-]+$/, "TRUSTED_COUNTRY_HEADER must be a header name"),
      ),
    ),
    READ_MODELS: v.optional(
      v.picklist(["pglite", "postgres"], "READ_MODELS must be pglite or postgres"),
    ),
    PROJECTION_ON_POISON: v.optional(
      v.picklist(["park", "stop"], "PROJECTION_ON_POISON must be park or stop"),
      "park",
    ),
    PROJECTION_BATCH_SIZE: integer("PROJECTION_BATCH_SIZE", 1, 10_000, 500),
    // Media delivery and transcoding (read-api/media, commands/transcoding).
    MEDIA_SIGNING_KEYS: v.optional(v.pipe(
      v.string(),
      v.regex(
        /^[A-Za-z0-9_-]{1,32}:[^,\s]{16,}(,[A-Za-z0-9_-]{1,32}:[^,\s]{16,})*$/,
        "MEDIA_SIGNING_KEYS must be kid:secret[,kid:secret...] (the first signs; secrets of 16+ characters)",
      ),
    )),
    MEDIA_URL_TTL_SEC: integer("MEDIA_URL_TTL_SEC", 60, 604_800, 3_600),
    MEDIA_DELIVERY: v.optional(
      v.picklist(["redirect", "proxy"], "MEDIA_DELIVERY must be redirect or proxy"),
      "redirect",
    ),
    // A second port answering signed media requests (adapters/http/media-listener.ts); unset: none.
    MEDIA_PORT: v.optional(v.pipe(
      v.string(),
      v.trim(),
      v.regex(/^\d+$/, "MEDIA_PORT must be a whole number"),
      v.transform(Number),
      v.maxValue(65_535, "MEDIA_PORT must be at most 65535"),
    )),
    TRANSCODE_CONCURRENCY: integer("TRANSCODE_CONCURRENCY", 0, 64, 1),
    TRANSCODE_LEASE_SEC: integer("TRANSCODE_LEASE_SEC", 10, 3_600, 60),
    TRANSCODE_SEGMENT_SEC: integer("TRANSCODE_SEGMENT_SEC", 4, 6, 6),
    // Blob storage and uploads (adapters/blob-storage, commands/uploads, adapters/tus).
    BLOB_STORAGE: v.optional(v.picklist(["fs", "s3"], "BLOB_STORAGE must be fs or s3"), "fs"),
    S3_ENDPOINT: url("S3_ENDPOINT", ["http:", "https:"]),
    S3_PUBLIC_ENDPOINT: url("S3_PUBLIC_ENDPOINT", ["http:", "https:"]),
    S3_REGION: v.optional(v.pipe(v.string(), v.nonEmpty()), "us-east-1"),
    S3_BUCKET: bucket("S3_BUCKET"),
    /** The bucket for unfinished tus uploads, whose expiry sweep aborts old multipart uploads. */
    UPLOAD_S3_BUCKET: bucket("UPLOAD_S3_BUCKET"),
    S3_ACCESS_KEY_ID: v.optional(v.pipe(v.string(), v.nonEmpty())),
    S3_SECRET_ACCESS_KEY: v.optional(v.pipe(v.string(), v.nonEmpty())),
    S3_FORCE_PATH_STYLE: v.optional(
      v.pipe(
        v.picklist(["true", "false"], "S3_FORCE_PATH_STYLE must be true or false"),
        v.transform((x) => x === "true"),
      ),
      "false",
    ),
    FFMPEG_PATH: v.optional(v.pipe(v.string(), v.nonEmpty())),
    FFPROBE_PATH: v.optional(v.pipe(v.string(), v.nonEmpty())),
    UPLOAD_MAX_BYTES: integer("UPLOAD_MAX_BYTES", 1, 2 ** 40, 2 * 2 ** 30),
    UPLOAD_RESUMABLE_MAX_BYTES: integer("UPLOAD_RESUMABLE_MAX_BYTES", 1, 2 ** 42, 50 * 2 ** 30),
    UPLOAD_EXPIRY_SEC: integer("UPLOAD_EXPIRY_SEC", 60, 30 * 86_400, 86_400),
    UPLOAD_CLEANUP_INTERVAL_SEC: integer("UPLOAD_CLEANUP_INTERVAL_SEC", 10, 86_400, 3_600),
    LOG_LEVEL: v.optional(
      v.picklist(LOG_LEVELS, `LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}`),
      "info",
    ),
    MAX_BODY_BYTES: integer("MAX_BODY_BYTES", 1024, 1 << 30, 1 << 20),
    COMMAND_RETRIES: integer("COMMAND_RETRIES", 0, 100, 3),
    SHUTDOWN_TIMEOUT_MS: integer("SHUTDOWN_TIMEOUT_MS", 0, 600_000, 10_000),
    QOE_ALLOWED_LATENESS_SEC: integer("QOE_ALLOWED_LATENESS_SEC", 0, 3_600, 60),
    QOE_TARGET_BITRATE_KBPS: integer("QOE_TARGET_BITRATE_KBPS", 1, 1_000_000, 5_000),
    ALERT_RULES_FILE: v.optional(
      v.pipe(v.string(), v.nonEmpty("ALERT_RULES_FILE must not be empty")),
      "config/alert-rules.json",
    ),
    ALERT_WEBHOOK_URL: url("ALERT_WEBHOOK_URL", ["http:", "https:"]),
    ALERT_EVALUATE_SEC: integer("ALERT_EVALUATE_SEC", 1, 3_600, 30),
    READ_MODEL_RETENTION_DAYS: integer("READ_MODEL_RETENTION_DAYS", 1, 36_500, 30),
    RETENTION_SWEEP_INTERVAL_SEC: integer("RETENTION_SWEEP_INTERVAL_SEC", 10, 86_400, 3_600),
    AUTH_MODE: v.optional(v.picklist(["on", "off"], "AUTH_MODE must be on or off"), "on"),
    AUTH_SIGNING_KEYS: v.optional(v.pipe(
      v.string(),
      v.regex(
        /^[A-Za-z0-9._-]{1,64}:[^,\s]{32,}(,[A-Za-z0-9._-]{1,64}:[^,\s]{32,})*$/,
        "AUTH_SIGNING_KEYS must be kid:secret[,kid:secret...] with secrets of 32+ characters",
      ),
    )),
    ACCESS_TOKEN_TTL_SEC: integer("ACCESS_TOKEN_TTL_SEC", 30, 86_400, 900),
    REFRESH_TOKEN_TTL_SEC: integer("REFRESH_TOKEN_TTL_SEC", 300, 31_536_000, 2_592_000),
    MAX_DEVICES_PER_ACCOUNT: integer("MAX_DEVICES_PER_ACCOUNT", 1, 1000, 3),
    ADMIN_EMAIL: v.optional(
      v.pipe(v.string(), v.email("ADMIN_EMAIL must be an e-mail address")),
      "admin@streaming.local",
    ),
    WRITE_RATE_PER_USER: integer("WRITE_RATE_PER_USER", 1, 1_000_000, 20),
    WRITE_BURST_PER_USER: integer("WRITE_BURST_PER_USER", 1, 1_000_000, 100),
    WRITE_RATE_PER_ADDRESS: integer("WRITE_RATE_PER_ADDRESS", 1, 1_000_000, 100),
    WRITE_BURST_PER_ADDRESS: integer("WRITE_BURST_PER_ADDRESS", 1, 1_000_000, 500),
    // Observability: GET /metrics asks scrapers for this Bearer token when it is set.
    // Which parts of the service this process runs (one image, several process kinds).
    PROCESS_ROLES: v.optional(
      v.pipe(
        v.string(),
        v.regex(
          /^(api|projections|transcoder)(,(api|projections|transcoder))*$/,
          "PROCESS_ROLES must be a comma-separated list of api, projections, transcoder",
        ),
        v.transform((roles) => roles.split(",") as ProcessRole[]),
      ),
      "api,projections,transcoder",
    ),
    METRICS_TOKEN: v.optional(
      v.pipe(v.string(), v.regex(/^\S{16,}$/, "METRICS_TOKEN must be 16+ characters, no spaces")),
    ),
  }),
  v.check(
    (env) => env.EVENT_STORE !== "postgres" || env.POSTGRES_URL !== undefined,
    "EVENT_STORE=postgres needs POSTGRES_URL (postgres://user:password@host:port/database)",
  ),
  v.check(
    (env) => env.EVENT_STORE !== "eventstoredb" || env.EVENTSTORE_URL !== undefined,
    "EVENT_STORE=eventstoredb needs EVENTSTORE_URL (esdb://host:2113?tls=false)",
  ),
  v.check(
    (env) => env.TELEMETRY_LOG !== "kafka" || env.KAFKA_BROKERS !== undefined,
    "TELEMETRY_LOG=kafka needs KAFKA_BROKERS (host:port[,host:port...])",
  ),
  v.check(
    (env) => env.READ_MODELS !== "postgres" || env.POSTGRES_URL !== undefined,
    "READ_MODELS=postgres needs POSTGRES_URL (postgres://user:password@host:port/database)",
  ),
  v.check(
    (env) => env.SEARCH !== "meilisearch" || env.MEILISEARCH_URL !== undefined,
    "SEARCH=meilisearch needs MEILISEARCH_URL (http://host:7700)",
  ),
  v.check(
    (env) => env.BLOB_STORAGE !== "s3" || env.S3_BUCKET !== undefined,
    "BLOB_STORAGE=s3 needs S3_BUCKET (and S3_ENDPOINT for a store other than AWS)",
  ),
  v.check(
    (env) => (env.S3_ACCESS_KEY_ID === undefined) === (env.S3_SECRET_ACCESS_KEY === undefined),
    "S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together (or neither, for the SDK's own chain)",
  ),
  v.check(
    (env) => env.RESUME_MIN_PERCENT < env.RESUME_MAX_PERCENT,
    "RESUME_MIN_PERCENT must be below RESUME_MAX_PERCENT",
  ),
  // Read models follow the event store onto a PostgreSQL server unless told otherwise.
  v.transform((env) => ({
    ...env,
    READ_MODELS: env.READ_MODELS ??
      (env.EVENT_STORE === "postgres" ? "postgres" as const : "pglite" as const),
  })),
);

export type Config = v.InferOutput<typeof EnvSchema>;

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Reads the configuration; throws a ConfigError listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  const result = v.safeParse(EnvSchema, present);
  if (result.success) return result.output;
  const lines = result.issues.map((issue) => {
    const variable = v.getDotPath(issue);
    return variable ? `${variable}: ${issue.message} (got "${present[variable]}")` : issue.message;
  });
  throw new ConfigError(`invalid configuration:\n  ${lines.join("\n  ")}`);
}
