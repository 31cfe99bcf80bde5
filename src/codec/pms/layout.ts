/**
 * The byte layout of one PMS record, declared once (STYLE.md §6). Every other
 * piece of code, the tests and `docs/pms-format.md` derive from this table; a
 * test checks that it tiles 256 bytes without a gap or an overlap and that the
 * doc's OFFSET | SIZE | FIELD table matches it row for row.
 *
 * Multi-byte integers are big-endian (network order), like every other codec
 * of the project.
 *
 * @module
 */

/** The size of one record; a power of two so a MiB holds exactly 4096. */
export const PMS_RECORD_BYTES = 256;

/** Records per MiB (2^20 / 256), the unit of `historical-mb`. */
export const PMS_RECORDS_PER_MB = 4096;

/**
 * Every byte of a free record: space the writer has written ahead of its
 * records so that appending does not grow the file (docs/pms-format.md,
 * "Space written ahead"). Never a record: its checksum and version fail.
 */
export const PMS_FREE_BYTE = 0xff;

/**
 * The most free records a writer writes ahead at once (1 MiB); it writes more
 * only when less than half of that is left after its records.
 */
export const PMS_AHEAD_RECORDS_MAX = PMS_RECORDS_PER_MB;

/**
 * The most free records a writer keeps after its last record (2 MiB; it
 * keeps less than 1.5 times `PMS_AHEAD_RECORDS_MAX`). Readers accept this
 * much free space after the last good record, plus one batch whose records
 * never reached the disk; more is damage.
 */
export const PMS_FREE_RECORDS_MAX = 2 * PMS_RECORDS_PER_MB;

/** The only format version this code writes; decoders reject any other. */
export const PMS_VERSION = 1;

/** Protocol name carried by `DecodeError`/`EncodeError` from this codec. */
export const PMS_PROTOCOL = "pms";

/** One row of the layout: a named byte range of the record. */
export interface PmsField {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
}

/** The record layout, in offset order. Names are those of the doc table. */
export const PMS_LAYOUT = [
  { name: "checksum", offset: 0, size: 4 },
  { name: "version", offset: 4, size: 1 },
  { name: "state", offset: 5, size: 1 },
  { name: "source_class", offset: 6, size: 1 },
  { name: "dest_class", offset: 7, size: 1 },
  { name: "entry_time_ms", offset: 8, size: 6 },
  { name: "discharge_time_ms", offset: 14, size: 6 },
  { name: "expiry_time_ms", offset: 20, size: 6 },
  { name: "validity_s", offset: 26, size: 4 },
  { name: "disposition", offset: 30, size: 1 },
  { name: "attempts", offset: 31, size: 1 },
  { name: "cause", offset: 32, size: 2 },
  { name: "flags", offset: 34, size: 1 },
  { name: "tp_mr", offset: 35, size: 1 },
  { name: "tp_pid", offset: 36, size: 1 },
  { name: "tp_dcs", offset: 37, size: 1 },
  { name: "oa", offset: 38, size: 12 },
  { name: "da", offset: 50, size: 12 },
  { name: "routed_da", offset: 62, size: 9 },
  { name: "source_peer", offset: 71, size: 16 },
  { name: "tp_udl", offset: 87, size: 1 },
  { name: "tp_ud", offset: 88, size: 140 },
  { name: "dest_info", offset: 228, size: 28 },
] as const satisfies readonly PmsField[];

/** The name of a layout field. */
export type PmsFieldName = (typeof PMS_LAYOUT)[number]["name"];

/** Offset and size of each field by name. */
export const PMS_FIELD: Readonly<Record<PmsFieldName, PmsField>> = Object.fromEntries(
  PMS_LAYOUT.map((f) => [f.name, f]),
) as Record<PmsFieldName, PmsField>;

/** First byte the checksum covers: every byte after the checksum itself. */
export const PMS_CHECKSUM_START = PMS_FIELD.checksum.offset + PMS_FIELD.checksum.size;

/** Byte offset of the state octet, read by the store's fast historical scan. */
export const PMS_STATE_OFFSET = PMS_FIELD.state.offset;

/** Byte offset of the entry time, read by the store's binary search. */
export const PMS_ENTRY_TIME_OFFSET = PMS_FIELD.entry_time_ms.offset;

/** Bits of the `flags` octet. TP bits keep their TS 23.040 meaning. */
export const PMS_FLAG_RD = 0x01;
/** TP-SRR, TS 23.040 §9.2.3.5: the originator asked for a status report. */
export const PMS_FLAG_SRR = 0x02;
/** TP-UDHI, TS 23.040 §9.2.3.23: TP-UD starts with a User Data Header. */
export const PMS_FLAG_UDHI = 0x04;
/** TP-RP, TS 23.040 §9.2.3.17: reply path requested. */
export const PMS_FLAG_RP = 0x08;
/** Routing was skipped: the destination was given as an IMSI (seed 2.4.1). */
export const PMS_FLAG_IMSI_ADDRESSED = 0x10;
/**
 * The record is a status report or a delivery receipt, not a short message:
 * its TP-UD holds a report payload (`report.ts`), which the delivering
 * transport turns into an SMS-STATUS-REPORT or a receipt `deliver_sm`.
 */
export const PMS_FLAG_REPORT = 0x20;
/** Bits that must be zero in version 1. */
export const PMS_FLAGS_RESERVED = 0xc0;

/** Bytes of the destination's IMSI inside `dest_info` (15 digits, TBCD). */
export const PMS_IMSI_BYTES = 8;
/** Longest downstream peer name (ASCII), in `source_peer` and `dest_info`. */
export const PMS_PEER_NAME_CHARS_MAX = 16;
/** Longest upstream message_id kept in `dest_info` (ASCII). */
export const PMS_MESSAGE_ID_CHARS_MAX = 28;
/** Largest value of the 48-bit time fields. */
export const PMS_TIME_MS_MAX = 2 ** 48 - 1;
