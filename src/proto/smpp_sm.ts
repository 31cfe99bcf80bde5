/**
 * The pure mapping between SMPP 3.4 short-message PDUs (SMPP Developers
 * Forum, issue 1.2) and PMS records, for `downlink` (SMPP server toward
 * downstream ESMEs) and `uplink` (SMPP client toward the upstream SMSC).
 * The tables and every choice are in docs/smpp-mapping.md.
 *
 * - In: `smppToRecords` (submit_sm, submit_multi per destination, data_sm,
 *   deliver_sm) gives one record, or one per part of a long message, or the
 *   command_status to answer; `smppReceiptOf` reads a delivery receipt.
 * - Out: `recordToSmpp` gives the fields and TLVs of a deliver_sm or
 *   submit_sm; a status report record becomes a receipt deliver_sm.
 * - Status: `admissionToCommandStatus`, `respOutcome`, `messageStateOf`,
 *   `smppAbsoluteTime`, `formatMessageId`, `parseMessageId`.
 *
 * Byte transparency: the octets an ESME sends reach the record unchanged,
 * except that IA5 (data_coding 1) and Latin-1 (3) text is converted to GSM
 * 7-bit septets and GSM 7-bit septets are packed, as TP-UD requires.
 *
 * Limits (refused with a command_status): scheduled delivery, predefined
 * messages, receipts where a short message is expected, addresses that a TP
 * address cannot hold, data_coding values without a TP-DCS, messages of more
 * than 255 parts, malformed validity periods.
 *
 * @example
 * ```ts
 * import { smppToRecords } from "./smpp_sm.ts";
 * const r = smppToRecords({
 *   command: "submit_sm", command_id: 4, command_status: 0, sequence_number: 1, tlvs: [],
 *   fields: {
 *     source_addr_ton: 1, source_addr_npi: 1, source_addr: "12125550100",
 *     dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: "12125550101",
 *     esm_class: 0, protocol_id: 0, schedule_delivery_time: "", validity_period: "",
 *     registered_delivery: 0, data_coding: 0, sm_default_msg_id: 0,
 *     short_message: Uint8Array.of(0x48, 0x69),
 *   },
 * }, { sourceClass: "downstream", sourcePeer: "acme", concatRef: 7, mr: 0, nowMs: 0 });
 * if (!r.ok || r.records[0].udl !== 2) throw new Error("mapping");
 * ```
 *
 * @module
 */

export type { InCtx, InResult, OutResult, SmppReject } from "./smpp_sm_types.ts";
export { smppToRecords } from "./smpp_sm_in.ts";
export { recordToSmpp } from "./smpp_sm_out.ts";
export {
  formatMessageId,
  parseMessageId,
  type SmppReceipt,
  smppReceiptOf,
} from "./smpp_sm_receipt.ts";
export {
  admissionToCommandStatus,
  type CoreReasonName,
  messageStateOf,
  REASON_STATUS,
  type RespOutcome,
  respOutcome,
} from "./smpp_sm_status.ts";
export {
  parseSmppAbsoluteTime,
  parseSmppRelativeTime,
  smppAbsoluteTime,
  VALIDITY_S_MAX,
} from "./smpp_sm_time.ts";
