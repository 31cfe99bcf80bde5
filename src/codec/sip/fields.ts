/**
 * Scalar and small structured header fields: CSeq (RFC 3261 §20.16),
 * Content-Length (§20.14), Max-Forwards (§20.22) and Content-Type (§20.15).
 *
 * @module
 */

import { DecodeError, EncodeError } from "../../lib/errors.ts";
import { isToken } from "./_chars.ts";
import { isQuotedString, serializeParams, type SipParam, TextScanner } from "./_scanner.ts";
import { CSEQ_MAX, MAX_FORWARDS_MAX, STATUS_BAD_REQUEST } from "./constants.ts";

/** CSeq: `1*DIGIT LWS Method`, RFC 3261 §20.16. */
export interface CSeq {
  /** Sequence number, 0 to 2^32-1 (RFC 3261 §8.1.1.5). */
  seq: number;
  /** The method, case-sensitive (RFC 3261 §7.1). */
  method: string;
}

/** Content-Type: `m-type "/" m-subtype *( SEMI m-parameter )`, RFC 3261 §20.15. */
export interface ContentType {
  /** m-type as written, e.g. "application" (compare case-insensitively). */
  type: string;
  /** m-subtype as written, e.g. "vnd.3gpp.sms". */
  subtype: string;
  /** m-parameters in order; quoted values keep their quotes. */
  params: SipParam[];
}

function bad(field: string, message: string): DecodeError {
  return new DecodeError(`Cannot parse ${field}: ${message}`, {
    protocol: "sip",
    field,
    offset: 0,
    code: STATUS_BAD_REQUEST,
  });
}

/**
 * Reads a `1*DIGIT` text as a number no larger than `max`, allowing leading
 * zeros (RFC 4475 §3.1.1.1 has "0009").
 */
function boundedDigits(text: string, max: number, field: string): number {
  if (!/^[0-9]+$/.test(text)) throw bad(field, `"${text}" is not a decimal number`);
  const significant = text.replace(/^0+(?=.)/, "");
  // Long digit strings are rejected before Number() so that precision is never lost.
  if (significant.length > 15 || Number(significant) > max) {
    throw bad(field, `${significant.length > 20 ? "value" : significant} exceeds ${max}`);
  }
  return Number(significant);
}

/**
 * Parses a CSeq value. Leading zeros and any LWS between number and method
 * are accepted.
 *
 * @param value the unfolded value
 * @returns sequence number and method
 * @throws {DecodeError} field "CSeq", code 400, when malformed or beyond 2^32-1
 */
export function parseCSeq(value: string): CSeq {
  const s = new TextScanner(value, "CSeq");
  s.skipWs();
  const digits = s.run((c) => c >= 48 && c <= 57);
  const seq = boundedDigits(digits, CSEQ_MAX, "CSeq");
  if (s.skipWs() === 0) throw s.error("expected LWS between number and method");
  const method = s.token("Method");
  s.end();
  return { seq, method };
}

/**
 * Serializes a CSeq as `seq method`.
 *
 * @param cseq the value
 * @returns the text
 * @throws {EncodeError} field "CSeq" on a number outside 0-2^32-1 or a non-token method
 */
export function serializeCSeq(cseq: CSeq): string {
  if (!Number.isInteger(cseq.seq) || cseq.seq < 0 || cseq.seq > CSEQ_MAX || !isToken(cseq.method)) {
    throw new EncodeError("Cannot serialize CSeq: number or method out of range", {
      protocol: "sip",
      field: "CSeq",
    });
  }
  return `${cseq.seq} ${cseq.method}`;
}

/**
 * Parses a Content-Length value (`1*DIGIT`).
 *
 * @param value the value, surrounding white space already trimmed
 * @returns the length in bytes
 * @throws {DecodeError} field "Content-Length", code 400, when not a decimal number
 *   or beyond 2^53 (callers apply their own body limit)
 */
export function parseContentLength(value: string): number {
  return boundedDigits(value, Number.MAX_SAFE_INTEGER, "Content-Length");
}

/**
 * Parses a Max-Forwards value.
 *
 * @param value the value, white space trimmed
 * @returns 0-255
 * @throws {DecodeError} field "Max-Forwards", code 400, outside 0-255
 */
export function parseMaxForwards(value: string): number {
  return boundedDigits(value, MAX_FORWARDS_MAX, "Max-Forwards");
}

/**
 * Parses a Content-Type (or compact "c") value.
 *
 * @param value the unfolded value
 * @returns type, subtype and parameters
 * @throws {DecodeError} field "Content-Type", code 400, on a syntax error
 */
export function parseContentType(value: string): ContentType {
  const s = new TextScanner(value, "Content-Type");
  s.skipWs();
  const type = s.token("m-type");
  s.skipWs();
  s.expect("/", '"/"');
  s.skipWs();
  const subtype = s.token("m-subtype");
  const params = s.params();
  for (const p of params) {
    // m-parameter = m-attribute EQUAL m-value; m-value = token / quoted-string.
    if (p.value === undefined || !(isToken(p.value) || isQuotedString(p.value))) {
      throw s.error(`invalid m-parameter "${p.name}"`);
    }
  }
  s.end();
  return { type, subtype, params };
}

/**
 * Serializes a Content-Type as `type/subtype;name=value`.
 *
 * @param ct the value
 * @returns the text
 * @throws {EncodeError} field "Content-Type" when a part is not a token
 */
export function serializeContentType(ct: ContentType): string {
  if (!isToken(ct.type) || !isToken(ct.subtype)) {
    throw new EncodeError("Cannot serialize Content-Type: type or subtype is not a token", {
      protocol: "sip",
      field: "Content-Type",
    });
  }
  const check = (p: SipParam) =>
    isToken(p.name) && p.value !== undefined && (isToken(p.value) || isQuotedString(p.value));
  return `${ct.type}/${ct.subtype}${serializeParams(ct.params, check, "Content-Type")}`;
}
