/**
 * SMS-SUBMIT, TS 23.040 §9.2.2.2 (MS to SC).
 *
 * First octet: TP-MTI (01), TP-RD, TP-VPF, TP-SRR, TP-UDHI, TP-RP; then
 * TP-MR, TP-DA, TP-PID, TP-DCS, TP-VP (0, 1 or 7 octets by TP-VPF), TP-UDL, TP-UD.
 *
 * @module
 */

import { ByteReader, ByteWriter } from "../../lib/bytes.ts";
import {
  TP_MTI_SMS_SUBMIT,
  TP_RD,
  TP_RP,
  TP_SRR,
  TP_UDHI,
  TP_VPF_MASK,
  TP_VPF_SHIFT,
  TPDU_PROTOCOL,
} from "./constants.ts";
import { readAddress, type TpAddress, writeAddress } from "./address.ts";
import { type Dcs, decodeDcs } from "./dcs.ts";
import { readValidity, type ValidityPeriod, vpfOf, writeValidity } from "./validity.ts";
import {
  bit,
  checkOctet,
  encodeError,
  expectEnd,
  readFirstOctet,
  readUserData,
  writeUserData,
} from "./_fields.ts";

/** A decoded SMS-SUBMIT, TS 23.040 §9.2.2.2. */
export interface SmsSubmit {
  type: "sms-submit";
  /** TP-RD, reject duplicates, TS 23.040 §9.2.3.25. */
  rd: boolean;
  /** TP-VPF, validity period format 0-3, TS 23.040 §9.2.3.3; must agree with `vp`. */
  vpf: number;
  /** TP-SRR, status report request, TS 23.040 §9.2.3.5. */
  srr: boolean;
  /** TP-UDHI, TP-UD starts with a header, TS 23.040 §9.2.3.23. */
  udhi: boolean;
  /** TP-RP, reply path, TS 23.040 §9.2.3.17. */
  rp: boolean;
  /** TP-MR, message reference 0-255, TS 23.040 §9.2.3.6. */
  mr: number;
  /** TP-DA, destination address, TS 23.040 §9.2.3.8. */
  da: TpAddress;
  /** TP-PID, protocol identifier octet, TS 23.040 §9.2.3.9. */
  pid: number;
  /** TP-DCS, data coding scheme, TS 23.040 §9.2.3.10 and TS 23.038 §4. */
  dcs: Dcs;
  /** TP-VP, validity period, TS 23.040 §9.2.3.12; absent when TP-VPF is 0. */
  vp?: ValidityPeriod;
  /** TP-UDL, user data length (septets or octets by TP-DCS), TS 23.040 §9.2.3.16. */
  udl: number;
  /** TP-UD, user data octets as sent (header included), TS 23.040 §9.2.3.24. */
  ud: Uint8Array;
}

/**
 * Decodes an SMS-SUBMIT.
 *
 * @param bytes the TPDU (RP-User-Data of an MO RP-DATA, or a PDU-mode string)
 * @returns the decoded TPDU
 * @throws {DecodeError} on a wrong TP-MTI, truncation, Address-Length over 20,
 *   TP-UDL beyond 160 septets / 140 octets, or octets after TP-UD
 *
 * @example
 * ```ts
 * import { decodeSmsSubmit } from "./sms_submit.ts";
 * import { fromHex } from "../../lib/bytes.ts";
 * const s = decodeSmsSubmit(fromHex("11000b916407281553f80000aa0ae8329bfd4697d9ec37"));
 * console.assert(s.da.digits === "46708251358");
 * ```
 */
export function decodeSmsSubmit(bytes: Uint8Array): SmsSubmit {
  const r = new ByteReader(bytes, TPDU_PROTOCOL);
  const first = readFirstOctet(r, TP_MTI_SMS_SUBMIT, "SMS-SUBMIT");
  const vpf = (first & TP_VPF_MASK) >> TP_VPF_SHIFT;
  const udhi = (first & TP_UDHI) !== 0;
  const mr = r.u8("TP-MR");
  const da = readAddress(r, "TP-DA");
  const pid = r.u8("TP-PID");
  const dcs = decodeDcs(r.u8("TP-DCS"));
  const vp = readValidity(r, vpf);
  const { udl, ud } = readUserData(r, dcs, udhi);
  expectEnd(r, "SMS-SUBMIT");
  const out: SmsSubmit = {
    type: "sms-submit",
    rd: (first & TP_RD) !== 0,
    vpf,
    srr: (first & TP_SRR) !== 0,
    udhi,
    rp: (first & TP_RP) !== 0,
    mr,
    da,
    pid,
    dcs,
    ...(vp === undefined ? {} : { vp }),
    udl,
    ud,
  };
  return out;
}

/**
 * Encodes an SMS-SUBMIT.
 *
 * @param v the TPDU value
 * @returns the TPDU octets
 * @throws {EncodeError} when TP-VPF disagrees with `vp`, TP-UDL disagrees with
 *   TP-UD and TP-DCS, or a field is out of range
 */
export function encodeSmsSubmit(v: SmsSubmit): Uint8Array {
  const vpf = vpfOf(v.vp);
  if (v.vpf !== undefined && v.vpf !== vpf) {
    throw encodeError(
      "TP-VPF",
      `Cannot encode TP-VPF: ${v.vpf} disagrees with TP-VP format ${vpf}`,
    );
  }
  const w = new ByteWriter(TPDU_PROTOCOL, 32 + (v.ud?.length ?? 0));
  w.u8(
    TP_MTI_SMS_SUBMIT | bit(v.rd, TP_RD) | (vpf << TP_VPF_SHIFT) | bit(v.srr, TP_SRR) |
      bit(v.udhi, TP_UDHI) | bit(v.rp, TP_RP),
    "TP-MTI",
  );
  w.u8(checkOctet(v.mr, "TP-MR"), "TP-MR");
  writeAddress(w, v.da, "TP-DA");
  w.u8(checkOctet(v.pid, "TP-PID"), "TP-PID");
  w.u8(checkOctet(v.dcs.raw, "TP-DCS"), "TP-DCS");
  writeValidity(w, v.vp);
  writeUserData(w, v.dcs, v.udl, v.ud);
  return w.finish();
}
