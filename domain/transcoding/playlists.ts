/**
 * HLS playlists as text: the master playlist we write ourselves (ffmpeg's lacks CODECS for split
 * outputs) and a strict enough reader for media and master playlists (bandwidth measurement, tests).
 */

/** One video variant as the master playlist lists it. */
export interface MasterVariant {
  uri: string;
  /** Peak bits per second over any segment, audio group included (RFC 8216 4.3.4.2). */
  bandwidth: number;
  average_bandwidth: number;
  width: number;
  height: number;
  codecs: string;
}

export interface MasterAudio {
  uri: string;
  group_id: string;
  name: string;
  channels: number;
}

export function renderMasterPlaylist(
  variants: readonly MasterVariant[],
  audio?: MasterAudio,
): string {
  const lines = ["#EXTM3U", "#EXT-X-VERSION:4", "#EXT-X-INDEPENDENT-SEGMENTS"];
  if (audio) {
    lines.push(
      `#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="${audio.group_id}",NAME="${audio.name}",LANGUAGE="und",` +
        `DEFAULT=YES,AUTOSELECT=YES,CHANNELS="${audio.channels}",URI="${audio.uri}"`,
    );
  }
  for (const variant of variants) {
    const attributes = [
      `BANDWIDTH=${variant.bandwidth}`,
      `AVERAGE-BANDWIDTH=${variant.average_bandwidth}`,
      `RESOLUTION=${variant.width}x${variant.height}`,
      `CODECS="${variant.codecs}"`,
      ...(audio ? [`AUDIO="${audio.group_id}"`] : []),
    ];
    lines.push(`#EXT-X-STREAM-INF:${attributes.join(",")}`, variant.uri);
  }
  return `${lines.join("\n")}\n`;
}

export interface MediaSegment {
  uri: string;
  duration_sec: number;
}

export interface MediaPlaylist {
  target_duration: number;
  playlist_type?: string;
  ended: boolean;
  segments: MediaSegment[];
}

export class PlaylistSyntaxError extends Error {
  override readonly name = "PlaylistSyntaxError";
}

export function parseMediaPlaylist(text: string): MediaPlaylist {
  const lines = playlistLines(text);
  let targetDuration: number | undefined;
  let playlistType: string | undefined;
  let ended = false;
  let pending: number | undefined;
  const segments: MediaSegment[] = [];
  for (const line of lines) {
    if (line.startsWith("#EXT-X-TARGETDURATION:")) targetDuration = Number(line.split(":")[1]);
    else if (line.startsWith("#EXT-X-PLAYLIST-TYPE:")) playlistType = line.split(":")[1];
    else if (line === "#EXT-X-ENDLIST") ended = true;
    else if (line.startsWith("#EXTINF:")) pending = Number(line.slice(8).split(",")[0]);
    else if (!line.startsWith("#")) {
      if (pending === undefined || !Number.isFinite(pending)) {
        throw new PlaylistSyntaxError(`segment "${line}" has no #EXTINF before it`);
      }
      segments.push({ uri: line, duration_sec: pending });
      pending = undefined;
    }
  }
  if (targetDuration === undefined || !Number.isInteger(targetDuration)) {
    throw new PlaylistSyntaxError("no #EXT-X-TARGETDURATION");
  }
  return { target_duration: targetDuration, playlist_type: playlistType, ended, segments };
}

export interface ParsedMaster {
  variants: (Record<string, string> & { uri: string })[];
  media: Record<string, string>[];
}

export function parseMasterPlaylist(text: string): ParsedMaster {
  const lines = playlistLines(text);
  const variants: ParsedMaster["variants"] = [];
  const media: ParsedMaster["media"] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith("#EXT-X-MEDIA:")) media.push(attributeList(line.slice(13)));
    if (line.startsWith("#EXT-X-STREAM-INF:")) {
      const uri = lines[i + 1];
      if (!uri || uri.startsWith("#")) {
        throw new PlaylistSyntaxError("#EXT-X-STREAM-INF without a URI");
      }
      variants.push({ ...attributeList(line.slice(18)), uri });
    }
  }
  return { variants, media };
}

function playlistLines(text: string): string[] {
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  if (lines[0] !== "#EXTM3U") throw new PlaylistSyntaxError("a playlist starts with #EXTM3U");
  return lines;
}

/** `A=1,B="x,y"` → { A: "1", B: "x,y" }. */
function attributeList(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of text.matchAll(/([A-Z0-9-]+)=("[^"]*"|[^,]*)/g)) {
    attributes[match[1]!] = match[2]!.replace(/^"|"$/g, "");
  }
  return attributes;
}

/** Peak and average bits per second of a variant from its segments' sizes and durations. */
export function measuredBandwidth(
  segments: readonly { bytes: number; duration_sec: number }[],
): { peak: number; average: number } {
  let peak = 0;
  let bytes = 0;
  let seconds = 0;
  for (const segment of segments) {
    if (segment.duration_sec <= 0) continue;
    peak = Math.max(peak, segment.bytes * 8 / segment.duration_sec);
    bytes += segment.bytes;
    seconds += segment.duration_sec;
  }
  return { peak: Math.ceil(peak), average: seconds > 0 ? Math.ceil(bytes * 8 / seconds) : 0 };
}
