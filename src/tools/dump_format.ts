/**
 * The two output formats of `smsc dump`, one record per line each:
 *
 * - text: `key=value` pairs separated by one space, always in the same
 *   order, so that `grep`, `awk` and `cut` work and golden files stay stable.
 *   A value that is empty or holds a space, a quote, an `=` or a character
 *   outside printable ASCII is written as a JSON string; message text and
 *   alphanumeric addresses are always JSON strings.
 * - JSON lines: one object per record with the field names of docs/dump.md.
 *
 * Corrupt records and a torn tail get their own line in both formats, and
 * none of their fields is decoded (docs/pms-format.md, invariant 3).
 *
 * @module
 */

import type { DecodeError } from "../lib/errors.ts";
import type { PmsRecord, RoutedAddress } from "../codec/pms/mod.ts";
import { TON_ALPHANUMERIC, TON_INTERNATIONAL, type TpAddress } from "../codec/tpdu/mod.ts";
import { formatDumpTime } from "./dump_time.ts";
import type { ShownText } from "./dump_text.ts";

/** A torn tail as `PmsReader.openReport` describes it, with an absolute first id. */
export interface TornTail {
  id: number;
  records: number;
  bytes: number;
}

const BARE = /^[\x21-\x7e]+$/;

/** A text-format value: bare when safe, else a JSON string. */
function value(s: string): string {
  return BARE.test(s) && !s.includes('"') && !s.includes("=") ? s : JSON.stringify(s);
}

/** TS 23.040 §9.1.2.5 TON/NPI as text: "+" for international ISDN, else a suffix when unusual. */
function address(a: TpAddress | RoutedAddress | null): string {
  if (a === null) return "-";
  if (a.ton === TON_ALPHANUMERIC && "text" in a) return JSON.stringify(a.text ?? "");
  const digits = a.digits ?? "";
  if (a.ton === TON_INTERNATIONAL && a.npi === 1) return value(`+${digits}`);
  if (a.ton === 0 && a.npi === 1) return value(digits || "-");
  return value(`${digits || "-"};ton=${a.ton};npi=${a.npi}`);
}

function hex2(n: number): string {
  return "0x" + n.toString(16).padStart(2, "0");
}

function flagList(rec: PmsRecord): string {
  const set: string[] = [];
  if (rec.rd) set.push("rd");
  if (rec.srr) set.push("srr");
  if (rec.udhi) set.push("udhi");
  if (rec.rp) set.push("rp");
  if (rec.imsiAddressed) set.push("imsi");
  return set.length === 0 ? "-" : set.join(",");
}

function time(ms: number): string {
  return ms === 0 ? "-" : formatDumpTime(ms);
}

/** The destination details whose meaning depends on the class (`dest_info`). */
function destDetail(rec: PmsRecord): string {
  switch (rec.destClass) {
    case "gsm":
      return ` imsi=${value(rec.destImsi || "-")}`;
    case "downstream":
      return ` dst_peer=${value(rec.destPeer || "-")}`;
    case "upstream":
      return ` msgid=${value(rec.destMessageId || "-")}`;
    default:
      return "";
  }
}

/**
 * Formats a record as one text line (without the newline).
 *
 * @param id the absolute index (message id)
 * @param rec the record
 * @param shown the decoded user data, or undefined to keep the content hidden
 * @returns the line
 */
