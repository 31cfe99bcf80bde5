/**
 * The command line of `smsc submit` (docs/submit.md): options and positional
 * arguments to a `SubmitRequest`. Every bad argument is a `UsageError`, which
 * `cli/exit.ts` prints as one line and maps to exit code 2.
 *
 * @module
 */

import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { UsageError } from "../lib/errors.ts";
import { encodeGsm7, NATIONAL_LANGUAGES } from "../codec/gsm0338/mod.ts";
import type { TpAddress } from "../codec/tpdu/mod.ts";

/** The options `smsc submit` accepts, for the CLI table (`--config` and `--help` included). */
export const SUBMIT_OPTIONS: ParseArgsOptionsConfig = {
  alpha: { type: "boolean" },
  imsi: { type: "string" },
  "sms-lang": { type: "boolean" },
  lang: { type: "string" },
  ucs2: { type: "boolean" },
  ref16: { type: "boolean" },
  pid: { type: "string" },
  dcs: { type: "string" },
  class: { type: "string" },
  srr: { type: "boolean" },
  validity: { type: "string" },
  mr: { type: "string" },
  // Handled by the CLI wrapper; accepted here so that the wrapper may pass its argv unchanged.
  config: { type: "string", short: "c" },
  verbose: { type: "boolean" },
  help: { type: "boolean", short: "h" },
};

/** TS 23.040 §9.1.2.5: at most 20 semi-octets, so 20 digits. */
const DIGITS_MAX = 20;
/** Ten octets of value hold 11 packed septets (77 bits), TS 23.040 §9.1.2.5. */
const ALPHA_SEPTETS_MAX = 11;
/** TS 23.003 §2.2: an IMSI has at most 15 digits; core accepts 6-15. */
const IMSI_PATTERN = /^[0-9]{6,15}$/;
/** The PMS record keeps the validity period as a u32 of seconds. */
const VALIDITY_S_MAX = 0xffff_ffff;

/** What the command line asks for. Absent optional fields were not given. */
export interface SubmitRequest {
  /** TP-OA: digits (TON 1 with "+", else TON 0; NPI 1) or alphanumeric (TON 5). */
  oa: TpAddress;
  /** TP-DA as given; null when addressed by IMSI. */
  da: TpAddress | null;
  /** The destination IMSI with `--imsi`, else "". */
  imsi: string;
  /** Standard input holds the FreeCalypso sms-encode-text language. */
  smsLang: boolean;
  /** National language identifiers whose shift tables plain text may use. */
  languages: number[];
  /** Code plain text as UCS-2 even when GSM 7 bit would do. */
  ucs2: boolean;
  /** 16-bit concatenation reference (IEI 0x08) instead of 8-bit (IEI 0x00). */
  ref16: boolean;
  pid?: number;
  dcs?: number;
  messageClass?: number;
  srr?: boolean;
  validityS?: number;
  mr?: number;
}

function integer(value: string | undefined, option: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = /^0x[0-9a-f]+$/i.test(value)
    ? parseInt(value.slice(2), 16)
    : /^[0-9]+$/.test(value)
    ? Number(value)
    : NaN;
  if (!Number.isSafeInteger(n) || n > max) {
    throw new UsageError(`option "--${option}" must be an integer 0-${max}: got "${value}"`);
  }
  return n;
}

/**
 * Parses a number given on the command line: digits with an optional
 * leading "+". "+" means international (TON 1); without it the type is
 * unknown (TON 0), which the numbering plan reads in its national forms.
 *
 * @param arg the argument
 * @param name "SRC" or "DEST", for the message
 * @returns the address, NPI 1 (ISDN/E.164)
 * @throws {UsageError} when it is not 1-20 digits
 */
export function parseNumberArg(arg: string, name: string): TpAddress {
  const m = /^(\+?)([0-9]+)$/.exec(arg);
  if (!m || m[2].length > DIGITS_MAX) {
    throw new UsageError(`${name} must be 1-${DIGITS_MAX} digits with an optional +: got "${arg}"`);
  }
  return { ton: m[1] ? 1 : 0, npi: 1, digits: m[2] };
}

/**
 * Parses an alphanumeric source (TON 5, TS 23.040 §9.1.2.5): text of the GSM
 * 7 bit default alphabet, at most 11 septets (an extension character counts 2).
 *
 * @param arg the argument
 * @returns the address, NPI 0 (unknown), as alphanumeric addresses carry
 * @throws {UsageError} when it is empty, too long, or not in the default alphabet
 */
