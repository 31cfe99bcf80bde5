/**
 * `smsc decode KIND HEX|-`: decodes one PDU and prints it as JSON, the
 * operator's counterpart of FreeCalypso's sms-pdu-decode. Byte fields print as
 * lower-case hex. The field names are documented in docs/decode.md.
 *
 * @module
 */

import { EXIT, writeStderr, writeStdout } from "../lib/stdio.ts";
import { fromHex, toHex } from "../lib/bytes.ts";
import { UsageError } from "../lib/errors.ts";
import { decodeKind } from "./decode_kinds.ts";

/** The kinds `decode` accepts. */
export const DECODE_KINDS = ["sms-submit", "sms-deliver", "rp", "smpp", "sip"] as const;

/** JSON.stringify replacer: bytes as hex, bigints as strings. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return toHex(value);
  if (typeof value === "bigint") return value.toString();
  return value;
}

async function readInput(arg: string, raw: boolean): Promise<Uint8Array> {
  if (arg !== "-") {
    if (raw) throw new UsageError("--raw goes with - (standard input)");
    return fromHex(arg);
  }
  const chunks: Uint8Array[] = [];
  for await (const chunk of Deno.stdin.readable) chunks.push(chunk);
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let off = 0;
  for (const c of chunks) {
    all.set(c, off);
    off += c.length;
  }
  return raw ? all : fromHex(new TextDecoder().decode(all));
}

/** Options of `smsc decode`. */
export interface DecodeOptions {
  raw: boolean;
  rpError: boolean;
  compact: boolean;
}

/**
 * Runs `smsc decode KIND INPUT`: prints the JSON on stdout, inner-layer
 * errors on stderr.
 *
 * @returns the exit code: 0, or 65 when an inner layer could not be decoded
 * @throws {UsageError} for an unknown KIND or --raw without -
 * @throws {DecodeError} when the PDU itself cannot be decoded
 */
export async function runDecode(
  kind: string,
  input: string,
  options: DecodeOptions,
): Promise<number> {
  if (!(DECODE_KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(`unknown KIND "${kind}": expected one of ${DECODE_KINDS.join(", ")}`);
  }
  const bytes = await readInput(input, options.raw);
  const decoded = decodeKind(kind, bytes, { rpError: options.rpError });
  const json = JSON.stringify(decoded.value, jsonReplacer, options.compact ? undefined : 2);
  writeStdout(json + "\n");
  for (const message of decoded.innerErrors) writeStderr(`smsc decode: ${message}`);
  return decoded.innerErrors.length === 0 ? EXIT.OK : EXIT.DATAERR;
}
