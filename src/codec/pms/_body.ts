/**
 * The fields of a PMS record: everything but checksum and version, which
 * `record.ts` handles. Private to the codec.
 *
 * Both directions work on the caller's bytes in place: the decoder reads the
 * record at `base` of the input without taking a view of it, and builds the
 * record object once, with its final values; the encoder writes into the new
 * 256-byte array. The user data is the one copy a decoded record owns.
 *
 * @module
 */

import { pooledBytes } from "../../lib/bytes.ts";
import type { EncodeError } from "../../lib/errors.ts";
import { decodeDcs, udlInSeptets } from "../tpdu/mod.ts";
import {
  allZero,
  checkUint,
  encodeFieldError,
  fieldError,
  namesByCode,
  readAddressField,
  readAscii,
  readTbcd,
  readU16,
  readU32,
  readU48,
  writeAddressField,
  writeAscii,
  writeTbcd,
  writeU16,
  writeU32,
  writeU48,
} from "./_fields.ts";
import {
  PMS_FIELD as F,
  PMS_FLAG_IMSI_ADDRESSED,
  PMS_FLAG_RD,
  PMS_FLAG_REPORT,
  PMS_FLAG_RP,
  PMS_FLAG_SRR,
  PMS_FLAG_UDHI,
  PMS_FLAGS_RESERVED,
  PMS_IMSI_BYTES,
  PMS_TIME_MS_MAX,
} from "./layout.ts";
import {
  CLASS_CODES,
  DEST_CLASSES,
  DISPOSITION_CODES,
  type PmsRecord,
  SOURCE_CLASSES,
  STATE_CODES,
} from "./types.ts";

// Field offsets, read once from the layout table.
const AT_STATE = F.state.offset;
const AT_SOURCE_CLASS = F.source_class.offset;
const AT_DEST_CLASS = F.dest_class.offset;
const AT_ENTRY_TIME = F.entry_time_ms.offset;
const AT_DISCHARGE_TIME = F.discharge_time_ms.offset;
const AT_EXPIRY_TIME = F.expiry_time_ms.offset;
const AT_VALIDITY = F.validity_s.offset;
const AT_DISPOSITION = F.disposition.offset;
const AT_ATTEMPTS = F.attempts.offset;
const AT_CAUSE = F.cause.offset;
const AT_FLAGS = F.flags.offset;
const AT_MR = F.tp_mr.offset;
const AT_PID = F.tp_pid.offset;
const AT_DCS = F.tp_dcs.offset;
const AT_ROUTED_DA = F.routed_da.offset;
const AT_SOURCE_PEER = F.source_peer.offset;
const AT_UDL = F.tp_udl.offset;
const AT_UD = F.tp_ud.offset;
const AT_DEST_INFO = F.dest_info.offset;

const UD_OCTETS_MAX = F.tp_ud.size;
const UDL_SEPTETS_MAX = 160;

/** Code-to-name tables; the class tables admit only sources or destinations. */
const STATE_OF = namesByCode(STATE_CODES);
const SOURCE_CLASS_OF = namesByCode(CLASS_CODES, SOURCE_CLASSES);
const DEST_CLASS_OF = namesByCode(CLASS_CODES, DEST_CLASSES);
const DISPOSITION_OF = namesByCode(DISPOSITION_CODES);

/** 1 where TP-UDL counts septets, by TP-DCS value (what `udlInSeptets` says). */
const UDL_IN_SEPTETS: Uint8Array = Uint8Array.from(
  { length: 256 },
  (_, dcs) => udlInSeptets(decodeDcs(dcs)) ? 1 : 0,
);

/** Octets of TP-UD that TP-UDL implies; `dcs` is an integer 0-255. */
function udOctets(udl: number, dcs: number): number {
  return UDL_IN_SEPTETS[dcs] === 1 ? Math.ceil((udl * 7) / 8) : udl;
}

/** Largest TP-UDL for `dcs`, an integer 0-255. */
function udlMax(dcs: number): number {
  return UDL_IN_SEPTETS[dcs] === 1 ? UDL_SEPTETS_MAX : UD_OCTETS_MAX;
}

/**
 * Writes every field but checksum and version into the zeroed 256 bytes `b`,
 * checking them in layout order except that the addresses come last.
 */
export function encodeBody(b: Uint8Array, rec: PmsRecord): void {
  encodeHeader(b, rec);
  checkUint("tp_mr", rec.mr, 255);
  b[AT_MR] = rec.mr;
  checkUint("tp_pid", rec.pid, 255);
  b[AT_PID] = rec.pid;
  checkUint("tp_dcs", rec.dcs, 255);
  b[AT_DCS] = rec.dcs;
  if (rec.routedDa !== null) {
    const r = rec.routedDa;
    checkUint("routed_da", r.ton, 7);
    checkUint("routed_da", r.npi, 15);
    b[AT_ROUTED_DA] = 0x80 | (r.ton << 4) | r.npi;
    writeTbcd(b, AT_ROUTED_DA + 1, F.routed_da.size - 1, r.digits, "routed_da");
  }
  writeAscii(b, AT_SOURCE_PEER, F.source_peer.size, rec.sourcePeer, "source_peer");
  checkUint("tp_udl", rec.udl, udlMax(rec.dcs));
  const octets = udOctets(rec.udl, rec.dcs);
  if (rec.ud.length !== octets) {
    throw encodeFieldError(
      "tp_ud",
      `${rec.ud.length} octets but TP-UDL ${rec.udl} implies ${octets}`,
    );
  }
  b[AT_UDL] = rec.udl;
  b.set(rec.ud, AT_UD);
  encodeDestInfo(b, rec);
  writeAddressField(b, "oa", rec.oa);
  if (rec.da !== null) writeAddressField(b, "da", rec.da);
}

