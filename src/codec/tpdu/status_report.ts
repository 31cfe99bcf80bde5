/**
 * SMS-STATUS-REPORT, TS 23.040 §9.2.2.3 (SC to MS).
 *
 * First octet: TP-MTI (10), TP-MMS, TP-LP, (bit 4 reserved), TP-SRQ,
 * TP-UDHI, (bit 7 reserved); then TP-MR, TP-RA, TP-SCTS, TP-DT, TP-ST and
 * optionally TP-PI with the TP-PID, TP-DCS, TP-UDL/TP-UD it announces.
 *
 * @module
 */

import { ByteReader, ByteWriter } from "../../lib/bytes.ts";
import {
  TP_LP,
  TP_MMS,
  TP_MTI_SMS_STATUS_REPORT,
  TP_SRQ,
  TP_ST_CLASSES,
  TP_ST_NAMES,
  TP_UDHI,
  TPDU_PROTOCOL,
  type TpStatusClass,
} from "./constants.ts";
import { readAddress, type TpAddress, writeAddress } from "./address.ts";
import { readScts, type Scts, writeScts } from "./scts.ts";
import {
  bit,
  checkOctet,
  expectEnd,
  type OptionalParameters,
  readFirstOctet,
  readOptional,
  reservedOf,
  writeOptional,
} from "./_fields.ts";

/** First-octet bits of SMS-STATUS-REPORT left reserved by TS 23.040 §9.2.2.3 (bits 4 and 7). */
const RESERVED_MASK = 0x90;

/** A decoded SMS-STATUS-REPORT, TS 23.040 §9.2.2.3. */
export interface SmsStatusReport extends OptionalParameters {
  type: "sms-status-report";
  /** TP-MMS as the bit is sent (false = more messages waiting), TS 23.040 §9.2.3.2. */
  mms: boolean;
  /** TP-LP, loop prevention, TS 23.040 §9.2.3.28. */
  lp: boolean;
  /** TP-SRQ: false = report of an SMS-SUBMIT, true = of an SMS-COMMAND, TS 23.040 §9.2.3.26. */
  srq: boolean;
  /** TP-UDHI, TP-UD starts with a header, TS 23.040 §9.2.3.23. */
  udhi: boolean;
  /** Reserved first-octet bits as received (bits 4, 7), present only when set. */
  reservedBits?: number;
  /** TP-MR of the SMS-SUBMIT or SMS-COMMAND reported on, TS 23.040 §9.2.3.6. */
  mr: number;
  /** TP-RA, recipient address, TS 23.040 §9.2.3.14. */
  ra: TpAddress;
  /** TP-SCTS of the message reported on, TS 23.040 §9.2.3.11. */
  scts: Scts;
  /** TP-DT, discharge time, TS 23.040 §9.2.3.13. */
  dt: Scts;
  /** TP-ST, status octet, TS 23.040 §9.2.3.15 (see `statusClass`, `TP_ST_NAMES`). */
  st: number;
}

/**
 * The class of a TP-ST value by its bits 6-5, TS 23.040 §9.2.3.15.
 * Values 0x80-0xFF are reserved; they are classed by the same bits and
 * `reserved` says so, so that a caller can treat them as it sees fit.
 *
 * @param st the TP-ST octet
 * @returns the class, the spec's name when it has one, and whether the value is reserved
 */
export function statusClass(
  st: number,
): { class: TpStatusClass; name?: string; reserved: boolean } {
  const cls = TP_ST_CLASSES[(st >> 5) & 0x03];
  const name = TP_ST_NAMES[st];
  const low = st & 0x1f;
  // Within each class, 0x10-0x1F are SC specific and the gaps below are reserved.
  const reserved = st > 0x7f || (name === undefined && low < 0x10);
  return name === undefined ? { class: cls, reserved } : { class: cls, name, reserved };
}

/**
 * Decodes an SMS-STATUS-REPORT.
 *
 * @param bytes the TPDU
 * @returns the decoded TPDU
 * @throws {DecodeError} on a wrong TP-MTI, truncation, TP-UDL beyond its
 *   maximum, or octets after the last field
 */
export function decodeSmsStatusReport(bytes: Uint8Array): SmsStatusReport {
  const r = new ByteReader(bytes, TPDU_PROTOCOL);
  const first = readFirstOctet(r, TP_MTI_SMS_STATUS_REPORT, "SMS-STATUS-REPORT");
  const udhi = (first & TP_UDHI) !== 0;
  const out: SmsStatusReport = {
    type: "sms-status-report",
    mms: (first & TP_MMS) !== 0,
    lp: (first & TP_LP) !== 0,
    srq: (first & TP_SRQ) !== 0,
    udhi,
    mr: r.u8("TP-MR"),
    ra: readAddress(r, "TP-RA"),
    scts: readScts(r, "TP-SCTS"),
    dt: readScts(r, "TP-DT"),
    st: r.u8("TP-ST"),
  };
  const reservedBits = reservedOf(first, RESERVED_MASK);
  if (reservedBits !== undefined) out.reservedBits = reservedBits;
  // TS 23.040 §9.2.2.3: TP-PI is optional; the TPDU may end after TP-ST.
  if (!r.done) Object.assign(out, readOptional(r, udhi));
  expectEnd(r, "SMS-STATUS-REPORT");
  return out;
}

/**
 * Encodes an SMS-STATUS-REPORT. TP-PI is written when `pi` is given or any
 * of TP-PID, TP-DCS, TP-UD is present.
 *
 * @param v the TPDU value
 * @returns the TPDU octets
 * @throws {EncodeError} when TP-PI disagrees with the parameters present, or a field is out of range
 */
export function encodeSmsStatusReport(v: SmsStatusReport): Uint8Array {
  const w = new ByteWriter(TPDU_PROTOCOL, 48 + (v.ud?.length ?? 0));
  w.u8(
    TP_MTI_SMS_STATUS_REPORT | bit(v.mms, TP_MMS) | bit(v.lp, TP_LP) | bit(v.srq, TP_SRQ) |
      bit(v.udhi, TP_UDHI) | ((v.reservedBits ?? 0) & RESERVED_MASK),
    "TP-MTI",
  );
  w.u8(checkOctet(v.mr, "TP-MR"), "TP-MR");
  writeAddress(w, v.ra, "TP-RA");
  writeScts(w, v.scts, "TP-SCTS");
  writeScts(w, v.dt, "TP-DT");
  w.u8(checkOctet(v.st, "TP-ST"), "TP-ST");
  writeOptional(w, v, false);
  return w.finish();
}
