/**
 * From the parts of the FreeCalypso line language to whole TPDUs, as
 * `sms-gen-tpdu` does: one SMS-SUBMIT or SMS-DELIVER per `msg`/`msg-udh` line,
 * all sharing the header settings.
 *
 * @module
 */

import { DecodeError } from "../../lib/errors.ts";
import {
  decodeDcs,
  decodeScts,
  relativeVpToSeconds,
  type SmsDeliver,
  type SmsSubmit,
  TP_VPF_ABSOLUTE,
  TP_VPF_NONE,
  TP_VPF_RELATIVE,
  type ValidityPeriod,
} from "../tpdu/mod.ts";
import type { SmsLangDocument } from "./types.ts";

function missing(setting: string): DecodeError {
  return new DecodeError(`Cannot build TPDU: the input has no "${setting}" line`, {
    protocol: "sms-lang",
    field: setting,
  });
}

function validity(doc: SmsLangDocument): { vpf: number; vp?: ValidityPeriod } {
  const s = doc.settings;
  if (s.vpRelative !== undefined) {
    const value = s.vpRelative;
    return {
      vpf: TP_VPF_RELATIVE,
      vp: { format: "relative", value, seconds: relativeVpToSeconds(value) },
    };
  }
  if (s.vpAbsolute !== undefined) {
    return { vpf: TP_VPF_ABSOLUTE, vp: { format: "absolute", time: decodeScts(s.vpAbsolute)[0] } };
  }
  return { vpf: TP_VPF_NONE };
}

/**
 * Builds one SMS-SUBMIT per message line. Every segment carries the same TP-MR
 * (`mr`, default 0), as sms-gen-tpdu does; a submitter that needs distinct
 * references sets them afterwards.
 *
 * @param doc the parsed text
 * @returns the TPDUs, ready for `encodeSmsSubmit`
 * @throws {DecodeError} when `user-addr` or `dcs` is missing
 */
export function toSmsSubmits(doc: SmsLangDocument): SmsSubmit[] {
  const s = doc.settings;
  if (s.userAddr === undefined) throw missing("user-addr");
  if (s.dcs === undefined) throw missing("dcs");
  const dcs = decodeDcs(s.dcs);
  const { vpf, vp } = validity(doc);
  return doc.messages.map((m) => ({
    type: "sms-submit",
    rd: s.rd ?? false,
    vpf,
    srr: s.srr ?? false,
    udhi: m.udhi,
    rp: s.replyPath ?? false,
    mr: s.mr ?? 0,
    da: { ...s.userAddr! },
    pid: s.pid ?? 0,
    dcs,
    ...(vp ? { vp } : {}),
    udl: m.udl,
    ud: m.ud,
  }));
}

/**
 * Builds one SMS-DELIVER per message line, with TP-MMS set on all but the last
 * ("more messages to send"), as a service centre sends a concatenated message.
 *
 * @param doc the parsed text
 * @param sctsOctets TP-SCTS to use when the text has no `sc-ts` line (7 octets)
 * @returns the TPDUs, ready for `encodeSmsDeliver`
 * @throws {DecodeError} when `user-addr`, `dcs` or a time stamp is missing
 */
export function toSmsDelivers(doc: SmsLangDocument, sctsOctets?: Uint8Array): SmsDeliver[] {
  const s = doc.settings;
  if (s.userAddr === undefined) throw missing("user-addr");
  if (s.dcs === undefined) throw missing("dcs");
  const ts = s.scTs ?? sctsOctets;
  if (ts === undefined) throw missing("sc-ts");
  const scts = decodeScts(ts)[0];
  const dcs = decodeDcs(s.dcs);
  const last = doc.messages.length - 1;
  return doc.messages.map((m, i) => ({
    type: "sms-deliver",
    // TP-MMS is sent inverted: 0 means more messages are waiting, TS 23.040 §9.2.3.2;
    // an `mms` line says more are waiting for every segment.
    mms: s.mms ? false : i === last,
    lp: s.lp ?? false,
    sri: s.srr ?? false,
    udhi: m.udhi,
    rp: s.replyPath ?? false,
    oa: { ...s.userAddr! },
    pid: s.pid ?? 0,
    dcs,
    scts,
    udl: m.udl,
    ud: m.ud,
  }));
}