function encodeHeader(b: Uint8Array, rec: PmsRecord): void {
  b[AT_STATE] = STATE_CODES[rec.state] ?? fail("state", rec.state);
  if (!SOURCE_CLASSES.includes(rec.sourceClass)) fail("source_class", rec.sourceClass);
  if (!DEST_CLASSES.includes(rec.destClass)) fail("dest_class", rec.destClass);
  b[AT_SOURCE_CLASS] = CLASS_CODES[rec.sourceClass];
  b[AT_DEST_CLASS] = CLASS_CODES[rec.destClass];
  checkUint("entry_time_ms", rec.entryTimeMs, PMS_TIME_MS_MAX);
  writeU48(b, AT_ENTRY_TIME, rec.entryTimeMs);
  checkUint("discharge_time_ms", rec.dischargeTimeMs, PMS_TIME_MS_MAX);
  writeU48(b, AT_DISCHARGE_TIME, rec.dischargeTimeMs);
  checkUint("expiry_time_ms", rec.expiryTimeMs, PMS_TIME_MS_MAX);
  writeU48(b, AT_EXPIRY_TIME, rec.expiryTimeMs);
  checkUint("validity_s", rec.validityS, 0xffffffff);
  writeU32(b, AT_VALIDITY, rec.validityS);
  const disposition = DISPOSITION_CODES[rec.disposition] ?? fail("disposition", rec.disposition);
  const active = rec.state === "active";
  if (active !== (disposition === 0) || active !== (rec.dischargeTimeMs === 0)) {
    throw encodeFieldError(
      "disposition",
      `state "${rec.state}" with disposition "${rec.disposition}" and discharge time ${rec.dischargeTimeMs}`,
    );
  }
  b[AT_DISPOSITION] = disposition;
  checkUint("attempts", rec.attempts, 255);
  b[AT_ATTEMPTS] = rec.attempts;
  checkUint("cause", rec.cause, 0xffff);
  writeU16(b, AT_CAUSE, rec.cause);
  b[AT_FLAGS] = (rec.rd ? PMS_FLAG_RD : 0) | (rec.srr ? PMS_FLAG_SRR : 0) |
    (rec.udhi ? PMS_FLAG_UDHI : 0) | (rec.rp ? PMS_FLAG_RP : 0) |
    (rec.imsiAddressed ? PMS_FLAG_IMSI_ADDRESSED : 0) | (rec.report ? PMS_FLAG_REPORT : 0);
}

function fail(name: "state" | "source_class" | "dest_class" | "disposition", v: unknown): never {
  throw encodeFieldError(name, `"${v}" is not a known value`);
}

/** `dest_info` is a union selected by the destination class (see the doc). */
function encodeDestInfo(b: Uint8Array, rec: PmsRecord): void {
  const dest = rec.destClass;
  // The members of the other classes must be empty, checked in this order.
  if (dest !== "gsm" && rec.destImsi !== "") throw destInfoError("destImsi", dest);
  if (dest !== "downstream" && rec.destPeer !== "") throw destInfoError("destPeer", dest);
  if (dest !== "upstream" && rec.destMessageId !== "") throw destInfoError("destMessageId", dest);
  if (dest === "gsm") writeTbcd(b, AT_DEST_INFO, PMS_IMSI_BYTES, rec.destImsi, "dest_info");
  if (dest === "downstream") writeAscii(b, AT_DEST_INFO, 16, rec.destPeer, "dest_info");
  if (dest === "upstream") {
    writeAscii(b, AT_DEST_INFO, F.dest_info.size, rec.destMessageId, "dest_info");
  }
}

function destInfoError(key: string, dest: string): EncodeError {
  return encodeFieldError("dest_info", `${key} must be "" for dest class "${dest}"`);
}

/**
 * Reads every field but checksum and version from the record at `base` of
 * `b` (the caller has checked that 256 bytes are there), in layout order
 * except that the addresses come last; the first invalid field is reported.
 */
