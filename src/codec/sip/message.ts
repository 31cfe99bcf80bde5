/**
 * Whole SIP messages: `parseSipMessage` for one complete message (a
 * WebSocket frame, RFC 7118 §5, or a message cut by the stream framer) and
 * `serializeSipMessage`, RFC 3261 §7.
 *
 * @module
 */

import { EncodeError } from "../../lib/errors.ts";
import { hasBareControl, isToken } from "./_chars.ts";
import {
  findHeaderEnd,
  parseHeaderSection,
  parseHeaderText,
  resolveLimits,
  sipError,
  type SipLimits,
} from "./_header_section.ts";
import { checkRequestUri, parseStartLine } from "./_start_line.ts";
import {
  STATUS_BAD_REQUEST,
  STATUS_CODE_MAX,
  STATUS_CODE_MIN,
  STATUS_ENTITY_TOO_LARGE,
} from "./constants.ts";
import { headerKey, type SipHeader } from "./headers.ts";
import { parseContentLength } from "./fields.ts";

export type { SipLimits };

/** A request, RFC 3261 §7.1. */
export interface SipRequest {
  kind: "request";
  /** Method, a case-sensitive token ("MESSAGE", "REGISTER" ...). */
  method: string;
  /** Request-URI exactly as received; parse it with `parseSipUri`. */
  uri: string;
  /** SIP-Version as received ("SIP/2.0"). */
  version: string;
  /** Header fields in order, with original names and text. */
  headers: SipHeader[];
  /** message-body, raw bytes (Content-Length bytes, or the rest of the input). */
  body: Uint8Array;
}

/** A response, RFC 3261 §7.2. */
export interface SipResponse {
  kind: "response";
  /** SIP-Version as received. */
  version: string;
  /** Status-Code, 100-699. */
  status: number;
  /** Reason-Phrase, possibly empty (RFC 4475 §3.1.1.13). */
  reason: string;
  /** Header fields in order, with original names and text. */
  headers: SipHeader[];
  /** message-body, raw bytes. */
  body: Uint8Array;
}

/** A request or a response. */
export type SipMessage = SipRequest | SipResponse;

/**
 * Finds the Content-Length of a header list: `undefined` when absent.
 * Repeated headers must agree (RFC 4475 §3.3.9).
 */
export function contentLengthOf(headers: SipHeader[], offsets: number[]): number | undefined {
  let length: number | undefined;
  headers.forEach((h, i) => {
    if (headerKey(h.name) !== "content-length") return;
    let n: number;
    try {
      n = parseContentLength(h.value);
    } catch {
      throw sipError(
        "Content-Length",
        `Content-Length "${h.value}" is not a decimal number`,
        offsets[i],
        STATUS_BAD_REQUEST,
      );
    }
    if (length !== undefined && n !== length) {
      throw sipError(
        "Content-Length",
        `Content-Length values ${length} and ${n} disagree`,
        offsets[i],
        STATUS_BAD_REQUEST,
      );
    }
    length = n;
  });
  return length;
}

/**
 * Parses one complete SIP message: start line, header fields and body.
 * Syntax only: mandatory headers are checked by `checkMandatoryHeaders`.
 * Bare-LF line ends are accepted (RFC 3261 §7.5 leniency). With
 * Content-Length, the body is that many bytes and any extra bytes are
 * ignored (RFC 3261 §18.3); without it, the body is the rest of the input.
 *
 * @example
 * ```ts
 * import { parseSipMessage } from "./message.ts";
 * const text = "SIP/2.0 202 Accepted\r\nContent-Length: 0\r\n\r\n";
 * const msg = parseSipMessage(new TextEncoder().encode(text));
 * // msg.kind === "response", msg.status === 202
 * ```
 *
 * @param bytes the message
 * @param limits optional limits (defaults in constants.ts)
 * @returns the request or response
 * @throws {DecodeError} protocol "sip"; `code` is the status to answer with:
 *   400 syntax, 413 body too large, 505 version, 513 header section too large
 */
