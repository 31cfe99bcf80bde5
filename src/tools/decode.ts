/**
 * `smsc decode KIND HEX|-`: decodes one PDU and prints it as JSON, the
 * operator's counterpart of FreeCalypso's sms-pdu-decode. Byte fields print as
 * lower-case hex. The field names are documented in docs/decode.md.
 *
 * @module
 */

import type { Args } from "../cli/command.ts";
import { EXIT, writeStdout } from "../cli/exit.ts";
import { fromHex, toHex } from "../lib/bytes.ts";
import { UsageError } from "../lib/errors.ts";

/** The kinds `decode` accepts. */
export const DECODE_KINDS = ["sms-submit", "sms-deliver", "rp", "smpp", "sip"] as const;
type Kind = (typeof DECODE_KINDS)[number];

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

/** Decodes `bytes` as `kind`; the value printed as JSON. */
export function decodeKind(kind: Kind, bytes: Uint8Array, options: { rpError: boolean }): unknown {
  void bytes;
  void options;
  throw new UsageError(`decode ${kind}: not wired yet`);
}

/** Runs the subcommand. */
export async function runDecode(args: Args): Promise<number> {
  const [kind, input] = args.positionals;
  if (!(DECODE_KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(`unknown KIND "${kind}": expected one of ${DECODE_KINDS.join(", ")}`);
  }
  const bytes = await readInput(input, args.values.raw === true);
  const value = decodeKind(kind as Kind, bytes, { rpError: args.values["rp-error"] === true });
  const json = JSON.stringify(value, jsonReplacer, args.values.compact ? undefined : 2);
  writeStdout(json + "\n");
  return EXIT.OK;
}
