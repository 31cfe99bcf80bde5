/**
 * Every configuration key, declared once (STYLE.md §7): type, default, bounds,
 * unit and the doc text that `docs/config.md` is generated from
 * (`deno run -A scripts/gen_config_doc.ts`; a test keeps it current).
 *
 * Units live in key names (`_s`, `_ms`, `_bytes`). Relative paths are taken
 * relative to the working directory of the process, which is the service
 * directory under runit.
 *
 * @module
 */

import { LOG_LEVELS } from "../lib/log.ts";

/** One key's declaration. */
export type KeySpec =
  | { type: "string"; default: string; doc: string; pattern?: RegExp; patternDoc?: string }
  | { type: "path"; default: string; doc: string }
  | { type: "integer"; default: number; min: number; max: number; unit?: string; doc: string }
  | { type: "boolean"; default: boolean; doc: string }
  | { type: "enum"; values: readonly string[]; default: string; doc: string };

/** One `[section]` of the file. */
export interface SectionSpec {
  doc: string;
  keys: Record<string, KeySpec>;
}

/** The whole file: section name to section. */
export const SCHEMA = {
  log: {
    doc: "Logging. Lines go to standard output, one event per line, for runit's svlogd.",
    keys: {
      level: {
        type: "enum",
        values: LOG_LEVELS,
        default: "info",
        doc: "Most verbose level written: error, warn, notice, info or debug. " +
          "Peer misbehaviour is logged at notice; subscriber numbers only at debug.",
      },
    },
  },
  core: {
    doc: "The core daemon: the message store and the local socket.",
    keys: {
      state_dir: {
        type: "path",
        default: "state",
        doc: "Directory holding pms.bin, historical-mb, numbers.db and core.sock. " +
          "Created on first start when missing.",
      },
      socket_path: {
        type: "path",
        default: "",
        doc: 'Path of the local Unix socket; "" means core.sock inside state_dir.',
      },
    },
  },
} as const satisfies Record<string, SectionSpec>;

/** The validated, frozen configuration that travels through the program. */
export interface ResolvedConfig {
  readonly log: { readonly level: (typeof LOG_LEVELS)[number] };
  readonly core: { readonly state_dir: string; readonly socket_path: string };
  /** Where the values came from: a file path, or "embedded defaults". */
  readonly source: string;
}
