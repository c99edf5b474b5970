/**
 * The servers the media benchmark compares, each a child process on loopback: nginx (plain file
 * serving, and the signed-URL edge of ops/nginx/media-edge.conf) and the service (serve.ts).
 */
import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface Running {
  port: number;
  /** CPU seconds (user + system, all threads) the server's processes used so far. */
  cpuSeconds(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A file under /proc, read by `cat`: Deno lets only fully privileged programs read /proc
 * themselves. Empty when it cannot be read (not Linux, the process is gone).
 */
async function procFile(path: string): Promise<string> {
  const read = await new Deno.Command("cat", { args: [path], stdout: "piped", stderr: "null" })
    .output().catch(() => undefined);
  return read?.success ? new TextDecoder().decode(read.stdout) : "";
}

/** CPU seconds of processes, from /proc (Linux; 0 elsewhere): utime + stime in clock ticks. */
async function cpuSecondsOf(pids: number[]): Promise<number> {
  let ticks = 0;
  for (const pid of pids) {
    const stat = await procFile(`/proc/${pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  }
  return ticks / 100; // USER_HZ is 100 on Linux
}

/**
 * CPU seconds this process and its finished children (ffmpeg runs) used so far: utime, stime,
 * cutime and cstime.
 */
export async function ownCpuSeconds(): Promise<number> {
  const stat = await procFile(`/proc/${Deno.pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) / 100;
}

/** Pids of the children of `parent` (nginx's workers). */
async function childrenOf(parent: number): Promise<number[]> {
  const text = await procFile(`/proc/${parent}/task/${parent}/children`);
  return text.split(" ").filter(Boolean).map(Number);
}

/** Installs a Debian package when its binary is missing (as root, or through sudo -n). */
export async function ensureDebianTool(binary: string, pkg: string): Promise<string | undefined> {
  const found = await which(binary);
  if (found) return found;
  const root = Deno.uid() === 0;
  const apt = root ? ["apt-get"] : ["sudo", "-n", "apt-get"];
  const install = new Deno.Command(apt[0]!, {
    args: [...apt.slice(1), "install", "-y", "--no-install-recommends", pkg],
    env: { DEBIAN_FRONTEND: "noninteractive" },
    stdout: "null",
    stderr: "null",
  });
  const ok = await install.output().then((r) => r.success, () => false);
  return ok ? await which(binary) : undefined;
}

async function which(binary: string): Promise<string | undefined> {
  for (const dir of ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"]) {
    const path = join(dir, binary);
    if (await Deno.stat(path).then(() => true, () => false)) return path;
  }
  return undefined;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/**
 * nginx with one worker (the service is one process too): a plain server of the blob objects on
 * `plain`, and the documented edge config on `edge` with the given signing keys. The two differ
 * only in the edge's check: both share the http {} settings (no access log, no open_file_cache),
 * set sendfile on and tcp_nopush off, match one regex location and serve through `alias` with the
 * edge's content types and Cache-Control header (taken from its config); the plain one's regex has
 * no grant parts, and it has no key map, secure_link or `if`.
 */
export async function startNginx(
  nginx: string,
  dir: string,
  options: { objects: string; keys: { kid: string; secret: string }[]; service: number },
): Promise<{ plain: number; edge: number; cpuSeconds(): Promise<number>; stop(): Promise<void> }> {
  const [plain, edge] = [freePort(), freePort()];
  const keysFile = join(dir, "media-keys.conf");
  await writeFile(keysFile, options.keys.map((k) => `${k.kid} "${k.secret}";\n`).join(""));
  const template = await readFile(new URL("../../nginx/media-edge.conf", import.meta.url), "utf8");
  const edgeConf = template
    .replaceAll("__LISTEN__", `127.0.0.1:${edge}`)
    .replaceAll("__OBJECTS__", options.objects)
    .replaceAll("__KEYS__", keysFile)
    .replaceAll("__SERVICE__", `127.0.0.1:${options.service}`);
  await writeFile(join(dir, "media-edge.conf"), edgeConf);
  await writeFile(
    join(dir, "nginx.conf"),
    `${Deno.uid() === 0 ? "user root;\n" : ""}worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/octet-stream;
  keepalive_requests 100000;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${plain};
    sendfile on;
    tcp_nopush off;
    location ~ "^/renditions/(?<media_upload>[0-9a-f-]{36})/(?<media_attempt>\\d{1,6})/(?<media_file>[^?]+)$" {
      alias ${options.objects}/renditions/$media_upload/$media_attempt/$media_file;
      ${edgeFileSettings(template)}
    }
  }
  include ${dir}/media-edge.conf;
}
`,
  );
  await chmod(dir, 0o755);
  const child = new Deno.Command(nginx, {
    args: ["-p", dir, "-c", join(dir, "nginx.conf"), "-g", "daemon off;"],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  await waitForPort(plain);
  await waitForPort(edge);
  return {
    plain,
    edge,
    cpuSeconds: async () => await cpuSecondsOf(await childrenOf(child.pid)),
    async stop() {
      child.kill("SIGQUIT");
      await child.output();
    },
  };
}

/** The content types and Cache-Control header of the edge's signed location, as they are there. */
function edgeFileSettings(template: string): string {
  const types = /\n(\s*types \{[^}]*\})/.exec(template)?.[1];
  const cacheControl = /\n(\s*add_header Cache-Control [^;]*;)/.exec(template)?.[1];
  if (!types || !cacheControl) throw new Error("media-edge.conf has no types or Cache-Control");
  return `${types.trim()}\n${cacheControl.trim()}`;
}

/** The service (serve.ts) in its own process: `port` is its HTTP port, `mediaPort` its media port. */
export async function startService(
  root: string,
  keys: string,
): Promise<Running & { mediaPort: number }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-P=test", new URL("./serve.ts", import.meta.url).pathname, root, keys, "proxy"],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!/listening \d+ media \d+/.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the service did not start: ${text}`);
    text += value;
  }
  reader.releaseLock();
  child.stdout.cancel().catch(() => {});
  return {
    port: Number(/listening (\d+)/.exec(text)![1]),
    mediaPort: Number(/media (\d+)/.exec(text)![1]),
    cpuSeconds: () => cpuSecondsOf([child.pid]),
    async stop() {
      child.kill("SIGTERM");
      await child.status;
    },
  };
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`nothing listens on port ${port}`);
}
