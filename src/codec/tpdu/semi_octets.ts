/**
 * Semi-octet (swapped BCD) digit strings, TS 23.040 §9.1.2.3 and TS 24.008
 * §10.5.4.7 (the called party BCD number that RP addresses use).
 *
 * Digits map as 0-9, `*` = 0xA, `#` = 0xB, `a` = 0xC, `b` = 0xD, `c` = 0xE;
 * 0xF is the filler of an odd-length string.
 *
 * @module
 */

import { DecodeError, EncodeError } from "../../lib/errors.ts";

const DIGITS = "0123456789*#abc";

/**
 * Decodes `digitCount` semi-octets; the low nibble of each octet is the first digit.
 *
 * @param bytes octets holding at least ceil(digitCount / 2) bytes
 * @param digitCount how many digits; when omitted, read every octet and stop at a 0xF filler
 * @param protocol protocol name for errors
 * @throws {DecodeError} on a nibble 0xF in the middle, or too few octets
 */
export function decodeSemiOctets(
  bytes: Uint8Array,
  digitCount?: number,
  protocol = "tpdu",
): string {
  const n = digitCount ?? bytes.length * 2;
  if (Math.ceil(n / 2) > bytes.length) {
    throw new DecodeError(
      `Cannot decode semi-octets: ${n} digits need ${Math.ceil(n / 2)} octets`,
      {
        protocol,
        field: "digits",
      },
    );
  }
  let s = "";
  for (let i = 0; i < n; i++) {
    const b = bytes[i >> 1];
    const nib = i & 1 ? b >> 4 : b & 0x0f;
    if (nib === 0x0f) {
      if (digitCount === undefined && i === n - 1) break;
      throw new DecodeError(`Cannot decode semi-octets: filler 0xF at digit ${i}`, {
        protocol,
        field: "digits",
        offset: i >> 1,
      });
    }
    s += DIGITS[nib];
  }
  return s;
}

/**
 * Encodes digits `0-9 * # a b c` (upper case accepted) as semi-octets, with a
 * 0xF filler in the high nibble of the last octet when the count is odd.
 *
 * @throws {EncodeError} on any other character
 */
export function encodeSemiOctets(digits: string, protocol = "tpdu"): Uint8Array {
  const out = new Uint8Array(Math.ceil(digits.length / 2));
  for (let i = 0; i < digits.length; i++) {
    const v = DIGITS.indexOf(digits[i].toLowerCase());
    if (v < 0) {
      throw new EncodeError(`Cannot encode semi-octets: character "${digits[i]}" is not a digit`, {
        protocol,
        field: "digits",
      });
    }
    out[i >> 1] |= i & 1 ? v << 4 : v;
  }
  if (digits.length & 1) out[out.length - 1] |= 0xf0;
  return out;
}
