/**
 * SIP over WebSocket, RFC 7118, with npm:ws (the only importer of "ws" in
 * this folder): an HTTP listener that upgrades only clients offering the
 * "sip" subprotocol, and one connection object per WebSocket. Private to
 * this folder.
 *
 * - Each WebSocket message is one SIP message (RFC 7118 §5.1); a message
 *   beyond `maxMessageBytes` is answered 513 when its request line is
 *   readable and the connection ends; npm:ws itself closes (1009) on a
 *   frame beyond twice that, before we see it.
 * - Replies go in the frame type the peer last used (text by default),
 *   except that bytes that are not UTF-8 always go in a binary frame, since
 *   a text frame must hold UTF-8 (RFC 6455 §5.6) and SMS bodies are binary.
 * - A message made only of CRLFs is a keep-alive some clients (SIP.js) send
 *   as on TCP: a double CRLF is answered with one CRLF, a single one ignored.
 * - After `keepaliveMs` without anything from the peer we send a ping; a
 *   peer that does not pong within another `keepaliveMs` is cut off.
 *
 * @module
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import * as wsModule from "ws";
import type { Timer } from "../../lib/clock.ts";
import {
  type ConnectionEvents,
  type ConnectionOptions,
  type SipConn,
  type SipConnectionInfo,
  unmapAddress,
  WRITE_QUEUE_BYTES_MAX,
} from "./_conn.ts";
import { isUtf8 } from "./_messages.ts";

/** The WebSocket subprotocol of SIP, RFC 7118 §4.1 and IANA. */
export const SIP_SUBPROTOCOL = "sip";

const STATUS_MESSAGE_TOO_LARGE = 513;
const CLOSE_NORMAL = 1000;
const CLOSE_PROTOCOL_ERROR = 1002;

/** The part of npm:ws's WebSocket we use (the package ships no types). */
interface WsSocket {
  readonly protocol: string;
  readonly bufferedAmount: number;
  send(data: Uint8Array, options: { binary: boolean }, cb: (err?: Error) => void): void;
  ping(): void;
  close(code: number, reason: string): void;
  terminate(): void;
  on(event: "message", fn: (data: Uint8Array, isBinary: boolean) => void): void;
  on(event: "pong", fn: () => void): void;
  on(event: "close", fn: () => void): void;
  on(event: "error", fn: (err: Error) => void): void;
}

interface WsServer {
  clients: Set<WsSocket>;
  on(event: "connection", fn: (ws: WsSocket, req: IncomingMessage) => void): void;
  on(event: "error", fn: (err: Error) => void): void;
  close(cb?: () => void): void;
}

interface WsServerOptions {
  server: Server;
  maxPayload: number;
  perMessageDeflate: boolean;
  clientTracking: boolean;
  autoPong: boolean;
  skipUTF8Validation: boolean;
  verifyClient: (
    info: { req: IncomingMessage },
    cb: (ok: boolean, code?: number, message?: string) => void,
  ) => void;
  handleProtocols: (protocols: Set<string>) => string | false;
}

const WebSocketServer = (wsModule as unknown as {
  WebSocketServer: new (options: WsServerOptions) => WsServer;
}).WebSocketServer;

/** The subprotocols a client offers in Sec-WebSocket-Protocol. */
function offeredProtocols(req: IncomingMessage): string[] {
  const raw = req.headers["sec-websocket-protocol"];
  const text = Array.isArray(raw) ? raw.join(",") : raw ?? "";
  return text.split(",").map((s) => s.trim()).filter((s) => s !== "");
}

/** One WebSocket carrying SIP. */
export class WsSipConn implements SipConn {
  readonly info: SipConnectionInfo;
  readonly viaTransport = "WS";
  readonly #ws: WsSocket;
  readonly #events: ConnectionEvents;
  readonly #o: ConnectionOptions;
  #binary = false;
  #ending = false;
  #closed = false;
  #lastReceived: number;
  #awaitingPong = false;
  #keepalive: Timer | undefined;

