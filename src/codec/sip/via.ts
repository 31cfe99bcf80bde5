/**
 * The Via header field value, RFC 3261 §20.42 and §25.1 (via-parm).
 *
 * @module
 */

import { EncodeError } from "../../lib/errors.ts";
import { isToken } from "./_chars.ts";
import { isGenericParam, serializeParams, type SipParam, TextScanner } from "./_scanner.ts";
import { isHost } from "./uri.ts";

/** One via-parm: `sent-protocol LWS sent-by *( SEMI via-params )`. */
export interface Via {
  /** protocol-name, "SIP" in practice. */
  protocol: string;
  /** protocol-version, "2.0" in practice. */
  version: string;
  /** transport: UDP, TCP, TLS, SCTP, WS, WSS or another token (RFC 3261 §20.42, RFC 7118 §5). */
  transport: string;
  /** sent-by host: hostname, IPv4 address or IPv6 reference with brackets. */
  host: string;
  /** sent-by port when given. */
  port?: number;
  /** via-params in order: branch, received, rport, maddr, ttl and extensions. */
  params: SipParam[];
}

/**
 * Parses one via-parm (one element of a Via header value; split a list with
 * `splitHeaderValues` first). LWS is allowed around "/", ":", ";" and "=",
 * as RFC 3261 §25.1 (SLASH, COLON, SEMI, EQUAL) allows.
 *
 * @param value one unfolded via-parm
 * @returns the parsed Via
 * @throws {DecodeError} field "Via", code 400, on any syntax error
 */
export function parseVia(value: string): Via {
  const s = new TextScanner(value, "Via");
  s.skipWs();
  const protocol = s.token("protocol-name");
  s.skipWs();
  s.expect("/", '"/"');
  s.skipWs();
  const version = s.token("protocol-version");
  s.skipWs();
  s.expect("/", '"/"');
  s.skipWs();
  const transport = s.token("transport");
  if (s.skipWs() === 0) throw s.error(`expected LWS before sent-by at offset ${s.pos}`);
  let host: string;
  if (s.peek() === "[") {
    host = s.run((c) => c !== 93 && c !== 32 && c !== 9 && c !== 59);
    s.expect("]", '"]"');
    host += "]";
  } else {
    host = s.run((c) =>
      c === 45 || c === 46 || (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122)
    );
  }
  if (!isHost(host)) throw s.error(`invalid sent-by host "${host}"`);
  const via: Via = { protocol, version, transport, host, params: [] };
  const save = s.pos;
  s.skipWs();
  if (s.eat(":")) {
    s.skipWs();
    const port = s.run((c) => c >= 48 && c <= 57);
    if (port.length === 0 || port.length > 5 || Number(port) > 65535) {
      throw s.error(`invalid sent-by port "${port}"`);
    }
    via.port = Number(port);
  } else {
    s.pos = save;
  }
  via.params = s.params();
  s.end();
  return via;
}

/**
 * Serializes a Via as `SIP/2.0/TCP host:port;name=value`.
 *
 * @param via the value
 * @returns the via-parm text
 * @throws {EncodeError} field "Via" when a part is not representable
 */
export function serializeVia(via: Via): string {
  const bad = (what: string) =>
    new EncodeError(`Cannot serialize Via: invalid ${what}`, { protocol: "sip", field: "Via" });
  if (!isToken(via.protocol)) throw bad("protocol-name");
  if (!isToken(via.version)) throw bad("protocol-version");
  if (!isToken(via.transport)) throw bad("transport");
  if (!isHost(via.host)) throw bad("host");
  let out = `${via.protocol}/${via.version}/${via.transport} ${via.host}`;
  if (via.port !== undefined) {
    if (!Number.isInteger(via.port) || via.port < 0 || via.port > 65535) throw bad("port");
    out += `:${via.port}`;
  }
  return out + serializeParams(via.params, isGenericParam, "Via");
}
