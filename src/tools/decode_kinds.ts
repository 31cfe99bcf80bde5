/**
 * What `smsc decode` prints for each KIND: the decoded PDU, and inside it the
 * decoded layers it carries (the TPDU of an RP message, the RP message of a
 * SIP MESSAGE body, the user data of a TPDU, the receipt text of an SMPP
 * delivery receipt). A failure in an inner layer does not hide the outer one:
 * it is reported in an `…Error` field and the tool exits 65.
 *
 * @module
 */

import {
  decodeTpdu,
  describeUserData,
  type Direction,
  interpretIe,
  type Tpdu,
} from "../codec/tpdu/mod.ts";
import { decodeRp, type RpMessage } from "../codec/rp/mod.ts";
import {
  commandStatusName,
  decodeEsmClass,
  decodeSmppPdu,
  esmMessageTypeName,
  isEsmReceipt,
  parseReceiptText,
  smppDataCodingToTpDcs,
  type SmppPdu,
} from "../codec/smpp/mod.ts";
import { getHeaderValue, parseContentType, parseSipMessage } from "../codec/sip/mod.ts";
import { DecodeError } from "../lib/errors.ts";

/** A decoded value and the inner-layer errors met on the way. */
export interface Decoded {
  value: unknown;
  innerErrors: string[];
}

function innerError(e: unknown, errors: string[]): string {
  if (!(e instanceof DecodeError)) throw e;
  errors.push(e.message);
  return e.message;
}

/** A TPDU with its user data decoded (text, header elements and their meaning). */
export function describeTpdu(tpdu: Tpdu, errors: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...tpdu };
  if (!("ud" in tpdu) || tpdu.ud === undefined) return out;
  try {
    const ud = describeUserData(tpdu);
    if (ud === undefined) return out;
    const udh = ud.udh?.map((ie) => {
      try {
        return { ...ie, meaning: interpretIe(ie) };
      } catch (e) {
        return { ...ie, meaningError: innerError(e, errors) };
      }
    }) ?? null;
    out.userData = { ...ud, udh };
  } catch (e) {
    out.userDataError = innerError(e, errors);
  }
  return out;
}

function tpduIn(bytes: Uint8Array, direction: Direction, rpError: boolean, errors: string[]) {
  try {
    return { tpdu: describeTpdu(decodeTpdu(bytes, direction, { rpError }), errors) };
  } catch (e) {
    return { tpduError: innerError(e, errors) };
  }
}

/** An RP message with the TPDU in its RP-User Data decoded. */
export function describeRp(rp: RpMessage, errors: string[]): Record<string, unknown> {
  if (!("userData" in rp) || rp.userData === undefined) return { ...rp };
  const direction: Direction = rp.direction === "ms-to-network" ? "ms-to-sc" : "sc-to-ms";
  return { ...rp, ...tpduIn(rp.userData, direction, rp.type === "RP-ERROR", errors) };
}

function describeSmpp(pdu: SmppPdu): Record<string, unknown> {
  const notes: Record<string, unknown> = {
    command_status_name: commandStatusName(pdu.command_status),
  };
  const f = pdu.fields as Record<string, unknown>;
  if (typeof f.esm_class === "number") {
    notes.esm_class = { ...decodeEsmClass(f.esm_class), typeName: esmMessageTypeName(f.esm_class) };
    if (isEsmReceipt(f.esm_class) && f.short_message instanceof Uint8Array) {
      notes.receipt = parseReceiptText(f.short_message) ?? null;
    }
  }
  if (typeof f.data_coding === "number") notes.data_coding = smppDataCodingToTpDcs(f.data_coding);
  return { ...pdu, notes };
}

function describeSip(bytes: Uint8Array, errors: string[]): Record<string, unknown> {
  const msg = parseSipMessage(bytes);
  const out: Record<string, unknown> = { ...msg };
  const type = getHeaderValue(msg, "content-type");
  if (type === undefined || msg.body.length === 0) return out;
  try {
    const ct = parseContentType(type);
    if (`${ct.type}/${ct.subtype}`.toLowerCase() !== "application/vnd.3gpp.sms") return out;
    out.rp = describeRp(decodeRp(msg.body), errors);
  } catch (e) {
    out.rpError = innerError(e, errors);
  }
  return out;
}

/**
 * Decodes `bytes` as `kind`.
 *
 * @param kind sms-submit, sms-deliver, rp, smpp or sip
 * @param bytes the PDU
 * @param options `rpError`: a report TPDU that came in an RP-ERROR
 * @returns the value to print and the inner errors
 * @throws {DecodeError} when the outermost layer cannot be decoded
 */
export function decodeKind(
  kind: string,
  bytes: Uint8Array,
  options: { rpError: boolean },
): Decoded {
  const errors: string[] = [];
  let value: unknown;
  switch (kind) {
    case "sms-submit":
      value = describeTpdu(decodeTpdu(bytes, "ms-to-sc", { rpError: options.rpError }), errors);
      break;
    case "sms-deliver":
      value = describeTpdu(decodeTpdu(bytes, "sc-to-ms", { rpError: options.rpError }), errors);
      break;
    case "rp":
      value = describeRp(decodeRp(bytes), errors);
      break;
    case "smpp":
      value = describeSmpp(decodeSmppPdu(bytes));
      break;
    case "sip":
      value = describeSip(bytes, errors);
      break;
    default:
      throw new RangeError(`decodeKind(): unknown kind ${kind}`);
  }
  return { value, innerErrors: errors };
}
