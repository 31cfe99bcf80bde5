/**
 * The one place that turns an error into a line on stderr and an exit code
 * (STYLE.md §4): `smsc <subcommand>: <message>`, the `cause` chain with
 * `--verbose`. Exit codes follow sysexits, except usage errors, which exit 2
 * like most Unix tools.
 *
 * @module
 */

import { ConfigError, DecodeError, EncodeError, UsageError } from "../lib/errors.ts";

export { EXIT, writeStderr, writeStdout } from "../lib/stdio.ts";
import { EXIT, writeStderr } from "../lib/stdio.ts";

/** Exit code for an error. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT.USAGE;
  if (error instanceof ConfigError) return EXIT.CONFIG;
  if (error instanceof DecodeError || error instanceof EncodeError) return EXIT.DATAERR;
  if (error instanceof Deno.errors.NotFound) return EXIT.NOINPUT;
  if (error instanceof Deno.errors.ConnectionRefused) return EXIT.UNAVAILABLE;
  if (error instanceof Error && "code" in error && typeof error.code === "string") {
    return EXIT.IOERR;
  }
  return EXIT.FAILURE;
}

/**
 * Reports `error` for `subcommand` on stderr and returns the exit code.
 *
 * @param subcommand the subcommand name, or "" for the dispatcher itself
 * @param error what went wrong
 * @param verbose also print the `cause` chain and the stack of unexpected errors
 */
export function reportError(subcommand: string, error: unknown, verbose: boolean): number {
  // The reader of our output went away (`smsc numbers list | head`): that is
  // not a failure of ours, and there is nobody to tell.
  if (error instanceof Deno.errors.BrokenPipe) return EXIT.OK;
  const prefix = subcommand ? `smsc ${subcommand}` : "smsc";
  const message = error instanceof Error ? error.message : String(error);
  writeStderr(`${prefix}: ${message.split("\n")[0]}`);
  if (verbose) {
    let cause = error instanceof Error ? error.cause : undefined;
    while (cause !== undefined) {
      writeStderr(`  caused by: ${cause instanceof Error ? cause.message : String(cause)}`);
      cause = cause instanceof Error ? cause.cause : undefined;
    }
    if (error instanceof Error && exitCodeFor(error) === EXIT.FAILURE && error.stack) {
      writeStderr(error.stack);
    }
  }
  return exitCodeFor(error);
}
