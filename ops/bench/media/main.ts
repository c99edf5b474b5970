/**
 * Media benchmark: byte delivery of the service against nginx serving the same files in the same
 * run, the nginx edge verifying the service's signed URLs, and the transcode pipeline against the
 * bare ffmpeg commands it runs. See docs/benchmarks.md.
 *
 *   deno task bench:media [--seconds 5] [--rounds 5] [--connections 16] [--file-mib 64] [--segments 16]
 *     [--clip-seconds 10] [--clip-height 720] [--transcode-rounds 2] [--markdown results.md]
 *
 * Needs nginx and wrk (Debian packages; installed with apt-get when missing and allowed) and
 * ffmpeg. Signature checks are on for the service and the edge; plain nginx checks nothing.
 */
import { mkdir, mkdtemp, open, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FsBlobStorage } from "../../../adapters/blob-storage/fs-blob-storage.ts";
import { ffmpegPath } from "../../../adapters/ffmpeg/binary.ts";
import { FfmpegTranscoder } from "../../../adapters/ffmpeg/transcoder.ts";
import {
  commandArguments,
  mainCommand,
  posterCommand,
} from "../../../adapters/ffmpeg/transcoder-commands.ts";
import { storeTestClip } from "../../../adapters/ffmpeg/transcoder-testing.ts";
import { SecureLinkSigner } from "../../../adapters/media-signing/secure-link.ts";
import { planTranscode } from "../../../domain/transcoding/ladder.ts";
import { expiryFor, mediaLink } from "../../../read-api/media/media-urls.ts";
import { commandLine, describeMachine } from "../lib/machine.ts";
import { integerOption, optionEnvNames, readOptions, textOption } from "../lib/options.ts";
import { progress } from "../lib/progress.ts";
import { formatCount, formatReport, markdownTable, type Report } from "../lib/report.ts";
import { median } from "../lib/statistics.ts";
import { secondsSince } from "../lib/timing.ts";
import { ensureDebianTool, ownCpuSeconds, startNginx, startService } from "./servers.ts";
import { type LoadResult, runWrk, statusOf, type Workload } from "./workloads.ts";

const SCRIPT = "ops/bench/media/main.ts";
const SPECS = {
  "seconds": integerOption("BENCH_SECONDS", 5),
  "rounds": integerOption("BENCH_ROUNDS", 5),
  "connections": integerOption("BENCH_CONNECTIONS", 16),
  "file-mib": integerOption("BENCH_FILE_MIB", 64),
  "segments": integerOption("BENCH_SEGMENTS", 16),
  "clip-seconds": integerOption("BENCH_CLIP_SECONDS", 10),
  "clip-height": integerOption("BENCH_CLIP_HEIGHT", 720),
  "transcode-rounds": integerOption("BENCH_TRANSCODE_ROUNDS", 2),
  "markdown": textOption("BENCH_MARKDOWN"),
};
type Options = ReturnType<typeof readOptions<typeof SPECS>>;

const KEY = { kid: "bench", secret: crypto.randomUUID() };
const MIB = 1 << 20;
/** Every server gets one unmeasured run this long before the rounds, the same for all. */
const WARM_UP_SECONDS = 1;

const COLUMNS = [
  { title: "workload", align: "left" },
  { title: "server", align: "left" },
  { title: "req/s", align: "right" },
  { title: "MB/s", align: "right" },
  { title: "p99 ms", align: "right" },
  { title: "errors", align: "right" },
  { title: "ratio to nginx (median)", align: "right" },
  { title: "ratio per round", align: "left" },
  { title: "target", align: "left" },
  { title: "met", align: "left" },
  { title: "server CPU µs/req", align: "right" },
  { title: "CPU ratio", align: "right" },
] as const;

/** A random file of `bytes` written through the store (so the service has its metadata). */
async function putRandom(storage: FsBlobStorage, key: string, bytes: number, type: string) {
  const chunk = new Uint8Array(MIB);
  let left = bytes;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (left <= 0) return controller.close();
      crypto.getRandomValues(chunk.subarray(0, 65_536));
      const size = Math.min(left, MIB);
      controller.enqueue(chunk.slice(0, size));
      left -= size;
    },
  });
  await storage.put(key, body, { contentType: type, contentLength: bytes });
}

/** A load run with the CPU time the server's processes used during it. */
interface Measured extends LoadResult {
  cpu_seconds: number;
}

function sumOf(a: Measured, b: Measured): Measured {
  return {
    requests: a.requests + b.requests,
    bytes: a.bytes + b.bytes,
    seconds: a.seconds + b.seconds,
    p99_ms: Math.max(a.p99_ms, b.p99_ms),
    errors: a.errors + b.errors,
    cpu_seconds: a.cpu_seconds + b.cpu_seconds,
  };
}

