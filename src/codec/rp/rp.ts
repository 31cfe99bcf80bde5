/**
 * Entry points over every RP message type, TS 24.011 §7.3.
 *
 * @module
 */

import { ByteReader } from "../../lib/bytes.ts";
import { EncodeError } from "../../lib/errors.ts";
import { decodeHeader, PROTOCOL } from "./_fields.ts";
import { decodeRpData, encodeRpData } from "./rp_data.ts";
import { decodeRpAck, encodeRpAck } from "./rp_ack.ts";
import { decodeRpError, encodeRpError } from "./rp_error.ts";
import { decodeRpSmma, encodeRpSmma } from "./rp_smma.ts";
import type { RpDecodeOptions, RpMessage } from "./types.ts";

const DECODERS = [
  decodeRpData,
  decodeRpData,
  decodeRpAck,
  decodeRpAck,
  decodeRpError,
  decodeRpError,
  decodeRpSmma,
] as const;

/**
 * Decodes one RP message of any type and direction, chosen by its RP-MTI, e.g.
 * the body of a SIP MESSAGE with `Content-Type: application/vnd.3gpp.sms`
 * (TS 24.341 §7.3).
 *
 * @example
 * ```ts
 * import { decodeRp } from "./mod.ts";
 * import { fromHex } from "../../lib/bytes.ts";
 * const msg = decodeRp(fromHex("032a"));
 * // msg: { type: "RP-ACK", direction: "network-to-ms", messageReference: 42 }
 * ```
 *
 * @param bytes one complete RP message
 * @param options `direction` the receiver expects, if any
 * @returns the message, tagged by `type` and `direction`
 * @throws {DecodeError} whose `code` is the RP cause to answer with (95-99, 111),
 *   or no code when the message is too short to answer (TS 24.011 §9.3.1)
 */
export function decodeRp(bytes: Uint8Array, options: RpDecodeOptions = {}): RpMessage {
  const header = decodeHeader(new ByteReader(bytes, PROTOCOL), options.direction);
  return DECODERS[header.mti](bytes, options);
}

/**
 * Encodes any RP message; `type` and `direction` choose the RP-MTI.
 *
 * @example
 * ```ts
 * import { encodeRp } from "./mod.ts";
 * const bytes = encodeRp({ type: "RP-SMMA", direction: "ms-to-network", messageReference: 7 });
 * // bytes: 06 07
 * ```
 *
 * @param msg the message to encode
 * @returns the RP message octets
 * @throws {EncodeError} on any value the wire format cannot carry
 */
export function encodeRp(msg: RpMessage): Uint8Array {
  switch (msg.type) {
    case "RP-DATA":
      return encodeRpData(msg);
    case "RP-ACK":
      return encodeRpAck(msg);
    case "RP-ERROR":
      return encodeRpError(msg);
    case "RP-SMMA":
      return encodeRpSmma(msg);
    default:
      throw new EncodeError(
        `Cannot encode RP message: type "${String((msg as { type: unknown }).type)}"`,
        { protocol: PROTOCOL, field: "RP-MTI" },
      );
  }
}