export function decodeBody(b: Uint8Array, base: number): PmsRecord {
  const state = STATE_OF[b[base + AT_STATE]];
  if (state === undefined) {
    throw fieldError("state", base, `code ${b[base + AT_STATE]} is unknown`);
  }
  const sourceClass = SOURCE_CLASS_OF[b[base + AT_SOURCE_CLASS]];
  if (sourceClass === undefined) {
    throw fieldError("source_class", base, `code ${b[base + AT_SOURCE_CLASS]} is not a source`);
  }
  const destClass = DEST_CLASS_OF[b[base + AT_DEST_CLASS]];
  if (destClass === undefined) {
    throw fieldError("dest_class", base, `code ${b[base + AT_DEST_CLASS]} is not a destination`);
  }
  const disposition = DISPOSITION_OF[b[base + AT_DISPOSITION]];
  if (disposition === undefined) {
    throw fieldError("disposition", base, `code ${b[base + AT_DISPOSITION]} is unknown`);
  }
  const dischargeTimeMs = readU48(b, base + AT_DISCHARGE_TIME);
  const active = state === "active";
  if (active !== (disposition === "none") || active !== (dischargeTimeMs === 0)) {
    throw fieldError(
      "disposition",
      base,
      `state "${state}" with disposition "${disposition}" and discharge time ${dischargeTimeMs}`,
    );
  }
  const flags = b[base + AT_FLAGS];
  if (flags & PMS_FLAGS_RESERVED) {
    throw fieldError("flags", base, `reserved bits set in 0x${flags.toString(16)}`);
  }
  const dcs = b[base + AT_DCS];
  const udl = b[base + AT_UDL];
  if (udl > udlMax(dcs)) throw fieldError("tp_udl", base, `TP-UDL ${udl} exceeds ${udlMax(dcs)}`);
  const octets = udOctets(udl, dcs);
  if (!allZero(b, base + AT_UD + octets, UD_OCTETS_MAX - octets)) {
    throw fieldError("tp_ud", base, `bytes follow the ${octets} octets TP-UDL implies`);
  }
  const routedDa = decodeRouted(b, base);
  const sourcePeer = readAscii(b, base + AT_SOURCE_PEER, F.source_peer.size, "source_peer", base);
  const destInfo = decodeDestInfo(b, base, destClass);
  const oa = readAddressField(b, base, "oa", false)!;
  const da = readAddressField(b, base, "da", true);
  const rec: PmsRecord = {
    state,
    sourceClass,
    destClass,
    entryTimeMs: readU48(b, base + AT_ENTRY_TIME),
    dischargeTimeMs,
    expiryTimeMs: readU48(b, base + AT_EXPIRY_TIME),
    validityS: readU32(b, base + AT_VALIDITY),
    disposition,
    attempts: b[base + AT_ATTEMPTS],
    cause: readU16(b, base + AT_CAUSE),
    rd: (flags & PMS_FLAG_RD) !== 0,
    srr: (flags & PMS_FLAG_SRR) !== 0,
    udhi: (flags & PMS_FLAG_UDHI) !== 0,
    rp: (flags & PMS_FLAG_RP) !== 0,
    imsiAddressed: (flags & PMS_FLAG_IMSI_ADDRESSED) !== 0,
    mr: b[base + AT_MR],
    pid: b[base + AT_PID],
    dcs,
    oa,
    da,
    routedDa,
    sourcePeer,
    udl,
    // The one copy: callers keep the user data after the input is reused.
    ud: copyUd(b, base + AT_UD, octets),
    destImsi: destClass === "gsm" ? destInfo : "",
    destPeer: destClass === "downstream" ? destInfo : "",
    destMessageId: destClass === "upstream" ? destInfo : "",
  };
  // Set afterwards, not spread into the literal: a spread makes V8 build the
  // object property by property, for every record. Only reports carry it.
  if ((flags & PMS_FLAG_REPORT) !== 0) rec.report = true;
  return rec;
}

/** A copy of `octets` bytes at `at`, from the byte pool. */
function copyUd(b: Uint8Array, at: number, octets: number): Uint8Array {
  const ud = pooledBytes(octets);
  for (let i = 0; i < octets; i++) ud[i] = b[at + i];
  return ud;
}

function decodeRouted(b: Uint8Array, base: number): PmsRecord["routedDa"] {
  const at = base + AT_ROUTED_DA;
  if (allZero(b, at, F.routed_da.size)) return null;
  const toa = b[at];
  if ((toa & 0x80) === 0) throw fieldError("routed_da", base, "bit 7 of the type of address is 0");
  const digits = readTbcd(b, at + 1, F.routed_da.size - 1, "routed_da", base);
  return { ton: (toa >> 4) & 0x07, npi: toa & 0x0f, digits };
}

/** The string `dest_info` holds for `destClass` ("" for local). */
function decodeDestInfo(b: Uint8Array, base: number, destClass: string): string {
  const at = base + AT_DEST_INFO;
  const size = F.dest_info.size;
  let value = "";
  let used = 0;
  if (destClass === "gsm") {
    value = readTbcd(b, at, PMS_IMSI_BYTES, "dest_info", base);
    used = PMS_IMSI_BYTES;
  } else if (destClass === "downstream") {
    value = readAscii(b, at, 16, "dest_info", base);
    used = 16;
  } else if (destClass === "upstream") {
    value = readAscii(b, at, size, "dest_info", base);
    used = size;
  }
  if (!allZero(b, at + used, size - used)) {
    throw fieldError("dest_info", base, `bytes follow the part used by dest class "${destClass}"`);
  }
  return value;
}
