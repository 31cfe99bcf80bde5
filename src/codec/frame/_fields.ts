/**
 * Field readers and writers shared by the request and response bodies
 * (docs/socket-protocol.md §4.1). Private to codec/frame.
 *
 * @module
 */

import type { ByteReader, ByteWriter } from "../../lib/bytes.ts";
import { EncodeError } from "../../lib/errors.ts";
import {
  ADDRESS_DIGITS_MAX,
  ADDRESS_TEXT_MAX,
  FRAME_PROTOCOL,
  PMS_RECORD_BYTES,
  REASON_TEXT_BYTES_MAX,
  RECORD_INDEX_MAX,
  TARGET_CODE,
} from "./constants.ts";
import type { Reason } from "./reasons.ts";
import type { Failure, SmAddress, Target } from "./types.ts";

/** Printable ASCII, the alphabet of every free text on the socket. */
export const PRINTABLE = /^[\x20-\x7e]*$/;
/** Address digits, TS 23.040 §9.1.2.3 semi-octet alphabet. */
const ADDRESS_DIGITS = /^[0-9*#a-c]+$/;
const TWO_POW_32 = 0x1_0000_0000;

/** Builds an `EncodeError` for `field`. */
export function encodeError(field: string, message: string): EncodeError {
  return new EncodeError(`Cannot encode ${field}: ${message}`, { protocol: FRAME_PROTOCOL, field });
}

/** Writes a record index as u64. */
export function writeIndex(w: ByteWriter, index: number, field = "index"): void {
  if (!Number.isSafeInteger(index) || index < 0) {
    throw encodeError(field, `value ${index} is not an integer in 0-${RECORD_INDEX_MAX}`);
  }
  w.u32(Math.floor(index / TWO_POW_32), field);
  w.u32(index % TWO_POW_32, field);
}

/** Reads a u64 record index; rejects values beyond 2^53 - 1. */
export function readIndex(r: ByteReader, field = "index"): number {
  r.need(8, field);
  const at = r.offset;
  const hi = r.u32(field);
  const lo = r.u32(field);
  if (hi > Math.floor(RECORD_INDEX_MAX / TWO_POW_32)) {
    throw r.error(
      field,
      `Cannot decode ${field}: high word ${hi} exceeds 2^53 - 1 at offset ${at}`,
    );
  }
  return hi * TWO_POW_32 + lo;
}

/** Writes a u8-length-prefixed ASCII text checked against `pattern` and length bounds. */
export function writeText(
  w: ByteWriter,
  text: string,
  field: string,
  bounds: { min: number; max: number; pattern: RegExp },
): void {
  if (typeof text !== "string" || !bounds.pattern.test(text) || !PRINTABLE.test(text)) {
    throw encodeError(
      field,
      `value ${JSON.stringify(text)} has characters outside the allowed set`,
    );
  }
  if (text.length < bounds.min || text.length > bounds.max) {
    throw encodeError(field, `length ${text.length} is outside ${bounds.min}-${bounds.max}`);
  }
  w.u8(text.length, `${field} length`);
  for (let i = 0; i < text.length; i++) w.u8(text.charCodeAt(i), field);
}

/** Reads a u8-length-prefixed ASCII text checked against `pattern` and length bounds. */
export function readText(
  r: ByteReader,
  field: string,
  bounds: { min: number; max: number; pattern: RegExp },
): string {
  const length = r.u8(`${field} length`);
  if (length < bounds.min || length > bounds.max) {
    throw r.error(
      field,
      `Cannot decode ${field}: length ${length} is outside ${bounds.min}-${bounds.max}`,
    );
  }
  const bytes = r.take(length, field);
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  if (!PRINTABLE.test(text) || !bounds.pattern.test(text)) {
    throw r.error(field, `Cannot decode ${field}: characters outside the allowed set`);
  }
  return text;
}

const FREE_TEXT = { min: 0, max: REASON_TEXT_BYTES_MAX, pattern: PRINTABLE };

/** Writes u8-length-prefixed opaque bytes of at most `max`. */
export function writeBytes(w: ByteWriter, bytes: Uint8Array, field: string, max: number): void {
  if (!(bytes instanceof Uint8Array) || bytes.length > max) {
    throw encodeError(field, `length ${bytes?.length} exceeds ${max}`);
  }
  w.u8(bytes.length, `${field} length`);
  w.bytes(bytes);
}

/** Reads u8-length-prefixed opaque bytes of at most `max`. */
export function readBytes(r: ByteReader, field: string, max: number): Uint8Array {
  const length = r.u8(`${field} length`);
  if (length > max) {
    throw r.error(field, `Cannot decode ${field}: length ${length} exceeds ${max}`);
  }
  return r.take(length, field);
}

/** Writes a whole PMS record, which must be exactly 256 bytes. */
export function writeRecord(w: ByteWriter, record: Uint8Array): void {
  if (!(record instanceof Uint8Array) || record.length !== PMS_RECORD_BYTES) {
    throw encodeError("record", `length ${record?.length} is not ${PMS_RECORD_BYTES}`);
  }
  w.bytes(record);
}

/** Reads a whole PMS record (opaque, 256 bytes). */
export function readRecord(r: ByteReader): Uint8Array {
  return r.take(PMS_RECORD_BYTES, "record");
}

/** Writes a boolean octet (0 or 1). */
export function writeBool(w: ByteWriter, value: boolean, field: string): void {
  w.u8(value ? 1 : 0, field);
}

/** Reads a boolean octet; any value but 0 or 1 is malformed. */
export function readBool(r: ByteReader, field: string): boolean {
  const v = r.u8(field);
  if (v > 1) throw r.error(field, `Cannot decode ${field}: value ${v} is not 0 or 1`);
  return v === 1;
}

/** Writes a reason: u16 code (1-65535) and text. */
export function writeReason(w: ByteWriter, reason: Reason): void {
  if (!Number.isInteger(reason?.code) || reason.code < 1 || reason.code > 0xffff) {
    throw encodeError("reason code", `value ${reason?.code} is outside 1-65535`);
  }
  w.u16(reason.code, "reason code");
  writeText(w, reason.text, "reason text", FREE_TEXT);
}

/** Reads a reason: u16 code (0 is malformed) and text. */
export function readReason(r: ByteReader): Reason {
  const code = r.u16("reason code");
  if (code === 0) throw r.error("reason code", "Cannot decode reason code: value 0 is not sent");
  return { code, text: readText(r, "reason text", FREE_TEXT) };
}

/** Writes a failure: u32 cause and text. */
export function writeFailure(w: ByteWriter, failure: Failure): void {
  w.u32(failure.cause, "cause");
  writeText(w, failure.text, "failure text", FREE_TEXT);
}

/** Reads a failure: u32 cause and text. */
export function readFailure(r: ByteReader): Failure {
  const cause = r.u32("cause");
  return { cause, text: readText(r, "failure text", FREE_TEXT) };
}

function addressBounds(ton: number) {
  return ton === 5
    ? { min: 1, max: ADDRESS_TEXT_MAX, pattern: PRINTABLE }
    : { min: 1, max: ADDRESS_DIGITS_MAX, pattern: ADDRESS_DIGITS };
}

/** Writes an SM address: TON, NPI, u8-length value. */
export function writeAddress(w: ByteWriter, a: SmAddress, field: string): void {
  if (!Number.isInteger(a?.ton) || a.ton < 0 || a.ton > 7) {
    throw encodeError(`${field} TON`, `value ${a?.ton} is outside 0-7`);
  }
  if (!Number.isInteger(a.npi) || a.npi < 0 || a.npi > 15) {
    throw encodeError(`${field} NPI`, `value ${a.npi} is outside 0-15`);
  }
  w.u8(a.ton, `${field} TON`).u8(a.npi, `${field} NPI`);
  writeText(w, a.value, field, addressBounds(a.ton));
}

/** Reads an SM address. */
export function readAddress(r: ByteReader, field: string): SmAddress {
  const ton = r.u8(`${field} TON`);
  if (ton > 7) throw r.error(`${field} TON`, `Cannot decode ${field} TON: value ${ton} exceeds 7`);
  const npi = r.u8(`${field} NPI`);
  if (npi > 15) {
    throw r.error(`${field} NPI`, `Cannot decode ${field} NPI: value ${npi} exceeds 15`);
  }
  return { ton, npi, value: readText(r, field, addressBounds(ton)) };
}

/** Writes a CANCEL/CHANGE_SRR target. */
export function writeTarget(w: ByteWriter, t: Target): void {
  if (t?.by === "index") {
    w.u8(TARGET_CODE.index, "target form");
    writeIndex(w, t.index);
    return;
  }
  if (t?.by !== "oa-da-mr") {
    throw encodeError("target form", `value ${JSON.stringify(t)} is unknown`);
  }
  w.u8(TARGET_CODE["oa-da-mr"], "target form");
  writeAddress(w, t.oa, "OA");
  writeAddress(w, t.da, "DA");
  w.u8(t.mr, "MR");
}

/** Reads a CANCEL/CHANGE_SRR target. */
export function readTarget(r: ByteReader): Target {
  const form = r.u8("target form");
  if (form === TARGET_CODE.index) return { by: "index", index: readIndex(r) };
  if (form === TARGET_CODE["oa-da-mr"]) {
    const oa = readAddress(r, "OA");
    const da = readAddress(r, "DA");
    return { by: "oa-da-mr", oa, da, mr: r.u8("MR") };
  }
  throw r.error("target form", `Cannot decode target form: value ${form} is unknown`);
}
