/**
 * SMPP 3.4 short-message PDUs to PMS records: submit_sm and submit_multi from
 * a downstream ESME, data_sm from either side, deliver_sm from the upstream.
 * Pure: time and the references come in `InCtx`.
 *
 * The records are skeletons as a submitter fills them (src/tools/submit_records.ts):
 * core stamps entry and expiry times, routes them and sets the destination
 * class (the "gsm" here is a placeholder).
 *
 * @module
 */

import type { PmsRecord } from "../codec/pms/mod.ts";
import type { TpAddress } from "../codec/tpdu/mod.ts";
import {
  decodeEsmClass,
  findSmppTlv,
  isEsmReceipt,
  SMPP_STATUS as S,
  smppDataCodingToTpDcs,
  type SmppFieldValue,
  type SmppPdu,
} from "../codec/smpp/mod.ts";
import { addressIn } from "./smpp_sm_address.ts";
import { cutBody, type Sar, splitBody, type UserDataPart } from "./smpp_sm_body.ts";
import { VALIDITY_S_MAX, validityIn } from "./smpp_sm_time.ts";
import { type InCtx, type InResult, reject, type SmppReject } from "./smpp_sm_types.ts";

const SM_COMMANDS: ReadonlySet<string> = new Set([
  "submit_sm",
  "deliver_sm",
  "data_sm",
  "submit_multi",
]);
const SAR_NAMES = ["sar_msg_ref_num", "sar_total_segments", "sar_segment_seqnum"] as const;
const NO_SAR = Object.freeze({ ok: true as const });
/** registered_delivery bits 1-0: SMSC delivery receipt (§5.2.17). */
const RECEIPT_BITS = 0x03;

function num(v: SmppFieldValue | undefined): number {
  return typeof v === "number" ? v : 0;
}

function str(v: SmppFieldValue | undefined): string {
  return typeof v === "string" ? v : "";
}

/** The TP fields that every part of one message shares. */
interface Shared {
  oa: TpAddress;
  da: TpAddress;
  validityS: number;
  srr: boolean;
  rp: boolean;
  pid: number;
  dcs: number;
  mrBase: number;
}

/**
 * Maps one short-message PDU to the records to submit to core: one, or one
 * per part when a long message is segmented. For submit_multi, call it once
 * per SME destination with `ctx.dest`.
 *
 * @param pdu a decoded submit_sm, submit_multi, data_sm or deliver_sm
 * @param ctx source, references and time; see `InCtx`
 * @returns `{ ok: true, records }` in part order, or the command_status to
 *   answer and a one-line reason (the table is in docs/smpp-mapping.md)
 */
export function smppToRecords(pdu: SmppPdu, ctx: InCtx): InResult {
  if (!SM_COMMANDS.has(pdu.command)) {
    return reject(S.ESME_RINVCMDID, `${pdu.command} carries no short message`);
  }
  const shared = sharedFields(pdu, ctx);
  if (!shared.ok) return shared;
  const f = pdu.fields;
  if (num(f.sm_default_msg_id) !== 0) {
    return reject(S.ESME_RINVDFTMSGID, "predefined messages (sm_default_msg_id) do not exist here");
  }
  const dc = smppDataCodingToTpDcs(num(f.data_coding), {
    reservedAsTpDcs: ctx.reservedAsTpDcs ?? false,
  });
  if (!dc.ok) return reject(dc.commandStatus, dc.reason);
  const octets = messageOctets(pdu);
  if (!octets.ok) return octets;
  const split = splitBody(octets.octets, decodeEsmClass(num(f.esm_class)).udhi, dc.form);
  if (!split.ok) return split;
  const sar = sarOf(pdu);
  if (!sar.ok) return sar;
  const cut = cutBody(split.body, ctx.concatRef, sar.sar);
  if (!cut.ok) return cut;
  const s = { ...shared.shared, dcs: dc.tpDcs };
  return { ok: true, records: cut.parts.map((p, i) => record(s, ctx, p, i)) };
}

