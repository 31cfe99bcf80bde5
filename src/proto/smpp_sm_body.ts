/**
 * From the message octets of an SMPP PDU (short_message or message_payload)
 * to the TP-UD of PMS records: User Data Header split off and kept raw, the
 * only octet change the explicit IA5/Latin-1 conversion, GSM 7-bit septets
 * packed with fill bits after the header (TS 23.040 §9.2.3.24), and long
 * messages cut into concatenated parts (§9.2.3.24.1).
 *
 * @module
 */

import { DecodeError, EncodeError } from "../lib/errors.ts";
import { fillBitsAfterUdh, GSM7_ESCAPE, packSeptets } from "../codec/gsm0338/mod.ts";
import {
  ia5ToGsm7,
  latin1ToGsm7,
  SMPP_STATUS as S,
  type SmppOctetForm,
} from "../codec/smpp/mod.ts";
import {
  concatIe,
  decodeUdh,
  encodeUdh,
  IEI_CONCAT_16,
  IEI_CONCAT_8,
  type InformationElement,
  TP_UD_OCTETS_MAX,
  TP_UDL_SEPTETS_MAX,
} from "../codec/tpdu/mod.ts";
import { reject, type SmppReject } from "./smpp_sm_types.ts";

/** How TP-UD is coded. */
export type Alphabet = "gsm7" | "8bit" | "ucs2";

/** The message before it is cut into TP-UDs. */
export interface Body {
  alphabet: Alphabet;
  /** The User Data Header as received, UDHL octet first, or null without UDHI. */
  udh: Uint8Array | null;
  /** After the header: GSM 7-bit septets one per element, else the octets. */
  payload: Uint8Array;
}

/** The TP fields of one record's user data. */
export interface UserDataPart {
  udhi: boolean;
  /** Septets for GSM 7 bit (header included), octets otherwise. */
  udl: number;
  ud: Uint8Array;
}

/** The three sar_* TLVs of SMPP 3.4 §5.3.2.22-24. */
export interface Sar {
  ref: number;
  total: number;
  seqnum: number;
}

type Parts = { ok: true; parts: UserDataPart[] } | SmppReject;

/** The alphabet of an octet form of `smppDataCodingToTpDcs`. */
export function alphabetOf(form: SmppOctetForm): Alphabet {
  if (form === "8bit" || form === "ucs2") return form;
  return "gsm7";
}

/**
 * Splits the message octets into header and payload and converts the
 * payload to what the record holds.
 *
 * @param octets short_message or message_payload
 * @param udhi esm_class bit 6: the octets start with a UDH
 * @param form what `smppDataCodingToTpDcs` says the octets are
 * @returns the body, or a refusal: ESME_RINVESMCLASS (UDHI without a valid
 *   UDH), ESME_RSUBMITFAIL (a septet above 0x7F, or IA5/Latin-1 without a GSM
 *   character), ESME_RINVMSGLEN (UCS-2 of odd length)
 */
export function splitBody(
  octets: Uint8Array,
  udhi: boolean,
  form: SmppOctetForm,
): { ok: true; body: Body } | SmppReject {
  let udh: Uint8Array | null = null;
  if (udhi) {
    try {
      udh = octets.slice(0, decodeUdh(octets).udhOctets);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      return reject(S.ESME_RINVESMCLASS, "UDHI is set but the message has no valid UDH");
    }
  }
  // A view: the conversions below return new arrays, and nothing writes to either.
  let payload: Uint8Array = udh === null ? octets : octets.subarray(udh.length);
  try {
    // The only change of message octets the SMSC makes (docs/smpp-mapping.md).
    if (form === "ia5") payload = ia5ToGsm7(payload);
    if (form === "latin1") payload = latin1ToGsm7(payload);
  } catch (e) {
    if (!(e instanceof EncodeError)) throw e;
    return reject(e.code ?? S.ESME_RSUBMITFAIL, e.message);
  }
  const alphabet = alphabetOf(form);
  if (alphabet === "gsm7") {
    for (let i = 0; i < payload.length; i++) {
      if (payload[i] > 0x7f) {
        return reject(S.ESME_RSUBMITFAIL, `GSM 7-bit octet ${i} is above 0x7F`);
      }
    }
  }
  if (alphabet === "ucs2" && payload.length % 2 !== 0) {
    return reject(S.ESME_RINVMSGLEN, "UCS-2 text has an odd number of octets");
  }
  return { ok: true, body: { alphabet, udh, payload } };
}

/** Septets a header of `octets` occupies with its fill bits. */
function headerSeptets(octets: number): number {
  return octets === 0 ? 0 : (octets * 8 + fillBitsAfterUdh(octets)) / 7;
}

function partUdl(alphabet: Alphabet, header: number, payload: number): number {
  return alphabet === "gsm7" ? headerSeptets(header) + payload : header + payload;
}

function fits(alphabet: Alphabet, header: number, payload: number): boolean {
  const max = alphabet === "gsm7" ? TP_UDL_SEPTETS_MAX : TP_UD_OCTETS_MAX;
  return partUdl(alphabet, header, payload) <= max;
}

