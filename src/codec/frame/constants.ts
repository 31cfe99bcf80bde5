/**
 * Constants of the local socket protocol (docs/socket-protocol.md). Every
 * number that appears on the wire is defined here once, with the section of
 * the doc that gives its meaning.
 *
 * @module
 */

/** The protocol name carried by `DecodeError`/`EncodeError`. */
export const FRAME_PROTOCOL = "frame";

/** Protocol version in header byte 0 (§2). A receiver rejects any other value. */
export const FRAME_VERSION = 1;

/** Size of the length prefix that precedes every frame (§2). */
export const FRAME_PREFIX_BYTES = 4;

/** Size of the header after the length prefix: version, type, flags, spare, transaction id (§2). */
export const FRAME_HEADER_BYTES = 8;

/**
 * The largest frame, length prefix included (§2). The biggest bodies are
 * MT_TRANSFER, DELIVER_TO_PEER and REPLACE at 264 bytes and a full STATUS answer at
 * about 82 KiB in theory; 64 KiB is far above any real exchange and small
 * enough that a hostile length cannot make a receiver buffer much.
 */
export const FRAME_BYTES_MAX = 65536;

/**
 * Size of one PMS record (`struct sm_record` in seed §2.2). The record layout
 * belongs to `codec/pms`; the socket carries it as opaque bytes, so only the
 * size is fixed here, and must agree with `codec/pms/record.ts`.
 */
export const PMS_RECORD_BYTES = 256;

/**
 * The largest record index (absolute 0-based position in pms.bin, also the
 * message id). The wire field is 64 bits, but values above 2^53 - 1 would not
 * survive a JavaScript number; at 256 bytes a record that is 2 EiB of file.
 */
export const RECORD_INDEX_MAX = Number.MAX_SAFE_INTEGER;

/** Header flag bit 0: the frame is a response (§2). Other bits are spare (0). */
export const FLAG_RESPONSE = 0x01;

/** Message type codes, header byte 1 (§3). */
export const MESSAGE_TYPE = {
  SUBMIT: 0x01,
  CANCEL: 0x02,
  CHANGE_SRR: 0x03,
  STATUS: 0x04,
  QUERY: 0x05,
  REPLACE: 0x06,
  RH_REGISTER: 0x10,
  RH_SERVICE_STATE: 0x11,
  MT_FIND_IMSI: 0x20,
  MT_TRANSFER: 0x21,
  MT_CANCEL: 0x22,
  MT_DISCHARGE: 0x23,
  DELIVER_TO_PEER: 0x30,
} as const;

/**
 * Reserved for a discharge report toward the originating role handler
 * (delivery receipts): decoders reject it until it is defined.
 */
// TODO(#4): define DISCHARGE_REPORT (core -> originating RH) for delivery receipts.
export const MESSAGE_TYPE_DISCHARGE_REPORT_RESERVED = 0x31;

/** Role codes of RH_REGISTER and RH_SERVICE_STATE (§4.5). 0 means "every role held" in RH_SERVICE_STATE only. */
export const ROLE_CODE = {
  "imsi-lookup": 1,
  "gsm-mt": 2,
  peer: 3,
} as const;

/** RH_SERVICE_STATE role code meaning every role the connection holds (§4.6). */
export const ROLE_CODE_ALL = 0;

/** CANCEL / CHANGE_SRR / QUERY target forms (§4.2). */
export const TARGET_CODE = { index: 1, "oa-da-mr": 2 } as const;

/** QUERY answer: the state of the message found (§4.11), as the PMS record codes it. */
export const QUERY_STATE_CODE = { active: 1, historical: 2 } as const;

/** SUBMIT flag bit 0: skip routing, the record is an IMSI-addressed MT (seed §2.4.1). */
export const SUBMIT_FLAG_SKIP_ROUTING = 0x01;

/** Longest peer name (§4.5); names use `A-Z a-z 0-9 . _ -` only. */
export const PEER_NAME_BYTES_MAX = 32;

/** Longest reason/cause text (§4.1): printable ASCII. */
export const REASON_TEXT_BYTES_MAX = 255;

/** MSISDN digit count bounds (§4.7): E.164 allows 15, local plans fewer. */
export const MSISDN_DIGITS_MIN = 1;
export const MSISDN_DIGITS_MAX = 20;

/** IMSI digit count bounds (§4.7), TS 23.003 §2.2 (at most 15 digits). */
export const IMSI_DIGITS_MIN = 6;
export const IMSI_DIGITS_MAX = 15;

/** Address value bounds (§4.2): 20 semi-octets, TS 23.040 §9.1.2.5; 11 characters for TON 5. */
export const ADDRESS_DIGITS_MAX = 20;
export const ADDRESS_TEXT_MAX = 11;

/** Extra info bytes of MT_DISCHARGE and DELIVER_TO_PEER success (§4.9, §4.10). */
export const EXTRA_INFO_BYTES_MAX = 64;

/** STATUS answer bounds (§4.4). */
export const STATUS_ENTRIES_MAX = 255;
export const STATUS_KEY_BYTES_MAX = 64;
