/**
 * Argument parsers of the line language (private to src/codec/sms_lang).
 *
 * @module
 */

import { type Line, lineError } from "./_tokens.ts";
import type { SmsLangAddress } from "./types.ts";

const DIGITS = /^[0-9*#abcABC]{1,20}$/;

/** Parses a decimal or `0x` hex integer in 0-`max`. */
export function parseInteger(line: Line, word: string, max: number, what: string): number {
  const ok = /^(0x[0-9a-fA-F]{1,8}|[0-9]{1,10})$/.test(word);
  const value = ok ? Number(word) : NaN;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw lineError(line, `${what} "${word}" must be an integer 0-${max}`);
  }
  return value;
}

/** Parses a hex string (even digit count, no separators); `""` gives no octets. */
export function parseHex(line: Line, word: string, what: string): Uint8Array {
  if (!/^([0-9a-fA-F]{2})*$/.test(word)) {
    throw lineError(line, `${what} "${clip(word)}" is not an even number of hex digits`);
  }
  const out = new Uint8Array(word.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(word.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * Parses `NUMBER [TOA]`: a leading `+` means international (TON 1, NPI 1),
 * otherwise TON 0 (unknown), NPI 1; an explicit type-of-address octet (e.g.
 * `0x91` or `145`, as in TS 27.005 `<toda>`) overrides both.
 */
export function parseAddress(line: Line, args: string[], what: string): SmsLangAddress {
  if (args.length < 1 || args.length > 2) {
    throw lineError(line, `"${what}" takes a number and an optional type of address`);
  }
  const plus = args[0].startsWith("+");
  const digits = plus ? args[0].slice(1) : args[0];
  if (!DIGITS.test(digits)) {
    throw lineError(line, `${what} "${clip(args[0])}" must be 1-20 digits 0-9 * # a b c`);
  }
  let ton = plus ? 1 : 0;
  let npi = 1;
  if (args.length === 2) {
    const toa = parseInteger(line, args[1], 0xff, `${what} type of address`);
    if (toa < 0x80) throw lineError(line, `${what} type of address ${toa} lacks bit 8`);
    ton = (toa >> 4) & 0x07;
    npi = toa & 0x0f;
  }
  return { ton, npi, digits: digits.toLowerCase() };
}

const TIME = /^(\d\d)\/(\d\d)\/(\d\d),(\d\d):(\d\d):(\d\d)([+-])(\d\d)$/;

/**
 * Parses a time stamp as TS 27.005 writes one, `yy/MM/dd,hh:mm:ss±zz` (zz in
 * quarter hours), or as 14 hex digits of the 7 wire octets. Returns the 7
 * semi-octet octets of TS 23.040 §9.2.3.11.
 */
export function parseTime(line: Line, word: string, what: string): Uint8Array {
  if (/^[0-9a-fA-F]{14}$/.test(word)) return parseHex(line, word, what);
  const m = TIME.exec(word);
  if (!m) throw lineError(line, `${what} "${clip(word)}" is not yy/MM/dd,hh:mm:ss±zz`);
  const [yy, mo, dd, hh, mi, ss] = m.slice(1, 7).map(Number);
  const zz = Number(m[8]);
  const valid = mo >= 1 && mo <= 12 && dd >= 1 && dd <= 31 && hh <= 23 && mi <= 59 &&
    ss <= 59 && zz <= 79;
  if (!valid) throw lineError(line, `${what} "${word}" has a field out of range`);
  const out = [yy, mo, dd, hh, mi, ss, zz].map((v) => ((v % 10) << 4) | Math.floor(v / 10));
  // TS 23.040 §9.2.3.11: bit 3 of the time zone octet is the sign, 1 = negative.
  if (m[7] === "-") out[6] |= 0x08;
  return new Uint8Array(out);
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
