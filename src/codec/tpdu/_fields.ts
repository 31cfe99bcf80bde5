/**
 * Private helpers shared by the TPDU codecs: TP-MTI checks, TP-UDL/TP-UD,
 * the TP-PI block of the report TPDUs, and the end-of-TPDU check.
 *
 * @module
 */

import type { ByteReader, ByteWriter } from "../../lib/bytes.ts";
import { EncodeError } from "../../lib/errors.ts";
import {
  TP_MTI_MASK,
  TP_PI_DCS,
  TP_PI_EXTENSION,
  TP_PI_PID,
  TP_PI_UDL,
  TP_UD_OCTETS_MAX,
  TP_UDL_SEPTETS_MAX,
  TPDU_PROTOCOL,
} from "./constants.ts";
import { type Dcs, decodeDcs, udlInSeptets } from "./dcs.ts";

/** TP-FCS 0xB0 "TPDU not supported", the answer to a TPDU we cannot take, TS 23.040 §9.2.3.22. */
const FCS_TPDU_NOT_SUPPORTED = 0xb0;

/** Reads the first octet and checks TP-MTI. */
export function readFirstOctet(r: ByteReader, mti: number, name: string): number {
  const first = r.u8("TP-MTI");
  if ((first & TP_MTI_MASK) !== mti) {
    throw r.error(
      "TP-MTI",
      `Cannot decode ${name}: TP-MTI is ${first & TP_MTI_MASK}, not ${mti}`,
      FCS_TPDU_NOT_SUPPORTED,
    );
  }
  return first;
}

/** Throws unless the reader is at the end: a TPDU has no trailing octets. */
export function expectEnd(r: ByteReader, name: string): void {
  if (!r.done) {
    throw r.error("TP-UD", `Cannot decode ${name}: ${r.remaining} octets after the last field`);
  }
}

/** An EncodeError of this layer. */
export function encodeError(field: string, message: string): EncodeError {
  return new EncodeError(message, { protocol: TPDU_PROTOCOL, field });
}

/** Writes a boolean-or-undefined as a bit. */
export function bit(flag: boolean | undefined, mask: number): number {
  return flag ? mask : 0;
}

/** Checks an integer field before it goes on the wire. */
export function checkOctet(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 255) {
    throw encodeError(field, `Cannot encode ${field}: value ${value} is outside 0-255`);
  }
  return value;
}

/** Reserved first-octet bits: undefined when clear, so that values stay small. */
export function reservedOf(first: number, mask: number): number | undefined {
  return first & mask ? first & mask : undefined;
}

/** Number of TP-UD octets a TP-UDL means for a TP-DCS, TS 23.040 §9.2.3.16. */
export function udOctets(udl: number, dcs: Dcs): number {
  return udlInSeptets(dcs) ? Math.ceil((udl * 7) / 8) : udl;
}

/** Raw user data as carried in a TPDU: TP-UDL and exactly the TP-UD octets it covers. */
export interface RawUserData {
  /** TP-UDL, TS 23.040 §9.2.3.16: septets for GSM 7 bit, else octets. */
  udl: number;
  /** TP-UD, TS 23.040 §9.2.3.24, including the header when TP-UDHI is set. */
  ud: Uint8Array;
}

/**
 * Reads TP-UDL and TP-UD. Rejects a TP-UDL beyond 160 septets / 140 octets,
 * a TP-UD shorter than TP-UDL says, and a header longer than TP-UD.
 */
export function readUserData(r: ByteReader, dcs: Dcs, udhi: boolean): RawUserData {
  const udl = r.u8("TP-UDL");
  const septets = udlInSeptets(dcs);
  const max = septets ? TP_UDL_SEPTETS_MAX : TP_UD_OCTETS_MAX;
  if (udl > max) {
    throw r.error(
      "TP-UDL",
      `Cannot decode TP-UDL: ${udl} exceeds ${max} ${septets ? "septets" : "octets"}`,
    );
  }
  const ud = r.take(udOctets(udl, dcs), "TP-UD");
  // TS 23.040 §9.2.3.24: with TP-UDHI set, TP-UD starts with TP-UDHL and the
  // header, and both lie inside the octets TP-UDL covers.
  if (udhi && (ud.length === 0 || ud[0] + 1 > ud.length)) {
    throw r.error(
      "TP-UDHL",
      `Cannot decode TP-UDHL: header of ${ud[0] ?? 0} octets exceeds TP-UD of ${ud.length}`,
    );
  }
  return { udl, ud };
}

/** Writes TP-UDL and TP-UD after checking that they agree with TP-DCS. */
export function writeUserData(w: ByteWriter, dcs: Dcs, udl: number, ud: Uint8Array): void {
  const septets = udlInSeptets(dcs);
  const max = septets ? TP_UDL_SEPTETS_MAX : TP_UD_OCTETS_MAX;
  if (!Number.isInteger(udl) || udl < 0 || udl > max) {
    throw encodeError("TP-UDL", `Cannot encode TP-UDL: ${udl} is outside 0-${max}`);
  }
  if (!(ud instanceof Uint8Array) || ud.length !== udOctets(udl, dcs)) {
    throw encodeError(
      "TP-UD",
      `Cannot encode TP-UD: ${ud?.length} octets do not match TP-UDL ${udl} (${
        septets ? "septets" : "octets"
      })`,
    );
  }
  w.u8(udl, "TP-UDL");
  w.bytes(ud);
}

