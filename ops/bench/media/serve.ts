/**
 * The service for the media benchmark, in a process of its own: the service's app as main.ts
 * serves it (signed stream requests on the lean path ahead of the app's middleware,
 * adapters/http/lean-media-path.ts; everything else through the shell, middleware and routes) with
 * media delivery on a directory blob store, over an in-memory PGlite (the stream route does not
 * touch it). The test backend's projections poll PGlite, in this process,
 * every 100 ms (the service's own default is 1 s): they are stopped, else they take a fifth of a
 * core while idle and far more under load, and the figures would measure them rather than
 * delivery. Also serves the media port (adapters/http/media-listener.ts, as main.ts does with
 * MEDIA_PORT) on a second port. Prints `listening <port> media <port>` once it serves.
 *
 *   deno run -P=test ops/bench/media/serve.ts <blob root> <kid:secret> [proxy|redirect]
 */
import { FsBlobStorage } from "../../../adapters/blob-storage/fs-blob-storage.ts";
import { parseKidSecretList } from "../../../adapters/config/kid-secret-list.ts";
import { SecureLinkSigner } from "../../../adapters/media-signing/secure-link.ts";
import { serveMediaListener } from "../../../adapters/http/media-listener.ts";
import { leanMediaPathOf } from "../../../adapters/http/service-app.ts";
import { runtime } from "../../../adapters/runtime/deno.ts";
import { testService } from "../../../adapters/testing/service.ts";

const [root, keys, delivery = "proxy"] = Deno.args;
if (!root || !keys) throw new Error("usage: serve.ts <blob root> <kid:secret> [proxy|redirect]");
const storage = await FsBlobStorage.open(root);
const service = await testService({
  media: {
    storage,
    signer: new SecureLinkSigner(parseKidSecretList(keys)),
    urlTtlSec: 3600,
    delivery: delivery === "redirect" ? "redirect" : "proxy",
  },
});
await service.runtime.stop();
const server = await runtime.serve(service.app.fetch, { host: "127.0.0.1", port: 0 });
const mediaPort = runtime.listen!({ host: "127.0.0.1", port: 0 });
serveMediaListener(mediaPort, { lean: leanMediaPathOf(service.app)!, app: service.app.fetch });
console.log(`listening ${server.port} media ${mediaPort.port}`);
