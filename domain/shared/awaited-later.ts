/**
 * The promise, marked as handled: a read ahead or a write in flight may fail while its owner awaits
 * something else, and it is awaited (and its error thrown) only later, if at all. Unmarked, its
 * failure meanwhile would be an unhandled rejection, which ends a Deno or Node process.
 */
export function awaitedLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}
