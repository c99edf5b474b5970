import assert from "node:assert/strict";
import { UploadTooLargeError } from "../../domain/media/upload-errors.ts";
import { ValidationError } from "../../domain/shared/errors.ts";
import { multipartFile } from "./multipart-file.ts";

const boundary = "XyZ";
const text = new TextEncoder();
/** File bytes full of near-delimiters: CRLF, dashes and the boundary without its CRLF prefix. */
const tricky = text.encode("a\r\n-\r\n--\r\n--Xy\r\n--XyQ--XyZ\n--XyZ\r\r\n".repeat(40) + "\r\n-");

function body(file: Uint8Array, { preamble = "", after = "" } = {}): Uint8Array {
  return new Uint8Array([
    ...text.encode(
      `${preamble}--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhi\r\n` +
        `--${boundary}  \r\ncontent-disposition: form-data; name="file"; ` +
        `filename*=UTF-8''caf%C3%A9.mp4\r\nContent-Type: video/mp4\r\n\r\n`,
    ),
    ...file,
    ...text.encode(`\r\n--${boundary}${after}--\r\n`),
  ]);
}

function chunks(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset += size));
    },
  });
}

const options = (declaredLength?: number, maxFileBytes = 1 << 20) => ({
  contentType: `multipart/form-data; boundary="${boundary}"`,
  field: "file",
  maxFileBytes,
  declaredLength,
});

Deno.test("the file part comes out whole whatever the chunk edges", async () => {
  const whole = body(tricky, {
    preamble: "ignored preamble\r\n",
    after: `\r\nContent-Disposition: form-data; name="later"\r\n\r\nx\r\n--${boundary}`,
  });
  for (const size of [1, 2, 3, 5, 7, 64, 4096]) {
    const part = await multipartFile(chunks(whole, size), options(whole.length));
    assert.equal(part.fileName, "café.mp4");
    assert.equal(part.contentType, "video/mp4");
    const received = new Uint8Array(await new Response(part.body).arrayBuffer());
    assert.deepEqual(received, tricky, `chunks of ${size}`);
  }
});

Deno.test("a file over the limit or a body that breaks off fails the file stream", async () => {
  const tooLarge = await multipartFile(chunks(body(tricky), 100), options(undefined, 100));
  await assert.rejects(new Response(tooLarge.body).arrayBuffer(), UploadTooLargeError);

  const whole = body(tricky);
  for (const cut of [whole.length - 3, whole.length - 20]) {
    const part = await multipartFile(chunks(whole.slice(0, cut), 50), options());
    await assert.rejects(new Response(part.body).arrayBuffer(), ValidationError, `cut at ${cut}`);
  }
  const shortOfDeclared = await multipartFile(chunks(whole, 50), options(whole.length + 1));
  await assert.rejects(new Response(shortOfDeclared.body).arrayBuffer(), ValidationError);
});
