/**
 * TP address fields (TP-OA, TP-DA, TP-RA), TS 23.040 §9.1.2.5.
 *
 * Layout: Address-Length (the number of useful semi-octets of the value, that
 * is the digit count; for alphanumeric addresses the semi-octets the packed
 * septets fill), Type-of-Address (bit 7 extension, always 1; bits 6-4 TON;
 * bits 3-0 NPI), then the value: swapped semi-octet digits with a 0xF filler
 * after an odd count, or, for TON 5, GSM 7 bit default alphabet text packed
 * as in TS 23.038 §6.1.2.1.1. At most 20 semi-octets (10 octets of value).
 *
 * @module
 */

import { ByteReader, bytesEqual, ByteWriter } from "../../lib/bytes.ts";
import { type DecodeError, EncodeError } from "../../lib/errors.ts";
import { decodeGsm7, encodeGsm7, packSeptets, unpackSeptets } from "../gsm0338/mod.ts";
import { TON_ALPHANUMERIC, TP_ADDRESS_DIGITS_MAX, TPDU_PROTOCOL } from "./constants.ts";
import { encodeError } from "./_fields.ts";

/** A decoded TP address, TS 23.040 §9.1.2.5. */
export interface TpAddress {
  /** Type of number, bits 6-4 of Type-of-Address (5 = alphanumeric). */
  ton: number;
  /** Numbering plan identification, bits 3-0 of Type-of-Address. */
  npi: number;
  /** The number, digits `0-9 * # a b c`, for every TON but 5. */
  digits?: string;
  /** The text of an alphanumeric address (TON 5), GSM 7 bit default alphabet. */
  text?: string;
  /**
   * The whole address field as received (Address-Length, Type-of-Address,
   * value), present only when it is not the canonical encoding of the fields
   * above: a filler other than 0xF, bit 7 of Type-of-Address clear, an
   * alphanumeric length that counts padding. When present it is written back
   * as is, so delete it after changing the other fields.
   */
  raw?: Uint8Array;
}

const NIBBLES = "0123456789*#abc";
/** Nibble value by character code (upper and lower case), -1 for a non-digit. */
const NIBBLE_OF: Int8Array = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let v = 0; v < NIBBLES.length; v++) {
    t[NIBBLES.charCodeAt(v)] = v;
    t[NIBBLES[v].toUpperCase().charCodeAt(0)] = v;
  }
  return t;
})();

/**
 * The two digits of each semi-octet byte whose nibbles both are digits, by
 * byte value ("" when either is the 0xF filler): digit strings are then built
 * one byte, not one digit, at a time.
 */
const DIGIT_PAIRS: readonly string[] = Array.from({ length: 256 }, (_, byte) => {
  const lo = byte & 0x0f;
  const hi = byte >> 4;
  return lo === 0x0f || hi === 0x0f ? "" : NIBBLES[lo] + NIBBLES[hi];
});

/** Reads `count` swapped semi-octet digits at `bytes[at]`; `r` only names errors. */
function readDigits(
  bytes: Uint8Array,
  at: number,
  count: number,
  r: ByteReader,
  field: string,
): string {
  let s = "";
  const pairs = count >> 1;
  for (let k = 0; k < pairs; k++) {
    const pair = DIGIT_PAIRS[bytes[at + k]];
    if (pair === "") {
      const i = (bytes[at + k] & 0x0f) === 0x0f ? 2 * k : 2 * k + 1;
      throw fillerError(r, field, i, count);
    }
    s += pair;
  }
  if (count & 1) {
    const nib = bytes[at + pairs] & 0x0f;
    if (nib === 0x0f) throw fillerError(r, field, count - 1, count);
    s += NIBBLES[nib];
  }
  return s;
}

function fillerError(r: ByteReader, field: string, i: number, count: number): DecodeError {
  return r.error(field, `Cannot decode ${field}: filler 0xF at digit ${i} of ${count}`);
}

/**
 * Reads an address field.
 *
 * @param r the reader, positioned at Address-Length
 * @param field "TP-OA", "TP-DA" or "TP-RA", for errors
 * @returns the address
 * @throws {DecodeError} on a length over 20, a truncated value, or a filler inside the digits
 */
