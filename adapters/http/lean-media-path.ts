/**
 * The lean path for signed media requests. A player fetching a segment or a range of the MP4 asks
 * for little: check the signature, read the bytes, answer. Through the HTTP app that answer also
 * costs the router over every feature's routes and the whole middleware chain (request id,
 * correlation id, access log, metrics, identity, body rules, CMCD telemetry): most of the time of
 * a 64 KiB range (docs/benchmarks.md, docs/decisions/0019). So GET and HEAD of
 * `/v1/videos/<id>/stream/...` are answered here, before the app, by the stream route's own code
 * (read-api/media/stream.ts), with what the chain gives those requests: X-Request-Id and
 * X-Correlation-Id, the access log line, and the request metrics under the route's pattern.
 *
 * Requests that need the chain still go through the app: any with a query string or CMCD headers
 * (their CMCD becomes playback telemetry there), with X-User-Id or X-Profile-Id (AUTH_MODE=off
 * refuses malformed ones), with a percent-encoded path, and any whose answer fails unexpectedly
 * (the app's error mapper answers it). A middleware added to the app does not see the others:
 * add what they need here too. The media port (media-listener.ts) answers through the same
 * `LeanMediaPath`.
 */
import type { Hono } from "hono";
import type { Logger } from "../../domain/ports/logger.ts";
import { DURATION_BUCKETS, type Labels, type Metrics } from "../../domain/ports/metrics.ts";
import {
  type MediaAnswer,
  type MediaRequest,
  mediaRequestOf,
  toResponse,
} from "../../read-api/media/serve-blob.ts";
import { type StreamDeps, streamMedia } from "../../read-api/media/stream.ts";
import { acceptedCorrelationId } from "./middleware/correlation-id.ts";
import { HTTP_METRICS } from "./middleware/http-metrics.ts";

type Fetch = Hono["fetch"];

export interface LeanMediaOptions {
  stream: StreamDeps;
  logger: Logger;
  metrics: Metrics;
  /** Whether the app ingests the CMCD of media requests (they must go through it then). */
  cmcd: boolean;
}

/** The route pattern the app's metrics count stream requests under. */
const ROUTE = "/v1/videos/:id/stream/*";
const PREFIX = "/v1/videos/";
const STREAM = "/stream/";
/** Request ids taken from the caller, as the app's request id middleware (hono/request-id). */
const REQUEST_ID = /^[\w\-=]{1,255}$/;
const APP_HEADERS = ["x-user-id", "x-profile-id"];
const CMCD_HEADERS = ["cmcd-request", "cmcd-object", "cmcd-status", "cmcd-session"];

export interface LeanMediaPath {
  /**
   * The path of a request the lean path answers (`target`: the request's path and query), or
   * undefined when it must go through the app.
   */
  pathOf(method: string, target: string, hasHeader: (name: string) => boolean): string | undefined;
  /** The answer to a request `pathOf` accepted, or undefined when the app must answer it. */
  answer(request: MediaRequest, path: string): Promise<MediaAnswer | undefined>;
}

export function leanMediaPath(options: LeanMediaOptions): LeanMediaPath {
  const requests = options.metrics.counter(HTTP_METRICS.requests);
  const durations = options.metrics.histogram({
    ...HTTP_METRICS.durations,
    buckets: DURATION_BUCKETS,
  });
  const appHeaders = options.cmcd ? [...APP_HEADERS, ...CMCD_HEADERS] : APP_HEADERS;

  return {
    pathOf(method, target, hasHeader) {
      if (method !== "GET" && method !== "HEAD") return undefined;
      const path = streamPath(target);
      return path === undefined || appHeaders.some(hasHeader) ? undefined : path;
    },

    async answer(request, path) {
      const started = performance.now();
      const givenId = request.header("x-request-id");
      const requestId = givenId !== null && REQUEST_ID.test(givenId)
        ? givenId
        : crypto.randomUUID();
      const correlationId = acceptedCorrelationId(request.header("x-correlation-id")) ??
        requestId;
      const videoEnd = path.indexOf("/", PREFIX.length);
      let answer: MediaAnswer;
      try {
        answer = await streamMedia(
          options.stream,
          request,
          path.slice(PREFIX.length, videoEnd),
          path.slice(videoEnd + STREAM.length),
        );
      } catch {
        return undefined;
      }
      answer.headers["x-request-id"] = requestId;
      answer.headers["x-correlation-id"] = correlationId;
      const method = request.method;
      const status = answer.status;
      const durationMs = performance.now() - started;
      const labels = labelsOf(method, status);
      requests.inc(labels);
      durations.observe(labels, durationMs / 1000);
      options.logger.info("request", {
        request_id: requestId,
        correlation_id: correlationId,
        method,
        path,
        status,
        duration_ms: Math.round(durationMs * 100) / 100,
      });
      return answer;
    },
  };
}

/** `app` with signed media requests answered ahead of it. */
export function withLeanMediaPath(app: Fetch, lean: LeanMediaPath): Fetch {
  return (request, env, executionCtx) => {
    const url = request.url;
    const path = lean.pathOf(
      request.method,
      url.slice(url.indexOf("/", url.indexOf("://") + 3)),
      (name) => request.headers.has(name),
    );
    if (path === undefined) return app(request, env, executionCtx);
    return lean.answer(mediaRequestOf(request), path).then((answer) =>
      answer ? toResponse(answer) : app(request, env, executionCtx)
    );
  };
}

/** Frozen metric labels per method and status: the registry keeps the text of frozen labels. */
const labelsByAnswer = new Map<string, Labels>();

function labelsOf(method: string, status: number): Labels {
  const answer = `${method} ${status}`;
  let labels = labelsByAnswer.get(answer);
  if (labels === undefined) {
    labels = Object.freeze({ method, route: ROUTE, status: String(status) });
    labelsByAnswer.set(answer, labels);
  }
  return labels;
}

/** The path of a stream target `/v1/videos/<id>/stream/<rest>` with no query; else undefined. */
function streamPath(target: string): string | undefined {
  if (!target.startsWith(PREFIX)) return undefined;
  const videoEnd = target.indexOf("/", PREFIX.length);
  if (videoEnd <= PREFIX.length || !target.startsWith(STREAM, videoEnd)) return undefined;
  return /[?#%]/.test(target) ? undefined : target;
}
