/**
 * Packing of 7-bit septets into octets, TS 23.038 §6.1.2.1.1.
 *
 * Septets are packed least significant bit first. After a User Data Header the
 * first septet starts on a septet boundary counted from the start of the user
 * data, so `fillBits` (0-6) zero bits are inserted first (TS 23.040 §9.2.3.24).
 *
 * @module
 */

import { DecodeError, EncodeError } from "../../lib/errors.ts";
import { pooledBytes } from "../../lib/bytes.ts";

/**
 * Packs septet values (0-127) into octets.
 *
 * @param septets values 0-127
 * @param fillBits zero bits to put before the first septet (0-6)
 * @returns ceil((fillBits + 7 × n) / 8) octets
 * @throws {EncodeError} when a value exceeds 127 or fillBits is outside 0-6
 */
export function packSeptets(septets: Uint8Array, fillBits = 0): Uint8Array {
  if (!Number.isInteger(fillBits) || fillBits < 0 || fillBits > 6) {
    throw new EncodeError(`Cannot pack septets: fill bits ${fillBits} outside 0-6`, {
      protocol: "gsm0338",
    });
  }
  const out = pooledBytes(Math.ceil((fillBits + septets.length * 7) / 8));
  let bit = fillBits;
  for (let i = 0; i < septets.length; i++) {
    const s = septets[i];
    if (s > 0x7f) {
      throw new EncodeError(`Cannot pack septets: value ${s} exceeds 127`, { protocol: "gsm0338" });
    }
    const byte = bit >> 3;
    const shift = bit & 7;
    out[byte] |= (s << shift) & 0xff;
    if (shift > 1) out[byte + 1] |= s >> (8 - shift);
    bit += 7;
  }
  return out;
}

/**
 * Unpacks `count` septets from octets.
 *
 * @param bytes the packed octets
 * @param count how many septets to read
 * @param fillBits bits to skip before the first septet (0-6)
 * @throws {DecodeError} when the octets hold fewer than `count` septets
 */
export function unpackSeptets(bytes: Uint8Array, count: number, fillBits = 0): Uint8Array {
  const needBytes = Math.ceil((fillBits + count * 7) / 8);
  if (needBytes > bytes.length) {
    throw new DecodeError(
      `Cannot unpack septets: ${count} septets need ${needBytes} octets but ${bytes.length} remain`,
      { protocol: "gsm0338", field: "TP-UD" },
    );
  }
  const out = pooledBytes(count);
  let bit = fillBits;
  for (let i = 0; i < count; i++) {
    const byte = bit >> 3;
    const shift = bit & 7;
    let v = bytes[byte] >> shift;
    if (shift > 1) v |= bytes[byte + 1] << (8 - shift);
    out[i] = v & 0x7f;
    bit += 7;
  }
  return out;
}

/** Fill bits needed after a UDH of `udhOctets` (including the UDHL octet). */
export function fillBitsAfterUdh(udhOctets: number): number {
  return (7 - ((udhOctets * 8) % 7)) % 7;
}
