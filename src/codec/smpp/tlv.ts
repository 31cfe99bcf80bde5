/**
 * Optional parameters (TLVs) of SMPP 3.4 §5.3: the tag table with names,
 * value types and lengths, and the TLV stream reader and writer.
 *
 * A decoded TLV keeps its tag and its value. Integer TLVs become numbers,
 * well-formed C-Octet String TLVs become strings (one char per octet), every
 * other value stays as the octets received. Unknown and vendor-specific tags
 * (§5.3.2: 0x1400-0x3FFF) are kept byte for byte, in their original order, so
 * that a PDU re-encodes to the same bytes.
 *
 * @module
 */

import { type ByteReader, ByteWriter, pooledCopy } from "../../lib/bytes.ts";
import { DecodeError, EncodeError } from "../../lib/errors.ts";
import { SMPP_STATUS } from "./command_status.ts";

/** Value type of a TLV (SMPP 3.4 §3.1: Integer, C-Octet String, Octet String). */
export type SmppTlvType = "int8" | "int16" | "int32" | "cstring" | "octets";

/** One row of the SMPP 3.4 §5.3.2 table. */
export interface SmppTlvSpec {
  tag: number;
  name: string;
  type: SmppTlvType;
  /** Smallest allowed value length in octets. */
  minBytes: number;
  /** Largest allowed value length in octets (for cstring: NUL included). */
  maxBytes: number;
  /** Section of SMPP 3.4 that defines it. */
  section: string;
}

function spec(
  tag: number,
  name: string,
  type: SmppTlvType,
  section: string,
  minBytes?: number,
  maxBytes?: number,
): SmppTlvSpec {
  const fixed = type === "int8" ? 1 : type === "int16" ? 2 : type === "int32" ? 4 : undefined;
  return {
    tag,
    name,
    type,
    minBytes: fixed ?? minBytes ?? 0,
    maxBytes: fixed ?? maxBytes ?? 0xffff,
    section,
  };
}

