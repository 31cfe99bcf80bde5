/**
 * RP-ERROR in both directions, TS 24.011 §7.3.4.
 *
 * @module
 */

import { ByteReader, ByteWriter } from "../../lib/bytes.ts";
import { RP_MTI_ERROR_MS_TO_NETWORK, RP_MTI_ERROR_NETWORK_TO_MS } from "./constants.ts";
import { decodeCause, decodeHeader, encodeCause, encodeHeader, PROTOCOL } from "./_fields.ts";
import { expectMti } from "./_checks.ts";
import { decodeOptionalUserData, encodeOptionalUserData } from "./_optional.ts";
import { directionOfMti, mtiOf } from "./_direction.ts";
import type { RpDecodeOptions, RpError } from "./types.ts";

/**
 * Decodes an RP-ERROR (RP-MTI 4 from the MS, 5 from the network): the mandatory
 * RP-Cause in LV form (cause value and optional diagnostic octet) and the
 * optional RP-User Data element (IEI 0x41), whose TPDU is returned raw.
 *
 * @param bytes one complete RP message
 * @param options `direction` the receiver expects, if any
 * @returns the decoded RP-ERROR
 * @throws {DecodeError} with `code` 97 for another message type, 96 for a missing
 *   or malformed RP-Cause, 111 for a malformed RP-User Data element, 99 for any
 *   other element or trailing octets; no code when too short for a message
 *   reference (TS 24.011 §9.3.1)
 */
export function decodeRpError(bytes: Uint8Array, options: RpDecodeOptions = {}): RpError {
  const r = new ByteReader(bytes, PROTOCOL);
  const header = decodeHeader(r, options.direction);
  expectMti(header.mti, [RP_MTI_ERROR_MS_TO_NETWORK, RP_MTI_ERROR_NETWORK_TO_MS], "RP-ERROR");
  const cause = decodeCause(r);
  const userData = decodeOptionalUserData(r);
  const msg: RpError = {
    type: "RP-ERROR",
    direction: directionOfMti(header.mti),
    messageReference: header.messageReference,
    cause,
  };
  if (userData !== undefined) msg.userData = userData;
  return msg;
}

/**
 * Encodes an RP-ERROR.
 *
 * @param msg the RP-ERROR to encode
 * @returns the RP message octets
 * @throws {EncodeError} on a message reference outside 0-255, a bad direction, a
 *   cause value outside 0-127, a diagnostic outside 0-255, or RP-User Data of 0
 *   or more than 232 octets
 */
export function encodeRpError(msg: RpError): Uint8Array {
  const w = new ByteWriter(PROTOCOL, 8 + (msg.userData?.length ?? 0));
  const mti = mtiOf(
    msg.direction,
    RP_MTI_ERROR_MS_TO_NETWORK,
    RP_MTI_ERROR_NETWORK_TO_MS,
    "RP-ERROR",
  );
  encodeHeader(w, mti, msg.messageReference);
  encodeCause(w, msg.cause);
  encodeOptionalUserData(w, msg.userData);
  return w.finish();
}