export function parseAlphaArg(arg: string): TpAddress {
  const septets = encodeGsm7(arg);
  if (septets === null) {
    throw new UsageError(`SRC "${arg}" has characters outside the GSM 7 bit default alphabet`);
  }
  if (septets.length === 0 || septets.length > ALPHA_SEPTETS_MAX) {
    throw new UsageError(
      `SRC "${arg}" must be 1-${ALPHA_SEPTETS_MAX} GSM 7 bit septets with --alpha: it has ${septets.length}`,
    );
  }
  return { ton: 5, npi: 0, text: arg };
}

/**
 * Parses `--lang`: a comma-separated list of national language names of TS
 * 23.038 §6.2.1.2.4 (case does not matter) or their identifiers 1-13.
 *
 * @param list the option value, or undefined
 * @returns the language identifiers, in the order given
 * @throws {UsageError} on an unknown language
 */
export function parseLanguages(list: string | undefined): number[] {
  if (list === undefined) return [];
  return list.split(",").map((item) => {
    const name = item.trim().toLowerCase();
    const found = NATIONAL_LANGUAGES.find((l) =>
      l.name.toLowerCase() === name || `${l.id}` === name
    );
    if (!found) {
      const known = NATIONAL_LANGUAGES.map((l) => l.name.toLowerCase()).join(", ");
      throw new UsageError(`unknown language "${item}" in --lang: expected some of ${known}`);
    }
    return found.id;
  });
}

function parseRaw(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: SUBMIT_OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    const message = (e as Error).message;
    const unknown = message.match(/Unknown option '([^']+)'/);
    if (unknown) throw new UsageError(`unknown option "${unknown[1]}"`);
    const missing = message.match(/Option '([^']+)' argument missing/);
    if (missing) {
      throw new UsageError(`option "${missing[1].split(/[ ,]/)[0]}" needs a value`);
    }
    const ambiguous = message.match(/Option '([^']+)' argument is ambiguous/);
    if (ambiguous) {
      const o = ambiguous[1].split(/[ ,]/)[0];
      throw new UsageError(`option "${o}" has a value starting with "-": write ${o}=VALUE`);
    }
    throw new UsageError(message.split("\n")[0].replace(/\.$/, ""));
  }
}

function checkCombinations(v: ReturnType<typeof parseRaw>["values"]): void {
  if (v.dcs !== undefined && !v["sms-lang"]) {
    // A raw TP-DCS over text this tool encoded could announce another alphabet than the octets use.
    throw new UsageError(`option "--dcs" goes with --sms-lang; for text use --class or --ucs2`);
  }
  if (v.dcs !== undefined && v.class !== undefined) {
    throw new UsageError(`options "--dcs" and "--class" exclude each other`);
  }
  if (v["sms-lang"]) {
    for (const o of ["lang", "ucs2", "ref16"] as const) {
      if (v[o] !== undefined) {
        throw new UsageError(`option "--${o}" concerns plain text and not --sms-lang input`);
      }
    }
  }
}

/**
 * Parses the arguments of `smsc submit`: `[options] SRC DEST`, or
 * `[options] --imsi IMSI SRC`.
 *
 * @param argv the arguments after the subcommand name
 * @returns the request
 * @throws {UsageError} on an unknown option, a bad value, a wrong number of
 *   positional arguments, or options that exclude each other
 */
export function parseSubmitArgs(argv: string[]): SubmitRequest {
  const { values: v, positionals } = parseRaw(argv);
  checkCombinations(v);
  const imsi = v.imsi as string | undefined;
  const want = imsi === undefined ? 2 : 1;
  if (positionals.length < want) {
    throw new UsageError(
      `missing argument: expected ${want === 2 ? "SRC DEST" : "SRC with --imsi"}`,
    );
  }
  if (positionals.length > want) {
    throw new UsageError(`unexpected argument "${positionals[want]}"`);
  }
  if (imsi !== undefined && !IMSI_PATTERN.test(imsi)) {
    throw new UsageError(`option "--imsi" must be 6-15 digits: got "${imsi}"`);
  }
  return {
    oa: v.alpha ? parseAlphaArg(positionals[0]) : parseNumberArg(positionals[0], "SRC"),
    da: imsi === undefined ? parseNumberArg(positionals[1], "DEST") : null,
    imsi: imsi ?? "",
    smsLang: v["sms-lang"] === true,
    languages: parseLanguages(v.lang as string | undefined),
    ucs2: v.ucs2 === true,
    ref16: v.ref16 === true,
    pid: integer(v.pid as string | undefined, "pid", 255),
    dcs: integer(v.dcs as string | undefined, "dcs", 255),
    messageClass: integer(v.class as string | undefined, "class", 3),
    srr: v.srr === true ? true : undefined,
    validityS: integer(v.validity as string | undefined, "validity", VALIDITY_S_MAX),
    mr: integer(v.mr as string | undefined, "mr", 255),
  };
}
