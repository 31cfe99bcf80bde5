/**
 * smsc: the one executable. argv -> subcommand table -> run; nothing else.
 *
 * @module
 */

import { COMMANDS } from "./src/cli/commands.ts";
import { parseCommandArgs } from "./src/cli/command.ts";
import { commandUsage, topUsage } from "./src/cli/usage.ts";
import { EXIT, reportError, writeStderr, writeStdout } from "./src/cli/exit.ts";

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    writeStdout(topUsage(COMMANDS));
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (name === "--version") return main(["version"]);
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    writeStderr(`smsc: unknown subcommand "${name}"`);
    writeStderr(topUsage(COMMANDS));
    return EXIT.USAGE;
  }
  const verbose = rest.includes("--verbose");
  try {
    const args = parseCommandArgs(command, rest);
    if (args.values.help) {
      writeStdout(commandUsage(command));
      return EXIT.OK;
    }
    return await command.run(args);
  } catch (e) {
    const code = reportError(command.name, e, verbose);
    if (code === EXIT.USAGE) writeStderr(commandUsage(command));
    return code;
  }
}

Deno.exit(await main(Deno.args));
