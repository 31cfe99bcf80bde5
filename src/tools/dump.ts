/**
 * `smsc dump`: reads `pms.bin` directly, read-only, without core (seed
 * §2.2.3, ARCHITECTURE §7). Whole file by default; `--from TIME` finds its
 * start by binary search on the entry time; `--count` and `--until` bound the
 * output; filters select by number, SME class, peer, state and disposition.
 * Message text stays hidden unless `--show-text` is given, so that an
 * operator sees only what the task needs. Output is one line per record, as
 * `key=value` text or JSON lines (docs/dump.md).
 *
 * Exit status: 0 done, 2 usage, 65 a file that cannot be read as a store
 * (unknown version, a damaged tail longer than a batch, a bad archived-mb),
 * 66 no pms.bin (or `--index` before the file), 74 an I/O error.
 *
 * @module
 */

import type { ParseArgsOptionsConfig } from "node:util";
import { DecodeError, UsageError } from "../lib/errors.ts";
import { EXIT, writeStderr, writeStdout } from "../lib/stdio.ts";
import type { ResolvedConfig } from "../config/schema.ts";
import { statePaths } from "../config/paths.ts";
import { PMS_RECORDS_PER_MB } from "../codec/pms/mod.ts";
import { readMbCount } from "../store/historical_mb.ts";
import { PmsRecoveryError } from "../store/pms_reader.ts";
import { filterOf, parseStrict, rangeOf, str } from "./dump_args.ts";
import { ArchivedIndexError, type DumpPlan, DumpReader, walkDump } from "./dump_reader.ts";

/** The help text of `smsc dump`. */
export const DUMP_HELP = `Usage: smsc dump [OPTIONS]

Prints the records of the message store (state_dir/pms.bin), read-only and
without core: one line per record, oldest first. Message text is hidden
unless --show-text is given. Field names: docs/dump.md.

Range (default: the whole file):
  --from TIME          start at the first record entered at or after TIME (binary search)
  --index ID           start at message id ID (absolute: counts archived records)
  --until TIME         stop before the first record entered at or after TIME
  --count N            stop after N matching records
TIME: 2026-11-23T10:00:00Z, 2026-11-23T11:00+01:00, "2026-11-23 10:00", 2026-11-23
      or @UNIXSECONDS; without an offset, UTC.

Filters (repeat an option to allow several values):
  --number N           OA, DA or routed DA is N ("+", dashes and spaces ignored)
  --from-number N      OA is N
  --to-number N        DA or routed DA is N
  --class C            destination class: local, gsm, downstream, upstream
  --source-class C     source class: cli, gsm, downstream, upstream
  --peer NAME          source or destination downstream peer
  --state S            active or historical
  --disposition D      none, delivered, failed-permanent, expired, cancelled, stored-only

Output:
  --show-text          decode and print the message text and header (private: use with care)
  --json               JSON lines instead of key=value text
  --file PATH          read PATH (an archived part) instead of state_dir/pms.bin; ids start
                       at N for a file named pms-N.bin, else at 0
  -c, --config PATH    configuration file

Exit status: 0 done, 2 usage, 65 not a readable store, 66 no pms.bin, 74 I/O error.`;

/** Where dump writes; tests replace both. */
export interface DumpIo {
  /** Writes text to standard output. */
  out: (text: string) => void;
  /** Writes one line to standard error. */
  err: (line: string) => void;
}

const OPTIONS = {
  help: { type: "boolean", short: "h" },
  config: { type: "string", short: "c" },
  from: { type: "string" },
  index: { type: "string" },
  until: { type: "string" },
  count: { type: "string" },
  number: { type: "string" },
  "from-number": { type: "string" },
  "to-number": { type: "string" },
  class: { type: "string", multiple: true },
  "source-class": { type: "string", multiple: true },
  peer: { type: "string" },
  state: { type: "string", multiple: true },
  disposition: { type: "string", multiple: true },
  "show-text": { type: "boolean" },
  json: { type: "boolean" },
  file: { type: "string" },
} satisfies ParseArgsOptionsConfig;

