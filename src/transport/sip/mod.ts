/**
 * SIP transport and transaction layer for SMS over IP (3GPP TS 24.341):
 * RFC 3261 §18 over TCP, RFC 7118 over WebSocket (npm:ws, subprotocol
 * "sip"), and the §17 non-INVITE client and server transactions, enough for
 * MESSAGE and REGISTER. It holds no policy: requests go to the transaction
 * user's handler, which answers through `IncomingRequest.respond`; the TU
 * sends its own requests with `SipEndpoint.request` / `requestTo`.
 * docs/sip-transport.md describes the behaviour on the wire.
 *
 * Limits (what it refuses or does not do):
 * - No UDP, no TLS/WSS (put a TLS-terminating proxy in front).
 * - No INVITE transactions; an INVITE is handled like a non-INVITE request
 *   and ACKs are dropped.
 * - A message larger than `maxMessageBytes` is answered 513 (413 when its
 *   Content-Length alone is larger) if a request line is readable, and its
 *   connection is closed; so is any input that cannot be parsed (400, or 505
 *   for another SIP version). A parsed request that lacks a mandatory header
 *   gets 400 and the connection stays.
 * - Responses only ever go back on the connection the request came on.
 * - `requestTo` opens TCP only, by address and port (no DNS SRV/NAPTR, RFC 3263).
 *
 * @module
 */

export {
  type IncomingRequest,
  type SipConnectionInfo,
  SipEndpoint,
  type SipEndpointOptions,
} from "./endpoint.ts";
export { SipConnectionClosed, SipTransactionTimeout } from "./errors.ts";
export { SIP_SUBPROTOCOL } from "./_ws.ts";
