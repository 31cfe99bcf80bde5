/**
 * The persistent message store record: one SM in 256 bytes, as written to
 * `pms.bin` by core, carried over the local socket, and read by `dump`. The
 * byte-level contract, with the recovery rules of the store, is
 * `docs/pms-format.md`; the layout table lives once in `layout.ts`.
 *
 * Pure: no I/O, no clock. Integers are big-endian. The checksum is CRC-32C over
 * bytes 4-255.
 *
 * Limits (what the decoder rejects, each as `DecodeError` naming the field):
 * - fewer than 256 bytes ("record"), a checksum mismatch ("checksum"), a
 *   version other than 1 ("version");
 * - unknown state, class or disposition codes; an active record with a
 *   disposition or a discharge time, a historical one without;
 * - reserved flag bits; TP-UDL above 160 septets / 140 octets; non-zero bytes
 *   after the user data, an address, a string or the used part of `dest_info`;
 * - digits other than 0-9 in the routed destination or the IMSI; peer names
 *   and message ids that are not printable ASCII.
 *
 * @example
 * ```ts
 * import { decodePmsRecord, encodePmsRecord, examplePmsRecord } from "./mod.ts";
 * const rec = examplePmsRecord();
 * rec.destImsi = "001010000000001";
 * const again = decodePmsRecord(encodePmsRecord(rec));
 * if (again.destImsi !== rec.destImsi) throw new Error("round trip");
 * ```
 *
 * @module
 */

export * from "./layout.ts";
export * from "./types.ts";
export { crc32c } from "./checksum.ts";
export {
  checkPmsRecord,
  decodePmsRecord,
  encodePmsRecord,
  isFreePmsRecord,
  peekEntryTimeMs,
  peekExpiryTimeMs,
  sealPmsRecord,
} from "./record.ts";
export { examplePmsRecord } from "./example.ts";
export * from "./report.ts";
