/**
 * Writing to standard output and standard error without `console` (the lint
 * rule `no-console` is on, STYLE.md §7), and the process exit codes every
 * subcommand uses (sysexits, except usage errors, which exit 2 like most Unix
 * tools).
 *
 * @module
 */

/** Exit codes. */
export const EXIT = {
  OK: 0,
  FAILURE: 1,
  USAGE: 2,
  DATAERR: 65,
  NOINPUT: 66,
  UNAVAILABLE: 69,
  SOFTWARE: 70,
  IOERR: 74,
  CONFIG: 78,
} as const;

const encoder = new TextEncoder();

function writeAll(stream: { writeSync(p: Uint8Array): number }, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += stream.writeSync(bytes.subarray(off));
}

/** Writes one line to stderr. */
export function writeStderr(line: string): void {
  writeAll(Deno.stderr, encoder.encode(line + "\n"));
}

/** Writes text to stdout, all of it. */
export function writeStdout(text: string | Uint8Array): void {
  writeAll(Deno.stdout, typeof text === "string" ? encoder.encode(text) : text);
}
