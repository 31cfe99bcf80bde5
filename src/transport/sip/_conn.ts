/**
 * What the endpoint sees of one connection, TCP or WebSocket: whole SIP
 * messages in, whole messages out. Framing, keep-alive and size limits live
 * in the two implementations (_tcp.ts, _ws.ts). Private to this folder.
 *
 * @module
 */

import type { Clock } from "../../lib/clock.ts";
import type { Logger } from "../../lib/log.ts";

/** One connection as the transaction user sees it. */
export interface SipConnectionInfo {
  /** Unique in this endpoint, never reused. */
  id: number;
  transport: "tcp" | "ws";
  /** The peer's address as the socket reports it (IPv4-mapped IPv6 unwrapped). */
  remote: { hostname: string; port: number };
}

/** Events a connection reports to its endpoint. */
export interface ConnectionEvents {
  /** One complete message (a framed TCP message or one WebSocket message). */
  message(conn: SipConn, bytes: Uint8Array): void;
  /**
   * Input that cannot be taken: the endpoint answers `status` when a request
   * line is readable in `head`, then ends the connection.
   */
  refuse(conn: SipConn, head: Uint8Array, status: number, why: string): void;
  /** The connection has ended, whatever the cause; reported once. */
  closed(conn: SipConn, reason: string): void;
}

/** Bounds and timers shared by both kinds of connection. */
export interface ConnectionOptions {
  maxMessageBytes: number;
  /** Idle time before a keep-alive, ms; 0 never. */
  keepaliveMs: number;
  logger: Logger;
  clock: Clock;
}

/** A connection carrying SIP. */
export interface SipConn {
  readonly info: SipConnectionInfo;
  /** Via transport of requests we send on it (RFC 3261 §20.42, RFC 7118 §5.2). */
  readonly viaTransport: "TCP" | "WS";
  /** False once it has ended or is ending. */
  readonly open: boolean;
  /** Queues one whole message for sending; dropped when the connection is not open. */
  send(bytes: Uint8Array): void;
  /** Sends what is queued, then closes. */
  end(reason: string): void;
  /** Closes at once. */
  close(reason: string): void;
}

/** Writes beyond this many queued bytes mean the peer does not read: the connection closes. */
export const WRITE_QUEUE_BYTES_MAX = 1 << 20;

/** "::ffff:127.0.0.1" becomes "127.0.0.1"; other addresses stay as they are. */
export function unmapAddress(address: string): string {
  // A zone id ("fe80::1%eth0") is not allowed in a Via received= parameter.
  return address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "").replace(/%.*$/, "");
}
