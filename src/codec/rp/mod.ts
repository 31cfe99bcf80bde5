/**
 * The RP layer (short message relay protocol) of 3GPP TS 24.011 V17 §7.3 and
 * §8.2: RP-DATA, RP-ACK, RP-ERROR in both directions and RP-SMMA. One RP
 * message is also the whole body of an SMS-over-IP SIP MESSAGE
 * (`application/vnd.3gpp.sms`, TS 24.341).
 *
 * The TPDU inside RP-User Data is kept as raw octets; `codec/tpdu` decodes it.
 * Decoding is strict so that `encodeRp(decodeRp(b))` is byte-identical to `b`.
 * Every `DecodeError` carries in `code` the RP cause the receiver should answer
 * with (TS 24.011 §9.3), except for a message too short to hold its message
 * reference, which TS 24.011 §9.3.1 says to ignore.
 *
 * Limits (what the decoders reject):
 * - a first octet with non-zero spare bits, or RP-MTI 7, or an RP-MTI of the
 *   other direction when `options.direction` is given (#97);
 * - an address that should be empty but is not, or that should be present with
 *   a length outside 2-11, an extension bit of 0, or a misplaced 0xF filler (#96);
 * - RP-User Data of 0 or more than 232 octets (#96 in RP-DATA, #111 in
 *   RP-ACK/RP-ERROR); RP-Cause of length 0 or above 2, or with its extension
 *   bit set (#96);
 * - any octet after the last element the message type defines, including
 *   unknown optional elements, which TS 24.007 would allow to skip (#99).
 *
 * @module
 */

export * from "./constants.ts";
export * from "./cause.ts";
export type * from "./types.ts";
export { decodeRpData, encodeRpData } from "./rp_data.ts";
export { decodeRpAck, encodeRpAck } from "./rp_ack.ts";
export { decodeRpError, encodeRpError } from "./rp_error.ts";
export { decodeRpSmma, encodeRpSmma } from "./rp_smma.ts";
export { decodeRp, encodeRp } from "./rp.ts";
