/**
 * PDUs and contexts for the tests of the SMPP mapping. Every PDU built here
 * goes through the SMPP codec once (encode, decode), so that tests see what
 * a transport would hand over.
 *
 * @module
 */

import {
  decodeSmppPdu,
  encodeSmppPdu,
  SMPP_COMMAND_IDS,
  type SmppCommandName,
  type SmppFields,
  type SmppPdu,
  type SmppTlv,
  smppTlvSpec,
} from "../codec/smpp/mod.ts";
import type { InCtx } from "./smpp_sm_types.ts";

/** A context of a downstream peer "acme" at 2024-03-01T12:00:00Z. */
export const CTX: InCtx = {
  sourceClass: "downstream",
  sourcePeer: "acme",
  concatRef: 0x2a,
  mr: 200,
  nowMs: Date.UTC(2024, 2, 1, 12, 0, 0),
};

/** The mandatory parameters of a plain submit_sm of "hello" (data_coding 0). */
export function smFields(over: SmppFields = {}): SmppFields {
  return {
    service_type: "",
    source_addr_ton: 1,
    source_addr_npi: 1,
    source_addr: "12125550100",
    dest_addr_ton: 1,
    dest_addr_npi: 1,
    destination_addr: "12125550101",
    esm_class: 0,
    protocol_id: 0,
    priority_flag: 0,
    schedule_delivery_time: "",
    validity_period: "",
    registered_delivery: 0,
    replace_if_present_flag: 0,
    data_coding: 0,
    sm_default_msg_id: 0,
    short_message: Uint8Array.from("hello", (c) => c.charCodeAt(0)),
    ...over,
  };
}

/** A TLV by its §5.3.2 name. */
export function tlv(name: string, value: SmppTlv["value"]): SmppTlv {
  return { tag: smppTlvSpec(name)!.tag, name, value };
}

/** A PDU through the codec: encoded, then decoded. */
export function pdu(command: SmppCommandName, fields: SmppFields, tlvs: SmppTlv[] = []): SmppPdu {
  const value: SmppPdu = {
    command,
    command_id: SMPP_COMMAND_IDS[command],
    command_status: 0,
    sequence_number: 1,
    fields,
    tlvs,
  };
  return decodeSmppPdu(encodeSmppPdu(value));
}

/** A submit_sm with `smFields(over)`. */
export function submitSm(over: SmppFields = {}, tlvs: SmppTlv[] = []): SmppPdu {
  return pdu("submit_sm", smFields(over), tlvs);
}

/** Octets of a string, one per char. */
export function octets(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}
