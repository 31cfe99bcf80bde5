/**
 * Header fields as kept in a parsed message, and accessors that see through
 * letter case, compact forms (RFC 3261 §7.3.3), line folding (§7.3.1) and
 * comma-separated lists.
 *
 * @module
 */

import { COMPACT_FORMS, LIST_HEADERS } from "./constants.ts";

/** One header field line (with its continuation lines), RFC 3261 §7.3. */
export interface SipHeader {
  /** field-name exactly as received ("v", "Via", "VIA" ...). */
  name: string;
  /**
   * field-value unfolded (each fold, with the white space around it, becomes
   * one SP, RFC 3261 §7.3.1) and trimmed of leading and trailing SP/HTAB.
   */
  value: string;
  /**
   * The header text exactly as received, without its final line end; only
   * present when it differs from `${name}: ${value}` (extra white space,
   * folding). `serializeSipMessage` writes `raw` when present, so delete it
   * after editing `name` or `value`.
   */
  raw?: string;
}

/** Anything with a header list: a `SipMessage`, or a bare `{ headers }`. */
export interface HasHeaders {
  headers: SipHeader[];
}

/**
 * Expands a compact form to its long name; other names come back unchanged.
 *
 * @param name a header name as received, e.g. "v" or "Content-Type"
 * @returns the long name, e.g. "Via"
 */
export function expandCompactForm(name: string): string {
  if (name.length !== 1) return name;
  return COMPACT_FORMS[name.toLowerCase()] ?? name;
}

/**
 * The comparison key of a header name: compact forms expanded, lower-cased.
 *
 * @param name a header name as received
 * @returns e.g. "call-id" for "i", "I", "Call-ID" or "call-id"
 */
export function headerKey(name: string): string {
  return expandCompactForm(name).toLowerCase();
}

/**
 * Unfolds continuation lines: every `*WSP (CRLF / LF) 1*WSP` becomes one SP
 * (RFC 3261 §7.3.1), then leading and trailing SP/HTAB are trimmed.
 *
 * @param text a field-value as received, possibly spanning lines
 * @returns the unfolded value
 */
export function unfoldHeaderValue(text: string): string {
  return text.replace(/[ \t]*\r?\n[ \t]+/g, " ").replace(/^[ \t]+|[ \t]+$/g, "");
}

/**
 * Splits a comma-separated header value into its elements, ignoring commas
 * inside quoted strings (with their quoted-pairs) and inside `<...>`.
 * Elements are trimmed; empty elements are kept so that a caller can reject
 * them.
 *
 * @param value an unfolded field-value
 * @returns the elements, at least one
 */
export function splitHeaderValues(value: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  let angle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === "\\") i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === "<") angle = true;
    else if (c === ">") angle = false;
    else if (c === "," && !angle) {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(value.slice(start).trim());
  return out;
}

/**
 * All header fields named `name`, in message order, whatever their case or
 * compact form.
 *
 * @param msg a message or anything with `headers`
 * @param name a long or compact name, any case
 * @returns the matching header fields (possibly empty)
 */
export function findHeaders(msg: HasHeaders, name: string): SipHeader[] {
  const key = headerKey(name);
  return msg.headers.filter((h) => headerKey(h.name) === key);
}

/**
 * The value of the first header field named `name`.
 *
 * @param msg a message or anything with `headers`
 * @param name a long or compact name, any case
 * @returns the unfolded value, or `undefined` when absent
 */
export function getHeaderValue(msg: HasHeaders, name: string): string | undefined {
  return findHeaders(msg, name)[0]?.value;
}

/**
 * Every value of header `name` across all its lines; for list headers
 * (Via, Contact, Route, Supported ... see `LIST_HEADERS`) each line is split
 * at top-level commas (RFC 3261 §7.3.1), for others each line is one value.
 *
 * @param msg a message or anything with `headers`
 * @param name a long or compact name, any case
 * @returns the values in order (possibly empty)
 */
export function getHeaderValues(msg: HasHeaders, name: string): string[] {
  const list = LIST_HEADERS.has(headerKey(name));
  return findHeaders(msg, name).flatMap((h) => (list ? splitHeaderValues(h.value) : [h.value]));
}
