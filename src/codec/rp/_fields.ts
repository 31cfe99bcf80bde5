/**
 * Field codecs shared by the RP messages (private to src/codec/rp): the
 * header (RP-MTI and RP-Message Reference), addresses, RP-User Data and
 * RP-Cause. Every failure carries the RP cause the receiver should answer with.
 *
 * @module
 */

import type { ByteReader, ByteWriter } from "../../lib/bytes.ts";
import { DecodeError, EncodeError } from "../../lib/errors.ts";
import { decodeSemiOctets, encodeSemiOctets } from "../tpdu/semi_octets.ts";
import {
  RP_ADDRESS_DIGITS_MAX,
  RP_ADDRESS_EXT_BIT,
  RP_ADDRESS_OCTETS_MAX,
  RP_ADDRESS_OCTETS_MIN,
  RP_CAUSE_OCTETS_MAX,
  RP_MTI_MASK,
  RP_USER_DATA_OCTETS_MAX,
} from "./constants.ts";
import {
  RP_CAUSE_INVALID_MANDATORY_INFORMATION,
  RP_CAUSE_MESSAGE_TYPE_NON_EXISTENT,
} from "./cause.ts";
import type { RpAddress, RpCause, RpDirection } from "./types.ts";

/** Protocol name put into every error of this layer. */
export const PROTOCOL = "rp";

/** The first two octets of every RP message. */
export interface RpHeader {
  mti: number;
  messageReference: number;
}

/** Direction of each defined RP-MTI, TS 24.011 Table 8.3; 7 is reserved. */
const MTI_DIRECTION: readonly RpDirection[] = [
  "ms-to-network",
  "network-to-ms",
  "ms-to-network",
  "network-to-ms",
  "ms-to-network",
  "network-to-ms",
  "ms-to-network",
];

/** Throws a `DecodeError` carrying `code` unless `count` octets remain. */
export function needOctets(r: ByteReader, count: number, field: string, code?: number): void {
  if (count > r.remaining) {
    throw r.error(
      field,
      `Cannot decode ${field}: needs ${count} octets but ${r.remaining} remain`,
      code,
    );
  }
}

/**
 * Reads RP-MTI and RP-Message Reference. A message too short for both is to be
 * ignored (TS 24.011 §9.3.1), so that error carries no cause: without a message
 * reference no RP-ERROR can be built.
 */
export function decodeHeader(r: ByteReader, expected?: RpDirection): RpHeader {
  needOctets(r, 2, "RP-Message Reference");
  const octet = r.u8("RP-MTI");
  const messageReference = r.u8("RP-Message Reference");
  const mti = octet & RP_MTI_MASK;
  // TS 24.011 §8.2.1: bits 4-8 are spare and sent as zero. A non-zero value is
  // not a message type we know, and keeping it would break byte-exact re-encoding.
  if (octet !== mti || mti >= MTI_DIRECTION.length) {
    throw new DecodeError(`Cannot decode RP-MTI: value 0x${hex2(octet)} is not an RP message`, {
      protocol: PROTOCOL,
      field: "RP-MTI",
      offset: 0,
      code: RP_CAUSE_MESSAGE_TYPE_NON_EXISTENT,
    });
  }
  if (expected !== undefined && MTI_DIRECTION[mti] !== expected) {
    throw new DecodeError(
      `Cannot decode RP-MTI: value ${mti} is not defined for direction ${expected}`,
      { protocol: PROTOCOL, field: "RP-MTI", offset: 0, code: RP_CAUSE_MESSAGE_TYPE_NON_EXISTENT },
    );
  }
  return { mti, messageReference };
}

/** Writes RP-MTI and RP-Message Reference. */
export function encodeHeader(w: ByteWriter, mti: number, messageReference: number): void {
  w.u8(mti, "RP-MTI");
  w.u8(messageReference, "RP-Message Reference");
}

/**
 * Reads an RP address whose length octet must be 0 (TS 24.011 §8.2.5.1-2: "the
 * value of the length octet of the element is set to 0" in one direction).
 */
export function decodeEmptyAddress(r: ByteReader, field: string): void {
  needOctets(r, 1, field, RP_CAUSE_INVALID_MANDATORY_INFORMATION);
  const length = r.u8(field);
  if (length !== 0) {
    throw r.error(
      field,
      `Cannot decode ${field}: length ${length} must be 0 in this direction`,
      RP_CAUSE_INVALID_MANDATORY_INFORMATION,
    );
  }
}

