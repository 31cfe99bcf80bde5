/**
 * TP-User-Data with its length TP-UDL, TS 23.040 §9.2.3.16 and §9.2.3.24:
 * the optional User Data Header, fill bits, and the payload as GSM 7 bit
 * septets, 8-bit data or UCS-2.
 *
 * For GSM 7 bit data TP-UDL counts septets, the header included (rounded up
 * to whole septets with fill bits, §9.2.3.24); for 8-bit and UCS-2 data it
 * counts octets. The decoded value keeps the raw payload octets (`data`), so
 * that non-zero fill or padding bits survive a re-encoding byte for byte.
 *
 * @module
 */

import { DecodeError, EncodeError } from "../../lib/errors.ts";
import { bytesEqual } from "../../lib/bytes.ts";
import {
  decodeGsm7,
  decodeUcs2,
  encodeGsm7,
  encodeUcs2,
  fillBitsAfterUdh,
  type Gsm7Options,
  packSeptets,
  unpackSeptets,
} from "../gsm0338/mod.ts";
import { decodeUdh, encodeUdh, type InformationElement, interpretIe } from "./udh.ts";

const PROTOCOL = "tpdu";
// Same values as TP_UDL_SEPTETS_MAX / TP_UD_OCTETS_MAX of constants.ts (TS 23.040 §9.2.3.16).
const UDL_SEPTETS_MAX = 160;
const UD_OCTETS_MAX = 140;

/** How TP-UD is coded, from TP-DCS (TS 23.038 §4). */
export type Alphabet = "gsm7" | "8bit" | "ucs2";

/** TP-UD decoded. */
export interface UserData {
  /** Information elements of the User Data Header, or null when TP-UDHI is 0. */
  udh: InformationElement[] | null;
  /** Octets of the header including the UDHL octet; 0 without a header. */
  udhOctets: number;
  /** Fill bits between the header and the first septet (GSM 7 bit only, else 0), §9.2.3.24. */
  fillBits: number;
  /** GSM 7 bit only: the septet values of the text, escapes included. */
  septets?: Uint8Array;
  /** GSM 7 bit and UCS-2: the text, decoded with the shift tables the header names. */
  text?: string;
  /** The raw payload octets after the header (for GSM 7 bit: packed, fill bits included). */
  data: Uint8Array;
}

/** What `encodeUserData` needs; a decoded `UserData` qualifies. */
export interface UserDataFields {
  /** Header elements, or null for no header (TP-UDHI 0). */
  udh: InformationElement[] | null;
  /** GSM 7 bit septets; with `data` they give the count, without it they are packed. */
  septets?: Uint8Array;
  /** Text, used when neither `data` nor (GSM 7 bit) `septets` is given. */
  text?: string;
  /** Raw payload octets after the header; wins over `text`. */
  data?: Uint8Array;
}

/**
 * The national language tables a header asks for (TS 23.040 §9.2.3.24.15/16).
 * Elements that fail `interpretIe` are ignored, as §9.2.3.24 asks of a receiver.
 *
 * @param udh header elements, or null
 * @returns options for `encodeGsm7` / `decodeGsm7`
 */
export function shiftTablesOf(udh: InformationElement[] | null): Gsm7Options {
  const options: Gsm7Options = {};
  for (const ie of udh ?? []) {
    try {
      const v = interpretIe(ie);
      if (v.kind === "singleShift") options.singleShift = v.language;
      if (v.kind === "lockingShift") options.lockingShift = v.language;
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
    }
  }
  return options;
}

/**
 * The number of TP-UD octets a TP-UDL stands for: ceil(7 × UDL / 8) for GSM 7
 * bit, UDL otherwise (TS 23.040 §9.2.3.16).
 *
 * @param udl TP-UDL
 * @param alphabet the coding
 * @returns octets of TP-UD
 */
export function userDataOctets(udl: number, alphabet: Alphabet): number {
  return alphabet === "gsm7" ? Math.ceil((udl * 7) / 8) : udl;
}

function udlError(message: string, offset = 0): DecodeError {
  return new DecodeError(`Cannot decode TP-UD: ${message}`, {
    protocol: PROTOCOL,
    field: "TP-UDL",
    offset,
  });
}

/**
 * Decodes TP-UD given TP-UDL, TP-UDHI and the alphabet from TP-DCS.
 *
 * @param ud the TP-UD octets; exactly `userDataOctets(udl, alphabet)` of them
 * @param udl TP-UDL: septets for gsm7 (header included), octets otherwise
 * @param udhi TP-UDHI: whether TP-UD starts with a User Data Header
 * @param alphabet the coding
 * @returns the header, fill bits, septets / text and raw payload
 * @throws {DecodeError} field "TP-UDL" when UDL exceeds 160 septets / 140
 *   octets, disagrees with the length of `ud`, or is shorter than the header;
 *   field "TP-UDHL" / "IE" for a malformed header
 */
