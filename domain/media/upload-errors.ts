/** Errors of uploads; the HTTP shell answers 413 and 422 for them. */

/** The file is larger than the configured limit; nothing of it was kept. */
export class UploadTooLargeError extends Error {
  override readonly name = "UploadTooLargeError";
  constructor(readonly maxBytes: number) {
    super(`the file is larger than the ${maxBytes} bytes allowed`);
  }
}

/** The bytes arrived but are not media this item can take; UploadRejected records why. */
export class UnacceptableMediaError extends Error {
  override readonly name = "UnacceptableMediaError";
  constructor(readonly uploadId: string, readonly reason: string) {
    super(reason);
  }
}

/** The request or its file declares a type that cannot be an upload (415). */
export class UnsupportedMediaTypeError extends Error {
  override readonly name = "UnsupportedMediaTypeError";
}
