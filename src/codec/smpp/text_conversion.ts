/**
 * Explicit text conversions from the SMPP 3.4 §5.2.19 alphabets IA5 (0x01) and
 * Latin-1 (0x03) to the GSM 7-bit default alphabet of TS 23.038 §6.2.1, one
 * septet per octet (escape 0x1B before extension-table characters). These are
 * the only places where codec/smpp changes message octets, and only when policy
 * calls them.
 *
 * @module
 */

import { EncodeError } from "../../lib/errors.ts";
import { SMPP_STATUS } from "./command_status.ts";

/** TS 23.038 §6.2.1 default alphabet, by septet value (0x1B is the escape). */
const DEFAULT_ALPHABET = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

/** TS 23.038 §6.2.1.1 extension table: character -> septet after 0x1B. */
const EXTENSION: ReadonlyMap<string, number> = new Map([
  ["\f", 0x0a],
  ["^", 0x14],
  ["{", 0x28],
  ["}", 0x29],
  ["\\", 0x2f],
  ["[", 0x3c],
  ["~", 0x3d],
  ["]", 0x3e],
  ["|", 0x40],
  ["€", 0x65],
]);

const BASE: ReadonlyMap<string, number> = new Map(
  [...DEFAULT_ALPHABET].map((c, i) => [c, i] as [string, number]).filter(([, i]) => i !== 0x1b),
);

function convert(octets: Uint8Array, limit: number, name: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < octets.length; i++) {
    const b = octets[i];
    const c = String.fromCharCode(b);
    const base = b <= limit ? BASE.get(c) : undefined;
    const ext = b <= limit ? EXTENSION.get(c) : undefined;
    if (base !== undefined) out.push(base);
    else if (ext !== undefined) out.push(0x1b, ext);
    else {
      throw new EncodeError(
        `Cannot convert ${name} to GSM 7-bit: octet 0x${b.toString(16)} at ${i} has no character`,
        { protocol: "smpp", field: "short_message", code: SMPP_STATUS.ESME_RSUBMITFAIL },
      );
    }
  }
  return Uint8Array.from(out);
}

/**
 * Converts IA5/ASCII octets (data_coding 0x01) to GSM 7-bit septets, one per octet.
 *
 * @param octets short_message octets, each 0x00-0x7F
 * @returns septets (0x00-0x7F), extension characters as 0x1B + septet
 * @throws {EncodeError} code ESME_RSUBMITFAIL for octets with no GSM character (e.g. "`", NUL)
 */
export function ia5ToGsm7(octets: Uint8Array): Uint8Array {
  return convert(octets, 0x7f, "IA5");
}

/**
 * Converts ISO-8859-1 octets (data_coding 0x03) to GSM 7-bit septets, one per octet.
 *
 * @param octets short_message octets
 * @returns septets (0x00-0x7F), extension characters as 0x1B + septet
 * @throws {EncodeError} code ESME_RSUBMITFAIL for octets with no GSM character
 */
export function latin1ToGsm7(octets: Uint8Array): Uint8Array {
  return convert(octets, 0xff, "Latin-1");
}