/** The id base of a file named like an archived part, `pms-000008192.bin`. */
function archivedBase(path: string): number {
  const m = /(?:^|\/)pms-(\d{1,15})\.bin$/.exec(path);
  if (m === null || Number(m[1]) % PMS_RECORDS_PER_MB !== 0) return 0;
  return Number(m[1]) / PMS_RECORDS_PER_MB;
}

/**
 * Runs `smsc dump ARGV…`.
 *
 * @param argv the arguments after `dump` (a `--config` among them is accepted and ignored:
 *   the caller has resolved it into `options.config`)
 * @param options the resolved configuration, and replaceable I/O for tests
 * @returns the exit code
 * @throws whatever is not an operator's or the file's error (a program error)
 */
export async function runDump(
  argv: string[],
  options: { config: ResolvedConfig } & Partial<DumpIo>,
): Promise<number> {
  const io: DumpIo = { out: options.out ?? writeStdout, err: options.err ?? writeStderr };
  let plan: DumpPlan;
  let path: string;
  let archivedMbPath: string | undefined;
  try {
    const { values, positionals } = parseStrict(argv, OPTIONS);
    if (values.help === true) {
      io.out(DUMP_HELP + "\n");
      return EXIT.OK;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const file = str(values.file);
    const paths = statePaths(options.config);
    path = file ?? paths.pms;
    archivedMbPath = file === undefined ? paths.archivedMb : undefined;
    plan = {
      ...rangeOf(values),
      filter: filterOf(values),
      showText: values["show-text"] === true,
      json: values.json === true,
      reportDamage: true,
      archivedMb: file === undefined ? 0 : archivedBase(file),
    };
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`smsc dump: ${e.message}`);
    io.err(DUMP_HELP);
    return EXIT.USAGE;
  }
  return await executeDump(path, plan, io, {
    prefix: "smsc dump",
    archivedMbPath,
    batchRecordsMax: options.config.store.pms_batch_records_max,
  });
}

/**
 * Opens `path`, walks `plan` and writes the lines to `io.out`; any failure
 * becomes one line on `io.err` and an exit code.
 *
 * @param path the store file
 * @param plan the validated plan; its `archivedMb` is replaced by the count
 *   in `where.archivedMbPath` when that is given
 * @param io output and error writers
 * @param where `prefix` of error lines (e.g. "smsc dump"), the `archived-mb` file, and
 *   the writer's largest batch (`store.pms_batch_records_max`), which bounds a torn tail
 * @returns the exit code
 * @throws whatever is not an operator's or the file's error (a program error)
 */
export async function executeDump(
  path: string,
  plan: DumpPlan,
  io: DumpIo,
  where: { prefix: string; archivedMbPath?: string; batchRecordsMax?: number },
): Promise<number> {
  const prefix = where.prefix;
  let reader: DumpReader | undefined;
  try {
    if (where.archivedMbPath !== undefined) {
      plan.archivedMb = await readMbCount(where.archivedMbPath);
    }
    reader = await DumpReader.open(path, where.batchRecordsMax);
    await walkDump(reader, plan, (lines) => {
      if (lines.length > 0) io.out(lines.join("\n") + "\n");
    });
    return EXIT.OK;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      io.err(`${prefix}: Cannot open ${path}: no such file (no message was ever stored?)`);
      return EXIT.NOINPUT;
    }
    return reportDumpError(prefix, e, io);
  } finally {
    await reader?.close();
  }
}

/** One line and the exit code for a failure that is not a usage error. */
function reportDumpError(prefix: string, e: unknown, io: DumpIo): number {
  // A reader that went away (`smsc dump | head`) ends the dump, not an error.
  if (e instanceof Deno.errors.BrokenPipe) return EXIT.OK;
  if (e instanceof ArchivedIndexError) {
    io.err(`${prefix}: ${e.message}`);
    return EXIT.NOINPUT;
  }
  if (e instanceof PmsRecoveryError || e instanceof DecodeError) {
    io.err(`${prefix}: ${e.message}`);
    return EXIT.DATAERR;
  }
  if (e instanceof Error && "code" in e && typeof e.code === "string") {
    io.err(`${prefix}: Cannot read the message store: ${e.message}`);
    return EXIT.IOERR;
  }
  throw e;
}
