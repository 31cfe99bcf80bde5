/**
 * The fixed-width fields of a PMS record (everything but checksum, version and
 * the two TP address fields, which `record.ts` handles). Private to the codec.
 *
 * @module
 */

import { decodeDcs, udlInSeptets } from "../tpdu/mod.ts";
import {
  allZero,
  checkUint,
  encodeFieldError,
  fieldError,
  nameOf,
  readAscii,
  readTbcd,
  readUint,
  writeAscii,
  writeTbcd,
  writeUint,
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
  type DestClass,
  DISPOSITION_CODES,
  type PmsRecord,
  SOURCE_CLASSES,
  type SourceClass,
  STATE_CODES,
} from "./types.ts";

const UD_OCTETS_MAX = F.tp_ud.size;
const UDL_SEPTETS_MAX = 160;

function udOctets(udl: number, dcs: number): number {
  return udlInSeptets(decodeDcs(dcs)) ? Math.ceil((udl * 7) / 8) : udl;
}

function udlMax(dcs: number): number {
  return udlInSeptets(decodeDcs(dcs)) ? UDL_SEPTETS_MAX : UD_OCTETS_MAX;
}

/** Writes every field but checksum, version, oa and da into `b`. */
export function encodeBody(b: Uint8Array, rec: PmsRecord): void {
  encodeHeader(b, rec);
  for (const [name, v] of [["tp_mr", rec.mr], ["tp_pid", rec.pid], ["tp_dcs", rec.dcs]] as const) {
    checkUint(name, v, 255);
    b[F[name].offset] = v;
  }
  if (rec.routedDa !== null) {
    const r = rec.routedDa;
    checkUint("routed_da", r.ton, 7);
    checkUint("routed_da", r.npi, 15);
    b[F.routed_da.offset] = 0x80 | (r.ton << 4) | r.npi;
    writeTbcd(b, F.routed_da.offset + 1, F.routed_da.size - 1, r.digits, "routed_da");
  }
  writeAscii(b, F.source_peer.offset, F.source_peer.size, rec.sourcePeer, "source_peer");
  checkUint("tp_udl", rec.udl, udlMax(rec.dcs));
  const octets = udOctets(rec.udl, rec.dcs);
  if (rec.ud.length !== octets) {
    throw encodeFieldError(
      "tp_ud",
      `${rec.ud.length} octets but TP-UDL ${rec.udl} implies ${octets}`,
    );
  }
  b[F.tp_udl.offset] = rec.udl;
  b.set(rec.ud, F.tp_ud.offset);
  encodeDestInfo(b, rec);
}

function encodeHeader(b: Uint8Array, rec: PmsRecord): void {
  b[F.state.offset] = STATE_CODES[rec.state] ?? fail("state", rec.state);
  if (!SOURCE_CLASSES.includes(rec.sourceClass)) fail("source_class", rec.sourceClass);
  if (!DEST_CLASSES.includes(rec.destClass)) fail("dest_class", rec.destClass);
  b[F.source_class.offset] = CLASS_CODES[rec.sourceClass];
  b[F.dest_class.offset] = CLASS_CODES[rec.destClass];
  const times = [
    ["entry_time_ms", rec.entryTimeMs],
    ["discharge_time_ms", rec.dischargeTimeMs],
    ["expiry_time_ms", rec.expiryTimeMs],
  ] as const;
  for (const [name, v] of times) {
    checkUint(name, v, PMS_TIME_MS_MAX);
    writeUint(b, F[name].offset, 6, v);
  }
  checkUint("validity_s", rec.validityS, 0xffffffff);
  writeUint(b, F.validity_s.offset, 4, rec.validityS);
  const disposition = DISPOSITION_CODES[rec.disposition] ?? fail("disposition", rec.disposition);
  const active = rec.state === "active";
  if (active !== (disposition === 0) || active !== (rec.dischargeTimeMs === 0)) {
    throw encodeFieldError(
      "disposition",
      `state "${rec.state}" with disposition "${rec.disposition}" and discharge time ${rec.dischargeTimeMs}`,
    );
  }
  b[F.disposition.offset] = disposition;
  checkUint("attempts", rec.attempts, 255);
  b[F.attempts.offset] = rec.attempts;
  checkUint("cause", rec.cause, 0xffff);
  writeUint(b, F.cause.offset, 2, rec.cause);
  b[F.flags.offset] = (rec.rd ? PMS_FLAG_RD : 0) | (rec.srr ? PMS_FLAG_SRR : 0) |
    (rec.udhi ? PMS_FLAG_UDHI : 0) | (rec.rp ? PMS_FLAG_RP : 0) |
    (rec.imsiAddressed ? PMS_FLAG_IMSI_ADDRESSED : 0) | (rec.report ? PMS_FLAG_REPORT : 0);
}

function fail(name: "state" | "source_class" | "dest_class" | "disposition", v: unknown): never {
  throw encodeFieldError(name, `"${v}" is not a known value`);
}

/** `dest_info` is a union selected by the destination class (see the doc). */
function encodeDestInfo(b: Uint8Array, rec: PmsRecord): void {
  const at = F.dest_info.offset;
  const others: [string, string][] = [
    ["destImsi", rec.destImsi],
    ["destPeer", rec.destPeer],
    ["destMessageId", rec.destMessageId],
  ];
  const own = { gsm: "destImsi", downstream: "destPeer", upstream: "destMessageId", local: "" }[
    rec.destClass
  ];
  for (const [key, value] of others) {
    if (key !== own && value !== "") {
      throw encodeFieldError("dest_info", `${key} must be "" for dest class "${rec.destClass}"`);
    }
  }
  if (rec.destClass === "gsm") writeTbcd(b, at, PMS_IMSI_BYTES, rec.destImsi, "dest_info");
  if (rec.destClass === "downstream") writeAscii(b, at, 16, rec.destPeer, "dest_info");
  if (rec.destClass === "upstream") {
    writeAscii(b, at, F.dest_info.size, rec.destMessageId, "dest_info");
  }
}

