/**
 * SIP, SIPS and tel URIs: RFC 3261 §19.1.1 and §25.1 (SIP-URI, SIPS-URI),
 * RFC 3966 §3 (tel). Components keep their `%HH` escapes exactly as written;
 * RFC 3261 §19.1.4 compares them after unescaping, which is the caller's job.
 *
 * @module
 */

import { DecodeError, EncodeError } from "../../lib/errors.ts";
import { isUriHeaderText, isUriParamText, isUriPassword, isUriUser } from "./_chars.ts";
import type { SipParam } from "./_scanner.ts";
import { STATUS_BAD_REQUEST } from "./constants.ts";

/** A `sip:` or `sips:` URI, RFC 3261 §19.1.1. */
export interface SipUri {
  /** "sip" or "sips", lower-cased (the scheme is case-insensitive, RFC 3261 §19.1.4). */
  scheme: "sip" | "sips";
  /** `user` as written, escapes kept. */
  user?: string;
  /** `password` as written (RFC 3261 §19.1.1 says not to use it). */
  password?: string;
  /** hostname, IPv4address or IPv6reference (with brackets), as written. */
  host: string;
  /** `port`, 0-65535. */
  port?: number;
  /** uri-parameters in order (`transport`, `user`, `lr`, ...). */
  params: SipParam[];
  /** headers after "?", as name/value pairs (value "" when empty). */
  headers: SipParam[];
}

/** A `tel:` URI, RFC 3966 §3. */
export interface TelUri {
  scheme: "tel";
  /** The telephone-subscriber up to the first ";", visual separators kept. */
  number: string;
  /** Parameters (`phone-context`, `ext`, `isub`, ...) in order. */
  params: SipParam[];
}

/** What {@link parseSipUri} returns. */
export type ParsedUri = SipUri | TelUri;

function fail(field: string, message: string, offset?: number): DecodeError {
  return new DecodeError(`Cannot parse ${field}: ${message}`, {
    protocol: "sip",
    field,
    offset,
    code: STATUS_BAD_REQUEST,
  });
}

