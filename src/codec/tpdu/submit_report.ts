/**
 * SMS-SUBMIT-REPORT, TS 23.040 §9.2.2.2a (SC to MS), in its two forms:
 * for RP-ERROR (§9.2.2.2a.1: TP-MTI, TP-UDHI, TP-FCS, TP-PI, TP-SCTS, ...)
 * and for RP-ACK (§9.2.2.2a.2: the same without TP-FCS). TP-PI announces the
 * optional TP-PID, TP-DCS and TP-UDL/TP-UD.
 *
 * Which form a TPDU has is not written in it; it is told by the RP message
 * that carries it. Decoders take `{ rpError }`; when it is not given, the
 * second octet decides: 0x80 and above is TP-FCS (TS 23.040 §9.2.3.22 leaves
 * 0x00-0x7F reserved), below is TP-PI (whose bit 7, the extension bit, no
 * defined TP-PI uses yet).
 *
 * @module
 */

import { ByteReader, ByteWriter } from "../../lib/bytes.ts";
import { TP_MTI_SMS_SUBMIT_REPORT, TP_UDHI, TPDU_PROTOCOL } from "./constants.ts";
import { readScts, type Scts, writeScts } from "./scts.ts";
import {
  bit,
  checkOctet,
  expectEnd,
  type OptionalParameters,
  readFirstOctet,
  readParameters,
  readPi,
  reservedOf,
  writeParameters,
  writePi,
} from "./_fields.ts";

/** First-octet bits of the report TPDUs left reserved (bits 2-5 and 7), TS 23.040 §9.2.2.2a, §9.2.2.1a. */
export const REPORT_RESERVED_MASK = 0xbc;

/** Options of the report decoders. */
export interface ReportOptions {
  /** True for the RP-ERROR form (with TP-FCS), false for RP-ACK; undefined: tell by the second octet. */
  rpError?: boolean;
}

/** A decoded SMS-SUBMIT-REPORT, TS 23.040 §9.2.2.2a. */
export interface SmsSubmitReport extends OptionalParameters {
  type: "sms-submit-report";
  /** TP-UDHI, TP-UD starts with a header, TS 23.040 §9.2.3.23. */
  udhi: boolean;
  /** Reserved first-octet bits as received, present only when set. */
  reservedBits?: number;
  /** TP-FCS, failure cause (see `TP_FCS_NAMES`), TS 23.040 §9.2.3.22; present only in the RP-ERROR form. */
  fcs?: number;
  /** TP-SCTS: when the SC received the SMS-SUBMIT, TS 23.040 §9.2.3.11. */
  scts: Scts;
}

/** True when the report is the RP-ERROR form, by option or by the second octet. */
export function isErrorForm(bytes: Uint8Array, options: ReportOptions): boolean {
  if (options.rpError !== undefined) return options.rpError;
  return bytes.length > 1 && bytes[1] >= 0x80;
}

/**
 * Decodes an SMS-SUBMIT-REPORT.
 *
 * @param bytes the TPDU (RP-User-Data of an RP-ACK or RP-ERROR)
 * @param options `{ rpError }`: which form; see the module doc for the rule when absent
 * @returns the decoded TPDU; `fcs` is present exactly in the RP-ERROR form
 * @throws {DecodeError} on a wrong TP-MTI, truncation, TP-UDL beyond its maximum, or trailing octets
 */
export function decodeSmsSubmitReport(
  bytes: Uint8Array,
  options: ReportOptions = {},
): SmsSubmitReport {
  const r = new ByteReader(bytes, TPDU_PROTOCOL);
  const first = readFirstOctet(r, TP_MTI_SMS_SUBMIT_REPORT, "SMS-SUBMIT-REPORT");
  const udhi = (first & TP_UDHI) !== 0;
  const out: SmsSubmitReport = { type: "sms-submit-report", udhi } as SmsSubmitReport;
  const reservedBits = reservedOf(first, REPORT_RESERVED_MASK);
  if (reservedBits !== undefined) out.reservedBits = reservedBits;
  if (isErrorForm(bytes, options)) out.fcs = r.u8("TP-FCS");
  Object.assign(out, readPi(r));
  out.scts = readScts(r, "TP-SCTS");
  readParameters(r, out, udhi);
  expectEnd(r, "SMS-SUBMIT-REPORT");
  return out;
}

/**
 * Encodes an SMS-SUBMIT-REPORT: the RP-ERROR form when `fcs` is present,
 * else the RP-ACK form. TP-PI is derived from the parameters present when
 * `pi` is undefined.
 *
 * @param v the TPDU value
 * @returns the TPDU octets
 * @throws {EncodeError} when TP-PI disagrees with the parameters present, or a field is out of range
 */
export function encodeSmsSubmitReport(v: SmsSubmitReport): Uint8Array {
  const w = new ByteWriter(TPDU_PROTOCOL, 24 + (v.ud?.length ?? 0));
  w.u8(
    TP_MTI_SMS_SUBMIT_REPORT | bit(v.udhi, TP_UDHI) |
      ((v.reservedBits ?? 0) & REPORT_RESERVED_MASK),
    "TP-MTI",
  );
  if (v.fcs !== undefined) w.u8(checkOctet(v.fcs, "TP-FCS"), "TP-FCS");
  writePi(w, v, true);
  writeScts(w, v.scts, "TP-SCTS");
  writeParameters(w, v);
  return w.finish();
}