export function readAddress(r: ByteReader, field: string): TpAddress {
  const start = r.offset;
  const length = r.u8(field);
  if (length > TP_ADDRESS_DIGITS_MAX) {
    throw r.error(
      field,
      `Cannot decode ${field}: Address-Length ${length} exceeds ${TP_ADDRESS_DIGITS_MAX}`,
    );
  }
  const toa = r.u8(field);
  const octets = (length + 1) >> 1;
  // Checked and passed over here; the value is read in place below, so that
  // a digit address (what every PMS record holds) costs no view or copy.
  r.skip(octets, field);
  const bytes = r.bytes;
  const at = start + 2;
  const ton = (toa >> 4) & 0x07;
  const npi = toa & 0x0f;
  if (ton !== TON_ALPHANUMERIC) {
    const address: TpAddress = { ton, npi, digits: readDigits(bytes, at, length, r, field) };
    // Decoding loses only bit 7 of Type-of-Address and the filler nibble;
    // any other form is kept as `raw` so that it is written back as received.
    const canonical = (toa & 0x80) !== 0 &&
      ((length & 1) === 0 || (bytes[at + octets - 1] & 0xf0) === 0xf0);
    if (!canonical) address.raw = bytes.slice(start, at + octets);
    return address;
  }
  // TS 23.040 §9.1.2.5: the length counts semi-octets, so the number of
  // whole septets is floor(4 × length / 7).
  const value = bytes.subarray(at, at + octets);
  const address: TpAddress = {
    ton,
    npi,
    text: decodeGsm7(unpackSeptets(value, Math.floor((length * 4) / 7))),
  };
  const whole = bytes.subarray(start, at + octets);
  if (!isCanonical(address, whole, field)) address.raw = whole.slice();
  return address;
}

/**
 * Whether the alphanumeric address field `whole` is exactly what `canonical`
 * would write for `a`: its text is re-encoded and compared. (Digit
 * addresses are checked directly in `readAddress`.)
 */
function isCanonical(a: TpAddress, whole: Uint8Array, field: string): boolean {
  if ((whole[1] & 0x80) === 0) return false;
  try {
    return bytesEqual(canonical(a, field), whole);
  } catch (e) {
    // Text that does not re-encode (e.g. an undefined code shown as U+FFFD).
    if (!(e instanceof EncodeError)) throw e;
    return false;
  }
}

function canonical(a: TpAddress, field: string): Uint8Array {
  if (!Number.isInteger(a.ton) || a.ton < 0 || a.ton > 7) {
    throw encodeError(field, `Cannot encode ${field}: TON ${a.ton} is outside 0-7`);
  }
  if (!Number.isInteger(a.npi) || a.npi < 0 || a.npi > 15) {
    throw encodeError(field, `Cannot encode ${field}: NPI ${a.npi} is outside 0-15`);
  }
  const toa = 0x80 | (a.ton << 4) | a.npi;
  let length: number;
  let value: Uint8Array;
  if (a.ton === TON_ALPHANUMERIC) {
    const septets = encodeGsm7(a.text ?? "");
    if (septets === null) {
      throw encodeError(
        field,
        `Cannot encode ${field}: text is not in the GSM 7 bit default alphabet`,
      );
    }
    value = packSeptets(septets);
    length = Math.ceil((septets.length * 7) / 4);
  } else {
    const digits = a.digits ?? "";
    length = digits.length;
    value = new Uint8Array(Math.ceil(length / 2));
    for (let i = 0; i < length; i++) {
      // One table lookup per character: this runs for every record core stores.
      const code = digits.charCodeAt(i);
      const v = code < 128 ? NIBBLE_OF[code] : -1;
      if (v < 0) {
        throw encodeError(field, `Cannot encode ${field}: character "${digits[i]}" is not a digit`);
      }
      value[i >> 1] |= i & 1 ? v << 4 : v;
    }
    if (length & 1) value[value.length - 1] |= 0xf0;
  }
  if (length > TP_ADDRESS_DIGITS_MAX) {
    throw encodeError(
      field,
      `Cannot encode ${field}: ${length} semi-octets exceed ${TP_ADDRESS_DIGITS_MAX}`,
    );
  }
  const out = new Uint8Array(2 + value.length);
  out[0] = length;
  out[1] = toa;
  out.set(value, 2);
  return out;
}

