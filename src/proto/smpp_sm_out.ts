/**
 * PMS records to SMPP 3.4: a deliver_sm toward a downstream ESME, or a
 * submit_sm toward the upstream SMSC. The inverse of `smppToRecords` for
 * what the PDU carries: TP-UD (GSM 7 bit unpacked to one septet per octet,
 * the UDH raw), TP-DCS as data_coding, TP-PID, TP-UDHI, TP-RP, addresses,
 * and for submit_sm TP-SRR and the expiry time.
 *
 * @module
 */

import { DecodeError } from "../lib/errors.ts";
import type { PmsRecord } from "../codec/pms/mod.ts";
import {
  ESM_REPLY_PATH,
  ESM_UDHI,
  type SmppFields,
  tpDcsOctetForm,
  tpDcsToSmppDataCoding,
} from "../codec/smpp/mod.ts";
import { decodeUserData } from "../codec/tpdu/mod.ts";
import { addressOut, type SmppAddress } from "./smpp_sm_address.ts";
import { receiptParts } from "./smpp_sm_receipt.ts";
import { smppAbsoluteTime } from "./smpp_sm_time.ts";
import type { OutResult } from "./smpp_sm_types.ts";

type Fail = { ok: false; reason: string };

function fail(id: number, reason: string): Fail {
  return { ok: false, reason: `message ${id}: ${reason}` };
}

/**
 * Maps a record to the mandatory parameters and TLVs of a deliver_sm or
 * submit_sm. A report record becomes a delivery receipt deliver_sm.
 *
 * @param rec the record
 * @param id its message id, for the reasons
 * @param command "deliver_sm" (downlink) or "submit_sm" (uplink)
 * @returns `{ ok, fields, tlvs }`, or a reason when SMPP cannot carry the
 *   record (no destination, an alphabet or TP-DCS without data_coding, a
 *   malformed TP-UD, a report toward an SMSC)
 */
export function recordToSmpp(
  rec: PmsRecord,
  id: number,
  command: "deliver_sm" | "submit_sm",
): OutResult {
  if (rec.da === null) return fail(id, "an IMSI-addressed message has no SMPP destination");
  const source = addressOut(rec.oa);
  if (!source.ok) return fail(id, `source: ${source.reason}`);
  const dest = addressOut(rec.da);
  if (!dest.ok) return fail(id, `destination: ${dest.reason}`);
  if (rec.report) {
    // SMPP 3.4 §5.2.12 gives the receipt type to deliver_sm and data_sm only.
    if (command !== "deliver_sm") return fail(id, "a status report is not sent to an SMSC");
    const r = receiptParts(rec);
    if (!r.ok) return fail(id, r.reason);
    const fields = baseFields(source.address, dest.address);
    Object.assign(fields, { esm_class: r.esmClass, short_message: r.shortMessage });
    return { ok: true, fields, tlvs: r.tlvs };
  }
  const dc = tpDcsToSmppDataCoding(rec.dcs);
  if (!dc.ok) return fail(id, dc.reason);
  const sm = shortMessageOf(rec);
  if (!sm.ok) return fail(id, sm.reason);
  const fields = baseFields(source.address, dest.address);
  Object.assign(fields, {
    esm_class: (rec.udhi ? ESM_UDHI : 0) | (rec.rp ? ESM_REPLY_PATH : 0),
    protocol_id: rec.pid,
    data_coding: dc.dataCoding,
    short_message: sm.octets,
  });
  if (command === "submit_sm") {
    // §5.2.17 bits 1-0 = 1: a receipt on success or failure, which core needs for TP-SRR.
    fields.registered_delivery = rec.srr ? 1 : 0;
    // The upstream should stop trying when we would have expired the message.
    if (rec.expiryTimeMs > 0) fields.validity_period = smppAbsoluteTime(rec.expiryTimeMs);
  }
  return { ok: true, fields, tlvs: [] };
}

function baseFields(source: SmppAddress, dest: SmppAddress): SmppFields {
  return {
    service_type: "",
    source_addr_ton: source.ton,
    source_addr_npi: source.npi,
    source_addr: source.addr,
    dest_addr_ton: dest.ton,
    dest_addr_npi: dest.npi,
    destination_addr: dest.addr,
    esm_class: 0,
    protocol_id: 0,
    priority_flag: 0,
    schedule_delivery_time: "",
    validity_period: "",
    registered_delivery: 0,
    replace_if_present_flag: 0,
    data_coding: 0,
    sm_default_msg_id: 0,
    short_message: new Uint8Array(0),
  };
}

/** short_message: the raw UDH, then GSM 7-bit septets one per octet, or the octets as stored. */
function shortMessageOf(rec: PmsRecord): { ok: true; octets: Uint8Array } | Fail {
  const form = tpDcsOctetForm(rec.dcs);
  if (form === undefined) return { ok: false, reason: "TP-DCS is compressed or reserved" };
  if (form !== "gsm7-septets") return { ok: true, octets: rec.ud.slice() };
  let septets: Uint8Array;
  let udhOctets: number;
  try {
    ({ septets = new Uint8Array(0), udhOctets } = decodeUserData(
      rec.ud,
      rec.udl,
      rec.udhi,
      "gsm7",
    ));
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return { ok: false, reason: `TP-UD is malformed: ${e.message}` };
  }
  const out = new Uint8Array(udhOctets + septets.length);
  out.set(rec.ud.subarray(0, udhOctets));
  out.set(septets, udhOctets);
  return { ok: true, octets: out };
}
