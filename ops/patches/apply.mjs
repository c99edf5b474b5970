// Applied by `npm install` (package.json postinstall): small fixes to installed packages that
// upstream has not released yet. Each names the upstream issue; delete it once a release has it.
// Plain Node (no Deno yet at install time), idempotent, and loud when a package has changed shape.
import { readFileSync, writeFileSync } from "node:fs";

const patches = [
  {
    // postgres.js 3.4.9: a write queued with setImmediate runs after the connection closed and
    // throws from the timer (socket is null), which no caller can catch: a PostgreSQL restart
    // killed the whole service. Settle the connection's queries with CONNECTION_CLOSED instead,
    // as porsager/postgres#1209 (for #1208, #1154) does.
    why: "postgres.js: survive a server-side close racing a queued write",
    files: [
      "node_modules/postgres/src/connection.js",
      "node_modules/postgres/cjs/src/connection.js",
      "node_modules/postgres/cf/src/connection.js",
    ],
    find: "  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)",
    replace: "  function nextWrite(fn) {\n" +
      "    if (socket === null) { // patched: see ops/patches/apply.mjs\n" +
      "      nextWriteTimer !== null && clearImmediate(nextWriteTimer)\n" +
      "      chunk = nextWriteTimer = null\n" +
      "      error(Errors.connection('CONNECTION_CLOSED', options, socket))\n" +
      "      return false\n" +
      "    }\n" +
      "    const x = socket.write(chunk, fn)",
  },
  {
    // postgres.js 3.4.9: when the server rejects a COPY … FROM STDIN after the client has sent
    // CopyDone (a bad value, a duplicate key), the writable's final callback is never called, so
    // the stream never settles: the transaction around it is never rolled back and its connection
    // stays idle in an aborted transaction. Settle it with the server's error, as
    // porsager/postgres#1183 (for #1173) does.
    why: "postgres.js: a COPY the server rejects settles with its error",
    files: [
      "node_modules/postgres/src/connection.js",
      "node_modules/postgres/cjs/src/connection.js",
      "node_modules/postgres/cf/src/connection.js",
    ],
    find: "  function errored(err) {\n    stream && (stream.destroy(err), stream = null)\n",
    replace: "  function errored(err) {\n    stream && (stream.destroy(err), stream = null)\n" +
      "    final && (final(err), final = null) // patched: see ops/patches/apply.mjs\n",
  },
  {
    // kafkajs 2.2.4: once a request is answered, each connection's request queue re-arms a timer
    // every millisecond while nothing is pending (a negative delay: throttledUntil is -1), for as
    // long as the connection lives. An idle producer spent about 5 % of a core on it, and the first
    // timer printed TimeoutNegativeWarning. Schedule nothing when there is nothing to check, as
    // proposed for tulios/kafkajs#1704 and #1751 (in #1768's review).
    why: "kafkajs: no 1 ms polling loop of an empty request queue",
    files: ["node_modules/kafkajs/src/network/requestQueue/index.js"],
    find: "        scheduleAt = scheduleAt > 0 ? scheduleAt : CHECK_PENDING_REQUESTS_INTERVAL\n" +
      "      }\n",
    replace:
      "        scheduleAt = scheduleAt > 0 ? scheduleAt : CHECK_PENDING_REQUESTS_INTERVAL\n" +
      "      } else if (scheduleAt <= 0) {\n" +
      "        return // patched: see ops/patches/apply.mjs\n" +
      "      }\n",
  },
  {
    // kafkajs 2.2.4: its encoder zero-fills every buffer it allocates (Buffer.alloc), and a
    // batch's records are copied into an encoder that starts at 512 bytes and doubles as they
    // come, so each send of packed telemetry (hundreds of KB before compression) allocated and
    // zero-filled about twice its size. Every byte is written before it is read (`buffer` is the
    // written part only), so no zero-filling is needed; and the records' total size is known.
    // Our own performance change (issue 5), nothing upstream.
    why: "kafkajs: encoder buffers are not zero-filled",
    files: ["node_modules/kafkajs/src/protocol/encoder.js"],
    find: "    this.buf = Buffer.alloc(Encoder.nextPowerOfTwo(initialSize))\n",
    replace: "    this.buf = Buffer.allocUnsafe(Encoder.nextPowerOfTwo(initialSize)) // patched\n",
  },
  {
    why: "kafkajs: a grown encoder buffer is not zero-filled",
    files: ["node_modules/kafkajs/src/protocol/encoder.js"],
    find: "      const newBuffer = Buffer.alloc(newLength)\n",
    replace: "      const newBuffer = Buffer.allocUnsafe(newLength) // patched\n",
  },
  {
    why: "kafkajs: a batch's records are copied into an encoder of their size",
    files: ["node_modules/kafkajs/src/protocol/recordBatch/v0/index.js"],
    find: "  const recordsEncoder = new Encoder()\n",
    replace: "  // patched: see ops/patches/apply.mjs\n" +
      "  const recordsEncoder = new Encoder(records.reduce((size, record) => size + record.offset, 0))\n",
  },
];

let failed = false;
for (const patch of patches) {
  for (const file of patch.files) {
    const text = readFileSync(file, "utf8");
    if (text.includes(patch.replace)) continue;
    if (!text.includes(patch.find)) {
      console.error(
        `ops/patches: ${file} has changed; check whether "${patch.why}" is still needed`,
      );
      failed = true;
      continue;
    }
    writeFileSync(file, text.replace(patch.find, patch.replace));
    console.log(`ops/patches: ${patch.why} (${file})`);
  }
}
process.exit(failed ? 1 : 0);
