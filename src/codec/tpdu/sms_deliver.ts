/**
 * SMS-DELIVER, TS 23.040 §9.2.2.1 (SC to MS).
 *
 * First octet: TP-MTI (00), TP-MMS, TP-LP, (bit 4 reserved), TP-SRI, TP-UDHI,
 * TP-RP; then TP-OA, TP-PID, TP-DCS, TP-SCTS, TP-UDL, TP-UD.
 *
 * @module
 */

import { ByteReader, ByteWriter } from "../../lib/bytes.ts";
import {
  TP_LP,
  TP_MMS,
  TP_MTI_SMS_DELIVER,
  TP_RP,
  TP_SRI,
  TP_UDHI,
  TPDU_PROTOCOL,
} from "./constants.ts";
import { readAddress, type TpAddress, writeAddress } from "./address.ts";
import { type Dcs, decodeDcs } from "./dcs.ts";
import { readScts, type Scts, writeScts } from "./scts.ts";
import {
  bit,
  checkOctet,
  expectEnd,
  readFirstOctet,
  readUserData,
  reservedOf,
  writeUserData,
} from "./_fields.ts";

/** First-octet bits of SMS-DELIVER that TS 23.040 §9.2.2.1 leaves reserved (bit 4). */
const RESERVED_MASK = 0x10;

/** A decoded SMS-DELIVER, TS 23.040 §9.2.2.1. */
export interface SmsDeliver {
  type: "sms-deliver";
  /**
   * TP-MMS as the bit is sent, TS 23.040 §9.2.3.2: false (0) means more
   * messages are waiting in the SC, true (1) means no more are waiting.
   */
  mms: boolean;
  /** TP-LP, loop prevention, TS 23.040 §9.2.3.28. */
  lp: boolean;
  /** TP-SRI, a status report will be returned to the SME, TS 23.040 §9.2.3.4. */
  sri: boolean;
  /** TP-UDHI, TP-UD starts with a header, TS 23.040 §9.2.3.23. */
  udhi: boolean;
  /** TP-RP, reply path, TS 23.040 §9.2.3.17. */
  rp: boolean;
  /** Reserved first-octet bits as received (bit 4), present only when set. */
  reservedBits?: number;
  /** TP-OA, originating address, TS 23.040 §9.2.3.7. */
  oa: TpAddress;
  /** TP-PID, protocol identifier octet, TS 23.040 §9.2.3.9. */
  pid: number;
  /** TP-DCS, data coding scheme, TS 23.040 §9.2.3.10 and TS 23.038 §4. */
  dcs: Dcs;
  /** TP-SCTS, service centre time stamp, TS 23.040 §9.2.3.11. */
  scts: Scts;
  /** TP-UDL, user data length (septets or octets by TP-DCS), TS 23.040 §9.2.3.16. */
  udl: number;
  /** TP-UD, user data octets as sent (header included), TS 23.040 §9.2.3.24. */
  ud: Uint8Array;
}

/**
 * Decodes an SMS-DELIVER.
 *
 * @param bytes the TPDU (RP-User-Data of an MT RP-DATA, or a PDU-mode string without the SMSC part)
 * @returns the decoded TPDU
 * @throws {DecodeError} on a wrong TP-MTI, truncation, Address-Length over 20,
 *   TP-UDL beyond 160 septets / 140 octets, or octets after TP-UD
 *
 * @example
 * ```ts
 * import { decodeSmsDeliver } from "./sms_deliver.ts";
 * import { fromHex } from "../../lib/bytes.ts";
 * const d = decodeSmsDeliver(fromHex("040bc87238880900f10000993092516195800ae8329bfd4697d9ec37"));
 * console.assert(d.oa.digits === "27838890001" && d.udl === 10);
 * ```
 */
export function decodeSmsDeliver(bytes: Uint8Array): SmsDeliver {
  const r = new ByteReader(bytes, TPDU_PROTOCOL);
  const first = readFirstOctet(r, TP_MTI_SMS_DELIVER, "SMS-DELIVER");
  const udhi = (first & TP_UDHI) !== 0;
  const oa = readAddress(r, "TP-OA");
  const pid = r.u8("TP-PID");
  const dcs = decodeDcs(r.u8("TP-DCS"));
  const scts = readScts(r, "TP-SCTS");
  const { udl, ud } = readUserData(r, dcs, udhi);
  expectEnd(r, "SMS-DELIVER");
  const out: SmsDeliver = {
    type: "sms-deliver",
    mms: (first & TP_MMS) !== 0,
    lp: (first & TP_LP) !== 0,
    sri: (first & TP_SRI) !== 0,
    udhi,
    rp: (first & TP_RP) !== 0,
    oa,
    pid,
    dcs,
    scts,
    udl,
    ud,
  };
  const reservedBits = reservedOf(first, RESERVED_MASK);
  if (reservedBits !== undefined) out.reservedBits = reservedBits;
  return out;
}

/**
 * Encodes an SMS-DELIVER.
 *
 * @param v the TPDU value
 * @returns the TPDU octets
 * @throws {EncodeError} when TP-UDL disagrees with TP-UD and TP-DCS, or a field is out of range
 */
export function encodeSmsDeliver(v: SmsDeliver): Uint8Array {
  const w = new ByteWriter(TPDU_PROTOCOL, 32 + (v.ud?.length ?? 0));
  w.u8(
    TP_MTI_SMS_DELIVER | bit(v.mms, TP_MMS) | bit(v.lp, TP_LP) | bit(v.sri, TP_SRI) |
      bit(v.udhi, TP_UDHI) | bit(v.rp, TP_RP) | ((v.reservedBits ?? 0) & RESERVED_MASK),
    "TP-MTI",
  );
  writeAddress(w, v.oa, "TP-OA");
  w.u8(checkOctet(v.pid, "TP-PID"), "TP-PID");
  w.u8(checkOctet(v.dcs.raw, "TP-DCS"), "TP-DCS");
  writeScts(w, v.scts, "TP-SCTS");
  writeUserData(w, v.dcs, v.udl, v.ud);
  return w.finish();
}