const cpuPerRequest = (r: Measured) => r.cpu_seconds / r.requests * 1e6;

const perSecond = (r: Measured) => r.requests / r.seconds;

/**
 * A server's row: req/s, MB/s, CPU of its rounds together (p99: the worst round), and its ratio to
 * nginx as the median of the rounds' ratios, each against the nginx run beside it.
 */
function row(
  workload: string,
  server: string,
  rounds: Measured[],
  nginxRounds: Measured[],
  target?: number,
) {
  const r = rounds.reduce(sumOf);
  const nginx = nginxRounds.reduce(sumOf);
  const ratios = rounds.map((round, i) => perSecond(round) / perSecond(nginxRounds[i]!));
  const ratio = median(ratios);
  return [
    workload,
    server,
    formatCount(Math.round(perSecond(r))),
    (r.bytes / r.seconds / 1e6).toFixed(1),
    r.p99_ms.toFixed(2),
    String(r.errors),
    server === "nginx" ? "1.00" : ratio.toFixed(2),
    server === "nginx" ? "" : ratios.map((x) => x.toFixed(2)).join(" "),
    target ? `≥ ${target}x` : "",
    target ? (ratio >= target ? "yes" : "no") : "",
    cpuPerRequest(r).toFixed(0),
    (cpuPerRequest(nginx) / cpuPerRequest(r)).toFixed(2),
  ];
}

async function deliveryRows(options: Options, wrk: string, nginxBinary: string, work: string) {
  const storage = await FsBlobStorage.open(join(work, "blobs"));
  const upload = crypto.randomUUID();
  const video = crypto.randomUUID();
  const prefix = `renditions/${upload}/1/`;
  const fileSize = options["file-mib"] * MIB;
  progress(`writing a ${options["file-mib"]} MiB file and ${options.segments} segments of 1 MiB`);
  await putRandom(storage, `${prefix}progressive.mp4`, fileSize, "video/mp4");
  for (let i = 0; i < options.segments; i++) {
    const name = `seg-${String(i).padStart(5, "0")}.ts`;
    await putRandom(storage, `${prefix}hls/720p/${name}`, MIB, "video/mp2t");
  }
  await storage.close();

  const service = await startService(join(work, "blobs"), `${KEY.kid}:${KEY.secret}`);
  const nginxDir = join(work, "nginx");
  await mkdir(nginxDir, { recursive: true });
  await new Deno.Command("chmod", { args: ["-R", "a+rX", work] }).output();
  const nginx = await startNginx(nginxBinary, nginxDir, {
    objects: join(work, "blobs", "objects"),
    keys: [KEY],
    service: service.port,
  });
  try {
    const signer = new SecureLinkSigner([KEY]);
    const link = mediaLink(signer, video, prefix, expiryFor(Date.now(), 3600));
    const signedMp4 = link.url(`${prefix}progressive.mp4`);
    const signedSegments = link.url(`${prefix}hls/720p/`);
    const plainMp4 = `/${prefix}progressive.mp4`;
    const plainSegments = `/${prefix}hls/720p/`;

    // The edge refuses what the service refuses.
    const expired = mediaLink(signer, video, prefix, Math.floor(Date.now() / 1000) - 10)
      .url(`${prefix}progressive.mp4`);
    const tampered = signedMp4.replace(upload, crypto.randomUUID());
    const edgeUrl = (path: string) => `http://127.0.0.1:${nginx.edge}${path}`;
    const checks = {
      valid: await statusOf(edgeUrl(signedMp4), { range: "bytes=0-9" }),
      expired: await statusOf(edgeUrl(expired)),
      tampered: await statusOf(edgeUrl(tampered)),
      service_expired: await statusOf(`http://127.0.0.1:${service.port}${expired}`),
    };
    if (checks.valid !== 206 || checks.expired !== 403 || checks.tampered !== 403) {
      throw new Error(`the nginx edge does not check signatures: ${JSON.stringify(checks)}`);
    }

    const load = { connections: options.connections, seconds: options.seconds };
    const rows: string[][] = [];
    const workloads: [string, (signed: boolean) => Workload, number, number][] = [
      [
        "64 KiB random ranges",
        (signed) => ({
          kind: "range",
          path: signed ? signedMp4 : plainMp4,
          fileSize,
          rangeBytes: 65_536,
        }),
        0.3,
        0.9,
      ],
      [
        "1 MiB segments",
        (signed) => ({
          kind: "paths",
          base: signed ? signedSegments : plainSegments,
          count: options.segments,
        }),
        0.5,
        0.9,
      ],
    ];
    const nginxPlain = { name: "nginx", port: nginx.plain, signed: false, cpu: nginx.cpuSeconds };
    const edge = { name: "nginx edge", port: nginx.edge, signed: true, cpu: nginx.cpuSeconds };
    const ours = { name: "service", port: service.port, signed: true, cpu: service.cpuSeconds };
    const oursMedia = { ...ours, name: "service media port", port: service.mediaPort };
    for (const [name, workload, serviceTarget, edgeTarget] of workloads) {
      for (const server of [nginxPlain, edge, ours, oursMedia]) {
        progress(`${name}: ${server.name} (warm-up)`);
        const warmUp = { ...load, seconds: WARM_UP_SECONDS };
        await runWrk(wrk, server.port, workload(server.signed), warmUp);
      }
      // nginx runs in the middle of each round with the edge and the service's ports on either
      // side, the sides swapped every round (edge, media port, nginx, service; then service,
      // nginx, media port, edge): each is compared with the nginx run beside it, A B then B A.
      const runs = new Map<string, Measured[]>();
      for (let round = 0; round < options.rounds; round++) {
        const order = [edge, oursMedia, nginxPlain, ours];
        for (const server of round % 2 ? order.reverse() : order) {
          progress(`${name}: ${server.name} (round ${round + 1})`);
          const cpuBefore = await server.cpu();
          const result = await runWrk(wrk, server.port, workload(server.signed), load);
          const measured = { ...result, cpu_seconds: await server.cpu() - cpuBefore };
          runs.set(server.name, [...runs.get(server.name) ?? [], measured]);
        }
      }
      const plain = runs.get("nginx")!;
      rows.push(
        row(name, "nginx", plain, plain),
        row(name, "service (main port)", runs.get("service")!, plain, serviceTarget),
        row(name, "service (media port)", runs.get("service media port")!, plain, serviceTarget),
        row(name, "nginx edge (signed)", runs.get("nginx edge")!, plain, edgeTarget),
      );
    }
    return { rows, checks };
  } finally {
    await nginx.stop();
    await service.stop();
  }
}

