/**
 * Encoding and decoding of one 256-byte PMS record (layout in `layout.ts`,
 * contract in `docs/pms-format.md`). Pure: no I/O, no clock.
 *
 * The decoder checks the checksum first and the version second, so that no
 * field of a torn, corrupted or newer-format record is ever interpreted; then
 * it validates every field so that `encodePmsRecord(decodePmsRecord(b))` is
 * byte-identical to `b`.
 *
 * @module
 */

import { ByteReader } from "../../lib/bytes.ts";
import { DecodeError, EncodeError } from "../../lib/errors.ts";
import { readAddress, type TpAddress, writeAddressAt } from "../tpdu/mod.ts";
import { crc32c } from "./checksum.ts";
import { allZero, encodeFieldError, fieldError, readUint, writeUint } from "./_fields.ts";
import { decodeBody, encodeBody } from "./_body.ts";
import {
  PMS_CHECKSUM_START,
  PMS_FIELD,
  PMS_PROTOCOL,
  PMS_RECORD_BYTES,
  PMS_VERSION,
  type PmsFieldName,
} from "./layout.ts";
import type { PmsRecord } from "./types.ts";

/**
 * Encodes a record into its 256 bytes, checksum included.
 *
 * @param rec the record
 * @returns a new 256-byte array
 * @throws {EncodeError} naming the layout field of any value that does not fit
 * @example
 * ```ts
 * import { decodePmsRecord, encodePmsRecord, examplePmsRecord } from "./mod.ts";
 * const bytes = encodePmsRecord(examplePmsRecord());
 * if (bytes.length !== 256) throw new Error("size");
 * if (decodePmsRecord(bytes).mr !== 7) throw new Error("round trip");
 * ```
 */
export function encodePmsRecord(rec: PmsRecord): Uint8Array {
  const b = new Uint8Array(PMS_RECORD_BYTES);
  b[PMS_FIELD.version.offset] = PMS_VERSION;
  encodeBody(b, rec);
  writeAddressField(b, "oa", rec.oa);
  if (rec.da !== null) writeAddressField(b, "da", rec.da);
  sealPmsRecord(b);
  return b;
}

/**
 * Decodes the record at `offset` of `bytes`.
 *
 * @param bytes the input; at least `offset + 256` bytes long
 * @param offset where the record starts (default 0)
 * @returns the record
 * @throws {DecodeError} with `field` "record" when fewer than 256 bytes are
 *   present, "checksum" on a checksum mismatch (torn or corrupt), "version"
 *   for a version other than 1, or the layout name of any invalid field
 * @example
 * ```ts
 * import { decodePmsRecord } from "./mod.ts";
 * try {
 *   decodePmsRecord(new Uint8Array(256));
 *   throw new Error("a zeroed record must not decode");
 * } catch (e) {
 *   if ((e as { field?: string }).field !== "checksum") throw e;
 * }
 * ```
 */
export function decodePmsRecord(bytes: Uint8Array, offset = 0): PmsRecord {
  const fault = checkPmsRecord(bytes, offset);
  if (fault !== null) throw fault;
  const b = bytes.subarray(offset, offset + PMS_RECORD_BYTES);
  const rec = decodeBody(b, offset);
  rec.oa = readAddressField(b, "oa", offset, false) as TpAddress;
  rec.da = readAddressField(b, "da", offset, true);
  return rec;
}

/**
 * Checks the length, checksum and version of the record at `offset` without
 * decoding its fields: the fast path of the store's start-up scan.
 *
 * @param bytes the input
 * @param offset where the record starts
 * @returns null when the record may be decoded, else the `DecodeError`
 *   ("record", "checksum" or "version") that `decodePmsRecord` would throw
 */
export function checkPmsRecord(bytes: Uint8Array, offset = 0): DecodeError | null {
  if (!Number.isInteger(offset) || offset < 0 || bytes.length - offset < PMS_RECORD_BYTES) {
    return new DecodeError(
      `Cannot decode PMS record: needs ${PMS_RECORD_BYTES} bytes at offset ${offset} but ${
        Math.max(0, bytes.length - offset)
      } remain`,
      { protocol: PMS_PROTOCOL, field: "record", offset },
    );
  }
  const stored = readUint(bytes, offset, 4);
  const computed = crc32c(bytes, offset + PMS_CHECKSUM_START, offset + PMS_RECORD_BYTES);
  if (stored !== computed) {
    return fieldError(
      "checksum",
      offset,
      `stored 0x${hex8(stored)} but the bytes give 0x${hex8(computed)}`,
    );
  }
  const version = bytes[offset + PMS_FIELD.version.offset];
  if (version !== PMS_VERSION) {
    return fieldError("version", offset, `version ${version} is not ${PMS_VERSION}`);
  }
  return null;
}

/**
 * Recomputes and stores the checksum of a 256-byte record in place, after its
 * other bytes have been written.
 *
 * @param record exactly 256 bytes
 * @throws {EncodeError} when `record` is not 256 bytes long
 */
export function sealPmsRecord(record: Uint8Array): void {
  if (record.length !== PMS_RECORD_BYTES) {
    throw encodeFieldError("checksum", `record is ${record.length} bytes, not ${PMS_RECORD_BYTES}`);
  }
  writeUint(record, 0, 4, crc32c(record, PMS_CHECKSUM_START, PMS_RECORD_BYTES));
}

/**
 * Reads the entry time of a record without checking it; the caller has
 * checked the record (binary search over verified records).
 *
 * @param bytes the input
 * @param offset where the record starts
 * @returns entry time, ms since the epoch
 */
export function peekEntryTimeMs(bytes: Uint8Array, offset = 0): number {
  return readUint(bytes, offset + PMS_FIELD.entry_time_ms.offset, 6);
}

function hex8(v: number): string {
  return v.toString(16).padStart(8, "0");
}

function writeAddressField(b: Uint8Array, name: PmsFieldName, a: TpAddress): void {
  const f = PMS_FIELD[name];
  try {
    writeAddressAt(b, f.offset, a, name === "oa" ? "TP-OA" : "TP-DA", f.size);
  } catch (e) {
    if (e instanceof EncodeError) throw encodeFieldError(name, e.message);
    throw e;
  }
}

function readAddressField(
  b: Uint8Array,
  name: PmsFieldName,
  base: number,
  nullable: boolean,
): TpAddress | null {
  const f = PMS_FIELD[name];
  if (allZero(b, f.offset, f.size)) {
    if (nullable) return null;
    throw fieldError(name, base, "the address is missing");
  }
  const r = new ByteReader(b, PMS_PROTOCOL, f.offset, f.offset + f.size);
  let a: TpAddress;
  try {
    a = readAddress(r, name === "oa" ? "TP-OA" : "TP-DA");
  } catch (e) {
    if (e instanceof DecodeError) throw fieldError(name, base, e.message);
    throw e;
  }
  if (!allZero(b, r.offset, r.remaining)) throw fieldError(name, base, "bytes follow the address");
  return a;
}