export function decodeUserData(
  ud: Uint8Array,
  udl: number,
  udhi: boolean,
  alphabet: Alphabet,
): UserData {
  const gsm7 = alphabet === "gsm7";
  const max = gsm7 ? UDL_SEPTETS_MAX : UD_OCTETS_MAX;
  if (!Number.isInteger(udl) || udl < 0 || udl > max) {
    throw udlError(`UDL ${udl} is outside 0-${max}`);
  }
  const octets = userDataOctets(udl, alphabet);
  if (ud.length !== octets) {
    throw udlError(`UDL ${udl} needs ${octets} octets of user data but there are ${ud.length}`);
  }
  let udh: InformationElement[] | null = null;
  let udhOctets = 0;
  if (udhi) {
    if (ud.length === 0) throw udlError("UDHI is set but the user data is empty");
    ({ ies: udh, udhOctets } = decodeUdh(ud));
  }
  const data = ud.slice(udhOctets);
  if (!gsm7) {
    const text = alphabet === "ucs2" ? decodeUcs2(data) : undefined;
    return { udh, udhOctets, fillBits: 0, ...(text === undefined ? {} : { text }), data };
  }
  const fillBits = udhi ? fillBitsAfterUdh(udhOctets) : 0;
  const headerSeptets = (udhOctets * 8 + fillBits) / 7;
  if (headerSeptets > udl) {
    throw udlError(`UDL ${udl} septets is shorter than the ${headerSeptets}-septet header`);
  }
  const septets = unpackSeptets(data, udl - headerSeptets, fillBits);
  const text = decodeGsm7(septets, shiftTablesOf(udh));
  return { udh, udhOctets, fillBits, septets, text, data };
}

function encodeError(message: string, field = "TP-UD"): EncodeError {
  return new EncodeError(`Cannot encode TP-UD: ${message}`, { protocol: PROTOCOL, field });
}

/** Septets of a GSM 7 bit payload, from septets or from text. */
function septetsOf(value: UserDataFields): Uint8Array {
  if (value.septets !== undefined) return value.septets;
  const septets = encodeGsm7(value.text ?? "", shiftTablesOf(value.udh));
  if (septets === null) throw encodeError("text has characters outside the GSM 7 bit tables");
  return septets;
}

/**
 * Encodes TP-UD and computes TP-UDL; the inverse of `decodeUserData`. The
 * payload comes from `data` when given (for GSM 7 bit together with
 * `septets`, which must match it), else from `septets`, else from `text`
 * (GSM 7 bit text uses the shift tables the header names).
 *
 * @param value header and payload
 * @param alphabet the coding
 * @returns TP-UDHI, TP-UDL and the TP-UD octets
 * @throws {EncodeError} when the result exceeds 160 septets / 140 octets, the
 *   text cannot be represented, or `data` and `septets` disagree
 */
export function encodeUserData(
  value: UserDataFields,
  alphabet: Alphabet,
): { udhi: boolean; udl: number; ud: Uint8Array } {
  const header = value.udh === null ? new Uint8Array(0) : encodeUdh(value.udh);
  const udhi = value.udh !== null;
  let payload: Uint8Array;
  let udl: number;
  if (alphabet === "gsm7") {
    const fillBits = udhi ? fillBitsAfterUdh(header.length) : 0;
    const septets = septetsOf(value);
    const packed = packSeptets(septets, fillBits);
    payload = value.data ?? packed;
    if (payload.length !== packed.length || !bytesEqual(mask(payload, septets, fillBits), packed)) {
      throw encodeError("data does not hold the given septets");
    }
    udl = (header.length * 8 + fillBits) / 7 + septets.length;
  } else {
    payload = value.data ??
      (alphabet === "ucs2" ? encodeUcs2(value.text ?? "") : new Uint8Array(0));
    udl = header.length + payload.length;
  }
  const max = alphabet === "gsm7" ? UDL_SEPTETS_MAX : UD_OCTETS_MAX;
  if (udl > max) throw encodeError(`UDL ${udl} exceeds ${max}`, "TP-UDL");
  const ud = new Uint8Array(header.length + payload.length);
  ud.set(header);
  ud.set(payload, header.length);
  return { udhi, udl, ud };
}

/** `data` with its fill and padding bits cleared, for comparing with freshly packed septets. */
function mask(data: Uint8Array, septets: Uint8Array, fillBits: number): Uint8Array {
  if (data.length === 0) return data;
  const out = data.slice();
  out[0] &= (0xff << fillBits) & 0xff;
  const usedBits = (fillBits + septets.length * 7) % 8;
  if (usedBits !== 0) out[out.length - 1] &= (1 << usedBits) - 1;
  return out;
}
