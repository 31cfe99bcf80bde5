/**
 * Field helpers private to the PMS codec: big-endian integers, NUL-padded
 * ASCII, TBCD digit strings and the two TP address fields. Callers have
 * already checked that the whole record is present, so these index the array
 * directly, at absolute offsets into the caller's input; every value read
 * from the file is still validated and reported as a `DecodeError` naming
 * the field.
 *
 * Speed matters here: core decodes and re-encodes every record a SUBMIT
 * carries, so these helpers allocate nothing but the values they return.
 *
 * @module
 */

import { ByteReader } from "../../lib/bytes.ts";
import { DecodeError, EncodeError } from "../../lib/errors.ts";
import { readAddress, type TpAddress, writeAddressAt } from "../tpdu/mod.ts";
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

/** Reads a big-endian 16-bit unsigned integer. */
export function readU16(b: Uint8Array, at: number): number {
  return (b[at] << 8) | b[at + 1];
}

/** Reads a big-endian 32-bit unsigned integer. */
export function readU32(b: Uint8Array, at: number): number {
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}

/** Reads a big-endian 48-bit unsigned integer (exact: below 2^53). */
export function readU48(b: Uint8Array, at: number): number {
  return ((b[at] << 8) | b[at + 1]) * 0x1_0000_0000 + readU32(b, at + 2);
}

/** Writes a big-endian 16-bit unsigned integer; the caller has range-checked it. */
export function writeU16(b: Uint8Array, at: number, value: number): void {
  b[at] = value >>> 8;
  b[at + 1] = value;
}

/** Writes a big-endian 32-bit unsigned integer; the caller has range-checked it. */
export function writeU32(b: Uint8Array, at: number, value: number): void {
  b[at] = value >>> 24;
  b[at + 1] = value >>> 16;
  b[at + 2] = value >>> 8;
  b[at + 3] = value;
}

/** Writes a big-endian 48-bit unsigned integer; the caller has range-checked it. */
export function writeU48(b: Uint8Array, at: number, value: number): void {
  // `>>> 0` keeps the low 32 bits of any integer below 2^53 exactly.
  writeU16(b, at, Math.floor(value / 0x1_0000_0000));
  writeU32(b, at + 2, value >>> 0);
}

/** Throws `EncodeError` unless `value` is an integer in 0-`max`. */
export function checkUint(name: PmsFieldName, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw encodeFieldError(name, `value ${value} is outside 0-${max}`);
  }
}

/** True when `b[at, at+size)` is all zero. */
export function allZero(b: Uint8Array, at: number, size: number): boolean {
  const end = at + size;
  for (let i = at; i < end; i++) if (b[i] !== 0) return false;
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
  const length = typeof digits === "string" ? digits.length : Infinity;
  if (length > 2 * size - 1) throw tbcdError(name, size, digits);
  // Whole bytes, low nibble first, 0xF past the last digit. A character
  // below "0" gives a negative value, which `>>> 0` makes large.
  const end = at + size;
  for (let k = at, n = 0; k < end; k++, n += 2) {
    let lo = 0x0f;
    let hi = 0x0f;
    if (n < length) {
      lo = digits.charCodeAt(n) - 0x30;
      if (lo >>> 0 > 9) throw tbcdError(name, size, digits);
      if (n + 1 < length) {
        hi = digits.charCodeAt(n + 1) - 0x30;
        if (hi >>> 0 > 9) throw tbcdError(name, size, digits);
      }
    }
    b[k] = lo | (hi << 4);
  }
}

function tbcdError(name: PmsFieldName, size: number, digits: string): EncodeError {
  return encodeFieldError(name, `"${digits}" is not 0-${2 * size - 1} decimal digits`);
}

/**
 * Builds the code-to-name table of a code table once: indexed by the file
 * octet, undefined for an unknown code, and limited to `names` (so that a
 * class table can be restricted to sources or destinations).
 */
export function namesByCode<K extends string>(
  table: Readonly<Record<K, number>>,
  names: readonly K[] = Object.keys(table) as K[],
): readonly (K | undefined)[] {
  const out = new Array<K | undefined>(256).fill(undefined);
  for (const name of names) out[table[name]] = name;
  return out;
}

/**
 * Reads the TP address field `name` of the record at `base`: absent (all
 * zero) only when `nullable`, otherwise a TS 23.040 §9.1.2.5 address
 * followed by zero padding.
 */
export function readAddressField(
  b: Uint8Array,
  base: number,
  name: "oa" | "da",
  nullable: boolean,
): TpAddress | null {
  const at = base + PMS_FIELD[name].offset;
  const end = at + PMS_FIELD[name].size;
  if (allZero(b, at, end - at)) {
    if (nullable) return null;
    throw fieldError(name, base, "the address is missing");
  }
  const r = new ByteReader(b, PMS_PROTOCOL, at, end);
  let a: TpAddress;
  try {
    a = readAddress(r, name === "oa" ? "TP-OA" : "TP-DA");
  } catch (e) {
    if (e instanceof DecodeError) throw fieldError(name, base, e.message);
    throw e;
  }
  if (!allZero(b, r.offset, end - r.offset)) {
    throw fieldError(name, base, "bytes follow the address");
  }
  return a;
}

/** Writes the TP address field `name` into the 256-byte record `b`. */
export function writeAddressField(b: Uint8Array, name: "oa" | "da", a: TpAddress): void {
  const f = PMS_FIELD[name];
  try {
    writeAddressAt(b, f.offset, a, name === "oa" ? "TP-OA" : "TP-DA", f.size);
  } catch (e) {
    if (e instanceof EncodeError) throw encodeFieldError(name, e.message);
    throw e;
  }
}