export function parseSipMessage(bytes: Uint8Array, limits?: Partial<SipLimits>): SipMessage {
  const lim = resolveLimits(limits);
  if (bytes.length === 0 || bytes[0] === 10 || bytes[0] === 13) {
    throw sipError("start-line", "missing start line", 0, STATUS_BAD_REQUEST);
  }
  const found = findHeaderEnd(bytes, 0, lim.maxHeaderBytes);
  if (found === null) {
    throw sipError(
      "message-header",
      "header section does not end with an empty line",
      bytes.length,
      STATUS_BAD_REQUEST,
    );
  }
  const section = parseHeaderSection(bytes, 0, found.end, lim);
  const start = parseStartLine(section.startLine, 0);
  const available = bytes.length - found.bodyStart;
  const declared = contentLengthOf(section.headers, section.offsets);
  const bodyLength = declared ?? available;
  if (bodyLength > lim.maxBodyBytes) {
    throw sipError(
      "message-body",
      `body of ${bodyLength} bytes exceeds ${lim.maxBodyBytes}`,
      found.bodyStart,
      STATUS_ENTITY_TOO_LARGE,
    );
  }
  if (bodyLength > available) {
    throw sipError(
      "Content-Length",
      `Content-Length ${bodyLength} exceeds the ${available} bytes received`,
      found.bodyStart,
      STATUS_BAD_REQUEST,
    );
  }
  const body = bytes.slice(found.bodyStart, found.bodyStart + bodyLength);
  return { ...start, headers: section.headers, body };
}

function encodeFail(field: string, message: string): EncodeError {
  return new EncodeError(`Cannot serialize SIP message: ${message}`, { protocol: "sip", field });
}

function startLineText(msg: SipMessage): string {
  if (!/^SIP\/[0-9]+\.[0-9]+$/i.test(msg.version)) {
    throw encodeFail("SIP-Version", "bad SIP-Version");
  }
  if (msg.kind === "request") {
    if (!isToken(msg.method)) throw encodeFail("Method", `Method "${msg.method}" is not a token`);
    try {
      checkRequestUri(msg.uri, 0);
    } catch {
      throw encodeFail("Request-URI", `Request-URI "${msg.uri}" is not valid`);
    }
    return `${msg.method} ${msg.uri} ${msg.version}`;
  }
  if (
    !Number.isInteger(msg.status) || msg.status < STATUS_CODE_MIN || msg.status > STATUS_CODE_MAX
  ) {
    throw encodeFail("Status-Code", `Status-Code ${msg.status} is not 100-699`);
  }
  if (hasBareControl(msg.reason)) {
    throw encodeFail("Reason-Phrase", "control character in Reason-Phrase");
  }
  return `${msg.version} ${msg.status} ${msg.reason}`;
}

function headerText(h: SipHeader): string {
  const text = h.raw ?? `${h.name}: ${h.value}`;
  // Re-parsing guards against header injection (CR/LF in a value) and
  // against a stale `raw` that no longer matches `name`/`value`.
  let again: SipHeader;
  try {
    if (/\r(?!\n)|\n(?![ \t])/.test(text)) throw new Error("line end");
    again = parseHeaderText(text, 0);
  } catch {
    throw encodeFail(h.name, `header ${JSON.stringify(h.name)} is not representable`);
  }
  if (again.name !== h.name || again.value !== h.value) {
    throw encodeFail(h.name, `raw text of ${h.name} does not match its name and value`);
  }
  return text;
}

/**
 * Serializes a message: start line, each header (its `raw` text when
 * present, else `name: value`), an empty line and the body, all lines ended
 * by CRLF. For a message from `parseSipMessage` of well-formed CRLF input
 * the output is byte-identical to that input (extra bytes after
 * Content-Length excepted). Content-Length is not added: callers include it.
 *
 * @param msg the message
 * @returns the bytes
 * @throws {EncodeError} on a field that cannot be put on the wire (non-token
 *   method or name, CR/LF in a value, stale `raw`), or a Content-Length that
 *   differs from `body.length`
 */
export function serializeSipMessage(msg: SipMessage): Uint8Array {
  let text = startLineText(msg) + "\r\n";
  for (const h of msg.headers) {
    if (headerKey(h.name) === "content-length" && h.value !== String(msg.body.length)) {
      let n: number | undefined;
      try {
        n = parseContentLength(h.value);
      } catch { /* reported below */ }
      if (n !== msg.body.length) {
        throw encodeFail(
          "Content-Length",
          `Content-Length "${h.value}" differs from body length ${msg.body.length}`,
        );
      }
    }
    text += headerText(h) + "\r\n";
  }
  const head = new TextEncoder().encode(text + "\r\n");
  const out = new Uint8Array(head.length + msg.body.length);
  out.set(head);
  out.set(msg.body, head.length);
  return out;
}
