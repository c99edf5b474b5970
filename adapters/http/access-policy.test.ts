/**
 * Walks every route of the service with auth on and checks who may call it: each route has a line
 * in the access policy, anonymous callers get 401 where a user is needed, and callers without the
 * role get 403. A new route without a policy line fails here (and answers 404 until it has one).
 */
import assert from "node:assert/strict";
import { FsBlobStorage } from "../blob-storage/fs-blob-storage.ts";
import { FfprobeMediaProbe } from "../ffmpeg/probe.ts";
import { blobSource } from "../ffmpeg/probe-source.ts";
import { jsonLogger } from "../logging/json-logger.ts";
import { SecureLinkSigner } from "../media-signing/secure-link.ts";
import { authOn, signedInAdmin, signedInAs, type SignedInUser } from "../testing/auth.ts";
import { testService } from "../testing/service.ts";
import { fileDatastore } from "../tus/datastores.ts";
import { TusUploads } from "../tus/tus-uploads.ts";
import { type Access, ACCESS_POLICY, accessMatcher } from "./access-policy.ts";
import { MemoryPubSub } from "../memory/pubsub.ts";
import { runtime } from "../runtime/deno.ts";

const auth = authOn();
// Every feature mounted, uploads (tus included) and media delivery too, so the walk sees them all.
const scratch = await Deno.makeTempDir({ prefix: "access-policy-" });
const storage = await FsBlobStorage.open(`${scratch}/blobs`);
const api = await testService({
  auth,
  uploads: {
    storage,
    probe: new FfprobeMediaProbe({ locate: blobSource(storage) }),
    maxBytes: 1 << 20,
    resumable: (commands) =>
      new TusUploads({
        datastore: fileDatastore(`${scratch}/tus`, 60_000),
        path: "/v1/uploads",
        maxBytes: 1 << 20,
        spoolDir: `${scratch}/spool`,
        commands,
        logger: jsonLogger("silent"),
      }).app(),
  },
  media: {
    storage,
    signer: new SecureLinkSigner([{ kid: "k1", secret: "access-policy-test-secret" }]),
    urlTtlSec: 60,
    delivery: "proxy",
  },
  pubsub: new MemoryPubSub(),
  upgradeWebSocket: runtime.upgradeWebSocket,
});
const admin = await signedInAdmin(api, auth);
const callers: Record<string, SignedInUser | undefined> = {
  anonymous: undefined,
  viewer: await signedInAs(api, admin, "viewer"),
  editor: await signedInAs(api, admin, "editor"),
  admin,
};

/** The shell's own `app.use` middleware, listed by Hono among the routes. */
const SHELL_MIDDLEWARE = new Set(["ALL /*", "ALL /v1/*"]);

function routes(): { method: string; path: string }[] {
  const seen = new Map<string, { method: string; path: string }>();
  for (const { method, path } of api.app.routes) {
    const key = `${method} ${path}`;
    if (!SHELL_MIDDLEWARE.has(key)) seen.set(key, { method, path });
  }
  return [...seen.values()];
}

/** A path the pattern matches: parameters become fresh UUIDs, a trailing * one more segment. */
const concrete = (path: string) =>
  path.replace(/:[A-Za-z_]+/g, () => crypto.randomUUID()).replace(/\*$/, "x");

/** Who gets through: the status each caller must (or must not) get from the policy. */
function expected(access: Access, caller: string): "401" | "403" | "through" | "any" {
  if (access === "signed") return "any"; // the route checks the URL signature itself
  if (access === "public" || caller === "admin") return "through";
  if (caller === "anonymous") return "401";
  if (access === "viewer") return "through";
  if (access === "editor") return caller === "editor" ? "through" : "403";
  return "403";
}

Deno.test("every route of the app has an access policy line", () => {
  const accessOf = accessMatcher();
  const missing = routes().filter(({ method, path }) =>
    accessOf(method === "ALL" ? "POST" : method, concrete(path)) === undefined
  );
  assert.deepEqual(missing, [], "add a line to adapters/http/access-policy.ts for each");
  assert.ok(routes().length > 30, "the walk sees the whole service");
  assert.ok(routes().some((r) => r.path === "/metrics"), "the walk sees GET /metrics");
});

Deno.test("every access policy line names a route the app has", () => {
  const live = routes().map(({ method, path }) => ({
    method,
    path: new RegExp(`^${path.replace(/:[A-Za-z_]+/g, "[^/]+").replace(/\*/g, ".*")}$`),
    prefix: path,
  }));
  const stale = Object.keys(ACCESS_POLICY).filter((line) => {
    const [method, path] = line.split(" ") as [string, string];
    return !live.some((route) =>
      (method === "ALL" || route.method === method || route.method === "ALL") &&
      (path.endsWith("*")
        ? route.prefix.startsWith(path.slice(0, -1))
        : route.path.test(concrete(path)))
    );
  });
  assert.deepEqual(stale, [], "remove these lines from adapters/http/access-policy.ts");
});

Deno.test("no route answers a caller without the role it needs", async () => {
  const accessOf = accessMatcher();
  const wrong: string[] = [];
  for (const { method: routeMethod, path } of routes()) {
    const method = routeMethod === "ALL" ? "POST" : routeMethod;
    const url = concrete(path);
    const access = accessOf(method, url)!;
    for (const [name, user] of Object.entries(callers)) {
      const write = !["GET", "HEAD", "OPTIONS"].includes(method);
      const response = await api.app.request(url, {
        method,
        headers: { ...user?.headers, ...(write ? { "content-type": "application/json" } : {}) },
        body: write ? "{}" : undefined,
      });
      await response.body?.cancel();
      const status = response.status;
      const want = expected(access, name);
      const ok = want === "any" ||
        (want === "through" ? status !== 401 && status !== 403 : String(status) === want);
      if (!ok) wrong.push(`${method} ${path} (${access}) as ${name}: ${status}, expected ${want}`);
    }
  }
  assert.deepEqual(wrong, []);
});

Deno.test("the policy keeps its invariants: no open writes, own data for viewers only", () => {
  const openWrites = ["/v1/auth/register", "/v1/auth/login", "/v1/auth/refresh", "/v1/auth/logout"];
  for (const [key, access] of Object.entries(ACCESS_POLICY)) {
    const [method, path] = key.split(" ") as [string, string];
    if (method !== "GET" && method !== "OPTIONS" && !openWrites.includes(path)) {
      assert.notEqual(access, "public", `${key} writes: it needs a role`);
    }
    if (path.startsWith("/v1/me/")) assert.equal(access, "viewer", key);
    if (/^\/v1\/(projections|accounts)/.test(path)) assert.equal(access, "admin", key);
    if (/^\/v1\/(videos|shows)/.test(path) && method !== "GET") {
      assert.ok(access === "editor" || access === "admin", `${key} changes the catalog`);
    }
  }
});

Deno.test("a request matching no policy line is refused as an unknown route, even for admins", async () => {
  const answer = await api.call("GET", "/v1/not-a-route", undefined, admin.headers);
  assert.equal(answer.status, 404);
  const matcher = accessMatcher({ "GET /v1/things/:id": "viewer", "ALL /v1/up/*": "editor" });
  assert.equal(matcher("GET", "/v1/things/1"), "viewer");
  assert.equal(matcher("HEAD", "/v1/things/1"), "viewer");
  assert.equal(matcher("POST", "/v1/things/1"), undefined);
  assert.equal(matcher("GET", "/v1/things/1/more"), undefined);
  assert.equal(matcher("PATCH", "/v1/up/abc/def"), "editor");
});