/** The optional tail of SMS-STATUS-REPORT and the report TPDUs, TS 23.040 §9.2.3.27. */
export interface OptionalParameters {
  /** TP-PI, TS 23.040 §9.2.3.27: the first parameter-indicator octet as sent (reserved bits kept). */
  pi?: number;
  /** Further TP-PI octets, present only when bit 7 (extension) of `pi` was set. */
  piExtension?: Uint8Array;
  /** TP-PID, TS 23.040 §9.2.3.9, when TP-PI bit 0 is set. */
  pid?: number;
  /** TP-DCS, TS 23.040 §9.2.3.10, when TP-PI bit 1 is set. */
  dcs?: Dcs;
  /** TP-UDL, when TP-PI bit 2 is set. */
  udl?: number;
  /** TP-UD, when TP-PI bit 2 is set. */
  ud?: Uint8Array;
}

/** Reads TP-PI and its extension octets, TS 23.040 §9.2.3.27. */
export function readPi(r: ByteReader): OptionalParameters {
  const out: OptionalParameters = {};
  const pi = r.u8("TP-PI");
  out.pi = pi;
  if (pi & TP_PI_EXTENSION) {
    // TS 23.040 §9.2.3.27: bit 7 set means another TP-PI octet follows; none
    // is defined yet, so they are kept as received and their bits ignored.
    const start = r.offset;
    while (r.u8("TP-PI") & TP_PI_EXTENSION) { /* up to the last extension octet */ }
    out.piExtension = r.bytes.slice(start, r.offset);
  }
  return out;
}

/** Reads the parameters that TP-PI announces into `out`. */
export function readParameters(r: ByteReader, out: OptionalParameters, udhi: boolean): void {
  const pi = out.pi ?? 0;
  if (pi & TP_PI_PID) out.pid = r.u8("TP-PID");
  if (pi & TP_PI_DCS) out.dcs = decodeDcs(r.u8("TP-DCS"));
  if (pi & TP_PI_UDL) {
    // TS 23.040 §9.2.3.27: without TP-DCS the default alphabet applies.
    const user = readUserData(r, out.dcs ?? decodeDcs(0), udhi);
    out.udl = user.udl;
    out.ud = user.ud;
  }
}

/** Reads TP-PI and the parameters it announces. */
export function readOptional(r: ByteReader, udhi: boolean): OptionalParameters {
  const out = readPi(r);
  readParameters(r, out, udhi);
  return out;
}

function hasUserData(p: OptionalParameters): boolean {
  return p.udl !== undefined || p.ud !== undefined;
}

/**
 * Writes TP-PI (and extension octets). When `pi` is undefined it is derived
 * from which parameters are present, and left out entirely when it is not
 * `mandatory` and nothing follows; when given it must agree.
 */
export function writePi(w: ByteWriter, p: OptionalParameters, mandatory: boolean): void {
  const wanted = bit(p.pid !== undefined, TP_PI_PID) | bit(p.dcs !== undefined, TP_PI_DCS) |
    bit(hasUserData(p), TP_PI_UDL);
  let pi = p.pi;
  if (pi === undefined) {
    if (!mandatory && wanted === 0) return;
    pi = wanted;
  }
  checkOctet(pi, "TP-PI");
  if ((pi & (TP_PI_PID | TP_PI_DCS | TP_PI_UDL)) !== wanted) {
    throw encodeError(
      "TP-PI",
      `Cannot encode TP-PI: 0x${pi.toString(16)} disagrees with the parameters present`,
    );
  }
  w.u8(pi, "TP-PI");
  if (pi & TP_PI_EXTENSION) {
    const ext = p.piExtension ?? new Uint8Array();
    const last = ext.length - 1;
    const ok = ext.length > 0 &&
      ext.every((b, i) => (b & TP_PI_EXTENSION) === (i < last ? TP_PI_EXTENSION : 0));
    if (!ok) {
      throw encodeError("TP-PI", "Cannot encode TP-PI: extension octets do not end the chain");
    }
    w.bytes(ext);
  } else if (p.piExtension !== undefined) {
    throw encodeError("TP-PI", "Cannot encode TP-PI: extension octets given without bit 7");
  }
}

/** Writes the parameters TP-PI announces. */
export function writeParameters(w: ByteWriter, p: OptionalParameters): void {
  if (p.pid !== undefined) w.u8(checkOctet(p.pid, "TP-PID"), "TP-PID");
  if (p.dcs !== undefined) w.u8(checkOctet(p.dcs.raw, "TP-DCS"), "TP-DCS");
  if (hasUserData(p)) {
    writeUserData(w, p.dcs ?? decodeDcs(0), p.udl ?? -1, p.ud ?? new Uint8Array());
  }
}

/** Writes TP-PI and the parameters it announces. */
export function writeOptional(w: ByteWriter, p: OptionalParameters, mandatory: boolean): void {
  writePi(w, p, mandatory);
  writeParameters(w, p);
}