const HOSTNAME =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.?$/;
const IPV6_REFERENCE = /^\[[0-9A-Fa-f:.]{2,45}\]$/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+\-.]*$/;
const TEL_NUMBER = /^[0-9A-Fa-f*#+\-.()pPwW]+$/;

/** True when `host` is a hostname, an IPv4 address or an IPv6 reference. */
export function isHost(host: string): boolean {
  return HOSTNAME.test(host) || IPV6_REFERENCE.test(host);
}

function parsePort(text: string, field: string, offset: number): number {
  if (!/^[0-9]{1,5}$/.test(text) || Number(text) > 65535) {
    throw fail(field, `port "${text}" is not 0-65535`, offset);
  }
  return Number(text);
}

/** Splits `host[:port]` where host may be an IPv6 reference. */
function parseHostPort(
  text: string,
  field: string,
  offset: number,
): { host: string; port?: number } {
  let host = text;
  let portText: string | undefined;
  if (text.startsWith("[")) {
    const close = text.indexOf("]");
    if (close < 0) throw fail(field, "unterminated IPv6 reference", offset);
    host = text.slice(0, close + 1);
    const rest = text.slice(close + 1);
    if (rest !== "") {
      if (rest[0] !== ":") throw fail(field, `unexpected "${rest[0]}" after host`, offset);
      portText = rest.slice(1);
    }
  } else {
    const colon = text.indexOf(":");
    if (colon >= 0) {
      host = text.slice(0, colon);
      portText = text.slice(colon + 1);
    }
  }
  if (!isHost(host)) throw fail(field, `invalid host "${host}"`, offset);
  if (portText === undefined) return { host };
  return { host, port: parsePort(portText, field, offset + host.length + 1) };
}

function parseUriParams(text: string, field: string, offset: number): SipParam[] {
  const out: SipParam[] = [];
  if (text === "") return out;
  for (const part of text.split(";")) {
    const eq = part.indexOf("=");
    const name = eq < 0 ? part : part.slice(0, eq);
    if (!isUriParamText(name)) throw fail(field, `invalid uri-parameter "${part}"`, offset);
    if (eq < 0) {
      out.push({ name });
      continue;
    }
    const value = part.slice(eq + 1);
    if (!isUriParamText(value)) throw fail(field, `invalid uri-parameter "${part}"`, offset);
    out.push({ name, value });
  }
  return out;
}

function parseUriHeaders(text: string, field: string, offset: number): SipParam[] {
  const out: SipParam[] = [];
  for (const part of text.split("&")) {
    const eq = part.indexOf("=");
    if (eq < 0) throw fail(field, `URI header "${part}" lacks "="`, offset);
    const name = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (!isUriHeaderText(name, false) || !isUriHeaderText(value, true)) {
      throw fail(field, `invalid URI header "${part}"`, offset);
    }
    out.push({ name, value });
  }
  return out;
}

function parseSipBody(scheme: "sip" | "sips", text: string, field: string, base: number): SipUri {
  const uri: SipUri = { scheme, host: "", params: [], headers: [] };
  let rest = text;
  let at = base;
  // "@" cannot appear unescaped in any later component (RFC 3261 §25.1), so
  // the first one ends the userinfo.
  const atSign = rest.indexOf("@");
  if (atSign >= 0) {
    const userinfo = rest.slice(0, atSign);
    const colon = userinfo.indexOf(":");
    const user = colon < 0 ? userinfo : userinfo.slice(0, colon);
    if (!isUriUser(user)) throw fail(field, `invalid user "${user}"`, at);
    uri.user = user;
    if (colon >= 0) {
      const password = userinfo.slice(colon + 1);
      if (!isUriPassword(password)) throw fail(field, "invalid password", at + colon + 1);
      uri.password = password;
    }
    rest = rest.slice(atSign + 1);
    at += atSign + 1;
  }
  const q = rest.indexOf("?");
  const beforeHeaders = q < 0 ? rest : rest.slice(0, q);
  const semi = beforeHeaders.indexOf(";");
  const hostport = semi < 0 ? beforeHeaders : beforeHeaders.slice(0, semi);
  Object.assign(uri, parseHostPort(hostport, field, at));
  if (semi >= 0) uri.params = parseUriParams(beforeHeaders.slice(semi + 1), field, at + semi + 1);
  if (q >= 0) uri.headers = parseUriHeaders(rest.slice(q + 1), field, at + q + 1);
  return uri;
}

function parseTelBody(text: string, field: string, base: number): TelUri {
  const semi = text.indexOf(";");
  const number = semi < 0 ? text : text.slice(0, semi);
  if (!TEL_NUMBER.test(number)) throw fail(field, `invalid telephone-subscriber "${number}"`, base);
  const params = semi < 0 ? [] : parseUriParams(text.slice(semi + 1), field, base + semi + 1);
  return { scheme: "tel", number, params };
}

/**
 * Parses a `sip:`, `sips:` or `tel:` URI. Components keep their escapes.
 *
 * @example
 * ```ts
 * import { parseSipUri } from "./uri.ts";
 * const uri = parseSipUri("sip:alice@[2001:db8::1]:5061;transport=tcp");
 * // { scheme: "sip", user: "alice", host: "[2001:db8::1]", port: 5061, params: [...], headers: [] }
 * ```
 *
 * @param text the URI, without angle brackets or surrounding white space
 * @param field the field name to put in errors (default "SIP-URI")
 * @returns the parsed URI
 * @throws {DecodeError} code 400 on any syntax error or another scheme
 */
export function parseSipUri(text: string, field = "SIP-URI"): ParsedUri {
  const colon = text.indexOf(":");
  const scheme = colon < 0 ? "" : text.slice(0, colon).toLowerCase();
  const body = text.slice(colon + 1);
  if (scheme === "sip" || scheme === "sips") return parseSipBody(scheme, body, field, colon + 1);
  if (scheme === "tel") return parseTelBody(body, field, colon + 1);
  throw fail(field, `scheme "${scheme}" is not sip, sips or tel`, 0);
}

/**
 * True when `text` looks like an absoluteURI of any scheme (RFC 3261 §25.1,
 * loosely: scheme ":" then characters that are not white space, controls,
 * DQUOTE or angle brackets). Used for Request-URIs and name-addrs of schemes
 * we do not parse.
 *
 * @param text the candidate URI
 * @returns whether it is acceptable as an opaque absolute URI
 */
export function isAbsoluteUri(text: string): boolean {
  const colon = text.indexOf(":");
  if (colon <= 0 || colon === text.length - 1) return false;
  if (!SCHEME.test(text.slice(0, colon))) return false;
  // deno-lint-ignore no-control-regex -- controls are exactly what is refused
  return !/[\x00-\x20\x7f"<>]/.test(text);
}

function encodeFail(message: string): EncodeError {
  return new EncodeError(`Cannot serialize SIP-URI: ${message}`, {
    protocol: "sip",
    field: "SIP-URI",
  });
}

function serializeUriParams(params: SipParam[]): string {
  let out = "";
  for (const p of params) {
    if (!isUriParamText(p.name) || (p.value !== undefined && !isUriParamText(p.value))) {
      throw encodeFail(`invalid uri-parameter ${JSON.stringify(p)}`);
    }
    out += p.value === undefined ? `;${p.name}` : `;${p.name}=${p.value}`;
  }
  return out;
}

/**
 * Serializes a URI built or parsed by {@link parseSipUri}; the result parses
 * back to an equal value.
 *
 * @param uri the URI
 * @returns its text form
 * @throws {EncodeError} when a component holds characters it may not hold
 */
export function serializeSipUri(uri: ParsedUri): string {
  if (uri.scheme === "tel") {
    if (!TEL_NUMBER.test(uri.number)) throw encodeFail(`invalid number "${uri.number}"`);
    return `tel:${uri.number}${serializeUriParams(uri.params)}`;
  }
  if (uri.scheme !== "sip" && uri.scheme !== "sips") throw encodeFail("unknown scheme");
  let out = `${uri.scheme}:`;
  if (uri.user !== undefined) {
    if (!isUriUser(uri.user)) throw encodeFail(`invalid user "${uri.user}"`);
    out += uri.user;
    if (uri.password !== undefined) {
      if (!isUriPassword(uri.password)) throw encodeFail("invalid password");
      out += `:${uri.password}`;
    }
    out += "@";
  } else if (uri.password !== undefined) {
    throw encodeFail("password without user");
  }
  if (!isHost(uri.host)) throw encodeFail(`invalid host "${uri.host}"`);
  out += uri.host;
  if (uri.port !== undefined) {
    if (!Number.isInteger(uri.port) || uri.port < 0 || uri.port > 65535) {
      throw encodeFail(`port ${uri.port} is not 0-65535`);
    }
    out += `:${uri.port}`;
  }
  out += serializeUriParams(uri.params);
  uri.headers.forEach((h, i) => {
    if (!isUriHeaderText(h.name, false) || !isUriHeaderText(h.value ?? "", true)) {
      throw encodeFail(`invalid header ${JSON.stringify(h)}`);
    }
    out += `${i === 0 ? "?" : "&"}${h.name}=${h.value ?? ""}`;
  });
  return out;
}
