/**
 * SMS-DELIVER-REPORT, TS 23.040 §9.2.2.1a (MS to SC), in its two forms:
 * for RP-ERROR (§9.2.2.1a.1: TP-MTI, TP-UDHI, TP-FCS, TP-PI, ...) and for
 * RP-ACK (§9.2.2.1a.2: the same without TP-FCS). TP-PI announces the
 * optional TP-PID, TP-DCS and TP-UDL/TP-UD.
 *
 * The form is told by the RP message that carries the TPDU; decoders take
 * `{ rpError }`, and without it the second octet decides as for
 * SMS-SUBMIT-REPORT (0x80 and above is TP-FCS).
 *
 * @module
 */

import { ByteReader, ByteWriter } from "../../lib/bytes.ts";
import { TP_MTI_SMS_DELIVER_REPORT, TP_UDHI, TPDU_PROTOCOL } from "./constants.ts";
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
import { isErrorForm, REPORT_RESERVED_MASK, type ReportOptions } from "./submit_report.ts";

/** A decoded SMS-DELIVER-REPORT, TS 23.040 §9.2.2.1a. */
export interface SmsDeliverReport extends OptionalParameters {
  type: "sms-deliver-report";
  /** TP-UDHI, TP-UD starts with a header, TS 23.040 §9.2.3.23. */
  udhi: boolean;
  /** Reserved first-octet bits as received, present only when set. */
  reservedBits?: number;
  /** TP-FCS, failure cause (see `TP_FCS_NAMES`), TS 23.040 §9.2.3.22; present only in the RP-ERROR form. */
  fcs?: number;
}

/**
 * Decodes an SMS-DELIVER-REPORT.
 *
 * @param bytes the TPDU (RP-User-Data of an RP-ACK or RP-ERROR from the MS)
 * @param options `{ rpError }`: which form; when absent, an octet 0x80 or above after the first is TP-FCS
 * @returns the decoded TPDU; `fcs` is present exactly in the RP-ERROR form
 * @throws {DecodeError} on a wrong TP-MTI, a missing TP-PI, truncation, TP-UDL beyond its maximum, or trailing octets
 */
export function decodeSmsDeliverReport(
  bytes: Uint8Array,
  options: ReportOptions = {},
): SmsDeliverReport {
  const r = new ByteReader(bytes, TPDU_PROTOCOL);
  const first = readFirstOctet(r, TP_MTI_SMS_DELIVER_REPORT, "SMS-DELIVER-REPORT");
  const udhi = (first & TP_UDHI) !== 0;
  const out: SmsDeliverReport = { type: "sms-deliver-report", udhi };
  const reservedBits = reservedOf(first, REPORT_RESERVED_MASK);
  if (reservedBits !== undefined) out.reservedBits = reservedBits;
  if (isErrorForm(bytes, options)) out.fcs = r.u8("TP-FCS");
  Object.assign(out, readPi(r));
  readParameters(r, out, udhi);
  expectEnd(r, "SMS-DELIVER-REPORT");
  return out;
}

/**
 * Encodes an SMS-DELIVER-REPORT: the RP-ERROR form when `fcs` is present,
 * else the RP-ACK form.
 *
 * @param v the TPDU value
 * @returns the TPDU octets
 * @throws {EncodeError} when TP-PI disagrees with the parameters present, or a field is out of range
 */
export function encodeSmsDeliverReport(v: SmsDeliverReport): Uint8Array {
  const w = new ByteWriter(TPDU_PROTOCOL, 16 + (v.ud?.length ?? 0));
  w.u8(
    TP_MTI_SMS_DELIVER_REPORT | bit(v.udhi, TP_UDHI) |
      ((v.reservedBits ?? 0) & REPORT_RESERVED_MASK),
    "TP-MTI",
  );
  if (v.fcs !== undefined) w.u8(checkOctet(v.fcs, "TP-FCS"), "TP-FCS");
  writePi(w, v, true);
  writeParameters(w, v);
  return w.finish();
}
