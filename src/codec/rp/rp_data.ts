/**
 * RP-DATA in both directions, TS 24.011 §7.3.1.
 *
 * @module
 */

import { ByteReader, ByteWriter } from "../../lib/bytes.ts";
import { EncodeError } from "../../lib/errors.ts";
import { RP_MTI_DATA_MS_TO_NETWORK, RP_MTI_DATA_NETWORK_TO_MS } from "./constants.ts";
import { RP_CAUSE_INVALID_MANDATORY_INFORMATION } from "./cause.ts";
import {
  decodeAddress,
  decodeEmptyAddress,
  decodeHeader,
  decodeUserDataValue,
  encodeAddress,
  encodeEmptyAddress,
  encodeHeader,
  encodeUserDataValue,
  needOctets,
  PROTOCOL,
} from "./_fields.ts";
import { expectEnd, expectMti } from "./_checks.ts";
import type { RpData, RpDecodeOptions } from "./types.ts";

/**
 * Decodes an RP-DATA message of either direction (RP-MTI 0 or 1). The MS-to-network
 * form has an empty RP-Originator Address and the SC in RP-Destination Address;
 * the network-to-MS form is the reverse (TS 24.011 §8.2.5.1-2). The TPDU in
 * RP-User Data is returned raw.
 *
 * @param bytes one complete RP message, e.g. an `application/vnd.3gpp.sms` body
 * @param options `direction` the receiver expects, if any
 * @returns the decoded RP-DATA
 * @throws {DecodeError} with `code` the RP cause to answer with: 97 for another
 *   message type, 96 for a missing or malformed address or RP-User Data, 99 for
 *   octets after RP-User Data; no code when the message is too short to hold a
 *   message reference (TS 24.011 §9.3.1: ignore it)
 */
export function decodeRpData(bytes: Uint8Array, options: RpDecodeOptions = {}): RpData {
  const r = new ByteReader(bytes, PROTOCOL);
  const header = decodeHeader(r, options.direction);
  expectMti(header.mti, [RP_MTI_DATA_MS_TO_NETWORK, RP_MTI_DATA_NETWORK_TO_MS], "RP-DATA");
  const messageReference = header.messageReference;
  if (header.mti === RP_MTI_DATA_MS_TO_NETWORK) {
    decodeEmptyAddress(r, "RP-Originator Address");
    const destinationAddress = decodeAddress(r, "RP-Destination Address");
    const userData = decodeMandatoryUserData(r);
    expectEnd(r);
    return {
      type: "RP-DATA",
      direction: "ms-to-network",
      messageReference,
      destinationAddress,
      userData,
    };
  }
  const originatorAddress = decodeAddress(r, "RP-Originator Address");
  decodeEmptyAddress(r, "RP-Destination Address");
  const userData = decodeMandatoryUserData(r);
  expectEnd(r);
  return {
    type: "RP-DATA",
    direction: "network-to-ms",
    messageReference,
    originatorAddress,
    userData,
  };
}

function decodeMandatoryUserData(r: ByteReader): Uint8Array {
  needOctets(r, 1, "RP-User Data", RP_CAUSE_INVALID_MANDATORY_INFORMATION);
  const length = r.u8("RP-User Data");
  return decodeUserDataValue(r, length, RP_CAUSE_INVALID_MANDATORY_INFORMATION);
}

/**
 * Encodes an RP-DATA message; the direction picks the RP-MTI and which address
 * element is left empty.
 *
 * @param msg the RP-DATA to encode
 * @returns the RP message octets
 * @throws {EncodeError} on a message reference outside 0-255, an address with 0
 *   or more than 20 digits or a bad digit, TON/NPI out of range, or RP-User Data
 *   of 0 or more than 232 octets
 */
export function encodeRpData(msg: RpData): Uint8Array {
  const w = new ByteWriter(PROTOCOL, 32 + (msg.userData?.length ?? 0));
  if (msg.direction === "ms-to-network") {
    encodeHeader(w, RP_MTI_DATA_MS_TO_NETWORK, msg.messageReference);
    encodeEmptyAddress(w, "RP-Originator Address");
    encodeAddress(w, msg.destinationAddress, "RP-Destination Address");
  } else if (msg.direction === "network-to-ms") {
    encodeHeader(w, RP_MTI_DATA_NETWORK_TO_MS, msg.messageReference);
    encodeAddress(w, msg.originatorAddress, "RP-Originator Address");
    encodeEmptyAddress(w, "RP-Destination Address");
  } else {
    throw new EncodeError(
      `Cannot encode RP-DATA: direction "${String((msg as RpData).direction)}"`,
      {
        protocol: PROTOCOL,
        field: "RP-MTI",
      },
    );
  }
  encodeUserDataValue(w, msg.userData);
  return w.finish();
}