/** Reads a present RP address: length 2-11, TON/NPI octet, semi-octet digits. */
export function decodeAddress(r: ByteReader, field: string): RpAddress {
  const bad = RP_CAUSE_INVALID_MANDATORY_INFORMATION;
  needOctets(r, 1, field, bad);
  const length = r.u8(field);
  if (length < RP_ADDRESS_OCTETS_MIN || length > RP_ADDRESS_OCTETS_MAX) {
    throw r.error(
      field,
      `Cannot decode ${field}: length ${length} is outside ${RP_ADDRESS_OCTETS_MIN}-${RP_ADDRESS_OCTETS_MAX}`,
      bad,
    );
  }
  needOctets(r, length, field, bad);
  const toa = r.u8(field);
  // TS 24.008 §10.5.4.7: the called party BCD number has no octet 3a, so the
  // extension bit must say "no extension".
  if ((toa & RP_ADDRESS_EXT_BIT) === 0) {
    throw r.error(field, `Cannot decode ${field}: extension bit of octet 0x${hex2(toa)} is 0`, bad);
  }
  const offset = r.offset;
  const packed = r.take(length - 1, field);
  let digits: string;
  try {
    digits = decodeSemiOctets(packed, undefined, PROTOCOL);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    throw new DecodeError(`Cannot decode ${field}: ${e.message}`, {
      protocol: PROTOCOL,
      field,
      offset: offset + (e.offset ?? 0),
      code: bad,
    });
  }
  return { ton: (toa >> 4) & 0x07, npi: toa & 0x0f, digits };
}

/** Writes a length octet of 0: the address element that one direction leaves empty. */
export function encodeEmptyAddress(w: ByteWriter, field: string): void {
  w.u8(0, field);
}

/** Writes an RP address: length, TON/NPI octet (extension bit set), semi-octet digits. */
export function encodeAddress(w: ByteWriter, address: RpAddress, field: string): void {
  const { ton, npi, digits } = address;
  if (typeof digits !== "string" || digits.length < 1 || digits.length > RP_ADDRESS_DIGITS_MAX) {
    throw new EncodeError(
      `Cannot encode ${field}: needs 1-${RP_ADDRESS_DIGITS_MAX} digits but has ${digits?.length}`,
      { protocol: PROTOCOL, field },
    );
  }
  rangeCheck(ton, 7, `${field} TON`);
  rangeCheck(npi, 15, `${field} NPI`);
  let packed: Uint8Array;
  try {
    packed = encodeSemiOctets(digits, PROTOCOL);
  } catch (e) {
    if (!(e instanceof EncodeError)) throw e;
    throw new EncodeError(`Cannot encode ${field}: ${e.message}`, { protocol: PROTOCOL, field });
  }
  w.u8(packed.length + 1, field);
  w.u8(RP_ADDRESS_EXT_BIT | (ton << 4) | npi, field);
  w.bytes(packed);
}

/** Reads an RP-User Data value part of `length` octets (after its length octet). */
export function decodeUserDataValue(
  r: ByteReader,
  length: number,
  code: number,
): Uint8Array {
  const field = "RP-User Data";
  if (length < 1 || length > RP_USER_DATA_OCTETS_MAX) {
    throw r.error(
      field,
      `Cannot decode ${field}: length ${length} is outside 1-${RP_USER_DATA_OCTETS_MAX}`,
      code,
    );
  }
  needOctets(r, length, field, code);
  return r.take(length, field);
}

/** Writes an RP-User Data length octet and the TPDU. */
export function encodeUserDataValue(w: ByteWriter, userData: Uint8Array): void {
  const field = "RP-User Data";
  if (!(userData instanceof Uint8Array)) {
    throw new EncodeError(`Cannot encode ${field}: value is not a Uint8Array`, {
      protocol: PROTOCOL,
      field,
    });
  }
  if (userData.length < 1 || userData.length > RP_USER_DATA_OCTETS_MAX) {
    throw new EncodeError(
      `Cannot encode ${field}: length ${userData.length} is outside 1-${RP_USER_DATA_OCTETS_MAX}`,
      { protocol: PROTOCOL, field },
    );
  }
  w.u8(userData.length, field);
  w.bytes(userData);
}

/** Reads RP-Cause in LV form: length 1-2, cause octet (extension bit 0), optional diagnostic. */
export function decodeCause(r: ByteReader): RpCause {
  const field = "RP-Cause";
  const bad = RP_CAUSE_INVALID_MANDATORY_INFORMATION;
  needOctets(r, 1, field, bad);
  const length = r.u8(field);
  if (length < 1 || length > RP_CAUSE_OCTETS_MAX) {
    throw r.error(
      field,
      `Cannot decode ${field}: length ${length} is outside 1-${RP_CAUSE_OCTETS_MAX}`,
      bad,
    );
  }
  needOctets(r, length, field, bad);
  const octet = r.u8(field);
  // TS 24.011 Figure 8.8: bit 8 of the cause octet is an extension bit fixed at 0.
  if (octet & 0x80) {
    throw r.error(field, `Cannot decode ${field}: extension bit of 0x${hex2(octet)} is 1`, bad);
  }
  if (length === 1) return { value: octet };
  return { value: octet, diagnostic: r.u8(field) };
}

/** Writes RP-Cause in LV form. */
export function encodeCause(w: ByteWriter, cause: RpCause): void {
  const field = "RP-Cause";
  rangeCheck(cause?.value, 0x7f, field);
  if (cause.diagnostic === undefined) {
    w.u8(1, field).u8(cause.value, field);
    return;
  }
  w.u8(2, field).u8(cause.value, field).u8(cause.diagnostic, `${field} diagnostic`);
}

function rangeCheck(value: number, max: number, field: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new EncodeError(`Cannot encode ${field}: value ${value} is outside 0-${max}`, {
      protocol: PROTOCOL,
      field,
    });
  }
}

function hex2(v: number): string {
  return v.toString(16).padStart(2, "0");
}