function buildPart(
  alphabet: Alphabet,
  udh: Uint8Array | null,
  payload: Uint8Array,
): UserDataPart {
  if (udh === null) {
    // Without a header TP-UD is the payload itself (packed for GSM 7 bit).
    const ud = alphabet === "gsm7" ? packSeptets(payload, 0) : payload;
    return { udhi: false, udl: payload.length, ud };
  }
  const header = udh;
  const data = alphabet === "gsm7"
    ? packSeptets(payload, fillBitsAfterUdh(header.length))
    : payload;
  const ud = new Uint8Array(header.length + data.length);
  ud.set(header);
  ud.set(data, header.length);
  return { udhi: udh !== null, udl: partUdl(alphabet, header.length, payload.length), ud };
}

function isConcat(ie: InformationElement): boolean {
  return ie.iei === IEI_CONCAT_8 || ie.iei === IEI_CONCAT_16;
}

/**
 * Cuts the body into TP-UDs: one when it fits 160 septets / 140 octets, else
 * concatenated parts with an 8-bit reference; with sar_* TLVs, one part
 * carrying a 16-bit concatenation IE made from them.
 *
 * @param body from `splitBody`
 * @param concatRef reference of the 8-bit concatenation IE (0-255)
 * @param sar the sar_* TLVs when present
 * @returns the parts in order, or a refusal (ESME_RINVMSGLEN, ESME_RINVOPTPARAMVAL)
 */
export function cutBody(body: Body, concatRef: number, sar?: Sar): Parts {
  const ies = body.udh === null ? [] : decodeUdh(body.udh).ies;
  if (sar !== undefined) return sarPart(body, ies, sar);
  if (fits(body.alphabet, body.udh?.length ?? 0, body.payload.length)) {
    return { ok: true, parts: [buildPart(body.alphabet, body.udh, body.payload)] };
  }
  if (ies.some(isConcat)) {
    // Already part i of n: cutting it again would break the receiver's reassembly.
    return reject(S.ESME_RINVMSGLEN, "a concatenated part does not fit one short message");
  }
  const header = encodeUdh([...ies, concatIe(0, 1, 1)]).length;
  const room = body.alphabet === "gsm7"
    ? TP_UDL_SEPTETS_MAX - headerSeptets(header)
    : TP_UD_OCTETS_MAX - header;
  const cuts = cutPoints(body, room);
  if (cuts === undefined) {
    return reject(
      S.ESME_RINVMSGLEN,
      "the message needs more than 255 parts or the UDH is too long",
    );
  }
  const parts = cuts.map(([start, end], i) =>
    buildPart(
      body.alphabet,
      encodeUdh([...ies, concatIe(concatRef, cuts.length, i + 1)]),
      body.payload.subarray(start, end),
    )
  );
  return { ok: true, parts };
}

function sarPart(body: Body, ies: InformationElement[], sar: Sar): Parts {
  if (sar.total < 1 || sar.seqnum < 1 || sar.seqnum > sar.total) {
    return reject(
      S.ESME_RINVOPTPARAMVAL,
      `sar_segment_seqnum ${sar.seqnum} of sar_total_segments ${sar.total}`,
    );
  }
  if (ies.some(isConcat)) {
    return reject(S.ESME_RINVOPTPARAMVAL, "sar_* TLVs and a concatenation IE in the UDH");
  }
  const udh = encodeUdh([...ies, concatIe(sar.ref, sar.total, sar.seqnum, { ref16: true })]);
  if (!fits(body.alphabet, udh.length, body.payload.length)) {
    return reject(S.ESME_RINVMSGLEN, "a sar_* segment does not fit one short message");
  }
  return { ok: true, parts: [buildPart(body.alphabet, udh, body.payload)] };
}

/** Length of the character at `i`: an escape pair, a surrogate pair, or one unit. */
function unitLength(alphabet: Alphabet, p: Uint8Array, i: number): number {
  if (alphabet === "gsm7") return p[i] === GSM7_ESCAPE && i + 1 < p.length ? 2 : 1;
  if (alphabet === "8bit") return 1;
  const high = (p[i] << 8) | p[i + 1];
  if (high < 0xd800 || high > 0xdbff || i + 3 >= p.length) return 2;
  const low = (p[i + 2] << 8) | p[i + 3];
  return low >= 0xdc00 && low <= 0xdfff ? 4 : 2;
}

/** [start, end) of each part, at most `room` units each; undefined past 255 parts. */
function cutPoints(body: Body, room: number): [number, number][] | undefined {
  const { alphabet, payload } = body;
  const roomEven = alphabet === "ucs2" ? room - (room % 2) : room;
  // Room for the longest character: an escape pair or a surrogate pair.
  if (roomEven < (alphabet === "8bit" ? 1 : alphabet === "gsm7" ? 2 : 4)) return undefined;
  const cuts: [number, number][] = [];
  let start = 0;
  while (start < payload.length) {
    if (cuts.length === 255) return undefined;
    let end = start;
    while (end < payload.length) {
      const length = unitLength(alphabet, payload, end);
      if (end + length - start > roomEven) break;
      end += length;
    }
    cuts.push([start, end]);
    start = end;
  }
  return cuts;
}
