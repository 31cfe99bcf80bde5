/**
 * Field helpers private to the PMS codec: 48-bit integers, NUL-padded ASCII
 * and TBCD digit strings. Callers have already checked that the whole record
 * is present, so these index the array directly; every value read from the
 * file is still validated and reported as a `DecodeError` naming the field.
 *
 * @module
 */

import { DecodeError, EncodeError } from "../../lib/errors.ts";
import { PMS_FIELD, PMS_PROTOCOL, type PmsFieldName } from "./layout.ts";

/** A `DecodeError` for `field` at its offset in the record at `base`. */
export function fieldError(name: PmsFieldName, base: number, message: string): DecodeError {
  return new DecodeError(`Cannot decode PMS record ${name}: ${message}`, {
    protocol: PMS_PROTOCOL,
    field: name,
    offset: base + PMS_FIELD[name].offset,
  });
}

/** An `EncodeError` for `field`. */
export function encodeFieldError(name: PmsFieldName, message: string): EncodeError {
  return new EncodeError(`Cannot encode PMS record ${name}: ${message}`, {
    protocol: PMS_PROTOCOL,
    field: name,
  });
}

/** Reads a big-endian unsigned integer of `size` bytes (at most 6). */
export function readUint(b: Uint8Array, at: number, size: number): number {
  let v = 0;
  for (let i = 0; i < size; i++) v = v * 256 + b[at + i];
  return v;
}

/** Writes a big-endian unsigned integer; the caller has range-checked it. */
export function writeUint(b: Uint8Array, at: number, size: number, value: number): void {
  let v = value;
  for (let i = size - 1; i >= 0; i--) {
    b[at + i] = v % 256;
    v = Math.floor(v / 256);
  }
}

/** Throws `EncodeError` unless `value` is an integer in 0-`max`. */
export function checkUint(name: PmsFieldName, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw encodeFieldError(name, `value ${value} is outside 0-${max}`);
  }
}

/** True when `b[at, at+size)` is all zero. */
export function allZero(b: Uint8Array, at: number, size: number): boolean {
  for (let i = at; i < at + size; i++) if (b[i] !== 0) return false;
  return true;
}

/**
 * Reads NUL-padded printable ASCII (0x21-0x7E) of at most `size` characters.
 * A NUL may only be followed by NULs, so every string has one encoding.
 */
export function readAscii(
  b: Uint8Array,
  at: number,
  size: number,
  name: PmsFieldName,
  base: number,
): string {
  let s = "";
  let i = 0;
  for (; i < size && b[at + i] !== 0; i++) {
    const c = b[at + i];
    if (c < 0x21 || c > 0x7e) {
      throw fieldError(name, base, `byte 0x${c.toString(16)} at ${i} is not printable ASCII`);
    }
    s += String.fromCharCode(c);
  }
  if (!allZero(b, at + i, size - i)) throw fieldError(name, base, "bytes follow the NUL padding");
  return s;
}

/** Writes `text` as NUL-padded printable ASCII. */
export function writeAscii(
  b: Uint8Array,
  at: number,
  size: number,
  text: string,
  name: PmsFieldName,
): void {
  if (text.length > size) throw encodeFieldError(name, `"${text}" is longer than ${size}`);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) {
      throw encodeFieldError(name, `character at ${i} of "${text}" is not printable ASCII`);
    }
    b[at + i] = c;
  }
}

/**
 * Reads TBCD digits (TS 29.002 §17.7.8: first digit in the low nibble), 0-9
 * only, ended by 0xF fillers that run to the end of the field. The last
 * nibble must be a filler, so a field of `size` bytes holds 2 × size - 1
 * digits at most and an all-zero field is rejected.
 */
export function readTbcd(
  b: Uint8Array,
  at: number,
  size: number,
  name: PmsFieldName,
  base: number,
): string {
  let s = "";
  let ended = false;
  for (let n = 0; n < 2 * size; n++) {
    const byte = b[at + (n >> 1)];
    const nib = n & 1 ? byte >> 4 : byte & 0x0f;
    if (nib === 0x0f) {
      ended = true;
    } else if (ended || nib > 9) {
      throw fieldError(name, base, `nibble ${nib} at digit ${n} is not a digit before the filler`);
    } else {
      s += String.fromCharCode(0x30 + nib);
    }
  }
  if (!ended) throw fieldError(name, base, `${2 * size} digits leave no room for a filler`);
  return s;
}

/** Writes `digits` as TBCD with 0xF fillers to the end of the field. */
export function writeTbcd(
  b: Uint8Array,
  at: number,
  size: number,
  digits: string,
  name: PmsFieldName,
): void {
  if (!/^[0-9]*$/.test(digits) || digits.length > 2 * size - 1) {
    throw encodeFieldError(name, `"${digits}" is not 0-${2 * size - 1} decimal digits`);
  }
  for (let n = 0; n < 2 * size; n++) {
    const nib = n < digits.length ? digits.charCodeAt(n) - 0x30 : 0x0f;
    const i = at + (n >> 1);
    b[i] = n & 1 ? (b[i] & 0x0f) | (nib << 4) : (b[i] & 0xf0) | nib;
  }
}

/** Looks up the name of a file code; undefined when the code is unknown. */
export function nameOf<K extends string>(
  table: Readonly<Record<K, number>>,
  code: number,
): K | undefined {
  let reverse = REVERSE.get(table);
  if (reverse === undefined) {
    reverse = new Map(Object.entries(table).map(([k, v]) => [v as number, k]));
    REVERSE.set(table, reverse);
  }
  return reverse.get(code) as K | undefined;
}

/** Code-to-name maps of the code tables, built once per table. */
const REVERSE = new WeakMap<object, Map<number, string>>();
