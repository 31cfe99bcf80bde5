/**
 * The shape of a subcommand, and argument parsing with `node:util` parseArgs
 * (JSR's @std/cli is not reachable from our CI; see README "Dependencies").
 *
 * @module
 */

import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { UsageError } from "../lib/errors.ts";

/** Parsed arguments handed to a subcommand. */
export interface Args {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** One subcommand of `smsc`. */
export interface Command {
  name: string;
  /** One line for the top-level usage. */
  summary: string;
  /** Synopsis lines after `smsc NAME`, e.g. `KIND HEX|-`. */
  synopsis: string;
  /** Help text after the synopsis: options and notes. */
  help: string;
  options: ParseArgsOptionsConfig;
  positionals: { min: number; max: number };
  run(args: Args): Promise<number>;
}

/** Options every subcommand accepts. */
export const COMMON_OPTIONS: ParseArgsOptionsConfig = {
  help: { type: "boolean", short: "h" },
  verbose: { type: "boolean" },
};

/** The `--config` option of the daemons and tools that read config.toml. */
export const CONFIG_OPTION: ParseArgsOptionsConfig = {
  config: { type: "string", short: "c" },
};

/**
 * Parses `argv` for `command`.
 *
 * @throws {UsageError} on an unknown option, a missing option value or a wrong
 *   number of positional arguments
 */
export function parseCommandArgs(command: Command, argv: string[]): Args {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...COMMON_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError(usageMessage((e as Error).message));
  }
  const args = { values: parsed.values, positionals: parsed.positionals } as Args;
  if (args.values.help) return args;
  const n = args.positionals.length;
  if (n < command.positionals.min) {
    throw new UsageError(`missing argument: expected ${command.synopsis}`);
  }
  if (n > command.positionals.max) {
    throw new UsageError(`unexpected argument "${args.positionals[command.positionals.max]}"`);
  }
  return args;
}

/** Turns node:util's messages into our one-line style. */
function usageMessage(message: string): string {
  const unknown = message.match(/Unknown option '([^']+)'/);
  if (unknown) return `unknown option "${unknown[1]}"`;
  const missing = message.match(/Option '([^']+)' argument missing/);
  if (missing) return `option "${missing[1].split(",")[0].trim()}" needs a value`;
  return message.split("\n")[0].replace(/\.$/, "");
}
