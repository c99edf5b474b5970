/**
 * The transcoder on ffmpeg (fluent-ffmpeg): reads the source in place when the store is a local
 * directory (else copies it to a work folder), runs the plan's command, then stores every output
 * under the job's prefix (while the poster is made) and writes the master playlist, whose BANDWIDTH
 * figures are measured on the segments that were made.
 */
import { mkdir, mkdtemp, open, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { BlobStorage } from "../../domain/ports/blob-storage.ts";
import type {
  StoredVariant,
  TranscodeCallbacks,
  TranscodeJob,
  Transcoder,
  TranscodeResult,
} from "../../domain/ports/transcoder.ts";
import { TranscodeFailedError } from "../../domain/ports/transcoder.ts";
import type { AudioPlan, VideoPlan } from "../../domain/transcoding/ladder.ts";
import {
  measuredBandwidth,
  parseMediaPlaylist,
  renderMasterPlaylist,
} from "../../domain/transcoding/playlists.ts";
import { LAYOUT, mainCommand, posterCommand } from "./transcoder-commands.ts";
import { runFfmpeg } from "./transcoder-run.ts";

const CONTENT_TYPES: Record<string, string> = {
  m3u8: "application/vnd.apple.mpegurl",
  ts: "video/mp2t",
  mp4: "video/mp4",
  jpg: "image/jpeg",
};

const PARALLEL_PUTS = 4;

/** `fn` over `items`, `size` at a time, results in order. */
async function inBatches<T, R>(items: readonly T[], size: number, fn: (item: T) => Promise<R>) {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) {
    results.push(...await Promise.all(items.slice(i, i + size).map(fn)));
  }
  return results;
}

export class FfmpegTranscoder implements Transcoder {
  constructor(
    private readonly options: {
      storage: BlobStorage;
      ffmpeg: () => Promise<string>;
      workRoot?: string;
    },
  ) {}

  async transcode(job: TranscodeJob, callbacks: TranscodeCallbacks = {}): Promise<TranscodeResult> {
    const work = await mkdtemp(join(this.options.workRoot ?? tmpdir(), "transcode-"));
    try {
      const source = await this.#sourceFile(job.source_key, work);
      const out = join(work, "out");
      const binary = await this.options.ffmpeg();
      const command = mainCommand(job.plan, source, out);
      await Promise.all(command.outputs.map((o) => mkdir(dirname(o.path), { recursive: true })));
      await runFfmpeg(binary, command, callbacks);
      if (job.plan.kind === "audio") {
        return await this.#storeAudio(job.plan, out, job.output_prefix);
      }
      // The poster's small run overlaps storing the other outputs (mostly waits for flushes).
      const poster = runFfmpeg(binary, posterCommand(job.plan, source, out), {
        signal: callbacks.signal,
      });
      try {
        return await this.#storeVideo(job.plan, out, job.output_prefix, poster);
      } catch (error) {
        await poster.catch(() => {}); // its ffmpeg is done before the work folder goes
        throw error;
      }
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  /** The source as a local file: in place in a local directory store, else copied out of it. */
  async #sourceFile(key: string, work: string): Promise<string> {
    const storage = this.options.storage;
    if (storage.localPath) {
      await storage.head(key); // BlobNotFoundError as for a copy
      return storage.localPath(key);
    }
    const path = join(work, "source");
    const read = await storage.get(key);
    const file = await open(path, "w");
    try {
      for await (const chunk of read.body) await file.write(chunk);
    } finally {
      await file.close();
    }
    return path;
  }

  async #put(out: string, prefix: string, file: string, contentType?: string): Promise<string> {
    const key = `${prefix}${file}`;
    const bytes = await readFile(join(out, file));
    const type = contentType ?? CONTENT_TYPES[file.split(".").pop()!] ?? "application/octet-stream";
    await this.options.storage.put(key, bytes, { contentType: type });
    return key;
  }

  async #storeAudio(plan: AudioPlan, out: string, prefix: string): Promise<TranscodeResult> {
    const audio_renditions = await inBatches(plan.renditions, PARALLEL_PUTS, async (r) => {
      const key = await this.#put(out, prefix, LAYOUT.audioRendition(r), r.content_type);
      return { name: r.name, key, content_type: r.content_type, kbps: r.kbps };
    });
    return { variants: [], audio_renditions };
  }

  async #storeVideo(
    plan: VideoPlan,
    out: string,
    prefix: string,
    poster: Promise<void>,
  ): Promise<TranscodeResult> {
    // Folders, the MP4 and the poster are stored side by side: each put waits for its own flush.
    const folder = (rung: string) => dirname(LAYOUT.variantPlaylist(rung));
    const [audio, stored, progressive_key, poster_key] = await Promise.all([
      plan.audio ? this.#storeHls(out, prefix, dirname(LAYOUT.audioPlaylist)) : undefined,
      Promise.all(plan.ladder.map((rung) => this.#storeHls(out, prefix, folder(rung.name)))),
      this.#put(out, prefix, LAYOUT.progressive),
      poster.then(() => this.#put(out, prefix, LAYOUT.poster)),
    ]);
    const variants: StoredVariant[] = plan.ladder.map((rung, i) => ({
      name: rung.name,
      playlist_key: stored[i]!.playlist_key,
      width: rung.width,
      height: rung.height,
      // The player fetches a video segment and an audio segment together: both count.
      bandwidth: stored[i]!.peak + (audio?.peak ?? 0),
      codecs: plan.audio ? `${rung.codecs},${plan.audio.codecs}` : rung.codecs,
      segments: stored[i]!.segments,
    }));
    const master = renderMasterPlaylist(
      variants.map((v, i) => ({
        uri: `${v.name}/index.m3u8`,
        bandwidth: v.bandwidth,
        average_bandwidth: stored[i]!.average + (audio?.average ?? 0),
        width: v.width,
        height: v.height,
        codecs: v.codecs,
      })),
      plan.audio &&
        {
          uri: "audio/index.m3u8",
          group_id: "audio",
          name: "Stereo",
          channels: plan.audio.channels,
        },
    );
    const master_playlist_key = `${prefix}${LAYOUT.master}`;
    await this.options.storage.put(master_playlist_key, new TextEncoder().encode(master), {
      contentType: CONTENT_TYPES.m3u8!,
    });
    return {
      master_playlist_key,
      variants,
      audio_playlist_key: audio?.playlist_key,
      progressive_key,
      poster_key,
      audio_renditions: [],
    };
  }

  /** Stores one HLS folder (segments, then the playlist) and measures its bandwidth. */
  async #storeHls(out: string, prefix: string, folder: string) {
    const playlistFile = `${folder}/index.m3u8`;
    const playlist = parseMediaPlaylist(await readFile(join(out, playlistFile), "utf8"));
    // Puts overlap: each waits for its file to reach the disk (or S3) before it resolves.
    const sizes = await inBatches(playlist.segments, PARALLEL_PUTS, async (segment) => {
      const file = `${folder}/${segment.uri}`;
      await this.#put(out, prefix, file);
      return { bytes: (await stat(join(out, file))).size, duration_sec: segment.duration_sec };
    });
    const files = await readdir(join(out, folder));
    if (files.length !== playlist.segments.length + 1) {
      throw new TranscodeFailedError(`${folder}: the playlist does not list every segment made`);
    }
    const { peak, average } = measuredBandwidth(sizes);
    return {
      playlist_key: await this.#put(out, prefix, playlistFile),
      peak,
      average,
      segments: playlist.segments.length,
    };
  }
}