/**
 * Reads every field but checksum, version, oa and da from the 256 bytes `b`;
 * `base` is their offset in the caller's input, for errors. The caller fills
 * in `oa` and `da`.
 */
export function decodeBody(b: Uint8Array, base: number): PmsRecord {
  const state = nameOf(STATE_CODES, b[F.state.offset]);
  if (state === undefined) throw fieldError("state", base, `code ${b[F.state.offset]} is unknown`);
  const sourceClass = nameOf(CLASS_CODES, b[F.source_class.offset]) as SourceClass | undefined;
  if (sourceClass === undefined || !SOURCE_CLASSES.includes(sourceClass)) {
    throw fieldError("source_class", base, `code ${b[F.source_class.offset]} is not a source`);
  }
  const destClass = nameOf(CLASS_CODES, b[F.dest_class.offset]) as DestClass | undefined;
  if (destClass === undefined || !DEST_CLASSES.includes(destClass)) {
    throw fieldError("dest_class", base, `code ${b[F.dest_class.offset]} is not a destination`);
  }
  const disposition = nameOf(DISPOSITION_CODES, b[F.disposition.offset]);
  if (disposition === undefined) {
    throw fieldError("disposition", base, `code ${b[F.disposition.offset]} is unknown`);
  }
  const dischargeTimeMs = readUint(b, F.discharge_time_ms.offset, 6);
  const active = state === "active";
  if (active !== (disposition === "none") || active !== (dischargeTimeMs === 0)) {
    throw fieldError(
      "disposition",
      base,
      `state "${state}" with disposition "${disposition}" and discharge time ${dischargeTimeMs}`,
    );
  }
  const flags = b[F.flags.offset];
  if (flags & PMS_FLAGS_RESERVED) {
    throw fieldError("flags", base, `reserved bits set in 0x${flags.toString(16)}`);
  }
  const dcs = b[F.tp_dcs.offset];
  const udl = b[F.tp_udl.offset];
  if (udl > udlMax(dcs)) throw fieldError("tp_udl", base, `TP-UDL ${udl} exceeds ${udlMax(dcs)}`);
  const octets = udOctets(udl, dcs);
  if (!allZero(b, F.tp_ud.offset + octets, UD_OCTETS_MAX - octets)) {
    throw fieldError("tp_ud", base, `bytes follow the ${octets} octets TP-UDL implies`);
  }
  const rec: PmsRecord = {
    state,
    sourceClass,
    destClass,
    entryTimeMs: readUint(b, F.entry_time_ms.offset, 6),
    dischargeTimeMs,
    expiryTimeMs: readUint(b, F.expiry_time_ms.offset, 6),
    validityS: readUint(b, F.validity_s.offset, 4),
    disposition,
    attempts: b[F.attempts.offset],
    cause: readUint(b, F.cause.offset, 2),
    rd: (flags & PMS_FLAG_RD) !== 0,
    srr: (flags & PMS_FLAG_SRR) !== 0,
    udhi: (flags & PMS_FLAG_UDHI) !== 0,
    rp: (flags & PMS_FLAG_RP) !== 0,
    imsiAddressed: (flags & PMS_FLAG_IMSI_ADDRESSED) !== 0,
    ...((flags & PMS_FLAG_REPORT) !== 0 ? { report: true as const } : {}),
    mr: b[F.tp_mr.offset],
    pid: b[F.tp_pid.offset],
    dcs,
    oa: { ton: 0, npi: 0 },
    da: null,
    routedDa: decodeRouted(b, base),
    sourcePeer: readAscii(b, F.source_peer.offset, F.source_peer.size, "source_peer", base),
    udl,
    ud: b.slice(F.tp_ud.offset, F.tp_ud.offset + octets),
    destImsi: "",
    destPeer: "",
    destMessageId: "",
  };
  decodeDestInfo(b, base, rec);
  return rec;
}

function decodeRouted(b: Uint8Array, base: number): PmsRecord["routedDa"] {
  const f = F.routed_da;
  if (allZero(b, f.offset, f.size)) return null;
  const toa = b[f.offset];
  if ((toa & 0x80) === 0) throw fieldError("routed_da", base, "bit 7 of the type of address is 0");
  const digits = readTbcd(b, f.offset + 1, f.size - 1, "routed_da", base);
  return { ton: (toa >> 4) & 0x07, npi: toa & 0x0f, digits };
}

function decodeDestInfo(b: Uint8Array, base: number, rec: PmsRecord): void {
  const f = F.dest_info;
  let used = 0;
  if (rec.destClass === "gsm") {
    rec.destImsi = readTbcd(b, f.offset, PMS_IMSI_BYTES, "dest_info", base);
    used = PMS_IMSI_BYTES;
  } else if (rec.destClass === "downstream") {
    rec.destPeer = readAscii(b, f.offset, 16, "dest_info", base);
    used = 16;
  } else if (rec.destClass === "upstream") {
    rec.destMessageId = readAscii(b, f.offset, f.size, "dest_info", base);
    used = f.size;
  }
  if (!allZero(b, f.offset + used, f.size - used)) {
    throw fieldError(
      "dest_info",
      base,
      `bytes follow the part used by dest class "${rec.destClass}"`,
    );
  }
}
