/**
 * RP-SMMA, TS 24.011 §7.3.2: the MS tells the network it has memory available
 * again for short messages. It only travels from the MS.
 *
 * @module
 */

import { ByteReader, ByteWriter } from "../../lib/bytes.ts";
import { EncodeError } from "../../lib/errors.ts";
import { RP_MTI_SMMA_MS_TO_NETWORK } from "./constants.ts";
import { decodeHeader, encodeHeader, PROTOCOL } from "./_fields.ts";
import { expectEnd, expectMti } from "./_checks.ts";
import type { RpDecodeOptions, RpSmma } from "./types.ts";

/**
 * Decodes an RP-SMMA (RP-MTI 6): only RP-MTI and RP-Message Reference.
 *
 * @param bytes one complete RP message
 * @param options `direction` the receiver expects, if any
 * @returns the decoded RP-SMMA
 * @throws {DecodeError} with `code` 97 for another message type (or when the
 *   receiver expects network-to-MS), 99 for trailing octets; no code when too
 *   short for a message reference (TS 24.011 §9.3.1)
 */
export function decodeRpSmma(bytes: Uint8Array, options: RpDecodeOptions = {}): RpSmma {
  const r = new ByteReader(bytes, PROTOCOL);
  const header = decodeHeader(r, options.direction);
  expectMti(header.mti, [RP_MTI_SMMA_MS_TO_NETWORK], "RP-SMMA");
  expectEnd(r);
  return { type: "RP-SMMA", direction: "ms-to-network", messageReference: header.messageReference };
}

/**
 * Encodes an RP-SMMA.
 *
 * @param msg the RP-SMMA to encode
 * @returns the two RP message octets
 * @throws {EncodeError} on a message reference outside 0-255 or a direction
 *   other than ms-to-network
 */
export function encodeRpSmma(msg: RpSmma): Uint8Array {
  if (msg.direction !== "ms-to-network") {
    throw new EncodeError(`Cannot encode RP-SMMA: direction "${String(msg.direction)}"`, {
      protocol: PROTOCOL,
      field: "RP-MTI",
    });
  }
  const w = new ByteWriter(PROTOCOL, 2);
  encodeHeader(w, RP_MTI_SMMA_MS_TO_NETWORK, msg.messageReference);
  return w.finish();
}