export function formatRecordText(id: number, rec: PmsRecord, shown?: ShownText): string {
  const srcPeer = rec.sourceClass === "downstream"
    ? ` src_peer=${value(rec.sourcePeer || "-")}`
    : "";
  let line = `id=${id} entry=${formatDumpTime(rec.entryTimeMs)} state=${rec.state}` +
    ` src=${rec.sourceClass}${srcPeer} oa=${address(rec.oa)}` +
    ` dst=${rec.destClass}${destDetail(rec)} da=${address(rec.da)} routed=${
      address(rec.routedDa)
    }` +
    ` mr=${rec.mr} pid=${hex2(rec.pid)} dcs=${hex2(rec.dcs)} flags=${
      flagList(rec)
    } udl=${rec.udl}` +
    ` disp=${rec.disposition} disch=${time(rec.dischargeTimeMs)} expiry=${time(rec.expiryTimeMs)}` +
    ` validity=${rec.validityS} attempts=${rec.attempts} cause=${rec.cause}`;
  if (shown === undefined) return line;
  line += ` alphabet=${shown.alphabet}`;
  if (shown.udh !== undefined) line += ` udh=${shown.udh}`;
  if (shown.concat !== undefined) {
    const c = shown.concat;
    line += ` concat=${c.reference}:${c.sequence}/${c.total}`;
  }
  if (shown.error !== undefined) line += ` text_error=${JSON.stringify(shown.error)}`;
  if (shown.text !== undefined) line += ` text=${JSON.stringify(shown.text)}`;
  if (shown.data !== undefined) line += ` data=${shown.data || '""'}`;
  return line;
}

function jsonAddress(a: TpAddress | null): Record<string, unknown> | null {
  if (a === null) return null;
  return a.ton === TON_ALPHANUMERIC
    ? { ton: a.ton, npi: a.npi, text: a.text ?? "" }
    : { ton: a.ton, npi: a.npi, digits: a.digits ?? "" };
}

/**
 * Formats a record as one JSON line (without the newline).
 *
 * @param id the absolute index (message id)
 * @param rec the record
 * @param shown the decoded user data, or undefined to keep the content hidden
 * @returns the line
 */
export function formatRecordJson(id: number, rec: PmsRecord, shown?: ShownText): string {
  const o: Record<string, unknown> = {
    id,
    entryTime: formatDumpTime(rec.entryTimeMs),
    state: rec.state,
    sourceClass: rec.sourceClass,
    sourcePeer: rec.sourcePeer,
    oa: jsonAddress(rec.oa),
    destClass: rec.destClass,
    destPeer: rec.destPeer,
    destImsi: rec.destImsi,
    destMessageId: rec.destMessageId,
    da: jsonAddress(rec.da),
    routedDa: rec.routedDa === null ? null : { ...rec.routedDa },
    mr: rec.mr,
    pid: rec.pid,
    dcs: rec.dcs,
    rd: rec.rd,
    srr: rec.srr,
    udhi: rec.udhi,
    rp: rec.rp,
    imsiAddressed: rec.imsiAddressed,
    udl: rec.udl,
    disposition: rec.disposition,
    dischargeTime: rec.dischargeTimeMs === 0 ? null : formatDumpTime(rec.dischargeTimeMs),
    expiryTime: formatDumpTime(rec.expiryTimeMs),
    validityS: rec.validityS,
    attempts: rec.attempts,
    cause: rec.cause,
  };
  if (shown !== undefined) Object.assign(o, shown);
  return JSON.stringify(o);
}

/**
 * Formats a record that failed its checksum, version or field checks.
 *
 * @param id the absolute index
 * @param fault why it cannot be used
 * @param json JSON line instead of text
 * @returns the line
 */
export function formatCorrupt(id: number, fault: DecodeError, json: boolean): string {
  const field = fault.field ?? "record";
  return json
    ? JSON.stringify({ id, corrupt: true, field, reason: fault.message })
    : `id=${id} corrupt field=${value(field)} reason=${JSON.stringify(fault.message)}`;
}

/**
 * Formats the torn tail: the unfinished last write, which core truncates at
 * its next start and whose records were never acknowledged.
 *
 * @param torn the first id, whole records and bytes of the tail
 * @param json JSON line instead of text
 * @returns the line
 */
export function formatTorn(torn: TornTail, json: boolean): string {
  return json
    ? JSON.stringify({ id: torn.id, torn: true, records: torn.records, bytes: torn.bytes })
    : `id=${torn.id} torn records=${torn.records} bytes=${torn.bytes}`;
}
