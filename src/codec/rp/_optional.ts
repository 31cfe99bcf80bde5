/**
 * The optional RP-User Data element (IEI 0x41, TLV) of RP-ACK and RP-ERROR,
 * TS 24.011 §7.3.3-4 and §8.2.5.3 (private to src/codec/rp).
 *
 * @module
 */

import type { ByteReader, ByteWriter } from "../../lib/bytes.ts";
import { RP_IEI_USER_DATA } from "./constants.ts";
import { RP_CAUSE_PROTOCOL_ERROR } from "./cause.ts";
import { decodeUserDataValue, encodeUserDataValue, needOctets } from "./_fields.ts";
import { expectEnd } from "./_checks.ts";

/**
 * Reads the optional RP-User Data element if present, then requires the end of
 * the message. A malformed optional element is answered with #111 "Protocol
 * error, unspecified" because Table 8.4 has no cause for conditional elements.
 */
export function decodeOptionalUserData(r: ByteReader): Uint8Array | undefined {
  if (r.done || r.peek("IEI") !== RP_IEI_USER_DATA) {
    expectEnd(r);
    return undefined;
  }
  r.u8("IEI");
  needOctets(r, 1, "RP-User Data", RP_CAUSE_PROTOCOL_ERROR);
  const length = r.u8("RP-User Data");
  const userData = decodeUserDataValue(r, length, RP_CAUSE_PROTOCOL_ERROR);
  expectEnd(r);
  return userData;
}

/** Writes the optional RP-User Data element when `userData` is given. */
export function encodeOptionalUserData(w: ByteWriter, userData: Uint8Array | undefined): void {
  if (userData === undefined) return;
  w.u8(RP_IEI_USER_DATA, "IEI");
  encodeUserDataValue(w, userData);
}
