/** What the server adds to a playback event: its own clock, the client's device, the country. */

/**
 * The event's time on the server's clock. A client whose clock is off by `skew` stamps its events
 * and the batch's `sent_at` alike, so `received - sent_at` measures the skew (plus the transit
 * time, which is small next to the clock errors this corrects).
 */
export function correctedTime(
  eventMs: number,
  sentAtMs: number | undefined,
  receivedMs: number,
): number {
  return sentAtMs === undefined ? eventMs : eventMs + (receivedMs - sentAtMs);
}

export interface Device {
  device_type: "mobile" | "tablet" | "desktop" | "tv" | "console" | "other";
  browser: string;
  os: string;
}

const DEVICE_TYPES: [RegExp, Device["device_type"]][] = [
  [
    /smart-?tv|hbbtv|appletv|apple tv|roku|tizen|web0s|webos|crkey|aftb|aftm|aftt|bravia|googletv/i,
    "tv",
  ],
  [/playstation|xbox|nintendo/i, "console"],
  [/ipad|tablet|kindle|silk|(android(?!.*mobile))/i, "tablet"],
  [/mobi|iphone|ipod|android|windows phone/i, "mobile"],
  [/windows|macintosh|mac os x|linux|cros/i, "desktop"],
];
const BROWSERS: [RegExp, string][] = [
  [/edg(e|a|ios)?\//i, "Edge"],
  [/opr\/|opera/i, "Opera"],
  [/samsungbrowser/i, "Samsung Internet"],
  [/firefox\/|fxios/i, "Firefox"],
  [/chrome\/|crios/i, "Chrome"],
  [/safari\//i, "Safari"],
];
const SYSTEMS: [RegExp, string][] = [
  [/iphone|ipad|ipod|ios/i, "iOS"],
  [/android/i, "Android"],
  [/tizen/i, "Tizen"],
  [/web0s|webos/i, "webOS"],
  [/windows/i, "Windows"],
  [/mac os x|macintosh/i, "macOS"],
  [/cros/i, "ChromeOS"],
  [/linux/i, "Linux"],
];

/** A coarse reading of a User-Agent header, enough for QoE breakdowns by device. */
export function deviceFrom(userAgent: string | undefined): Device {
  const ua = userAgent ?? "";
  const first = <T>(rules: [RegExp, T][], fallback: T) =>
    rules.find(([pattern]) => pattern.test(ua))?.[1] ?? fallback;
  return {
    device_type: first(DEVICE_TYPES, "other"),
    browser: first(BROWSERS, "other"),
    os: first(SYSTEMS, "other"),
  };
}