/** The TLV tags of SMPP 3.4 §5.3.2, in tag order. */
export const SMPP_TLVS: readonly SmppTlvSpec[] = [
  spec(0x0005, "dest_addr_subunit", "int8", "§5.3.2.1"),
  spec(0x0006, "dest_network_type", "int8", "§5.3.2.3"),
  spec(0x0007, "dest_bearer_type", "int8", "§5.3.2.5"),
  spec(0x0008, "dest_telematics_id", "int16", "§5.3.2.7"),
  spec(0x000d, "source_addr_subunit", "int8", "§5.3.2.2"),
  spec(0x000e, "source_network_type", "int8", "§5.3.2.4"),
  spec(0x000f, "source_bearer_type", "int8", "§5.3.2.6"),
  // SMPP 3.4 §5.3.2.8 gives source_telematics_id one octet, unlike dest_telematics_id.
  spec(0x0010, "source_telematics_id", "int8", "§5.3.2.8"),
  spec(0x0017, "qos_time_to_live", "int32", "§5.3.2.9"),
  spec(0x0019, "payload_type", "int8", "§5.3.2.10"),
  spec(0x001d, "additional_status_info_text", "cstring", "§5.3.2.11", 1, 256),
  spec(0x001e, "receipted_message_id", "cstring", "§5.3.2.12", 1, 65),
  spec(0x0030, "ms_msg_wait_facilities", "int8", "§5.3.2.13"),
  spec(0x0201, "privacy_indicator", "int8", "§5.3.2.14"),
  spec(0x0202, "source_subaddress", "octets", "§5.3.2.15", 2, 23),
  spec(0x0203, "dest_subaddress", "octets", "§5.3.2.16", 2, 23),
  spec(0x0204, "user_message_reference", "int16", "§5.3.2.17"),
  spec(0x0205, "user_response_code", "int8", "§5.3.2.18"),
  spec(0x020a, "source_port", "int16", "§5.3.2.20"),
  spec(0x020b, "destination_port", "int16", "§5.3.2.21"),
  spec(0x020c, "sar_msg_ref_num", "int16", "§5.3.2.22"),
  spec(0x020d, "language_indicator", "int8", "§5.3.2.19"),
  spec(0x020e, "sar_total_segments", "int8", "§5.3.2.23"),
  spec(0x020f, "sar_segment_seqnum", "int8", "§5.3.2.24"),
  spec(0x0210, "sc_interface_version", "int8", "§5.3.2.25"),
  spec(0x0302, "callback_num_pres_ind", "int8", "§5.3.2.37"),
  spec(0x0303, "callback_num_atag", "octets", "§5.3.2.38", 0, 65),
  spec(0x0304, "number_of_messages", "int8", "§5.3.2.39"),
  spec(0x0381, "callback_num", "octets", "§5.3.2.36", 4, 19),
  spec(0x0420, "dpf_result", "int8", "§5.3.2.28"),
  spec(0x0421, "set_dpf", "int8", "§5.3.2.29"),
  spec(0x0422, "ms_availability_status", "int8", "§5.3.2.30"),
  spec(0x0423, "network_error_code", "octets", "§5.3.2.31", 3, 3),
  spec(0x0424, "message_payload", "octets", "§5.3.2.32", 0, 0xffff),
  spec(0x0425, "delivery_failure_reason", "int8", "§5.3.2.33"),
  spec(0x0426, "more_messages_to_send", "int8", "§5.3.2.34"),
  spec(0x0427, "message_state", "int8", "§5.3.2.35"),
  spec(0x0501, "ussd_service_op", "int8", "§5.3.2.44"),
  spec(0x1201, "display_time", "int8", "§5.3.2.26"),
  spec(0x1203, "sms_signal", "int16", "§5.3.2.40"),
  spec(0x1204, "ms_validity", "int8", "§5.3.2.27"),
  // §5.3.2.41 defines no value (length 0); SMPP 5.0 later allowed one octet, so accept 0-1.
  spec(0x130c, "alert_on_message_delivery", "octets", "§5.3.2.41", 0, 1),
  spec(0x1380, "its_reply_type", "int8", "§5.3.2.42"),
  spec(0x1383, "its_session_info", "octets", "§5.3.2.43", 2, 2),
];

const BY_TAG = new Map(SMPP_TLVS.map((s) => [s.tag, s]));
const BY_NAME = new Map(SMPP_TLVS.map((s) => [s.name, s]));

/** One optional parameter as decoded. */
export interface SmppTlv {
  /** Parameter Tag (SMPP 3.4 §3.2.4.1). */
  tag: number;
  /** Name from §5.3.2, `"vendor_specific"` for 0x1400-0x3FFF, else `"unknown"`. */
  name: string;
  /** Number for integer TLVs, string for well-formed C-Octet Strings, else the raw octets. */
  value: number | string | Uint8Array;
}

/**
 * Looks up a TLV of SMPP 3.4 §5.3.2 by tag or name.
 *
 * @param key tag number or §5.3.2 name
 * @returns the table row, or undefined for unknown tags
 * @throws never
 */
export function smppTlvSpec(key: number | string): SmppTlvSpec | undefined {
  return typeof key === "number" ? BY_TAG.get(key) : BY_NAME.get(key);
}

function tlvName(tag: number): string {
  const s = BY_TAG.get(tag);
  if (s) return s.name;
  // SMPP 3.4 §5.3.2: "0x1400 - 0x3FFF Reserved for SMSC Vendor specific optional parameters".
  return tag >= 0x1400 && tag <= 0x3fff ? "vendor_specific" : "unknown";
}

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

