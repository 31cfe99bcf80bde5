/**
 * Help texts: the top-level usage and each subcommand's `--help`.
 *
 * @module
 */

import type { Command } from "./command.ts";

/** The top-level usage, listing every subcommand. */
export function topUsage(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    "Usage: smsc <subcommand> [options] [arguments]",
    "",
    "A store-and-forward Short Message Service Centre.",
    "",
    "Subcommands:",
    ...lines,
    "",
    "Options for every subcommand:",
    "  -h, --help     show help for the subcommand",
    "  --verbose      on error, also print the chain of causes",
    "",
    "Run `smsc <subcommand> --help` for the options of one subcommand.",
    "",
  ].join("\n");
}

/** The `--help` text of one subcommand. */
export function commandUsage(command: Command): string {
  const synopsis = command.synopsis ? ` ${command.synopsis}` : "";
  return `Usage: smsc ${command.name} [options]${synopsis}\n\n${command.summary}\n\n${command.help}\n`;
}