function sharedFields(
  pdu: SmppPdu,
  ctx: InCtx,
): { ok: true; shared: Omit<Shared, "dcs"> } | SmppReject {
  const f = pdu.fields;
  const esm = num(f.esm_class);
  if (isEsmReceipt(esm)) {
    return reject(S.ESME_RINVESMCLASS, "a delivery receipt is not a short message");
  }
  const oa = addressIn(
    { ton: num(f.source_addr_ton), npi: num(f.source_addr_npi), addr: str(f.source_addr) },
    "source",
  );
  if (!oa.ok) return oa;
  if (pdu.command === "submit_multi" && ctx.dest === undefined) {
    return reject(S.ESME_RINVDSTADR, "submit_multi needs one destination from the caller");
  }
  const dest = ctx.dest ??
    { ton: num(f.dest_addr_ton), npi: num(f.dest_addr_npi), addr: str(f.destination_addr) };
  const da = addressIn(dest, "destination");
  if (!da.ok) return da;
  const validity = validityOf(pdu, ctx.nowMs);
  if (!validity.ok) return validity;
  const umr = findSmppTlv(pdu, "user_message_reference")?.value;
  return {
    ok: true,
    shared: {
      oa: oa.address,
      da: da.address,
      validityS: validity.validityS,
      // §5.2.17: 1 = receipt on success or failure, 2 = on failure only (kept as 1).
      srr: (num(f.registered_delivery) & RECEIPT_BITS) !== 0,
      rp: decodeEsmClass(esm).replyPath,
      pid: num(f.protocol_id),
      mrBase: typeof umr === "number" ? umr & 0xff : ctx.mr,
    },
  };
}

function validityOf(pdu: SmppPdu, nowMs: number) {
  const f = pdu.fields;
  if (str(f.schedule_delivery_time) !== "") {
    return reject(S.ESME_RINVSCHED, "scheduled delivery is not supported");
  }
  if (pdu.command === "data_sm") {
    // data_sm has no validity_period; qos_time_to_live (§5.3.2.9) is the same idea in seconds.
    const ttl = findSmppTlv(pdu, "qos_time_to_live")?.value;
    return {
      ok: true as const,
      validityS: typeof ttl === "number" ? Math.min(ttl, VALIDITY_S_MAX) : 0,
    };
  }
  return validityIn(str(f.validity_period), nowMs);
}

function messageOctets(pdu: SmppPdu): { ok: true; octets: Uint8Array } | SmppReject {
  const sm = pdu.fields.short_message;
  const short = sm instanceof Uint8Array ? sm : new Uint8Array(0);
  const payload = findSmppTlv(pdu, "message_payload")?.value;
  if (payload === undefined) return { ok: true, octets: short };
  // §5.3.2.32: "The short_message and message_payload fields must not be used simultaneously."
  if (short.length > 0) {
    return reject(S.ESME_RINVOPTPARAMVAL, "short_message and message_payload are both present");
  }
  return { ok: true, octets: payload instanceof Uint8Array ? payload : new Uint8Array(0) };
}

function sarOf(pdu: SmppPdu): { ok: true; sar?: Sar } | SmppReject {
  if (pdu.tlvs.length === 0) return NO_SAR;
  const values = SAR_NAMES.map((n) => findSmppTlv(pdu, n)?.value);
  const present = values.filter((v) => typeof v === "number").length;
  if (present === 0) return { ok: true };
  if (present < SAR_NAMES.length) {
    const missing = SAR_NAMES[values.findIndex((v) => typeof v !== "number")];
    // §5.3.2.22-24 are used together; §5.1.3 names the error "Expected Optional Parameter missing".
    return reject(S.ESME_RMISSINGOPTPARAM, `${missing} missing from the sar_* set`);
  }
  const [ref, total, seqnum] = values as number[];
  return { ok: true, sar: { ref, total, seqnum } };
}

function record(s: Shared, ctx: InCtx, p: UserDataPart, i: number): PmsRecord {
  return {
    state: "active",
    sourceClass: ctx.sourceClass,
    // A placeholder: core routes every SUBMIT and sets the class.
    destClass: "gsm",
    // Core stamps entry and expiry times.
    entryTimeMs: 0,
    dischargeTimeMs: 0,
    expiryTimeMs: 0,
    validityS: s.validityS,
    disposition: "none",
    attempts: 0,
    cause: 0,
    rd: false,
    srr: s.srr,
    udhi: p.udhi,
    rp: s.rp,
    imsiAddressed: false,
    // Each part its own TP-MR, as `smsc submit` does, so that one part can be named.
    mr: (s.mrBase + i) % 256,
    pid: s.pid,
    dcs: s.dcs,
    oa: { ...s.oa },
    da: { ...s.da },
    routedDa: null,
    sourcePeer: ctx.sourcePeer,
    udl: p.udl,
    ud: p.ud,
    destImsi: "",
    destPeer: "",
    destMessageId: "",
  };
}