function decodeValue(s: SmppTlvSpec, raw: Uint8Array, r: ByteReader, at: number) {
  if (raw.length < s.minBytes || raw.length > s.maxBytes) {
    throw new DecodeError(
      `Cannot decode ${s.name}: length ${raw.length} is outside ${s.minBytes}-${s.maxBytes}`,
      { protocol: r.protocol, field: s.name, offset: at, code: SMPP_STATUS.ESME_RINVPARLEN },
    );
  }
  if (s.type === "int8") return raw[0];
  if (s.type === "int16") return (raw[0] << 8) | raw[1];
  if (s.type === "int32") return ((raw[0] << 24) >>> 0) + (raw[1] << 16) + (raw[2] << 8) + raw[3];
  if (s.type === "cstring") {
    // Keep the octets when the NUL is missing or not last: real SMSCs send such
    // receipted_message_id values, and a string would not re-encode to the same bytes.
    const nul = raw.indexOf(0);
    if (nul === raw.length - 1) return latin1(raw.subarray(0, nul));
  }
  // `raw` is a view into the PDU: the value keeps a copy.
  return pooledCopy(raw);
}

/**
 * Reads the TLV stream that fills the rest of a PDU body (SMPP 3.4 §3.2.4).
 *
 * @param r reader positioned at the first TLV; read to its end
 * @returns the TLVs in wire order
 * @throws {DecodeError} code ESME_RINVOPTPARSTREAM when fewer than 4 octets remain for a
 *   header or a length overruns the body; ESME_RINVPARLEN when a known TLV has the wrong length
 */
export function decodeSmppTlvs(r: ByteReader): SmppTlv[] {
  const out: SmppTlv[] = [];
  while (!r.done) {
    const at = r.offset;
    if (r.remaining < 4) {
      throw r.error(
        "optional parameters",
        `Cannot decode optional parameters: ${r.remaining} trailing octets do not form a TLV`,
        SMPP_STATUS.ESME_RINVOPTPARSTREAM,
      );
    }
    const tag = r.u16("tag");
    const length = r.u16("length");
    const name = tlvName(tag);
    if (length > r.remaining) {
      throw new DecodeError(
        `Cannot decode ${name}: length ${length} exceeds remaining ${r.remaining} octets`,
        { protocol: r.protocol, field: name, offset: at, code: SMPP_STATUS.ESME_RINVOPTPARSTREAM },
      );
    }
    const raw = r.view(length, name);
    const s = BY_TAG.get(tag);
    out.push({ tag, name, value: s ? decodeValue(s, raw, r, at) : pooledCopy(raw) });
  }
  return out;
}

function valueBytes(t: SmppTlv, s: SmppTlvSpec | undefined): Uint8Array {
  const v = t.value;
  if (v instanceof Uint8Array) return v;
  const w = new ByteWriter("smpp");
  if (typeof v === "number") {
    if (s?.type === "int8") w.u8(v, t.name);
    else if (s?.type === "int16") w.u16(v, t.name);
    else if (s?.type === "int32") w.u32(v, t.name);
    else throw new EncodeError(`Cannot encode ${t.name}: a number needs an integer TLV`, err(t));
    return w.finish();
  }
  if (typeof v === "string" && s?.type === "cstring") {
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c === 0 || c > 0xff) {
        throw new EncodeError(
          `Cannot encode ${t.name}: character ${i} is not a non-NUL octet`,
          err(t),
        );
      }
      w.u8(c, t.name);
    }
    return w.u8(0, t.name).finish();
  }
  throw new EncodeError(`Cannot encode ${t.name}: value type does not fit the TLV`, err(t));
}

function err(t: SmppTlv) {
  return { protocol: "smpp", field: t.name, code: SMPP_STATUS.ESME_RINVOPTPARAMVAL };
}

/**
 * Appends TLVs in the given order (SMPP 3.4 §3.2.4).
 *
 * @param w the writer of the PDU body
 * @param tlvs the TLVs; raw `Uint8Array` values are written as they are
 * @returns nothing
 * @throws {EncodeError} when a value does not fit its tag's type or exceeds 65535 octets
 */
export function encodeSmppTlvs(w: ByteWriter, tlvs: readonly SmppTlv[]): void {
  for (const t of tlvs) {
    const s = BY_TAG.get(t.tag);
    const bytes = valueBytes(t, s);
    w.u16(t.tag, "tag");
    w.u16(bytes.length, t.name);
    w.bytes(bytes);
  }
}