  constructor(
    id: number,
    ws: WsSocket,
    remote: { hostname: string; port: number },
    events: ConnectionEvents,
    options: ConnectionOptions,
  ) {
    this.#ws = ws;
    this.#events = events;
    this.#o = options;
    this.info = { id, transport: "ws", remote };
    this.#lastReceived = options.clock.now();
    ws.on("message", (data, isBinary) => this.#onMessage(data, isBinary));
    ws.on("pong", () => {
      this.#awaitingPong = false;
      this.#lastReceived = this.#o.clock.now();
    });
    ws.on("error", (e) => {
      this.#o.logger.info("WebSocket error", { conn: id, error: e.message });
    });
    ws.on("close", () => this.#ended("end-of-stream"));
    this.#armKeepalive(options.keepaliveMs);
  }

  get open(): boolean {
    return !this.#closed && !this.#ending;
  }

  send(bytes: Uint8Array): void {
    if (!this.open) return;
    if (this.#ws.bufferedAmount + bytes.length > WRITE_QUEUE_BYTES_MAX) {
      this.#o.logger.notice("Closing SIP WebSocket: peer does not read", {
        queued: this.#ws.bufferedAmount,
      });
      return this.close("write-queue-full");
    }
    const binary = this.#binary || !isUtf8(bytes);
    this.#ws.send(bytes, { binary }, (err) => {
      if (err !== undefined && err !== null && !this.#closed) {
        this.#o.logger.info("Cannot write SIP message: WebSocket lost", { error: err.message });
        this.close("io-error");
      }
    });
  }

  end(reason: string): void {
    if (!this.open) return;
    this.#ending = true;
    // The close frame is queued behind what was sent, so it leaves last.
    this.#ws.close(reason === "malformed" ? CLOSE_PROTOCOL_ERROR : CLOSE_NORMAL, reason);
    this.#keepalive?.cancel();
  }

  close(reason: string): void {
    if (this.#closed) return;
    this.#ws.terminate();
    this.#ended(reason);
  }

  #ended(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#keepalive?.cancel();
    this.#events.closed(this, reason);
  }

  #onMessage(data: Uint8Array, isBinary: boolean): void {
    if (!this.open) return;
    this.#lastReceived = this.#o.clock.now();
    this.#binary = isBinary;
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
    if (bytes.length > 0 && bytes.every((b) => b === 13 || b === 10)) {
      if (bytes.length >= 4) this.send(new Uint8Array([13, 10]));
      return;
    }
    if (bytes.length > this.#o.maxMessageBytes) {
      const why = `message of ${bytes.length} bytes exceeds ${this.#o.maxMessageBytes}`;
      return this.#events.refuse(this, bytes, STATUS_MESSAGE_TOO_LARGE, why);
    }
    this.#events.message(this, bytes);
  }

  #armKeepalive(delayMs: number): void {
    if (this.#o.keepaliveMs <= 0 || !this.open) return;
    this.#keepalive = this.#o.clock.setTimer(delayMs, () => {
      if (!this.open) return;
      if (this.#awaitingPong) {
        this.#o.logger.notice("Closing SIP WebSocket: no pong", { conn: this.info.id });
        return this.close("no-pong");
      }
      const idle = this.#o.clock.now() - this.#lastReceived;
      if (idle >= this.#o.keepaliveMs) {
        this.#awaitingPong = true;
        this.#ws.ping();
        return this.#armKeepalive(this.#o.keepaliveMs);
      }
      this.#armKeepalive(this.#o.keepaliveMs - idle);
    });
  }
}

/** A listening SIP WebSocket server. */
export interface WsListener {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Listens for SIP WebSocket clients. A client that does not offer the "sip"
 * subprotocol is refused with HTTP 400 before the upgrade (RFC 7118 §4.1: the
 * server "MUST" agree on "sip" for the connection to carry SIP); a plain HTTP
 * request gets 426 Upgrade Required.
 *
 * @param address where to listen
 * @param maxMessageBytes the SIP size limit (frames up to twice it reach us)
 * @param accept called with each upgraded socket and its peer address
 * @returns the listener once bound
 * @throws {Error} when the address cannot be bound
 */
export async function listenWs(
  address: { hostname: string; port: number },
  maxMessageBytes: number,
  accept: (ws: WsSocket, remote: { hostname: string; port: number }) => void,
): Promise<WsListener> {
  const http = createServer((_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(426, { "Upgrade": "websocket", "Connection": "close", "Content-Length": "0" });
    res.end();
  });
  const wss = new WebSocketServer({
    server: http,
    maxPayload: 2 * maxMessageBytes,
    perMessageDeflate: false,
    clientTracking: true,
    autoPong: true,
    skipUTF8Validation: false,
    verifyClient: ({ req }, cb) => {
      if (offeredProtocols(req).includes(SIP_SUBPROTOCOL)) cb(true);
      else cb(false, 400, 'Sec-WebSocket-Protocol must offer "sip"');
    },
    handleProtocols: (protocols) => protocols.has(SIP_SUBPROTOCOL) ? SIP_SUBPROTOCOL : false,
  });
  // npm:ws re-emits the HTTP server's errors; listen() below reports them.
  wss.on("error", () => {});
  wss.on("connection", (ws, req) => {
    const socket = req.socket as Duplex & { remoteAddress?: string; remotePort?: number };
    accept(ws, {
      hostname: unmapAddress(socket.remoteAddress ?? ""),
      port: socket.remotePort ?? 0,
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(address.port, address.hostname, () => {
      http.off("error", reject);
      resolve();
    });
  });
  const bound = http.address();
  const port = typeof bound === "object" && bound !== null ? bound.port : address.port;
  return {
    port,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
