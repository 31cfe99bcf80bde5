/**
 * SMPP 3.4 PDUs: one complete PDU to a plain value and back, byte for byte,
 * plus a pure stream framer.
 *
 * This file does not use npm:smpp's `PDU` class to decode: that class turns
 * short_message into text, reads past the end of short buffers with Node's
 * `Buffer.readUInt8` (RangeError), drops unknown TLVs on encode, drops the body
 * of responses with a non-zero command_status and gives source_telematics_id two
 * octets. The wire format is therefore read here from the §4 tables in
 * `_params.ts`; `library.ts` checks that the library encodes our values the
 * same way where it can.
 *
 * @module
 */

import { ByteReader, ByteWriter } from "../../lib/bytes.ts";
import { assert, DecodeError, EncodeError } from "../../lib/errors.ts";
import { SMPP_STATUS as S } from "./command_status.ts";
import {
  SMPP_COMMAND_IDS,
  SMPP_HEADER_BYTES,
  SMPP_RESPONSE_BIT,
  type SmppCommandName,
} from "./constants.ts";
import { ALLOWED_TLVS, PARAMS } from "./_params.ts";
import {
  readParam,
  type SmppDestAddress,
  type SmppFieldValue,
  type SmppUnsuccessSme,
  writeParam,
} from "./_fields.ts";
import { decodeSmppTlvs, encodeSmppTlvs, type SmppTlv } from "./tlv.ts";

export type { SmppDestAddress, SmppFieldValue, SmppUnsuccessSme };

const PROTOCOL = "smpp";
const COMMAND_BY_ID = new Map<number, SmppCommandName>(
  (Object.entries(SMPP_COMMAND_IDS) as [SmppCommandName, number][]).map(([k, v]) => [v, k]),
);

/** The PDU header of SMPP 3.4 §3.2. */
export interface SmppHeader {
  /** Octets of the whole PDU, header included. */
  command_length: number;
  command_id: number;
  command_status: number;
  sequence_number: number;
}

/**
 * Mandatory parameters by SMPP 3.4 name (§4, §5.2). C-Octet Strings are
 * strings with one char per octet; short_message is always the octets sent.
 * sm_length and number_of_dests / no_unsuccess are implied by their arrays.
 */
export type SmppFields = Record<string, SmppFieldValue>;

/** One SMPP 3.4 PDU as a plain value. */
export interface SmppPdu {
  /** Command name of §5.1.2.1, e.g. `"submit_sm"`. */
  command: SmppCommandName;
  command_id: number;
  command_status: number;
  sequence_number: number;
  /** Mandatory parameters; `{}` for a response sent without body (§4: body omitted on error). */
  fields: SmppFields;
  /** Optional parameters in wire order, unknown ones byte for byte. */
  tlvs: SmppTlv[];
}

/** Options of `decodeSmppPdu`. */
export interface SmppDecodeOptions {
  /**
   * Reject known TLVs that §4 does not list for the PDU (ESME_ROPTPARNOTALLWD) and
   * an incomplete sar_* set (ESME_RMISSINGOPTPARAM). Off by default, because real
   * SMSCs add unlisted TLVs (e.g. source_network_type in deliver_sm).
   */
  strictTlvs?: boolean;
}

/**
 * Reads the 16-octet header at the start of `bytes` without checking the body,
 * so that a transport can answer a PDU it cannot decode with its sequence_number.
 *
 * @param bytes at least 16 octets
 * @returns the four header fields
 * @throws {DecodeError} code ESME_RINVCMDLEN when fewer than 16 octets are given
 */
export function decodeSmppHeader(bytes: Uint8Array): SmppHeader {
  const r = new ByteReader(bytes, PROTOCOL);
  if (bytes.length < SMPP_HEADER_BYTES) {
    throw r.error(
      "command_length",
      `Cannot decode header: ${bytes.length} octets`,
      S.ESME_RINVCMDLEN,
    );
  }
  return {
    command_length: r.u32("command_length"),
    command_id: r.u32("command_id"),
    command_status: r.u32("command_status"),
    sequence_number: r.u32("sequence_number"),
  };
}

/**
 * Decodes exactly one complete SMPP 3.4 PDU. Every octet is kept: re-encoding
 * the result with `encodeSmppPdu` gives the same bytes.
 *
 * @example
 * ```ts
 * import { decodeSmppPdu } from "./pdu.ts";
 * import { fromHex } from "../../lib/bytes.ts";
 * const pdu = decodeSmppPdu(fromHex("0000001000000015000000000a342ee7"));
 * if (pdu.command !== "enquire_link") throw new Error(pdu.command);
 * ```
 * @param bytes one PDU, command_length octets long
 * @param options see `SmppDecodeOptions`
 * @returns the PDU value
 * @throws {DecodeError} with field = the SMPP parameter name and code = the
 *   command_status to answer with (ESME_RINVCMDLEN, ESME_RINVCMDID, ESME_RINVMSGLEN,
 *   ESME_RINVOPTPARSTREAM, ESME_RINVPARLEN, ESME_ROPTPARNOTALLWD, ESME_RMISSINGOPTPARAM …)
 */
