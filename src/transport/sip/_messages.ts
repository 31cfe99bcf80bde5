/**
 * Building the messages the transaction layer sends: responses copied from
 * a request (RFC 3261 §8.2.6.2), our own requests with Via, Max-Forwards and
 * Content-Length (§8.1.1), the transaction keys of §17.1.3 and §17.2.3, and
 * the best-effort refusal of bytes that do not parse. Private to this folder.
 *
 * @module
 */

import {
  checkMandatoryHeaders,
  findHeaders,
  getParam,
  headerKey,
  type MandatoryHeaders,
  parseVia,
  SIP_VERSION,
  type SipHeader,
  type SipRequest,
  type SipResponse,
  splitHeaderValues,
  type Via,
} from "../../codec/sip/mod.ts";
import { serializeVia } from "../../codec/sip/mod.ts";
import { EncodeError } from "../../lib/errors.ts";

/** RFC 3261 §8.1.1.7: "The branch ID inserted by an element compliant with this specification MUST always begin with the characters "z9hG4bK"". */
export const BRANCH_MAGIC_COOKIE = "z9hG4bK";

/** Max-Forwards of requests we originate, RFC 3261 §8.1.1.6 ("SHOULD be 70"). */
export const MAX_FORWARDS_DEFAULT = 70;

/** Reason phrases of the statuses this layer sends on its own (RFC 3261 §21). */
export const REASONS: Readonly<Record<number, string>> = {
  400: "Bad Request",
  413: "Request Entity Too Large",
  500: "Server Internal Error",
  503: "Service Unavailable",
  505: "Version Not Supported",
  513: "Message Too Large",
};

/** Random lower-case hex, `bytes` bytes long; for branches and tags. */
export function randomHex(bytes: number): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/** A fresh branch, RFC 3261 §8.1.1.7: unique across space and time, with the magic cookie. */
export function newBranch(): string {
  return BRANCH_MAGIC_COOKIE + randomHex(12);
}

/**
 * The key of a server transaction, RFC 3261 §17.2.3: the top Via's branch
 * and sent-by with the method, ACK counting as INVITE. Requests without the
 * magic cookie (RFC 2543 peers) fall back to the §17.2.3 older rule: Request-URI,
 * To tag, From tag, Call-ID, CSeq and top Via together.
 */
export function serverKey(request: SipRequest, h: MandatoryHeaders): string {
  const top = h.via[0];
  const method = request.method === "ACK" ? "INVITE" : request.method;
  const branch = getParam(top.params, "branch") ?? "";
  const sentBy = `${top.host.toLowerCase()}:${top.port ?? ""}`;
  if (branch.startsWith(BRANCH_MAGIC_COOKIE)) return `${branch}|${sentBy}|${method}`;
  const toTag = getParam(h.to.params, "tag") ?? "";
  const fromTag = getParam(h.from.params, "tag") ?? "";
  return [
    "2543",
    request.uri,
    toTag,
    fromTag,
    h.callId,
    h.cseq.seq,
    method,
    serializeVia(top),
  ].join("|");
}

/**
 * The key of a client transaction, RFC 3261 §17.1.3: the top Via's branch
 * and the CSeq method (a CANCEL shares the branch of the request it cancels).
 */
export function clientKey(branch: string, method: string): string {
  return `${branch}|${method}`;
}

/** What a response adds to the copied headers. */
export interface ResponseExtra {
  headers?: [string, string][];
  body?: Uint8Array;
  contentType?: string;
}

/**
 * The top Via of a response as RFC 3261 §18.2.1 and RFC 3581 §4 ask a server
 * to amend it: `received` when sent-by is not the source address, `rport`
 * filled in when the client asked for it.
 */
function amendTopVia(via: Via, remote: { hostname: string; port: number }): Via {
  const params = via.params.filter((p) => {
    const n = p.name.toLowerCase();
    return n !== "received" && !(n === "rport" && p.value === undefined);
  });
  const asked = via.params.some((p) => p.name.toLowerCase() === "rport" && p.value === undefined);
  const host = via.host.replace(/^\[|\]$/g, "");
  const out: Via = { ...via, params };
  if (host !== remote.hostname || asked) {
    out.params = [...params, { name: "received", value: remote.hostname }];
  }
  if (asked) out.params.push({ name: "rport", value: String(remote.port) });
  return out;
}

/**
 * Builds a response to `request`, RFC 3261 §8.2.6.2: Via (top one amended),
 * From, To, Call-ID and CSeq copied, a To tag added when the request had
 * none (not for 100, §8.2.6.1), then the extra headers, Content-Type when a
 * body is given, and Content-Length.
 *
 * @throws {EncodeError} when a body comes without a Content-Type (the
 *   header section itself is checked by `serializeSipMessage`)
 */