async function transcodeRow(options: Options, work: string) {
  const rounds = options["transcode-rounds"];
  const storage = await FsBlobStorage.open(join(work, "transcode"));
  const height = options["clip-height"];
  const width = Math.round(height * 16 / 9 / 2) * 2;
  const seconds = options["clip-seconds"];
  progress(`transcode: a ${seconds} s ${width}x${height} clip`);
  await storeTestClip(storage, "sources/clip.mp4", { kind: "video", seconds, width, height });
  const plan = planTranscode({
    media_kind: "video",
    duration_sec: seconds,
    width,
    height,
    has_audio: true,
  });
  const ffmpeg = await ffmpegPath();

  // The bare commands: the source as a local file, outputs in a folder, nothing stored.
  const bare = join(work, "bare");
  const source = join(bare, "source.mp4");
  await mkdir(bare, { recursive: true });
  const file = await open(source, "w");
  for await (const chunk of (await storage.get("sources/clip.mp4")).body) await file.write(chunk);
  await file.close();
  const main = mainCommand(plan, source, join(bare, "out"));
  for (const output of main.outputs) await mkdir(join(output.path, ".."), { recursive: true });
  const runBare = async () => {
    const start = performance.now();
    const poster = plan.kind === "video"
      ? posterCommand(plan, source, join(bare, "out"))
      : undefined;
    for (const spec of poster ? [main, poster] : [main]) {
      const args = commandArguments(spec);
      const result = await new Deno.Command(ffmpeg, { args, stderr: "null" }).output();
      if (!result.success) throw new Error("the bare ffmpeg command failed");
    }
    return secondsSince(start);
  };

  // fluent-ffmpeg asks ffmpeg for its encoders on a process's first command (then keeps the
  // answer): a service pays it once, not per job, so one tiny job runs before the measured ones.
  const warm = { kind: "video" as const, seconds: 1, width: 426, height: 240 };
  await storeTestClip(storage, "sources/warm.mp4", warm);
  const ours = new FfmpegTranscoder({ storage, ffmpeg: () => Promise.resolve(ffmpeg) });
  await ours.transcode({
    source_key: "sources/warm.mp4",
    output_prefix: "renditions/warm/1/",
    plan: planTranscode({
      media_kind: "video",
      duration_sec: 1,
      width: 426,
      height: 240,
      has_audio: true,
    }),
  });
  const runOurs = async (round: number) => {
    const start = performance.now();
    await ours.transcode({
      source_key: "sources/clip.mp4",
      output_prefix: `renditions/bench/${round + 1}/`,
      plan,
    });
    return secondsSince(start);
  };
  // Rounds in turn, the order reversed every other round (bare, ours, ours, bare, ...).
  // CPU: of ffmpeg and of this process (the transcoder runs here): steadier than wall time on a
  // shared machine.
  let bareSeconds = 0, oursSeconds = 0, bareCpu = 0, oursCpu = 0;
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? ["ours", "bare"] : ["bare", "ours"];
    for (const side of order) {
      progress(`transcode: ${side === "bare" ? "the bare ffmpeg commands" : "the transcoder"}`);
      const cpuBefore = await ownCpuSeconds();
      if (side === "bare") bareSeconds += await runBare() / rounds;
      else oursSeconds += await runOurs(round) / rounds;
      const cpu = (await ownCpuSeconds() - cpuBefore) / rounds;
      if (side === "bare") bareCpu += cpu;
      else oursCpu += cpu;
    }
  }
  await storage.close();
  const sourceBytes = (await stat(source)).size;
  const ratio = oursSeconds / bareSeconds;
  return {
    description:
      `Transcode: ${seconds} s ${width}x${height} clip (${(sourceBytes / 1e6).toFixed(1)} MB), ` +
      `ladder ${
        plan.kind === "video" ? plan.ladder.map((r) => r.name).join("/") : ""
      } + audio + MP4 + poster`,
    table: markdownTable(
      [
        { title: "pipeline", align: "left" },
        { title: "wall s", align: "right" },
        { title: "ratio", align: "right" },
        { title: "target", align: "left" },
        { title: "met", align: "left" },
        { title: "CPU s", align: "right" },
        { title: "CPU ratio", align: "right" },
      ],
      [
        [
          `bare ffmpeg commands (mean of ${rounds})`,
          bareSeconds.toFixed(2),
          "1.00",
          "",
          "",
          bareCpu.toFixed(2),
          "1.00",
        ],
        [
          `transcoder (fluent-ffmpeg + blob store, mean of ${rounds})`,
          oursSeconds.toFixed(2),
          ratio.toFixed(2),
          "≤ 1.05x",
          ratio <= 1.05 ? "yes" : "no",
          oursCpu.toFixed(2),
          (oursCpu / bareCpu).toFixed(2),
        ],
      ],
    ),
  };
}

