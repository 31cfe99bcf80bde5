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
  /**
   * The subcommand parses its own arguments (it has sub-subcommands): only
   * `--config PATH` and a leading `--help` are taken out here, and every
   * other argument reaches `run` as a positional.
   */
  rawArgs?: boolean;
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
  if (command.rawArgs) return splitRawArgs(argv);
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

/**
 * For subcommands that parse their own arguments: takes out `--config PATH`
 * (`-c PATH`, `--config=PATH`) anywhere, `--verbose`, and `--help`/`-h` when it
 * is the first argument.
 *
 * @throws {UsageError} when --config has no value
 */
export function splitRawArgs(argv: string[]): Args {
  const values: Args["values"] = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--config" || a === "-c") {
      if (i + 1 >= argv.length) throw new UsageError('option "--config" needs a value');
      values.config = argv[++i];
    } else if (a.startsWith("--config=")) {
      values.config = a.slice("--config=".length);
    } else if (a === "--verbose") {
      values.verbose = true;
    } else if ((a === "--help" || a === "-h") && positionals.length === 0) {
      values.help = true;
    } else {
      positionals.push(a);
    }
  }
  return { values, positionals };
}