/**
 * Writes an address field; `raw`, when present, is written as is.
 *
 * @param w the writer
 * @param a the address
 * @param field "TP-OA", "TP-DA" or "TP-RA", for errors
 * @throws {EncodeError} on a bad TON/NPI, a non-digit, text outside GSM 7 bit, or more than 20 semi-octets
 */
export function writeAddress(w: ByteWriter, a: TpAddress, field: string): void {
  if (a.raw === undefined) {
    w.bytes(canonical(a, field));
    return;
  }
  const raw = a.raw;
  if (
    raw.length < 2 || raw[0] > TP_ADDRESS_DIGITS_MAX || raw.length !== 2 + Math.ceil(raw[0] / 2)
  ) {
    throw encodeError(field, `Cannot encode ${field}: raw octets are not an address field`);
  }
  w.bytes(raw);
}

/**
 * Decodes an address field at `offset`.
 *
 * @param bytes the input
 * @param offset where Address-Length is
 * @param field the spec field name for errors (default "TP-DA")
 * @returns the address and the offset after it
 * @throws {DecodeError} on a length over 20 or truncation
 */
export function decodeAddress(bytes: Uint8Array, offset = 0, field = "TP-DA"): [TpAddress, number] {
  const r = new ByteReader(bytes, TPDU_PROTOCOL, offset);
  const a = readAddress(r, field);
  return [a, r.offset];
}

/**
 * Writes an address field into `out` at `offset`, without allocating for the
 * common case of a digit address (the PMS record encoder calls this for every
 * record core stores).
 *
 * @param out the buffer
 * @param offset where the field starts
 * @param a the address
 * @param field the spec field name for errors
 * @param maxOctets room for the field in `out`
 * @returns the octets written
 * @throws {EncodeError} when the address cannot be represented or does not fit
 */
export function writeAddressAt(
  out: Uint8Array,
  offset: number,
  a: TpAddress,
  field: string,
  maxOctets: number,
): number {
  const digits = a.digits;
  if (a.raw !== undefined || a.ton === TON_ALPHANUMERIC || digits === undefined) {
    const octets = encodeAddress(a, field);
    if (octets.length > maxOctets) {
      throw encodeError(
        field,
        `Cannot encode ${field}: ${octets.length} octets exceed ${maxOctets}`,
      );
    }
    out.set(octets, offset);
    return octets.length;
  }
  const length = digits.length;
  const size = 2 + Math.ceil(length / 2);
  if (
    !Number.isInteger(a.ton) || a.ton < 0 || a.ton > 7 || !Number.isInteger(a.npi) || a.npi < 0 ||
    a.npi > 15
  ) {
    canonical(a, field); // throws the EncodeError that names TON or NPI
  }
  if (length > TP_ADDRESS_DIGITS_MAX || size > maxOctets) {
    throw encodeError(field, `Cannot encode ${field}: ${length} semi-octets do not fit`);
  }
  out[offset] = length;
  out[offset + 1] = 0x80 | (a.ton << 4) | a.npi;
  // Whole octets, low nibble first; the 0xF filler after an odd count.
  for (let i = 0; i < length; i += 2) {
    const v = nibbleOf(digits, i);
    if (v < 0) throw notDigitError(field, digits, i);
    let w = 0x0f;
    if (i + 1 < length) {
      w = nibbleOf(digits, i + 1);
      if (w < 0) throw notDigitError(field, digits, i + 1);
    }
    out[offset + 2 + (i >> 1)] = v | (w << 4);
  }
  return size;
}

/** The nibble of character `i` of `digits`, -1 for a non-digit. */
function nibbleOf(digits: string, i: number): number {
  const code = digits.charCodeAt(i);
  return code < 128 ? NIBBLE_OF[code] : -1;
}

function notDigitError(field: string, digits: string, i: number): EncodeError {
  return encodeError(field, `Cannot encode ${field}: character "${digits[i]}" is not a digit`);
}

/**
 * Encodes an address field.
 *
 * @param a the address
 * @param field the spec field name for errors (default "TP-DA")
 * @returns Address-Length, Type-of-Address and value
 * @throws {EncodeError} when the address cannot be represented
 */
export function encodeAddress(a: TpAddress, field = "TP-DA"): Uint8Array {
  if (a.raw === undefined) return canonical(a, field);
  const w = new ByteWriter(TPDU_PROTOCOL, 12);
  writeAddress(w, a, field);
  return w.finish();
}
