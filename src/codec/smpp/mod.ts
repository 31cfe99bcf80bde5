/**
 * SMPP 3.4 codec (SMPP Developers Forum, "Short Message Peer to Peer Protocol
 * Specification v3.4", issue 1.2, 1999-10-12), the one adapter of npm:smpp 0.5.1.
 *
 * Byte transparent: short_message and message_payload are always the octets
 * received, for every data_coding 0x00-0xFF; unknown TLVs are kept byte for
 * byte and in order; `encodeSmppPdu(decodeSmppPdu(b))` equals `b`. Text is
 * changed only by the explicit `ia5ToGsm7` / `latin1ToGsm7`.
 *
 * Limits (what `decodeSmppPdu` rejects, with the command_status to answer):
 * - command_length below 16, above the framer's maximum, or not the input
 *   length: ESME_RINVCMDLEN; a body ending inside a mandatory parameter: ESME_RINVCMDLEN.
 * - command ids outside SMPP 3.4 §5.1.2.1 (also the 5.0 broadcast PDUs): ESME_RINVCMDID.
 * - C-Octet Strings longer than SMPP 3.4 §4 allows (system_id 16, password 9,
 *   system_type 13, address_range 41, service_type 6, addresses 21 or 65, times 17,
 *   message_id 65): the field's own status (ESME_RINVSYSID, ESME_RINVSRCADR …).
 * - sm_length above 254 or above the body: ESME_RINVMSGLEN.
 * - a TLV header cut short or a TLV length beyond the body: ESME_RINVOPTPARSTREAM;
 *   a known TLV with a length §5.3.2 does not allow: ESME_RINVPARLEN.
 * - with `strictTlvs`: TLVs §4 does not list for the PDU (ESME_ROPTPARNOTALLWD),
 *   an incomplete sar_* set (ESME_RMISSINGOPTPARAM).
 * - submit_multi number_of_dests 0 or above 254 (ESME_RINVNUMDESTS), dest_flag
 *   other than 1 or 2 (ESME_RINVDESTFLAG).
 *
 * Not checked here: the format of times (§7.1), TON/NPI values, and whether
 * short_message and message_payload are both present (policy decides).
 *
 * @module
 */

export * from "./constants.ts";
export * from "./command_status.ts";
export * from "./tlv.ts";
export * from "./pdu.ts";
export * from "./data_coding.ts";
export * from "./text_conversion.ts";
export * from "./esm_class.ts";
export * from "./receipt_text.ts";
export { libraryDefs, type LibraryPdu, toLibraryPdu } from "./library.ts";