export function decodeSmppPdu(bytes: Uint8Array, options: SmppDecodeOptions = {}): SmppPdu {
  const h = decodeSmppHeader(bytes);
  if (h.command_length !== bytes.length) {
    throw new DecodeError(
      `Cannot decode PDU: command_length ${h.command_length} but ${bytes.length} octets given`,
      { protocol: PROTOCOL, field: "command_length", offset: 0, code: S.ESME_RINVCMDLEN },
    );
  }
  const command = COMMAND_BY_ID.get(h.command_id);
  if (command === undefined) {
    throw new DecodeError(`Cannot decode PDU: unknown command_id 0x${h.command_id.toString(16)}`, {
      protocol: PROTOCOL,
      field: "command_id",
      offset: 4,
      code: S.ESME_RINVCMDID,
    });
  }
  const r = new ByteReader(bytes, PROTOCOL, SMPP_HEADER_BYTES);
  let fields: SmppFields = {};
  const isResponse = (h.command_id & SMPP_RESPONSE_BIT) !== 0;
  // SMPP 3.4 §4 (e.g. §4.4.2): "The submit_sm_resp PDU Body is not returned if the
  // command_status field contains a non-zero value." Some peers omit it on success too.
  if (command === "submit_sm" || command === "deliver_sm") {
    fields = readSubmitFields(r);
  } else if (!(isResponse && r.done)) {
    for (const p of PARAMS[command]) fields[p.name] = readParam(r, p);
  }
  const tlvs = decodeSmppTlvs(r);
  if (options.strictTlvs) checkTlvs(command, tlvs);
  return {
    command,
    command_id: h.command_id,
    command_status: h.command_status,
    sequence_number: h.sequence_number,
    fields,
    tlvs,
  };
}

// The layout of submit_sm and deliver_sm (§4.4.1, §4.6.1), read into an object literal:
// filling `{}` by computed names costs the commonest PDU about 0.4 µs more.
const SM = PARAMS.submit_sm;
assert(
  SM.length === 17 && PARAMS.deliver_sm === SM,
  "Cannot decode submit_sm: readSubmitFields does not follow the layout table",
);

function readSubmitFields(r: ByteReader): SmppFields {
  const service_type = readParam(r, SM[0]);
  const source_addr_ton = readParam(r, SM[1]);
  const source_addr_npi = readParam(r, SM[2]);
  const source_addr = readParam(r, SM[3]);
  const dest_addr_ton = readParam(r, SM[4]);
  const dest_addr_npi = readParam(r, SM[5]);
  const destination_addr = readParam(r, SM[6]);
  const esm_class = readParam(r, SM[7]);
  const protocol_id = readParam(r, SM[8]);
  const priority_flag = readParam(r, SM[9]);
  const schedule_delivery_time = readParam(r, SM[10]);
  const validity_period = readParam(r, SM[11]);
  const registered_delivery = readParam(r, SM[12]);
  const replace_if_present_flag = readParam(r, SM[13]);
  const data_coding = readParam(r, SM[14]);
  const sm_default_msg_id = readParam(r, SM[15]);
  const short_message = readParam(r, SM[16]);
  return {
    service_type,
    source_addr_ton,
    source_addr_npi,
    source_addr,
    dest_addr_ton,
    dest_addr_npi,
    destination_addr,
    esm_class,
    protocol_id,
    priority_flag,
    schedule_delivery_time,
    validity_period,
    registered_delivery,
    replace_if_present_flag,
    data_coding,
    sm_default_msg_id,
    short_message,
  };
}

const SAR = ["sar_msg_ref_num", "sar_total_segments", "sar_segment_seqnum"];

function checkTlvs(command: SmppCommandName, tlvs: SmppTlv[]): void {
  const allowed = ALLOWED_TLVS[command];
  for (const t of tlvs) {
    if (t.name === "unknown" || t.name === "vendor_specific") continue;
    if (!allowed?.has(t.name)) {
      throw new DecodeError(`Cannot decode ${command}: ${t.name} is not allowed`, {
        protocol: PROTOCOL,
        field: t.name,
        code: S.ESME_ROPTPARNOTALLWD,
      });
    }
  }
  // SMPP 3.4 §5.3.2.22-24: the three sar_* parameters are used together.
  const present = SAR.filter((n) => tlvs.some((t) => t.name === n));
  if (present.length > 0 && present.length < SAR.length) {
    const missing = SAR.find((n) => !present.includes(n))!;
    throw new DecodeError(`Cannot decode ${command}: ${missing} missing`, {
      protocol: PROTOCOL,
      field: missing,
      code: S.ESME_RMISSINGOPTPARAM,
    });
  }
}

