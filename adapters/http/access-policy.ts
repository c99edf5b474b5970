/**
 * Who may call each route: one line per route, "METHOD /path" (Hono patterns: `:param` is one
 * segment, a trailing `*` the rest) to the access it needs. The access control middleware
 * (middleware/access-control.ts) enforces it for every request, and a request matching no line is
 * refused as if the route did not exist: a new route is unreachable until it gets a line here.
 * access-policy.test.ts walks the router and fails for a route without a line or one that answers
 * the wrong callers.
 *
 * - public: anyone, signed in or not;
 * - viewer: any signed-in user, acting for themselves only (the user and profile come from the
 *   token, so /v1/me/... is always the caller's own);
 * - editor: editors and admins (catalog and uploads);
 * - admin: admins only (accounts, projection operations);
 * - signed: anyone; the route itself checks the URL's signature and expiry (media delivery).
 */
export type Access = "public" | "viewer" | "editor" | "admin" | "signed";

export const ACCESS_POLICY: Readonly<Record<string, Access>> = {
  // The HTTP shell
  "GET /health": "public",
  "GET /ready": "public",
  "GET /openapi.json": "public",
  "GET /docs": "public",
  "GET /metrics": "public", // Prometheus scrapes without a user; METRICS_TOKEN, when set, is checked by the route

  // Accounts and sign-in
  "POST /v1/auth/register": "public",
  "POST /v1/auth/login": "public",
  "POST /v1/auth/refresh": "public", // the refresh token in the body is the credential
  "POST /v1/auth/logout": "public", // idem
  "POST /v1/auth/password": "viewer",
  "POST /v1/me/profiles": "viewer",
  "POST /v1/accounts": "admin",

  // Catalog: browsing is open (unpublished items only for editors), changes are editors'
  "GET /v1/videos": "public",
  "GET /v1/videos/:id": "public",
  "POST /v1/videos": "editor",
  "PATCH /v1/videos/:id": "editor",
  "DELETE /v1/videos/:id": "editor",
  "POST /v1/videos/:id/publish": "editor",
  "POST /v1/videos/:id/unpublish": "editor",
  "PUT /v1/videos/:id/geo-restriction": "editor",
  "GET /v1/shows/:id": "public",
  "POST /v1/shows": "editor",
  "PATCH /v1/shows/:id": "editor",
  "DELETE /v1/shows/:id": "editor",
  "POST /v1/shows/:id/publish": "editor",
  "POST /v1/shows/:id/unpublish": "editor",
  "POST /v1/shows/:id/seasons": "editor",
  "POST /v1/shows/:id/episodes": "editor",
  "GET /v1/search": "public",
  "GET /v1/search/suggest": "public",

  // Playback telemetry and the viewer's own history
  "POST /v1/events": "viewer",
  "PUT /v1/me/positions/:content_id": "viewer",
  "GET /v1/me/positions/:content_id": "viewer",
  "GET /v1/me/continue-watching": "viewer",
  "GET /v1/me/history": "viewer",
  "GET /v1/me/sessions": "viewer",
  "GET /v1/shows/:id/next-up": "viewer",

  // Projection operations
  "GET /v1/projections": "admin",
  "POST /v1/projections/:name/rebuild": "admin",
  "POST /v1/projections/:name/reset": "admin",
  "GET /v1/projections/:name/dead-letters": "admin",
  "POST /v1/projections/:name/dead-letters/:id/retry": "admin",

  // Uploads (simple and tus resumable)
  "POST /v1/videos/:id/upload": "editor",
  "OPTIONS /v1/uploads": "public", // tus capability discovery
  "ALL /v1/uploads": "editor",
  "ALL /v1/uploads/*": "editor",

  // Media: signed URLs are issued to a user allowed to play; delivery checks the signature
  "GET /v1/videos/:id/playback": "viewer",
  "GET /v1/videos/:id/stream/*": "signed", // the progressive file and the HLS playlists/segments
  "POST /v1/videos/:id/uploads/:upload_id/transcode": "editor",

  // Analytics, QoE and alerts
  "GET /v1/analytics/top": "public",
  "GET /v1/videos/:id/stats": "editor",
  "GET /v1/qoe/*": "editor",
  "GET /v1/alerts": "editor",

  // CMCD reports and multi-device sync (a WebSocket: the token may come as ?access_token=)
  "POST /v1/cmcd": "viewer",
  "GET /v1/me/sync": "viewer",
};

interface CompiledRule {
  method: string;
  segments: string[];
  access: Access;
}

/** Finds the access a request needs; a rule naming its method wins over an ALL rule. */
export function accessMatcher(policy: Readonly<Record<string, Access>> = ACCESS_POLICY) {
  const rules: CompiledRule[] = Object.entries(policy).map(([key, access]) => {
    const [method, path] = key.split(" ") as [string, string];
    return { method, segments: splitPath(path), access };
  });
  return (method: string, path: string): Access | undefined => {
    const segments = splitPath(path);
    const matching = rules.filter((rule) => matches(rule.segments, segments));
    // HEAD is answered by GET routes.
    const methods = method === "HEAD" ? ["HEAD", "GET"] : [method];
    for (const wanted of [...methods, "ALL"]) {
      const rule = matching.find((r) => r.method === wanted);
      if (rule) return rule.access;
    }
    return undefined;
  };
}

function splitPath(path: string): string[] {
  return path.split("/").filter((segment) => segment !== "");
}

function matches(pattern: string[], path: string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const part = pattern[i]!;
    if (part === "*" && i === pattern.length - 1) return true;
    const segment = path[i];
    if (segment === undefined) return false;
    if (!part.startsWith(":") && part !== segment) return false;
  }
  return pattern.length === path.length;
}
