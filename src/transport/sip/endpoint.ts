/**
 * The SIP endpoint: the non-INVITE transaction layer between the
 * connections (_connections.ts: TCP and WebSocket listeners, the
 * connections they accept and the ones we open) and the transaction user
 * (the gsmif role).
 *
 * Lifecycle notes:
 * - `SipEndpoint.start` binds every configured listener or none (a failure
 *   closes what was bound and rethrows). `close()` stops the listeners,
 *   closes every connection, fails every request still waiting with
 *   `SipConnectionClosed` and forgets the server transactions.
 * - A request reaches the TU once; its `respond` may be called with 1xx any
 *   number of times and with one final status. The response goes back on the
 *   connection the request came on (RFC 3261 §18.2.2); when that connection
 *   has closed, the response is dropped (a UE behind NAT or on a WebSocket
 *   cannot be reached on a new one) but still answers retransmissions that
 *   arrive on a new connection.
 * - Connection ids are never reused, so a stale id fails cleanly.
 * - `onConnectionClosed` listeners run for every connection that ends,
 *   including at `close()`.
 *
 * @module
 */

import {
  checkMandatoryHeaders,
  parseSipMessage,
  serializeSipMessage,
  type SipLimits,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from "../../codec/sip/mod.ts";
import type { Clock } from "../../lib/clock.ts";
import { DecodeError } from "../../lib/errors.ts";
import type { Logger } from "../../lib/log.ts";
import type { SipConn, SipConnectionInfo } from "./_conn.ts";
import { Connections } from "./_connections.ts";
import {
  buildResponse,
  clientKey,
  prepareRequest,
  randomHex,
  refusalFor,
  type ResponseExtra,
  responseKey,
  serverKey,
} from "./_messages.ts";
import { TcpSipConn } from "./_tcp.ts";
import {
  ClientTransactions,
  ServerTransactions,
  type ServerTx,
  TIMER_J_MS,
} from "./_transactions.ts";
import { SipConnectionClosed } from "./errors.ts";

export type { SipConnectionInfo };

/** Listeners, limits and timers; every value comes from config at the call site. */
export interface SipEndpointOptions {
  /** TCP listener; absent = none. Port 0 = ephemeral (see `ports`). */
  listenTcp?: { hostname: string; port: number };
  /** WebSocket listener (subprotocol "sip"); absent = none. */
  listenWs?: { hostname: string; port: number };
  /** Largest SIP message taken, header and body (413/513 beyond). */
  maxMessageBytes: number;
  /** Idle time before a CRLF (TCP) or WebSocket ping, ms; 0 never. */
  keepaliveMs: number;
  /** Timer F of our requests, and how long a TU may take to answer, ms. */
  transactionTimeoutMs: number;
  /** Via sent-by host of our requests (e.g. the listen address). */
  viaHost: string;
  /** How long a completed server transaction absorbs retransmissions; default 32 s. */
  serverLingerMs?: number;
  logger: Logger;
  clock: Clock;
}

/** A request that reached the transaction user; answer it exactly once. */
export interface IncomingRequest {
  request: SipRequest;
  conn: SipConnectionInfo;
  /**
   * Sends a response built from the request (Via, From, To(+tag if missing),
   * Call-ID, CSeq copied); extra headers appended; body with Content-Type
   * when given. Retransmissions of the request are answered with the last
   * response by the transaction layer, never passed to the handler again.
   *
   * @throws {RangeError} for a status outside 100-699
   * @throws {EncodeError} for a header or reason that cannot be sent
   */
  respond(status: number, reason: string, extra?: ResponseExtra): void;
}

/** One SIP endpoint; see the module notes. */
export class SipEndpoint {
  readonly #o: SipEndpointOptions;
  readonly #onRequest: (r: IncomingRequest) => void;
  readonly #conns: Connections;
  readonly #server: ServerTransactions;
  readonly #client: ClientTransactions;
  readonly #limits: Partial<SipLimits>;
  #closing = false;

  private constructor(options: SipEndpointOptions, onRequest: (r: IncomingRequest) => void) {
    this.#o = options;
    this.#onRequest = onRequest;
    const log = options.logger;
    const linger = options.serverLingerMs ?? TIMER_J_MS;
    this.#server = new ServerTransactions(options.clock, linger, options.transactionTimeoutMs, log);
    this.#client = new ClientTransactions(options.clock, log);
    this.#limits = {
      maxHeaderBytes: options.maxMessageBytes,
      maxBodyBytes: options.maxMessageBytes,
    };
    this.#conns = new Connections({
      maxMessageBytes: options.maxMessageBytes,
      keepaliveMs: options.keepaliveMs,
      logger: log,
      clock: options.clock,
    }, {
      message: (conn, bytes) => this.#onMessage(conn, bytes),
      refuse: (conn, head, status, why) => this.#refuse(conn, head, status, why),
    });
    this.#conns.onClosed((id) => this.#client.connectionClosed(id));
  }

  /** Bound ports (0 in the options = ephemeral). */
  get ports(): { tcp?: number; ws?: number } {
    return this.#conns.ports;
  }

  /**
   * Binds the configured listeners and starts accepting.
   *
   * @param options listeners, limits, timers
   * @param onRequest receives each new request (never a retransmission or an ACK)
   * @returns the running endpoint
   * @throws {Deno.errors.AddrInUse} or another bind error; nothing stays bound
   */
  static async start(
    options: SipEndpointOptions,
    onRequest: (r: IncomingRequest) => void,
  ): Promise<SipEndpoint> {
    const ep = new SipEndpoint(options, onRequest);
    try {
      await ep.#conns.listen(options.listenTcp, options.listenWs);
    } catch (e) {
      await ep.close();
      throw e;
    }
    options.logger.info("SIP endpoint listening", { tcp: ep.ports.tcp, ws: ep.ports.ws });
    return ep;
  }

  /**
   * Sends a request on an existing connection (e.g. the one a REGISTER came
   * on) and resolves with the final response (1xx skipped). Adds Via with a
   * fresh z9hG4bK branch, Max-Forwards 70 if absent, Content-Length.
   *
   * @param connId a connection id from `IncomingRequest.conn`
   * @param request the request without Via or Content-Length
   * @returns the final response
   * @throws {SipTransactionTimeout} after `transactionTimeoutMs`
   * @throws {SipConnectionClosed} when the connection is or becomes closed first
   * @throws {DecodeError} when the request lacks To, From, CSeq or Call-ID
   * @throws {EncodeError} when the request cannot be serialized
   */
  request(connId: number, request: SipRequest): Promise<SipResponse> {
    const conn = this.#conns.get(connId);
    if (conn === undefined || !conn.open || this.#closing) {
      return Promise.reject(new SipConnectionClosed(`Connection ${connId} is not open`));
    }
    return this.#send(conn, request);
  }

  /**
   * As `request`, over TCP to `target`, reusing an open connection to that
   * host and port (RFC 3261 §18.1.1) or opening one.
   *
   * @throws {SipConnectionClosed} also when the connection cannot be opened
   */
  async requestTo(
    target: { hostname: string; port: number },
    request: SipRequest,
  ): Promise<SipResponse> {
    return this.#send(await this.#conns.connectTo(target), request);
  }

  /** Whether connection `connId` is open. */
  isOpen(connId: number): boolean {
    return this.#conns.get(connId)?.open ?? false;
  }

  /** Calls `fn` with the id of every connection that ends. */
  onConnectionClosed(fn: (connId: number) => void): void {
    this.#conns.onClosed(fn);
  }

  /** Stops listening, closes every connection, fails waiting requests. Idempotent. */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    await this.#conns.close();
    this.#client.clear();
    this.#server.clear();
  }

  #send(conn: SipConn, request: SipRequest): Promise<SipResponse> {
    const port = conn.info.transport === "ws"
      ? this.ports.ws
      : this.ports.tcp ?? (conn instanceof TcpSipConn ? conn.localPort : undefined);
    let bytes: Uint8Array;
    let key: string;
    try {
      const p = prepareRequest(request, {
        transport: conn.viaTransport,
        host: this.#o.viaHost,
        port,
      });
      bytes = serializeSipMessage(p.request);
      key = clientKey(p.branch, p.headers.cseq.method);
    } catch (e) {
      return Promise.reject(e);
    }
    const result = this.#client.start(key, conn.info.id, this.#o.transactionTimeoutMs);
    conn.send(bytes);
    if (!conn.open) {
      this.#client.fail(key, new SipConnectionClosed(`Connection ${conn.info.id} closed`));
    }
    return result;
  }

  #onMessage(conn: SipConn, bytes: Uint8Array): void {
    let msg: SipMessage;
    try {
      msg = parseSipMessage(bytes, this.#limits);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      return this.#refuse(conn, bytes, e.code ?? 400, e.message);
    }
    if (msg.kind === "response") return this.#onResponse(msg);
    this.#onRequestMessage(conn, msg, bytes);
  }

  #refuse(conn: SipConn, head: Uint8Array, status: number, why: string): void {
    const answer = refusalFor(head, status);
    this.#o.logger.notice("Refusing SIP input; closing the connection", {
      conn: conn.info.id,
      status: answer === undefined ? undefined : status,
      error: why,
    });
    if (answer !== undefined) conn.send(answer);
    conn.end("malformed");
  }

  #onResponse(response: SipResponse): void {
    const key = responseKey(response);
    if (key === undefined) {
      this.#o.logger.notice("Dropping SIP response: no readable Via branch or CSeq", {
        status: response.status,
      });
      return;
    }
    if (!this.#client.response(key, response)) {
      this.#o.logger.info("Dropping SIP response: no transaction", { status: response.status });
    }
  }

  #onRequestMessage(conn: SipConn, request: SipRequest, bytes: Uint8Array): void {
    let h;
    try {
      h = checkMandatoryHeaders(request);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      this.#o.logger.notice("Answering 400: bad mandatory header", {
        conn: conn.info.id,
        method: request.method,
        error: e.message,
      });
      const answer = refusalFor(bytes, 400);
      if (answer !== undefined) conn.send(answer);
      return;
    }
    if (request.method === "ACK") {
      // An ACK is never answered (RFC 3261 §17.1.1.3) and only acknowledges
      // a final response to INVITE; we run no INVITE transactions (an INVITE
      // gets whatever final response the TU gives it), so ACKs end here.
      this.#o.logger.debug("Dropping ACK", { conn: conn.info.id });
      return;
    }
    const key = serverKey(request, h);
    if (!this.#server.hasRoomFor(key)) {
      this.#o.logger.notice("Refusing SIP request: too many transactions", { conn: conn.info.id });
      const answer = refusalFor(bytes, 503);
      if (answer !== undefined) conn.send(answer);
      return;
    }
    const found = this.#server.receive(key);
    if (found.kind === "retransmission") {
      this.#o.logger.debug("Absorbing SIP retransmission", {
        conn: conn.info.id,
        state: found.tx.state,
      });
      if (found.tx.state !== "trying" && found.tx.last !== undefined) conn.send(found.tx.last);
      return;
    }
    const tx = found.tx;
    const toTag = randomHex(8);
    const respond = (status: number, reason: string, extra?: ResponseExtra) =>
      this.#respond(conn, tx, request, h, toTag, status, reason, extra);
    try {
      this.#onRequest({ request, conn: conn.info, respond });
    } catch (e) {
      this.#o.logger.error("SIP request handler failed", {
        method: request.method,
        error: String(e),
      });
      if (tx.state !== "completed") respond(500, "Server Internal Error");
    }
  }

  #respond(
    conn: SipConn,
    tx: ServerTx,
    request: SipRequest,
    h: ReturnType<typeof checkMandatoryHeaders>,
    toTag: string,
    status: number,
    reason: string,
    extra?: ResponseExtra,
  ): void {
    if (!Number.isInteger(status) || status < 100 || status > 699) {
      throw new RangeError(`Cannot respond with status ${status}: not 100-699`);
    }
    if (this.#closing) {
      this.#o.logger.info("Cannot send SIP response: endpoint closed", { status });
      return;
    }
    const response = buildResponse(request, h, status, reason, toTag, conn.info.remote, extra);
    const bytes = serializeSipMessage(response);
    if (!this.#server.responded(tx, status, bytes)) {
      this.#o.logger.error("Cannot send a second final response", {
        status,
        method: request.method,
      });
      return;
    }
    if (!conn.open) {
      this.#o.logger.info("Cannot send SIP response: connection closed", {
        conn: conn.info.id,
        status,
      });
      return;
    }
    conn.send(bytes);
  }
}
