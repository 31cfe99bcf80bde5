/**
 * `smsc submit SRC DEST`: injects one SM, or one concatenated message, read
 * from standard input, into core over the local socket, like a locally
 * originated MO (seed 003 §3.1, ARCHITECTURE §7). The operator guide is
 * docs/submit.md.
 *
 * Nothing is sent unless the whole input is valid: the body is read to its
 * end, coded, split and encoded into records first; only then does the tool
 * connect to core and submit every segment, pipelined on one connection.
 *
 * @module
 */

import { concatBytes } from "../lib/bytes.ts";
import { DecodeError } from "../lib/errors.ts";
import { writeStderr, writeStdout } from "../lib/stdio.ts";
import { encodePmsRecord, type PmsRecord } from "../codec/pms/mod.ts";
import { parseSmsLang } from "../codec/sms_lang/mod.ts";
import type { ResolvedConfig } from "../config/schema.ts";
import { statePaths } from "../config/paths.ts";
import { CoreClient } from "../transport/core_client.ts";
import { parseSubmitArgs, type SubmitRequest } from "./submit_args.ts";
import { type BuildContext, buildSmsLangRecords, buildTextRecords } from "./submit_records.ts";
import { reportOutcomes, submitAll } from "./submit_send.ts";

export { SUBMIT_OPTIONS } from "./submit_args.ts";

/** The synopsis lines after `smsc submit`. */
export const SUBMIT_SYNOPSIS = "SRC DEST  |  --imsi IMSI SRC";

/** The help text after the synopsis (`smsc submit --help`). */
export const SUBMIT_HELP = [
  "Reads the message body from standard input and submits it to core, which must be",
  "running. SRC and DEST are digits, with a leading + for international numbers",
  "(TON 1) or without it for national forms (TON 0); NPI is 1. One trailing newline",
  "of plain text input is dropped.",
  "",
  "Options:",
  "  -c, --config PATH   configuration file (for core's socket path)",
  "  --alpha             SRC is alphanumeric text (TON 5), at most 11 GSM 7 bit characters",
  "  --imsi IMSI         address a local subscriber by IMSI and skip routing; DEST is omitted",
  "  --sms-lang          standard input is FreeCalypso sms-encode-text output (dcs/msg/",
  "                      msg-udh lines); its pid, mr, sr, rd, rp and vp lines apply unless",
  "                      an option below overrides them",
  "  --lang LIST         plain text: national language shift tables that may be used,",
  "                      e.g. turkish,spanish,portuguese",
  "  --ucs2              plain text: code as UCS-2 even when GSM 7 bit would do",
  "  --ref16             plain text: 16-bit concatenation reference instead of 8-bit",
  "  --pid N             TP-PID, 0-255 (default 0)",
  "  --dcs N             TP-DCS, 0-255; only with --sms-lang, in the same septet/octet",
  "                      unit as the input",
  "  --class N           message class 0-3, set in TP-DCS",
  "  --srr               request a status report",
  "  --validity SECONDS  validity period; 0 or absent: core's default (core.validity_s_default),",
  "                      capped by core.validity_s_max",
  "  --mr N              TP-MR of the first segment, 0-255, +1 per segment (default random)",
  "",
  "Prints the record index (message id) of each accepted segment, one per line.",
  "Exit status: 0 all accepted; 65 a segment was rejected (reason on stderr, and the",
  "indices of segments accepted anyway) or the input is malformed; 69 core is not",
  "running or the connection failed; 2 usage. See docs/submit.md.",
].join("\n");

/** Options of `runSubmit`. */
export interface SubmitOptions {
  /** The resolved configuration: core's socket path comes from it. */
  config: ResolvedConfig;
  /** The message body; default: the process's standard input. */
  stdin?: ReadableStream<Uint8Array>;
  /** Randomness for the concatenation reference and the default TP-MR; default crypto. */
  random?: (maxExclusive: number) => number;
  /** The clock for `vp-abs` input; default Date.now. */
  nowMs?: () => number;
  /** Where output lines go; default the process's stdout and stderr. */
  output?: SubmitOutput;
}

/** Writers for the tool's output (tests capture it). */
export interface SubmitOutput {
  /** Writes text to stdout as is. */
  stdout(text: string): void;
  /** Writes one line to stderr. */
  stderr(line: string): void;
}

const PROCESS_OUTPUT: SubmitOutput = { stdout: writeStdout, stderr: writeStderr };

/** A uniformly random integer below `maxExclusive` (at most 2^16) from the system's CSPRNG. */
function cryptoRandom(maxExclusive: number): number {
  const [value] = crypto.getRandomValues(new Uint32Array(1));
  return value % maxExclusive;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return concatBytes(chunks);
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new DecodeError("Cannot read the message: standard input is not valid UTF-8", {
      protocol: "utf-8",
    });
  }
}

/**
 * Builds the records for the body as the command line asks.
 *
 * @param req the parsed command line
 * @param body standard input, whole
 * @param ctx randomness and time
 * @returns one record per segment
 * @throws {DecodeError} on input that is not UTF-8 or not valid line language
 * @throws {EncodeError} on text beyond 255 parts
 * @throws {UsageError} when --dcs or --class does not fit the input
 */
export function buildRecords(req: SubmitRequest, body: Uint8Array, ctx: BuildContext): PmsRecord[] {
  const text = decodeUtf8(body);
  if (req.smsLang) return buildSmsLangRecords(req, parseSmsLang(text), ctx);
  // `echo hello | smsc submit …` should send "hello", not "hello\n".
  return buildTextRecords(req, text.replace(/\r?\n$/, ""), ctx);
}

/**
 * Runs `smsc submit`: prints the index of each accepted segment on stdout,
 * a rejection or a partial result on stderr.
 *
 * @param argv the arguments after `submit` (`--config`, `--verbose` and
 *   `--help` are accepted and left to the CLI wrapper)
 * @param options the configuration and, for tests, stdin, randomness and clock
 * @returns the exit code: 0, 65 (rejected) or 69 (connection lost mid-way)
 * @throws {UsageError} on bad arguments (exit 2)
 * @throws {DecodeError|EncodeError} on malformed input (exit 65)
 * @throws {CoreUnavailableError} when core is not running (exit 69)
 */
export async function runSubmit(argv: string[], options: SubmitOptions): Promise<number> {
  const req = parseSubmitArgs(argv);
  const body = await readAll(options.stdin ?? Deno.stdin.readable);
  const records = buildRecords(req, body, {
    random: options.random ?? cryptoRandom,
    nowMs: (options.nowMs ?? Date.now)(),
  });
  const encoded = records.map(encodePmsRecord);
  const client = await CoreClient.connect(statePaths(options.config).socket);
  let outcomes;
  try {
    outcomes = await submitAll(client, encoded, req.imsi !== "");
  } finally {
    await client.close();
  }
  const report = reportOutcomes(outcomes);
  const output = options.output ?? PROCESS_OUTPUT;
  if (report.stdout.length > 0) output.stdout(report.stdout.join("\n") + "\n");
  for (const line of report.stderr) output.stderr(line);
  return report.exitCode;
}
