/**
 * SMS-COMMAND, TS 23.040 §9.2.2.4 (MS to SC).
 *
 * First octet: TP-MTI (10), (bits 2-4 reserved), TP-SRR, TP-UDHI, (bit 7
 * reserved); then TP-MR, TP-PID, TP-CT, TP-MN, TP-DA, TP-CDL, TP-CD.
 *
 * @module
 */

import { ByteReader, ByteWriter } from "../../lib/bytes.ts";
import {
  TP_CD_OCTETS_MAX,
  TP_MTI_SMS_COMMAND,
  TP_SRR,
  TP_UDHI,
  TPDU_PROTOCOL,
} from "./constants.ts";
import { readAddress, type TpAddress, writeAddress } from "./address.ts";
import { bit, checkOctet, encodeError, expectEnd, readFirstOctet, reservedOf } from "./_fields.ts";

/** First-octet bits of SMS-COMMAND left reserved by TS 23.040 §9.2.2.4 (bits 2-4 and 7). */
const RESERVED_MASK = 0x9c;

/** A decoded SMS-COMMAND, TS 23.040 §9.2.2.4. */
export interface SmsCommand {
  type: "sms-command";
  /** TP-SRR, status report request, TS 23.040 §9.2.3.5. */
  srr: boolean;
  /** TP-UDHI, TP-CD starts with a header, TS 23.040 §9.2.3.23. */
  udhi: boolean;
  /** Reserved first-octet bits as received, present only when set. */
  reservedBits?: number;
  /** TP-MR of this command, TS 23.040 §9.2.3.6. */
  mr: number;
  /** TP-PID, TS 23.040 §9.2.3.9. */
  pid: number;
  /** TP-CT, command type (see `TP_CT_NAMES`), TS 23.040 §9.2.3.19. */
  ct: number;
  /** TP-MN, the TP-MR of the SMS-SUBMIT the command is about, TS 23.040 §9.2.3.18. */
  mn: number;
  /** TP-DA of the SMS-SUBMIT the command is about, TS 23.040 §9.2.3.8. */
  da: TpAddress;
  /** TP-CD, command data; TP-CDL is its length, TS 23.040 §9.2.3.20-21. */
  cd: Uint8Array;
}

/**
 * Decodes an SMS-COMMAND.
 *
 * @param bytes the TPDU
 * @returns the decoded TPDU
 * @throws {DecodeError} on a wrong TP-MTI, truncation, TP-CDL over 157, or trailing octets
 */
export function decodeSmsCommand(bytes: Uint8Array): SmsCommand {
  const r = new ByteReader(bytes, TPDU_PROTOCOL);
  const first = readFirstOctet(r, TP_MTI_SMS_COMMAND, "SMS-COMMAND");
  const out: SmsCommand = {
    type: "sms-command",
    srr: (first & TP_SRR) !== 0,
    udhi: (first & TP_UDHI) !== 0,
    mr: r.u8("TP-MR"),
    pid: r.u8("TP-PID"),
    ct: r.u8("TP-CT"),
    mn: r.u8("TP-MN"),
    da: readAddress(r, "TP-DA"),
    cd: new Uint8Array(),
  };
  const cdl = r.u8("TP-CDL");
  if (cdl > TP_CD_OCTETS_MAX) {
    throw r.error("TP-CDL", `Cannot decode TP-CDL: ${cdl} exceeds ${TP_CD_OCTETS_MAX} octets`);
  }
  out.cd = r.take(cdl, "TP-CD");
  expectEnd(r, "SMS-COMMAND");
  const reservedBits = reservedOf(first, RESERVED_MASK);
  if (reservedBits !== undefined) out.reservedBits = reservedBits;
  return out;
}

/**
 * Encodes an SMS-COMMAND.
 *
 * @param v the TPDU value
 * @returns the TPDU octets
 * @throws {EncodeError} when TP-CD exceeds 157 octets or a field is out of range
 */
export function encodeSmsCommand(v: SmsCommand): Uint8Array {
  if (!(v.cd instanceof Uint8Array) || v.cd.length > TP_CD_OCTETS_MAX) {
    throw encodeError("TP-CD", `Cannot encode TP-CD: more than ${TP_CD_OCTETS_MAX} octets`);
  }
  const w = new ByteWriter(TPDU_PROTOCOL, 24 + v.cd.length);
  w.u8(
    TP_MTI_SMS_COMMAND | bit(v.srr, TP_SRR) | bit(v.udhi, TP_UDHI) |
      ((v.reservedBits ?? 0) & RESERVED_MASK),
    "TP-MTI",
  );
  w.u8(checkOctet(v.mr, "TP-MR"), "TP-MR");
  w.u8(checkOctet(v.pid, "TP-PID"), "TP-PID");
  w.u8(checkOctet(v.ct, "TP-CT"), "TP-CT");
  w.u8(checkOctet(v.mn, "TP-MN"), "TP-MN");
  writeAddress(w, v.da, "TP-DA");
  w.u8(v.cd.length, "TP-CDL");
  w.bytes(v.cd);
  return w.finish();
}
