/**
 * `smsc status`: asks core for its counters (the STATUS exchange,
 * docs/socket-protocol.md §4.4) and prints them, one `key value` per line,
 * or as one JSON object with `--json`.
 *
 * @module
 */

import type { ResolvedConfig } from "../config/schema.ts";
import { statePaths } from "../config/paths.ts";
import { EXIT, writeStdout } from "../lib/stdio.ts";
import { CoreClient } from "../transport/core_client.ts";

/**
 * Prints core's STATUS.
 *
 * @param config the resolved configuration (for the socket path)
 * @param options `json`: one JSON object instead of lines
 * @returns 0
 * @throws {CoreUnavailableError} when core is not running (exit 69)
 */
export async function runStatus(
  config: ResolvedConfig,
  options: { json: boolean },
): Promise<number> {
  const client = await CoreClient.connect(statePaths(config).socket);
  try {
    const entries = await client.status();
    if (options.json) {
      writeStdout(JSON.stringify(Object.fromEntries(entries.map((e) => [e.key, e.value]))) + "\n");
    } else {
      const width = Math.max(...entries.map((e) => e.key.length));
      writeStdout(entries.map((e) => `${e.key.padEnd(width)}  ${e.value}\n`).join(""));
    }
    return EXIT.OK;
  } finally {
    await client.close();
  }
}
