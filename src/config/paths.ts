/**
 * The files under `core.state_dir` (ARCHITECTURE §2), named in one place so
 * that core, the tools and the role handlers agree.
 *
 * @module
 */

import type { ResolvedConfig } from "./schema.ts";

/** Paths of the state files. */
export interface StatePaths {
  stateDir: string;
  /** The persistent message store. */
  pms: string;
  /** One ASCII line: leading MiB of pms.bin known to be historical. */
  historicalMb: string;
  /** One ASCII line: MiB archived away from the front of pms.bin (docs/pms-format.md). */
  archivedMb: string;
  /** The number database. */
  numbersDb: string;
  /** The local socket served by core. */
  socket: string;
}

/**
 * Resolves the state file paths of a configuration.
 *
 * @param config the resolved configuration
 * @returns the paths, relative ones left relative to the working directory
 */
export function statePaths(config: ResolvedConfig): StatePaths {
  const dir = config.core.state_dir.replace(/\/+$/, "") || ".";
  return {
    stateDir: dir,
    pms: `${dir}/pms.bin`,
    historicalMb: `${dir}/historical-mb`,
    archivedMb: `${dir}/archived-mb`,
    numbersDb: `${dir}/numbers.db`,
    socket: config.core.socket_path || `${dir}/core.sock`,
  };
}
