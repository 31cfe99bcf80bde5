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

import { pooledBytes } from "../../lib/bytes.ts";
import { DecodeError } from "../../lib/errors.ts";
import { crc32c } from "./checksum.ts";
import { encodeFieldError, fieldError, readU32, readU48, writeU32 } from "./_fields.ts";
import { decodeBody, encodeBody } from "./_body.ts";
import {
  PMS_CHECKSUM_START,
  PMS_FIELD,
  PMS_FREE_BYTE,
  PMS_PROTOCOL,
  PMS_RECORD_BYTES,
  PMS_VERSION,
} from "./layout.ts";
import type { PmsRecord } from "./types.ts";

/**
 * Encodes a record into its 256 bytes, checksum included.
 *
 * @param rec the record
 * @returns a new 256-byte array; its bytes are its own, but it is a view of
 *   a shared slab (`byteOffset` may be non-zero; never transfer its `buffer`)
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
  const b = pooledBytes(PMS_RECORD_BYTES);
  b[PMS_FIELD.version.offset] = PMS_VERSION;
  encodeBody(b, rec);
  sealPmsRecord(b);
  return b;
}

/**
 * Decodes the record at `offset` of `bytes`.
 *
 * @param bytes the input; at least `offset + 256` bytes long
 * @param offset where the record starts (default 0)
 * @returns the record; it shares no memory with `bytes` (its `ud` is a copy,
 *   a view of a shared slab like the encoder's output)
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
  return decodeBody(bytes, offset);
}

/**
 * Tells whether the 256 bytes at `offset` are a free record (every byte
 * `PMS_FREE_BYTE`): space written ahead, not a record.
 *
 * @param bytes the input
 * @param offset where the record starts
 * @returns true only for a whole free record
 */
export function isFreePmsRecord(bytes: Uint8Array, offset = 0): boolean {
  if (offset < 0 || bytes.length - offset < PMS_RECORD_BYTES) return false;
  for (let i = offset; i < offset + PMS_RECORD_BYTES; i++) {
    if (bytes[i] !== PMS_FREE_BYTE) return false;
  }
  return true;
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
  const stored = readU32(bytes, offset);
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
  writeU32(record, 0, crc32c(record, PMS_CHECKSUM_START, PMS_RECORD_BYTES));
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
  return readU48(bytes, offset + PMS_FIELD.entry_time_ms.offset);
}

/**
 * Reads the expiry time of a record without checking it (a record the
 * caller encoded or verified itself).
 *
 * @param bytes the input
 * @param offset where the record starts
 * @returns expiry time, ms since the epoch
 */
export function peekExpiryTimeMs(bytes: Uint8Array, offset = 0): number {
  return readU48(bytes, offset + PMS_FIELD.expiry_time_ms.offset);
}

function hex8(v: number): string {
  return v.toString(16).padStart(8, "0");
}