/** Runs the benchmark with `args` (flags as on the command line), prints and returns its report. */
export async function runBenchmark(args: string[] = Deno.args): Promise<Report> {
  const options = readOptions(args, SPECS);
  const started = performance.now();
  const work = await mkdtemp(join(tmpdir(), "bench-media-"));
  const skipped: string[] = [];
  const lines: string[] = [];
  try {
    const nginx = await ensureDebianTool("nginx", "nginx");
    const wrk = await ensureDebianTool("wrk", "wrk");
    if (!nginx || !wrk) {
      skipped.push(
        `delivery: ${!nginx ? "nginx" : "wrk"} is missing and apt-get could not install it`,
      );
    } else {
      const { rows, checks } = await deliveryRows(options, wrk, nginx, work);
      lines.push(
        ...markdownTable(COLUMNS, rows),
        "",
        `Edge checks: valid ${checks.valid}, expired ${checks.expired}, tampered ${checks.tampered}; ` +
          `the service answers an expired URL ${checks.service_expired}.`,
        "",
      );
    }
    const transcode = await transcodeRow(options, work);
    lines.push(transcode.description, "", ...transcode.table);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const machine = [
    ...describeMachine(commandLine({
      args,
      script: SCRIPT,
      env: optionEnvNames(SPECS),
    })),
    `Load: wrk, 1 thread, ${options.connections} connections, ${options.seconds} s per server ` +
    `and round, ${options.rounds} rounds after a ${WARM_UP_SECONDS} s warm-up run of each ` +
    "server; each round runs the edge, the service's media port, nginx, the service's main " +
    "port, the order reversed every other round; nginx one worker process, the service one " +
    "process, on loopback. Ratio: " +
    "the median (lower middle for an even count) of the rounds' ratios, each against that " +
    "round's nginx run; req/s, MB/s and CPU: the rounds together (p99: the worst). The service " +
    "twice: its main port (Deno.serve, the lean path ahead of the app) and its media port " +
    "(MEDIA_PORT: the HTTP/1.1 media listener), one process serving both. Server " +
    "CPU: user + system time of the server's processes (all threads) per request; CPU ratio: " +
    "nginx's CPU per request over the server's",
    `Total run time: ${secondsSince(started).toFixed(1)} s`,
  ];
  const result: Report = { machine, table: lines, skipped };
  const report = formatReport(result);
  console.log(report);
  if (options.markdown) await Deno.writeTextFile(options.markdown, report);
  return result;
}

if (import.meta.main) await runBenchmark();
