/**
 * The byte-level part of message parsing shared by `parseSipMessage` and
 * the stream framer: where the header section ends, its split into lines,
 * and header-field grouping with unfolding (RFC 3261 §7.3). Private to this
 * folder.
 *
 * @module
 */

import { DecodeError } from "../../lib/errors.ts";
import { hasBareControl, isToken } from "./_chars.ts";
import {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_HEADER_BYTES,
  DEFAULT_MAX_HEADERS,
  STATUS_BAD_REQUEST,
  STATUS_MESSAGE_TOO_LARGE,
} from "./constants.ts";
import { type SipHeader, unfoldHeaderValue } from "./headers.ts";

/** Resource limits applied to every parsed or framed message. */
export interface SipLimits {
  /** Most bytes from the start line up to and including the empty line (513 beyond). */
  maxHeaderBytes: number;
  /** Most body bytes, from Content-Length or the datagram (413 beyond). */
  maxBodyBytes: number;
  /** Most header field lines, continuation lines not counted (513 beyond). */
  maxHeaders: number;
}

/** Fills missing limits with the defaults from constants.ts. */
export function resolveLimits(limits?: Partial<SipLimits>): SipLimits {
  return {
    maxHeaderBytes: limits?.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES,
    maxBodyBytes: limits?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    maxHeaders: limits?.maxHeaders ?? DEFAULT_MAX_HEADERS,
  };
}

export function sipError(
  field: string,
  message: string,
  offset: number,
  code: number,
): DecodeError {
  return new DecodeError(`Cannot parse SIP message: ${message}`, {
    protocol: "sip",
    field,
    offset,
    code,
  });
}

const LF = 10;
const CR = 13;

/**
 * Finds the empty line that ends the header section starting at `start`.
 * Accepts CRLF and, leniently, bare LF line ends. Returns `end` (one past the
 * LF of the last header line) and `bodyStart`, or `null` when more bytes are
 * needed.
 *
 * @throws {DecodeError} 513 when the section exceeds `maxHeaderBytes`
 */
export function findHeaderEnd(
  bytes: Uint8Array,
  start: number,
  maxHeaderBytes: number,
): { end: number; bodyStart: number } | null {
  const tooLarge = () =>
    sipError(
      "message-header",
      `header section exceeds ${maxHeaderBytes} bytes`,
      start + maxHeaderBytes,
      STATUS_MESSAGE_TOO_LARGE,
    );
  const waitOrFail = () => {
    if (bytes.length - start > maxHeaderBytes) throw tooLarge();
    return null;
  };
  let i = start;
  for (;;) {
    const lf = bytes.indexOf(LF, i);
    if (lf < 0 || lf + 1 >= bytes.length) return waitOrFail();
    if (bytes[lf + 1] === LF) return checkSize(start, lf + 1, lf + 2, maxHeaderBytes);
    if (bytes[lf + 1] === CR) {
      if (lf + 2 >= bytes.length) return waitOrFail();
      if (bytes[lf + 2] === LF) return checkSize(start, lf + 1, lf + 3, maxHeaderBytes);
    }
    if (lf + 1 - start > maxHeaderBytes) throw tooLarge();
    i = lf + 1;
  }
}

function checkSize(start: number, end: number, bodyStart: number, max: number) {
  if (bodyStart - start > max) {
    throw sipError(
      "message-header",
      `header section exceeds ${max} bytes`,
      start + max,
      STATUS_MESSAGE_TOO_LARGE,
    );
  }
  return { end, bodyStart };
}

/** One line of the header section, decoded, without its line end. */
interface Line {
  text: string;
  /** "\r\n" or "\n". */
  eol: string;
  offset: number;
}

const DECODER = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Splits `[start, end)` (which ends with LF) into decoded lines. */
function splitLines(bytes: Uint8Array, start: number, end: number): Line[] {
  const nul = bytes.subarray(start, end).indexOf(0);
  if (nul >= 0) {
    // Not in the RFC 3261 grammar outside quoted-pair; refused everywhere
    // because NUL truncates strings in logs and downstream C code.
    throw sipError("message-header", "NUL byte in header section", start + nul, STATUS_BAD_REQUEST);
  }
  const lines: Line[] = [];
  let ls = start;
  while (ls < end) {
    const lf = bytes.indexOf(LF, ls);
    const crlf = lf > ls && bytes[lf - 1] === CR;
    const le = crlf ? lf - 1 : lf;
    let text: string;
    try {
      text = DECODER.decode(bytes.subarray(ls, le));
    } catch {
      throw sipError("message-header", "header section is not valid UTF-8", ls, STATUS_BAD_REQUEST);
    }
    lines.push({ text, eol: crlf ? "\r\n" : "\n", offset: ls });
    ls = lf + 1;
  }
  return lines;
}

/** The decoded header section. */
export interface HeaderSection {
  startLine: string;
  headers: SipHeader[];
  /** Byte offset of each header's first line, parallel to `headers`. */
  offsets: number[];
}

/**
 * Parses header field lines `[start, end)`: the start line is returned as
 * text, every other line is a header field or a continuation of one.
 *
 * @throws {DecodeError} 400 on NUL, bad UTF-8, a line without colon, a bad
 *   field-name or a control character; 513 beyond `maxHeaders`
 */
export function parseHeaderSection(
  bytes: Uint8Array,
  start: number,
  end: number,
  limits: SipLimits,
): HeaderSection {
  const lines = splitLines(bytes, start, end);
  const section: HeaderSection = { startLine: lines[0].text, headers: [], offsets: [] };
  let i = 1;
  while (i < lines.length) {
    const first = lines[i];
    let raw = first.text;
    i++;
    while (i < lines.length && /^[ \t]/.test(lines[i].text)) {
      raw += lines[i - 1].eol + lines[i].text;
      i++;
    }
    if (/^[ \t]/.test(raw)) {
      throw sipError(
        "message-header",
        "continuation line before the first header",
        first.offset,
        STATUS_BAD_REQUEST,
      );
    }
    if (section.headers.length >= limits.maxHeaders) {
      throw sipError(
        "message-header",
        `more than ${limits.maxHeaders} header fields`,
        first.offset,
        STATUS_MESSAGE_TOO_LARGE,
      );
    }
    section.headers.push(parseHeaderText(raw, first.offset));
    section.offsets.push(first.offset);
  }
  return section;
}

/**
 * Parses one header field's text (continuation lines included, final line
 * end excluded) into a `SipHeader`.
 *
 * @throws {DecodeError} 400 on a missing colon, a bad field-name or a bare control character
 */
export function parseHeaderText(raw: string, offset: number): SipHeader {
  const colon = raw.indexOf(":");
  if (colon < 0) {
    throw sipError("message-header", "header line without colon", offset, STATUS_BAD_REQUEST);
  }
  // HCOLON = *( SP / HTAB ) ":" SWS, RFC 3261 §25.1.
  const name = raw.slice(0, colon).replace(/[ \t]+$/, "");
  if (!isToken(name)) {
    throw sipError(
      "message-header",
      `field-name "${name}" is not a token`,
      offset,
      STATUS_BAD_REQUEST,
    );
  }
  const value = unfoldHeaderValue(raw.slice(colon + 1));
  if (hasBareControl(value)) {
    throw sipError(name, `control character in ${name} value`, offset, STATUS_BAD_REQUEST);
  }
  const header: SipHeader = { name, value };
  if (raw !== `${name}: ${value}`) header.raw = raw;
  return header;
}