export function buildResponse(
  request: SipRequest,
  h: MandatoryHeaders,
  status: number,
  reason: string,
  toTag: string,
  remote: { hostname: string; port: number },
  extra: ResponseExtra = {},
): SipResponse {
  const headers: SipHeader[] = h.via.map((v, i) => ({
    name: "Via",
    value: serializeVia(i === 0 ? amendTopVia(v, remote) : v),
  }));
  const copy = (name: string) => {
    for (const x of findHeaders(request, name)) headers.push({ name, value: x.value });
  };
  copy("From");
  let to = findHeaders(request, "To")[0].value;
  if (getParam(h.to.params, "tag") === undefined && status > 100) to += `;tag=${toTag}`;
  headers.push({ name: "To", value: to });
  copy("Call-ID");
  copy("CSeq");
  for (const [name, value] of extra.headers ?? []) headers.push({ name, value });
  const body = extra.body ?? new Uint8Array(0);
  if (extra.contentType !== undefined) {
    headers.push({ name: "Content-Type", value: extra.contentType });
  } else if (body.length > 0 && !headers.some((x) => headerKey(x.name) === "content-type")) {
    // RFC 3261 §7.4.1: "The Internet media type of the message body MUST be
    // given by the Content-Type header field."
    throw new EncodeError("Cannot send a response body without a Content-Type", {
      protocol: "sip",
      field: "Content-Type",
    });
  }
  headers.push({ name: "Content-Length", value: String(body.length) });
  return { kind: "response", version: SIP_VERSION, status, reason, headers, body };
}

/** Our Via for a request: transport, sent-by and a fresh branch (RFC 3261 §18.1.1). */
export interface ViaSpec {
  transport: "TCP" | "WS";
  host: string;
  port?: number;
}

/**
 * Prepares a request we originate: our Via on top with a new branch
 * (and `rport`, RFC 3581), Max-Forwards 70 when absent, Content-Length set
 * to the body length (replacing any given), then checks the mandatory
 * headers so that responses can be matched.
 *
 * @returns the request to send, its branch and its parsed headers
 * @throws {DecodeError} when the caller's request lacks a mandatory header
 */
export function prepareRequest(
  request: SipRequest,
  via: ViaSpec,
): { request: SipRequest; branch: string; headers: MandatoryHeaders } {
  const branch = newBranch();
  const ours: Via = {
    protocol: "SIP",
    version: "2.0",
    transport: via.transport,
    host: via.host,
    port: via.port,
    params: [{ name: "branch", value: branch }, { name: "rport" }],
  };
  const headers: SipHeader[] = [{ name: "Via", value: serializeVia(ours) }];
  if (findHeaders(request, "Max-Forwards").length === 0) {
    headers.push({ name: "Max-Forwards", value: String(MAX_FORWARDS_DEFAULT) });
  }
  for (const x of request.headers) {
    if (headerKey(x.name) !== "content-length") headers.push(x);
  }
  headers.push({ name: "Content-Length", value: String(request.body.length) });
  const out: SipRequest = { ...request, headers };
  return { request: out, branch, headers: checkMandatoryHeaders(out) };
}

/**
 * The branch and CSeq method of a response, for matching (RFC 3261
 * §17.1.3), or `undefined` when they cannot be read.
 */
export function responseKey(response: SipResponse): string | undefined {
  try {
    const vias = findHeaders(response, "Via");
    if (vias.length === 0) return undefined;
    const top = parseVia(splitHeaderValues(vias[0].value)[0]);
    const branch = getParam(top.params, "branch");
    const cseq = findHeaders(response, "CSeq");
    if (branch === undefined || cseq.length !== 1) return undefined;
    const method = cseq[0].value.trim().split(/[ \t]+/)[1];
    if (method === undefined) return undefined;
    return clientKey(branch, method);
  } catch {
    return undefined;
  }
}

const COPIED_ON_REFUSAL = new Set(["via", "from", "to", "call-id", "cseq"]);
const REQUEST_LINE = /^([A-Za-z0-9.!%*_+`'~-]+) ([^ \r\n\t]+) SIP\/[0-9]+\.[0-9]+$/i;
const REFUSAL_LINE_MAX = 1024;
const REFUSAL_HEAD_MAX = 16384;

/**
 * A best-effort answer to bytes that cannot be parsed: when they start with
 * a readable request line (not ACK, which is never answered, RFC 3261
 * §17.1.1.3), the status with whatever Via, From, To, Call-ID and CSeq lines
 * can be read copied verbatim, and Content-Length 0. `undefined` otherwise,
 * and the caller just closes the connection.
 *
 * @param head the start of the offending message
 * @param status 400, 413, 505 or 513
 * @returns the response bytes, or `undefined` when no request line is readable
 */
export function refusalFor(head: Uint8Array, status: number): Uint8Array | undefined {
  const text = new TextDecoder("utf-8", { fatal: false })
    .decode(head.subarray(0, REFUSAL_HEAD_MAX));
  const lines = text.split(/\r?\n/);
  const m = REQUEST_LINE.exec(lines[0]);
  if (m === null || m[1] === "ACK") return undefined;
  let out = `${SIP_VERSION} ${status} ${REASONS[status] ?? "Bad Request"}\r\n`;
  for (const line of lines.slice(1)) {
    if (line === "") break;
    if (line[0] === " " || line[0] === "\t") continue; // a continuation line is not copied
    // deno-lint-ignore no-control-regex -- controls and U+FFFD mark what must not be echoed
    if (line.length > REFUSAL_LINE_MAX || /[\x00-\x08\x0a-\x1f\x7f\ufffd]/.test(line)) continue;
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    if (COPIED_ON_REFUSAL.has(headerKey(line.slice(0, colon).trim()))) out += line + "\r\n";
  }
  return new TextEncoder().encode(out + "Content-Length: 0\r\n\r\n");
}

/** True when `bytes` is valid UTF-8 (a WebSocket text frame must be, RFC 6455 §5.6). */
export function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
