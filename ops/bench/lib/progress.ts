/** Progress lines of a benchmark run, on stderr so that stdout carries only the report. */
export function progress(message: string): void {
  console.error(`[bench] ${message}`);
}
