/**
 * RP-ACK in both directions, TS 24.011 §7.3.3.
 *
 * @module
 */

import { ByteReader, ByteWriter } from "../../lib/bytes.ts";
import { RP_MTI_ACK_MS_TO_NETWORK, RP_MTI_ACK_NETWORK_TO_MS } from "./constants.ts";
import { decodeHeader, encodeHeader, PROTOCOL } from "./_fields.ts";
import { expectMti } from "./_checks.ts";
import { decodeOptionalUserData, encodeOptionalUserData } from "./_optional.ts";
import { directionOfMti, mtiOf } from "./_direction.ts";
import type { RpAck, RpDecodeOptions } from "./types.ts";

/**
 * Decodes an RP-ACK (RP-MTI 2 from the MS, 3 from the network) with its optional
 * RP-User Data element (IEI 0x41) holding an SMS-SUBMIT-REPORT or
 * SMS-DELIVER-REPORT TPDU, returned raw.
 *
 * @param bytes one complete RP message
 * @param options `direction` the receiver expects, if any
 * @returns the decoded RP-ACK; `userData` is absent when the element is
 * @throws {DecodeError} with `code` 97 for another message type, 111 for a
 *   malformed RP-User Data element, 99 for any other element or trailing octets;
 *   no code when too short for a message reference (TS 24.011 §9.3.1)
 */
export function decodeRpAck(bytes: Uint8Array, options: RpDecodeOptions = {}): RpAck {
  const r = new ByteReader(bytes, PROTOCOL);
  const header = decodeHeader(r, options.direction);
  expectMti(header.mti, [RP_MTI_ACK_MS_TO_NETWORK, RP_MTI_ACK_NETWORK_TO_MS], "RP-ACK");
  const userData = decodeOptionalUserData(r);
  const msg: RpAck = {
    type: "RP-ACK",
    direction: directionOfMti(header.mti),
    messageReference: header.messageReference,
  };
  if (userData !== undefined) msg.userData = userData;
  return msg;
}

/**
 * Encodes an RP-ACK.
 *
 * @param msg the RP-ACK to encode
 * @returns the RP message octets
 * @throws {EncodeError} on a message reference outside 0-255, a bad direction,
 *   or RP-User Data of 0 or more than 232 octets
 */
export function encodeRpAck(msg: RpAck): Uint8Array {
  const w = new ByteWriter(PROTOCOL, 8 + (msg.userData?.length ?? 0));
  const mti = mtiOf(msg.direction, RP_MTI_ACK_MS_TO_NETWORK, RP_MTI_ACK_NETWORK_TO_MS, "RP-ACK");
  encodeHeader(w, mti, msg.messageReference);
  encodeOptionalUserData(w, msg.userData);
  return w.finish();
}
