/**
 * name-addr / addr-spec values of From, To, Contact, Route and similar
 * headers: RFC 3261 §20.10, §20.20, §20.39 and §25.1.
 *
 * @module
 */

import { EncodeError } from "../../lib/errors.ts";
import { isTokenChar } from "./_chars.ts";
import { isGenericParam, serializeParams, type SipParam, TextScanner } from "./_scanner.ts";
import { splitHeaderValues } from "./headers.ts";
import { isAbsoluteUri, parseSipUri } from "./uri.ts";

/** `( name-addr / addr-spec ) *( SEMI generic-param )`. */
export interface NameAddr {
  /**
   * display-name, unquoted and unescaped; absent when none was given. A
   * token display name keeps its inner white space as written.
   */
  displayName?: string;
  /** The URI text (addr-spec), without angle brackets; parse it with `parseSipUri`. */
  uri: string;
  /** Header parameters after the URI (tag, expires, q, +sip.instance ...). */
  params: SipParam[];
}

function checkUri(s: TextScanner, uri: string, bracketed: boolean): void {
  const lower = uri.slice(0, 5).toLowerCase();
  if (lower.startsWith("sip:") || lower.startsWith("sips:") || lower.startsWith("tel:")) {
    parseSipUri(uri, s.field);
  } else if (!isAbsoluteUri(uri)) {
    throw s.error(`invalid URI "${uri}"`);
  }
  // RFC 3261 §20.10: "if the URI contains a comma, question mark or
  // semicolon, the URI MUST be enclosed in angle brackets".
  if (!bracketed && /[,?;]/.test(uri)) throw s.error(`URI "${uri}" must be in angle brackets`);
}

function bracketedUri(s: TextScanner): string {
  s.expect("<", '"<"');
  const uri = s.run((c) => c !== 62 && c !== 32 && c !== 9);
  s.expect(">", '">" right after the URI');
  checkUri(s, uri, true);
  return uri;
}

/**
 * Parses one `name-addr` or `addr-spec` with its header parameters: the
 * value of From or To, or one element of a Contact list.
 *
 * @param value the unfolded value
 * @param field header name for errors (default "From")
 * @returns the parsed value
 * @throws {DecodeError} code 400 on a syntax error, with `field`
 */
export function parseNameAddr(value: string, field = "From"): NameAddr {
  const s = new TextScanner(value, field);
  s.skipWs();
  const out: NameAddr = { uri: "", params: [] };
  if (s.peek() === '"') {
    out.displayName = s.quoted();
    s.skipWs();
    out.uri = bracketedUri(s);
  } else if (s.peek() === "<") {
    out.uri = bracketedUri(s);
  } else {
    // Either `*(token LWS) <addr-spec>` or a bare addr-spec. RFC 4475
    // §3.1.1.6 asks us to accept a token display name without LWS before "<".
    const start = s.pos;
    const words = s.run((c) => isTokenChar(c) || c === 32 || c === 9);
    if (s.peek() === "<" && words.trim() !== "") {
      out.displayName = words.trim();
      out.uri = bracketedUri(s);
    } else {
      s.pos = start;
      out.uri = s.run((c) => c !== 59 && c !== 32 && c !== 9);
      checkUri(s, out.uri, false);
    }
  }
  out.params = s.params();
  s.end();
  return out;
}

/**
 * Parses a Contact header value: `"*"` or a comma-separated list of
 * name-addr / addr-spec (RFC 3261 §20.10).
 *
 * @param value the unfolded value of one Contact header line
 * @returns `"*"` or the list
 * @throws {DecodeError} field "Contact", code 400
 */
export function parseContact(value: string): "*" | NameAddr[] {
  if (value.trim() === "*") return "*";
  return splitHeaderValues(value).map((v) => parseNameAddr(v, "Contact"));
}

function quoteDisplayName(name: string): string {
  // deno-lint-ignore no-control-regex -- NUL cannot be sent (parse refuses it)
  if (/[\x00\r\n]/.test(name)) {
    throw new EncodeError("Cannot serialize display-name: holds NUL, CR or LF", {
      protocol: "sip",
      field: "display-name",
    });
  }
  // deno-lint-ignore no-control-regex -- quoted-pair protects the other controls
  return `"${name.replace(/[\\"\x01-\x08\x0b\x0c\x0e-\x1f\x7f]/g, (c) => `\\${c}`)}"`;
}

/**
 * Serializes a name-addr as `"Display" <uri>;params`, always with angle
 * brackets and a quoted display name, so that it parses back to an equal value.
 *
 * @param value the name-addr
 * @param field header name for errors (default "From")
 * @returns the text
 * @throws {EncodeError} on a URI or parameter that cannot be represented
 */
export function serializeNameAddr(value: NameAddr, field = "From"): string {
  let ok = isAbsoluteUri(value.uri);
  if (ok && /^(sips?|tel):/i.test(value.uri)) {
    try {
      parseSipUri(value.uri, field);
    } catch {
      ok = false;
    }
  }
  if (!ok) {
    throw new EncodeError(`Cannot serialize ${field}: invalid URI "${value.uri}"`, {
      protocol: "sip",
      field,
    });
  }
  const name = value.displayName === undefined ? "" : `${quoteDisplayName(value.displayName)} `;
  return `${name}<${value.uri}>${serializeParams(value.params, isGenericParam, field)}`;
}
