/**
 * Delivery receipts (SMPP 3.4 §5.2.12 message type 0x04, Appendix B): reading
 * the one an upstream sends in a deliver_sm or data_sm, and writing the one a
 * downstream ESME gets for a status report record. Also the decimal form of
 * our message ids, which is what submit_sm_resp returns and receipts quote.
 *
 * @module
 */

import { DecodeError, EncodeError } from "../lib/errors.ts";
import { decodeReportPayload, type PmsRecord } from "../codec/pms/mod.ts";
import {
  buildReceiptText,
  ESM_TYPE,
  findSmppTlv,
  isEsmReceipt,
  MESSAGE_STATE,
  parseReceiptText,
  type SmppPdu,
  type SmppTlv,
  smppTlvSpec,
} from "../codec/smpp/mod.ts";
import { dispositionState } from "./smpp_sm_status.ts";
import { parseReceiptDate, receiptDate } from "./smpp_sm_time.ts";

/** What uplink needs from a receipt to match it with the message it names. */
export interface SmppReceipt {
  /** The id the peer gave the message in its submit_sm_resp. */
  messageId: string;
  /** message_state, §5.2.28. */
  messageState: number;
  /** The `done date:` of the text, read as UTC. */
  doneTimeMs?: number;
  /** network_error_code's error code, else the text's decimal `err:`. */
  err?: number;
}

/** network_error_code network type 8: "Message Center Specific" (§5.3.2.31). */
const NETWORK_TYPE_SMSC = 8;

function cstringOf(v: SmppTlv["value"] | undefined): string | undefined {
  if (typeof v === "string") return v;
  // An id sent without its NUL stays octets in the codec (tlv.ts); read it up to a NUL.
  if (v instanceof Uint8Array) return String.fromCharCode(...v).replace(/\0.*$/s, "");
  return undefined;
}

function receiptTextOf(pdu: SmppPdu) {
  const sm = pdu.fields.short_message;
  const payload = findSmppTlv(pdu, "message_payload")?.value;
  const octets = sm instanceof Uint8Array && sm.length > 0 ? sm : payload;
  return octets instanceof Uint8Array ? parseReceiptText(octets) : undefined;
}

/**
 * Reads a delivery receipt: the receipted_message_id and message_state TLVs
 * first, the Appendix B text second (it is informative and SMSCs differ).
 *
 * @param pdu a deliver_sm or data_sm
 * @returns the receipt, or undefined when the PDU is not a receipt
 *   (esm_class type neither 0x04 nor 0x20) or names no id or no state
 */
export function smppReceiptOf(pdu: SmppPdu): SmppReceipt | undefined {
  if (pdu.command !== "deliver_sm" && pdu.command !== "data_sm") return undefined;
  const esm = pdu.fields.esm_class;
  if (typeof esm !== "number" || !isEsmReceipt(esm)) return undefined;
  const text = receiptTextOf(pdu);
  const messageId = cstringOf(findSmppTlv(pdu, "receipted_message_id")?.value) || text?.id;
  const stateTlv = findSmppTlv(pdu, "message_state")?.value;
  const messageState = typeof stateTlv === "number" ? stateTlv : text?.messageState;
  if (!messageId || messageState === undefined) return undefined;
  const out: SmppReceipt = { messageId, messageState };
  const done = text?.doneDate === undefined ? undefined : parseReceiptDate(text.doneDate);
  if (done !== undefined) out.doneTimeMs = done;
  const nec = findSmppTlv(pdu, "network_error_code")?.value;
  if (nec instanceof Uint8Array && nec.length === 3) out.err = (nec[1] << 8) | nec[2];
  else if (text?.err !== undefined && /^\d{1,9}$/.test(text.err)) out.err = Number(text.err);
  return out;
}

/**
 * Our message id as SMPP carries it: decimal.
 *
 * @param id a record id (its index in pms.bin)
 * @returns the decimal digits
 */
export function formatMessageId(id: number): string {
  return String(id);
}

/**
 * Reads a message id strictly: decimal digits, no sign, no leading zero, a
 * safe integer.
 *
 * @param s the id from query_sm, cancel_sm or replace_sm
 * @returns the record id, or undefined
 */
export function parseMessageId(s: string): number | undefined {
  if (!/^(0|[1-9][0-9]*)$/.test(s)) return undefined;
  const id = Number(s);
  return Number.isSafeInteger(id) ? id : undefined;
}

function tlv(name: string, value: SmppTlv["value"]): SmppTlv {
  return { tag: smppTlvSpec(name)!.tag, name, value };
}

/** The receipt parts of a deliver_sm for a status report record. */
export type ReceiptParts = {
  ok: true;
  esmClass: number;
  shortMessage: Uint8Array;
  tlvs: SmppTlv[];
} | { ok: false; reason: string };

/**
 * Renders a status report record (report flag, payload kind "status") as
 * the body of a receipt deliver_sm: the Appendix B text and the
 * receipted_message_id, message_state and (for a non-zero cause)
 * network_error_code TLVs.
 *
 * @param rec the report record
 * @returns esm_class, short_message and TLVs, or a reason
 */
export function receiptParts(rec: PmsRecord): ReceiptParts {
  let payload;
  try {
    payload = decodeReportPayload(rec.ud);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return { ok: false, reason: `the report payload is malformed: ${e.message}` };
  }
  if (payload.kind !== "status") {
    return { ok: false, reason: "a peer's receipt is for core, not for delivery" };
  }
  const id = formatMessageId(payload.originalId);
  const messageState = dispositionState(payload.disposition);
  let text: string;
  try {
    text = buildReceiptText({
      id,
      sub: 1,
      dlvrd: messageState === MESSAGE_STATE.DELIVERED ? 1 : 0,
      submitDate: receiptDate(payload.originalEntryTimeMs),
      doneDate: receiptDate(payload.dischargeTimeMs),
      messageState,
      err: payload.cause % 1000,
      text: "",
    });
  } catch (e) {
    if (!(e instanceof EncodeError)) throw e;
    return { ok: false, reason: e.message };
  }
  const tlvs = [tlv("receipted_message_id", id), tlv("message_state", messageState)];
  if (payload.cause !== 0) {
    const c = payload.cause;
    tlvs.push(tlv("network_error_code", Uint8Array.of(NETWORK_TYPE_SMSC, c >> 8, c & 0xff)));
  }
  return {
    ok: true,
    esmClass: ESM_TYPE.delivery_receipt << 2,
    shortMessage: Uint8Array.from(text, (c) => c.charCodeAt(0)),
    tlvs,
  };
}
