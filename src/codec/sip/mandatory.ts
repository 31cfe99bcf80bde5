/**
 * The header fields every request and response must carry, checked after
 * `parseSipMessage` (which is syntax-only): RFC 3261 §8.1.1 ("A valid SIP
 * request formulated by a UAC MUST, at a minimum, contain the following
 * header fields: To, From, CSeq, Call-ID, Max-Forwards, and Via") and §7.4.1.
 *
 * @module
 */

import { DecodeError } from "../../lib/errors.ts";
import { isWord } from "./_chars.ts";
import { STATUS_BAD_REQUEST } from "./constants.ts";
import {
  type ContentType,
  type CSeq,
  parseContentType,
  parseCSeq,
  parseMaxForwards,
} from "./fields.ts";
import { findHeaders, type SipHeader, splitHeaderValues } from "./headers.ts";
import type { SipMessage } from "./message.ts";
import { type NameAddr, parseContact, parseNameAddr } from "./name_addr.ts";
import { parseVia, type Via } from "./via.ts";

/** The parsed mandatory (and a few optional) header fields of a message. */
export interface MandatoryHeaders {
  /** Call-ID, RFC 3261 §20.8. */
  callId: string;
  /** CSeq, RFC 3261 §20.16. */
  cseq: CSeq;
  /** From, RFC 3261 §20.20. */
  from: NameAddr;
  /** To, RFC 3261 §20.39. */
  to: NameAddr;
  /** Every Via value, topmost first, RFC 3261 §20.42. */
  via: Via[];
  /** Max-Forwards when present, RFC 3261 §20.22. */
  maxForwards?: number;
  /** Contact values when present (`"*"` only in REGISTER), RFC 3261 §20.10. */
  contact?: "*" | NameAddr[];
  /** Content-Type when present, RFC 3261 §20.15. */
  contentType?: ContentType;
}

/** Options of {@link checkMandatoryHeaders}. */
export interface MandatoryOptions {
  /**
   * Reject requests without Max-Forwards. Off by default: RFC 3261 §8.1.1
   * obliges the sender, and RFC 2543 peers (RFC 4475 §3.4.1) omit it.
   */
  requireMaxForwards?: boolean;
}

function fail(field: string, message: string): DecodeError {
  return new DecodeError(`Cannot accept SIP message: ${message}`, {
    protocol: "sip",
    field,
    code: STATUS_BAD_REQUEST,
  });
}

function single(msg: SipMessage, name: string): SipHeader {
  const found = findHeaders(msg, name);
  if (found.length === 0) throw fail(name, `mandatory header ${name} is missing`);
  if (found.length > 1) throw fail(name, `header ${name} appears ${found.length} times`);
  return found[0];
}

function optionalSingle(msg: SipMessage, name: string): SipHeader | undefined {
  const found = findHeaders(msg, name);
  if (found.length > 1) throw fail(name, `header ${name} appears ${found.length} times`);
  return found[0];
}

/** Call-ID = word [ "@" word ], RFC 3261 §25.1. */
function checkCallId(value: string): string {
  const at = value.indexOf("@");
  const ok = at < 0 ? isWord(value) : isWord(value.slice(0, at)) && isWord(value.slice(at + 1));
  if (!ok) throw fail("Call-ID", `Call-ID "${value}" is not word["@"word]`);
  return value;
}

/**
 * Checks that To, From, CSeq, Call-ID and Via are present (To, From, CSeq
 * and Call-ID exactly once) and well-formed, that a request's CSeq method
 * equals its method (RFC 3261 §8.1.1.5), that Max-Forwards is 0-255 when
 * present, that Contact and Content-Type parse when present, and that a
 * non-empty body has a Content-Type (RFC 3261 §7.4.1). Checks run in that
 * order; the first failure is thrown.
 *
 * @param msg a message from `parseSipMessage`
 * @param options see {@link MandatoryOptions}
 * @returns the parsed fields
 * @throws {DecodeError} code 400, `field` naming the header at fault
 */
export function checkMandatoryHeaders(
  msg: SipMessage,
  options: MandatoryOptions = {},
): MandatoryHeaders {
  const callId = checkCallId(single(msg, "Call-ID").value);
  const cseq = parseCSeq(single(msg, "CSeq").value);
  if (msg.kind === "request" && cseq.method !== msg.method) {
    throw fail("CSeq", `CSeq method "${cseq.method}" differs from request method "${msg.method}"`);
  }
  const from = parseNameAddr(single(msg, "From").value, "From");
  const to = parseNameAddr(single(msg, "To").value, "To");
  const vias = findHeaders(msg, "Via");
  if (vias.length === 0) throw fail("Via", "mandatory header Via is missing");
  const via = vias.flatMap((h) => splitHeaderValues(h.value)).map(parseVia);
  const out: MandatoryHeaders = { callId, cseq, from, to, via };
  const mf = optionalSingle(msg, "Max-Forwards");
  if (mf !== undefined) out.maxForwards = parseMaxForwards(mf.value);
  else if (msg.kind === "request" && options.requireMaxForwards) {
    throw fail("Max-Forwards", "mandatory header Max-Forwards is missing");
  }
  const contacts = findHeaders(msg, "Contact").map((h) => parseContact(h.value));
  if (contacts.length > 0) {
    if (contacts.includes("*") && contacts.length > 1) {
      throw fail("Contact", 'Contact "*" must stand alone');
    }
    out.contact = contacts.length === 1 && contacts[0] === "*"
      ? "*"
      : contacts.flat() as NameAddr[];
  }
  const ct = optionalSingle(msg, "Content-Type");
  if (ct !== undefined) out.contentType = parseContentType(ct.value);
  else if (msg.body.length > 0) throw fail("Content-Type", "a non-empty body needs a Content-Type");
  return out;
}
