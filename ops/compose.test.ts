/**
 * docker-compose.yml and the Dockerfile cannot be run on machines without a Docker engine (CI's
 * included), so what can be checked without one is checked here: each process of the "app"
 * profile starts with a configuration the service accepts, the engines it names are services of
 * the file, every file the stack mounts exists, ports are published on loopback only, and the image
 * installs its dependencies with the files npm's scripts need already copied in.
 */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { loadConfig } from "../adapters/config/env.ts";

interface ComposeService {
  build?: string;
  environment?: Record<string, string | number>;
  ports?: string[];
  volumes?: string[];
}

const root = new URL("../", import.meta.url);
const read = (path: string) => Deno.readTextFileSync(new URL(path, root));
const compose = parse(read("docker-compose.yml"), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const dockerfile = read("Dockerfile");

/** The Dockerfile's instructions, continuation lines joined. */
const instructions = dockerfile.replace(/\\\n/g, " ").split("\n")
  .map((line) => line.trim())
  .filter((line) => line !== "" && !line.startsWith("#"));

/** The image's ENV, then the service's environment, `${NAME:-default}` read as its default. */
function environmentOf(service: ComposeService): Record<string, string> {
  const image = instructions.filter((line) => line.startsWith("ENV "))
    .flatMap((line) => line.slice(4).trim().split(/\s+/))
    .map((pair) => pair.split("=", 2) as [string, string]);
  const own = Object.entries(service.environment ?? {}).map(([name, value]) =>
    [name, String(value).replace(/\$\{\w+:-([^}]*)\}/g, "$1")] as const
  );
  return Object.fromEntries([...image, ...own]);
}

const built = Object.entries(compose.services).filter(([, service]) => service.build === ".");

Deno.test("each process of the app profile starts with a configuration the service accepts", () => {
  assert.deepEqual(built.map(([name]) => name).sort(), ["api", "projections", "transcoder"]);
  for (const [name, service] of built) {
    const config = loadConfig(environmentOf(service));
    assert.deepEqual(config.PROCESS_ROLES, [name], `${name} runs only its own role`);
  }
});

Deno.test("the engines the processes connect to are services of the file", () => {
  for (const [name, service] of built) {
    const env = environmentOf(service);
    const urls = ["POSTGRES_URL", "REDIS_URL", "MEILISEARCH_URL", "S3_ENDPOINT"]
      .map((variable) => new URL(env[variable]!).hostname);
    const brokers = env.KAFKA_BROKERS!.split(",").map((broker) => broker.split(":")[0]!);
    for (const host of [...urls, ...brokers]) {
      assert.ok(compose.services[host], `${name} connects to ${host}, not a service of the file`);
    }
  }
});

Deno.test("every file the stack mounts exists and every port is published on loopback", () => {
  for (const [name, service] of Object.entries(compose.services)) {
    for (const volume of service.volumes ?? []) {
      const source = volume.split(":")[0]!;
      if (source.startsWith("./")) {
        assert.doesNotThrow(() => Deno.statSync(new URL(source, root)), `${name} mounts ${source}`);
      }
    }
    for (const port of service.ports ?? []) {
      assert.match(port, /^127\.0\.0\.1:/, `${name} publishes ${port} beyond loopback`);
    }
  }
});

Deno.test("the image copies what npm's install scripts run before it installs", () => {
  const scripts = JSON.parse(read("package.json")).scripts as Record<string, string>;
  const needed = [scripts.preinstall, scripts.install, scripts.postinstall]
    .flatMap((script) => script?.match(/[\w./-]+\.m?js\b/g) ?? []);
  const install = instructions.findIndex((line) => /^RUN npm (ci|install)\b/.test(line));
  assert.ok(install > 0, "the Dockerfile installs the dependencies with npm");
  const copied = instructions.slice(0, install).filter((line) => line.startsWith("COPY "))
    .flatMap((line) => line.slice(5).trim().split(/\s+/).slice(0, -1));
  for (const file of needed) {
    assert.ok(
      copied.some((source) => file === source || file.startsWith(`${source.replace(/\/$/, "")}/`)),
      `npm's install scripts run ${file}, which is not copied into the image before npm ci`,
    );
  }
});
