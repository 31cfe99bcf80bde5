/**
 * Subscriber-side SM mapping (gsmif, issue #7): an MO SMS-SUBMIT to a PMS
 * record, and a record to the SMS-DELIVER or SMS-STATUS-REPORT that goes to
 * the handset (TS 23.040 §9.2.2). Pure: time is a parameter. TP-UD passes
 * through unchanged in both directions (a record holds the TPDU's TP-UD).
 *
 * @module
 */

import {
  decodeReportPayload,
  type Disposition,
  type PmsRecord,
  type StatusReport,
} from "../codec/pms/mod.ts";
import {
  decodeDcs,
  sctsFromEpochMs,
  sctsToEpochMs,
  type SmsDeliver,
  type SmsStatusReport,
  type SmsSubmit,
  type TpAddress,
} from "../codec/tpdu/mod.ts";

/** The largest validity a record keeps, in seconds. */
const VALIDITY_S_MAX = 2 ** 31 - 1;

/**
 * The validity period of an SMS-SUBMIT in seconds (0 when it gives none),
 * or undefined when it is an absolute time already past or an enhanced
 * format we cannot read.
 */
export function submitValidityS(submit: SmsSubmit, nowMs: number): number | undefined {
  const vp = submit.vp;
  if (vp === undefined) return 0;
  if (vp.format === "relative") return Math.min(VALIDITY_S_MAX, vp.seconds);
  if (vp.format === "absolute") {
    const s = Math.floor((sctsToEpochMs(vp.time) - nowMs) / 1000);
    return s >= 1 ? Math.min(VALIDITY_S_MAX, s) : undefined;
  }
  if (vp.kind === "none") return 0;
  return vp.seconds !== undefined && vp.seconds >= 1
    ? Math.min(VALIDITY_S_MAX, vp.seconds)
    : undefined;
}

/**
 * The record of an MO SMS-SUBMIT from an authenticated subscriber.
 *
 * @param submit the decoded TPDU
 * @param subscriber the subscriber's own number (never taken from the message)
 * @param validityS from `submitValidityS`
 * @returns a record for core's SUBMIT (core stamps times and routes it)
 */
export function submitToRecord(
  submit: SmsSubmit,
  subscriber: string,
  validityS: number,
): PmsRecord {
  return {
    state: "active",
    sourceClass: "gsm",
    destClass: "gsm",
    entryTimeMs: 0,
    dischargeTimeMs: 0,
    expiryTimeMs: 0,
    validityS,
    disposition: "none",
    attempts: 0,
    cause: 0,
    rd: submit.rd,
    srr: submit.srr,
    udhi: submit.udhi,
    rp: submit.rp,
    imsiAddressed: false,
    mr: submit.mr,
    pid: submit.pid,
    dcs: submit.dcs.raw,
    oa: { ton: 1, npi: 1, digits: subscriber },
    da: { ...withoutRaw(submit.da) },
    routedDa: null,
    sourcePeer: "",
    udl: submit.udl,
    ud: submit.ud,
    destImsi: "",
    destPeer: "",
    destMessageId: "",
  };
}

function withoutRaw(a: TpAddress): TpAddress {
  const { raw: _raw, ...rest } = a;
  return rest;
}

/** TP-ST for a status report by the original's disposition (TS 23.040 §9.2.3.15). */
export function tpStatusOf(disposition: Disposition): number {
  switch (disposition) {
    case "delivered":
    case "stored-only":
      return 0x00; // short message received by the SME
    case "expired":
      return 0x46; // validity period expired
    case "cancelled":
      return 0x48; // SM deleted by the SC administration
    default:
      return 0x40; // remote procedure error (a permanent failure at the destination)
  }
}

/**
 * What goes to the handset for a record: an SMS-DELIVER, or for a report
 * record (codec/pms/report.ts, kind status) an SMS-STATUS-REPORT.
 *
 * @param rec the record as core transferred it
 * @param moreWaiting whether more messages wait for this subscriber (TP-MMS)
 * @param tzQuarterHours the time zone of the time stamps
 */
export function recordToHandset(
  rec: PmsRecord,
  moreWaiting: boolean,
  tzQuarterHours = 0,
): SmsDeliver | SmsStatusReport {
  if (rec.report) {
    const p = decodeReportPayload(rec.ud);
    if (p.kind === "status") return statusReport(rec, p, moreWaiting, tzQuarterHours);
  }
  return {
    type: "sms-deliver",
    mms: !moreWaiting,
    lp: false,
    sri: false,
    udhi: rec.udhi,
    rp: rec.rp,
    oa: { ...rec.oa },
    pid: rec.pid,
    dcs: decodeDcs(rec.dcs),
    scts: sctsFromEpochMs(rec.entryTimeMs, tzQuarterHours),
    udl: rec.udl,
    ud: rec.ud,
  };
}

function statusReport(
  rec: PmsRecord,
  p: StatusReport,
  moreWaiting: boolean,
  tz: number,
): SmsStatusReport {
  return {
    type: "sms-status-report",
    mms: !moreWaiting,
    lp: false,
    srq: false,
    udhi: false,
    mr: p.originalMr,
    // The report comes from the recipient of the original (its TP-RA).
    ra: { ...rec.oa },
    scts: sctsFromEpochMs(p.originalEntryTimeMs, tz),
    dt: sctsFromEpochMs(p.dischargeTimeMs, tz),
    st: tpStatusOf(p.disposition),
  };
}