/**
 * Encodes one SMPP 3.4 PDU; command_length is computed. A response whose
 * `fields` is `{}` is sent without body.
 *
 * @param pdu the value, as `decodeSmppPdu` returns it
 * @returns the PDU octets
 * @throws {EncodeError} when command and command_id disagree, a mandatory parameter is
 *   missing or too long, short_message exceeds 254 octets, or a TLV value does not fit
 */
export function encodeSmppPdu(pdu: SmppPdu): Uint8Array {
  const w = new ByteWriter(PROTOCOL, 64);
  encodeSmppPduInto(w, pdu);
  return w.finish();
}

/**
 * Appends one encoded PDU to `w`, as `encodeSmppPdu` encodes it: for a
 * transport that gathers several PDUs into one write without a buffer per PDU.
 * On an error nothing is left appended.
 *
 * @param w the output; the PDU starts at its current length
 * @param pdu the value, as `decodeSmppPdu` returns it
 * @returns the PDU's length in octets
 * @throws {EncodeError} as `encodeSmppPdu`
 */
export function encodeSmppPduInto(w: ByteWriter, pdu: SmppPdu): number {
  const id = SMPP_COMMAND_IDS[pdu.command];
  if (id === undefined || id !== pdu.command_id) {
    throw new EncodeError(
      `Cannot encode PDU: command "${pdu.command}" has no id ${pdu.command_id}`,
      {
        protocol: PROTOCOL,
        field: "command_id",
      },
    );
  }
  const start = w.length;
  try {
    w.u32(0, "command_length").u32(id, "command_id");
    w.u32(pdu.command_status, "command_status").u32(pdu.sequence_number, "sequence_number");
    if (!((id & SMPP_RESPONSE_BIT) !== 0 && isEmpty(pdu.fields))) {
      for (const p of PARAMS[pdu.command]) writeParam(w, p, pdu.fields[p.name]);
    }
    encodeSmppTlvs(w, pdu.tlvs);
  } catch (e) {
    w.truncate(start);
    throw e;
  }
  const length = w.length - start;
  w.patchU32(start, length, "command_length");
  return length;
}

// A response with no fields at all is sent without body.
function isEmpty(fields: SmppFields): boolean {
  for (const _ in fields) return false;
  return true;
}

/** Result of `frameSmppStream`. */
export type SmppFrame = { pdu: Uint8Array; consumed: number } | { readonly need: "more" };

const NEED_MORE = Object.freeze({ need: "more" as const });

/**
 * Cuts the first PDU off a TCP byte stream (SMPP 3.4 §3.1: command_length is
 * the first field). Pure: the caller keeps the buffer and drops `consumed`
 * octets afterwards. A command_length below 16 or above `maxPduBytes` means
 * the stream cannot be trusted any more.
 *
 * @param buffer the bytes received so far
 * @param options maxPduBytes: the largest PDU accepted (at least 16)
 * @returns `{ pdu, consumed }` with the PDU octets (a view into `buffer`: decode it, or
 *   copy it, before the buffer is reused), or `{ need: "more" }`
 * @throws {DecodeError} field command_length, code ESME_RINVCMDLEN (answer with generic_nack)
 */
export function frameSmppStream(buffer: Uint8Array, options: { maxPduBytes: number }): SmppFrame {
  assert(
    Number.isInteger(options.maxPduBytes) && options.maxPduBytes >= SMPP_HEADER_BYTES,
    "Cannot frame SMPP: maxPduBytes must be an integer of at least 16",
  );
  if (buffer.length < 4) return NEED_MORE;
  const length = ((buffer[0] << 24) >>> 0) + (buffer[1] << 16) + (buffer[2] << 8) + buffer[3];
  if (length < SMPP_HEADER_BYTES || length > options.maxPduBytes) {
    throw new DecodeError(
      `Cannot frame PDU: command_length ${length} is outside 16-${options.maxPduBytes}`,
      { protocol: PROTOCOL, field: "command_length", offset: 0, code: S.ESME_RINVCMDLEN },
    );
  }
  if (buffer.length < length) return NEED_MORE;
  return { pdu: buffer.subarray(0, length), consumed: length };
}

/**
 * Returns the first TLV with the given name, e.g. `findSmppTlv(pdu, "message_payload")`.
 *
 * @param pdu a decoded PDU
 * @param name a §5.3.2 name
 * @returns the TLV or undefined
 * @throws never
 */
export function findSmppTlv(pdu: SmppPdu, name: string): SmppTlv | undefined {
  return pdu.tlvs.find((t) => t.name === name);
}
