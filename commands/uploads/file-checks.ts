/**
 * Checks of what a client says about an uploaded file, made before any byte is stored. The probe
 * decides what the bytes are; these refuse early what cannot be media or names that try to be
 * paths (the file name is only ever a label: keys never derive from it).
 */
import { ValidationError } from "../../domain/shared/errors.ts";
import { UnsupportedMediaTypeError } from "../../domain/media/upload-errors.ts";

/** Declared types that may hold audio or video; the probe checks the bytes themselves. */
const MEDIA_TYPE = /^(video\/|audio\/|application\/(octet-stream|mp4|ogg|x-matroska)\s*(;|$))/i;

export function checkFileName(fileName: string | undefined): void {
  if (fileName === undefined) return;
  // deno-lint-ignore no-control-regex
  const bad = /[/\\\u0000-\u001f\u007f]/.test(fileName) || fileName.includes("..") ||
    fileName === ".";
  if (bad || fileName.length > 255) {
    throw new ValidationError([{
      path: "file",
      message: "the file name must be a plain name: no path separators, '..' or control characters",
    }]);
  }
}

export function checkDeclaredType(contentType: string): void {
  if (!MEDIA_TYPE.test(contentType.trim())) {
    throw new UnsupportedMediaTypeError(
      `the file is declared as ${contentType}; send audio or video (or application/octet-stream)`,
    );
  }
}
