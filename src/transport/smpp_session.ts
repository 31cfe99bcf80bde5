/**
 * One SMPP 3.4 session over a TCP (or TLS) connection: framing, the window of
 * requests this side sends with their response timers, answers to the peer's
 * requests through a handler, enquire_link and inactivity supervision,
 * back-pressure, generic_nack for what cannot be decoded, and a clean
 * unbind/close. Shared by downlink (server side) and uplink (client side);
 * it holds no SMSC policy: binding, throttling and routing are the owner's.
 *
 * Lifecycle:
 * - OPEN from construction; the read loop runs until the connection ends.
 * - `unbind()` sends unbind, waits for unbind_resp (or the response timer)
 *   and closes. An unbind from the peer is answered with unbind_resp and the
 *   connection closes once that is written.
 * - `close(info)` ends at once: requests still waiting for an answer reject
 *   with `SmppClosedError`, answers of the handler still running are dropped.
 *   `closed` resolves once with the reason.
 *
 * Incoming PDUs, in SMPP 3.4 terms:
 * - enquire_link: always answered here (§4.11), in every bind state.
 * - a response: matched to an outstanding request by sequence_number; a
 *   generic_nack with the sequence of an outstanding request fails it.
 *   An unmatched response is logged and dropped.
 * - another request: passed to the handler, which answers with a command
 *   status and the response body. At most `inFlightMax` are handled at once;
 *   past that the session stops reading (the peer feels TCP back-pressure).
 * - a header with a command_length outside 16..maxPduBytes: generic_nack
 *   ESME_RINVCMDLEN, then close (the stream cannot be trusted any more).
 * - an unknown command_id: generic_nack ESME_RINVCMDID (§5.1.3).
 * - a known request whose body does not decode: its own response with the
 *   decoder's status and no body (§3.3).
 *
 * Writes: PDUs are encoded straight into one of two output buffers; at the
 * end of the microtask round that produced the first of them, the whole buffer
 * goes to the socket in one write while new PDUs fill the other, so that the
 * answers a batch from core resolves together cost one system call. Inbound
 * PDUs are views into the read buffer, decoded before the loop reads again.
 *
 * Timers: one supervision timer per session sweeps expired requests, sends
 * enquire_link after `enquireLinkMs` without traffic and closes after
 * `inactivityMs` without any PDU from the peer.
 *
 * @module
 */

import {
  decodeSmppHeader,
  decodeSmppPdu,
  encodeSmppPduInto,
  frameSmppStream,
  SMPP_COMMAND_IDS,
  SMPP_RESPONSE_BIT,
  SMPP_STATUS,
  type SmppCommandName,
  type SmppFields,
  type SmppPdu,
  type SmppTlv,
} from "../codec/smpp/mod.ts";
import { ByteWriter } from "../lib/bytes.ts";
import type { Clock, Timer } from "../lib/clock.ts";
import { DecodeError } from "../lib/errors.ts";
import type { Logger } from "../lib/log.ts";

/** What the handler answers to one request of the peer. */
export interface SmppReply {
  /** command_status of the response; 0 = ESME_ROK. */
  status: number;
  /** Mandatory fields of the response; omitted (no body) when status is not 0 and none given. */
  fields?: SmppFields;
  tlvs?: SmppTlv[];
  /** Send nothing back: for alert_notification, which has no response (§4.12.1). */
  noResponse?: boolean;
  /** Close the session once this response has been written (a refused bind that ends it). */
  closeAfter?: SmppCloseInfo;
}

/** Answers one request (never enquire_link, unbind or a response). */
export type SmppRequestHandler = (
  pdu: SmppPdu,
  session: SmppSession,
) => SmppReply | Promise<SmppReply>;

/** Bounds and timers of one session; every value comes from config at the call site. */
export interface SmppSessionOptions {
  /** Largest PDU accepted, header included. */
  maxPduBytes: number;
  /** Requests this side may have outstanding; more wait their turn. */
  window: number;
  /** How long a request of this side waits for its response, ms. */
  responseTimeoutMs: number;
  /** Send enquire_link after this long without traffic, ms; 0 never. */
  enquireLinkMs: number;
  /** Close after this long without any PDU from the peer, ms; 0 never. */
  inactivityMs: number;
  /** Requests of the peer being handled at once before reading stops. */
  inFlightMax: number;
  /** Bytes queued for writing past which reading stops until they drain. */
  writeHighWaterBytes: number;
  logger: Logger;
  clock: Clock;
}

/** Why a session ended. */
export interface SmppCloseInfo {
  reason:
    | "local"
    | "unbind"
    | "peer-unbind"
    | "end-of-stream"
    | "malformed"
    | "io-error"
    | "inactivity"
    | "enquire-link-timeout"
    | "handler-error";
  detail?: string;
}

/** The session ended before the request was answered. */
export class SmppClosedError extends Error {
  override name = "SmppClosedError";
}

/** No response came within the response timer. */
export class SmppTimeoutError extends Error {
  override name = "SmppTimeoutError";
}

/** The peer answered a request with generic_nack. */
export class SmppNackError extends Error {
  override name = "SmppNackError";
  constructor(message: string, readonly commandStatus: number) {
    super(message);
  }
}

interface Pending {
  command: SmppCommandName;
  deadline: number;
  resolve: (pdu: SmppPdu) => void;
  reject: (e: Error) => void;
}

interface Queued {
  command: SmppCommandName;
  fields: SmppFields;
  tlvs: SmppTlv[];
  resolve: (pdu: SmppPdu) => void;
  reject: (e: Error) => void;
}

const COMMAND_BY_ID = new Map<number, SmppCommandName>(
  (Object.entries(SMPP_COMMAND_IDS) as [SmppCommandName, number][]).map(([k, v]) => [v, k]),
);
const READ_CHUNK_BYTES = 65536;
const OUT_BYTES_INITIAL = 4096;
const OUT_BYTES_KEPT_MAX = 65536;
const SEQUENCE_MAX = 0x7fffffff;
let nextSessionId = 1;

/** One SMPP session; see the module notes for its lifecycle. */
export class SmppSession {
  /** A number for logs, unique in this process. */
  readonly id: number = nextSessionId++;
  /** Resolves once, when the session has ended. */
  readonly closed: Promise<SmppCloseInfo>;
  readonly #conn: Deno.Conn;
  readonly #o: SmppSessionOptions;
  #handler: SmppRequestHandler;
  readonly #pending = new Map<number, Pending>();
  readonly #queue: Queued[] = [];
  #nextSequence = 1;
  #inFlight = 0;
  #resume: (() => void) | undefined;
  /** PDUs encoded and not yet handed to the socket; swapped with #spare per write. */
  #out = new ByteWriter("smpp", OUT_BYTES_INITIAL);
  #spare = new ByteWriter("smpp", OUT_BYTES_INITIAL);
  /** Octets of the write in progress. */
  #writingBytes = 0;
  #writing = false;
  #drainWaiters: (() => void)[] = [];
  #lastReceived: number;
  #lastSent: number;
  #enquiring = false;
  #unbinding = false;
  #isClosed = false;
  #supervisor: Timer | undefined;
  #resolveClosed!: (info: SmppCloseInfo) => void;

  /**
   * Takes over a connected socket and starts reading.
   *
   * @param conn the socket; owned from now on
   * @param handler answers the peer's requests
   * @param options bounds and timers
   */
  constructor(conn: Deno.Conn, handler: SmppRequestHandler, options: SmppSessionOptions) {
    this.#conn = conn;
    this.#handler = handler;
    this.#o = options;
    this.closed = new Promise((resolve) => this.#resolveClosed = resolve);
    this.#lastReceived = this.#lastSent = options.clock.now();
    this.#armSupervisor();
    this.#readLoop();
  }

  /** True once the session has ended. */
  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** Requests of this side sent and not yet answered. */
  get outstanding(): number {
    return this.#pending.size;
  }

  /** Requests of this side waiting for a window slot. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Whether a new request would be sent at once (the window has room). */
  get hasRoom(): boolean {
    return !this.#isClosed && !this.#unbinding && this.#pending.size < this.#o.window;
  }

  /** Replaces the handler, e.g. once a bind has succeeded. */
  setHandler(handler: SmppRequestHandler): void {
    this.#handler = handler;
  }

  /**
   * Sends a request and waits for its response (any command_status: the
   * caller judges it). Waits for a window slot first.
   *
   * @returns the response PDU
   * @throws {SmppClosedError} when the session is or becomes closed first
   * @throws {SmppTimeoutError} when the response timer runs out
   * @throws {SmppNackError} when the peer answers generic_nack
   * @throws {EncodeError} when the fields cannot be encoded
   */
  request(command: SmppCommandName, fields: SmppFields, tlvs: SmppTlv[] = []): Promise<SmppPdu> {
    if (this.#isClosed || this.#unbinding) {
      return Promise.reject(new SmppClosedError(`Cannot send ${command}: session closed`));
    }
    return new Promise<SmppPdu>((resolve, reject) => {
      const q: Queued = { command, fields, tlvs, resolve, reject };
      if (this.#pending.size < this.#o.window) this.#sendRequest(q);
      else this.#queue.push(q);
    });
  }

  /**
   * Ends the session politely: unbind, wait for unbind_resp (at most the
   * response timer), close.
   */
  async unbind(): Promise<void> {
    if (this.#isClosed || this.#unbinding) return;
    this.#unbinding = true;
    for (const q of this.#queue.splice(0)) {
      q.reject(new SmppClosedError(`Cannot send ${q.command}: session unbinding`));
    }
    try {
      await new Promise<SmppPdu>((resolve, reject) =>
        this.#sendRequest({ command: "unbind", fields: {}, tlvs: [], resolve, reject })
      );
    } catch {
      // No answer: close anyway, the far side will see the end of stream.
    }
    this.close({ reason: "unbind" });
  }

  /**
   * Ends the session at once (idempotent).
   *
   * @param info why; "local" when not given
   */
  close(info: SmppCloseInfo = { reason: "local" }): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#supervisor?.cancel();
    // PDUs encoded in this turn whose write has not started yet (the write waits for the end
    // of the turn's microtasks): start it now, as an unbuffered write would have been, so that
    // a close in the same turn does not drop answers already produced. Never beside a write in
    // progress, which may still have octets to send first.
    if (this.#writingBytes === 0 && this.#out.length > 0) {
      this.#conn.write(this.#out.written()).catch(() => {});
    }
    try {
      this.#conn.close();
    } catch {
      // Already closed by the peer or the runtime.
    }
    const err = new SmppClosedError(`Session closed (${info.reason})`);
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
    for (const q of this.#queue.splice(0)) q.reject(err);
    this.#out.truncate(0);
    for (const w of this.#drainWaiters.splice(0)) w();
    this.#resume?.();
    this.#resolveClosed(info);
  }

  #sendRequest(q: Queued): void {
    let seq = this.#nextSequence;
    while (this.#pending.has(seq)) seq = seq >= SEQUENCE_MAX ? 1 : seq + 1;
    this.#nextSequence = seq >= SEQUENCE_MAX ? 1 : seq + 1;
    if (this.#isClosed) {
      q.reject(new SmppClosedError(`Cannot send ${q.command}: session closed`));
      return;
    }
    try {
      encodeSmppPduInto(this.#out, {
        command: q.command,
        command_id: SMPP_COMMAND_IDS[q.command],
        command_status: 0,
        sequence_number: seq,
        fields: q.fields,
        tlvs: q.tlvs,
      });
    } catch (e) {
      q.reject(e as Error);
      this.#pump();
      return;
    }
    this.#pending.set(seq, {
      command: q.command,
      deadline: this.#o.clock.now() + this.#o.responseTimeoutMs,
      resolve: q.resolve,
      reject: q.reject,
    });
    this.#written();
  }

  // Moves queued requests into the window as slots free up.
  #pump(): void {
    while (this.#queue.length > 0 && this.#pending.size < this.#o.window && !this.#isClosed) {
      this.#sendRequest(this.#queue.shift()!);
    }
  }

  /** Octets encoded or being written and not yet taken by the socket. */
  get #writeQueuedBytes(): number {
    return this.#out.length + this.#writingBytes;
  }

  // A PDU has been appended to #out: see that a write follows.
  #written(): void {
    if (this.#writing) return;
    // The first PDU waits for the end of the current microtask round, so that
    // the responses core's batch of answers resolves together leave in one write.
    this.#writing = true;
    queueMicrotask(() => this.#flush());
  }

  // Writes everything encoded, one write per batch: the PDUs encoded while a
  // write is in progress go into the other buffer and leave with the next one.
  async #flush(): Promise<void> {
    this.#writing = true;
    while (this.#out.length > 0 && !this.#isClosed) {
      const batch = this.#out;
      this.#out = this.#spare;
      this.#spare = batch;
      const chunk = batch.written();
      this.#writingBytes = chunk.length;
      this.#lastSent = this.#o.clock.now();
      try {
        for (let off = 0; off < chunk.length;) off += await this.#conn.write(chunk.subarray(off));
      } catch (e) {
        this.#o.logger.info("Cannot write PDU: connection lost", { error: String(e) });
        this.close({ reason: "io-error", detail: String(e) });
      }
      this.#writingBytes = 0;
      // A burst should not pin its buffer for the rest of the session.
      if (chunk.length > OUT_BYTES_KEPT_MAX) {
        this.#spare = new ByteWriter("smpp", OUT_BYTES_INITIAL);
      } else batch.truncate(0);
    }
    this.#writing = false;
    for (const w of this.#drainWaiters.splice(0)) w();
  }

  #armSupervisor(): void {
    const o = this.#o;
    const periods = [o.responseTimeoutMs, o.enquireLinkMs, o.inactivityMs].filter((v) => v > 0);
    const every = Math.max(10, Math.min(1000, ...periods.map((v) => Math.ceil(v / 4))));
    const tick = () => {
      if (this.#isClosed) return;
      this.#supervise();
      if (!this.#isClosed) this.#supervisor = o.clock.setTimer(every, tick);
    };
    this.#supervisor = o.clock.setTimer(every, tick);
  }

  #supervise(): void {
    const o = this.#o;
    const now = o.clock.now();
    for (const [seq, p] of this.#pending) {
      if (p.deadline > now) continue;
      this.#pending.delete(seq);
      p.reject(
        new SmppTimeoutError(
          `Cannot complete ${p.command}: no response in ${o.responseTimeoutMs} ms`,
        ),
      );
    }
    this.#pump();
    if (o.inactivityMs > 0 && now - this.#lastReceived >= o.inactivityMs) {
      o.logger.notice("Closing SMPP session: peer silent", { ms: now - this.#lastReceived });
      return this.close({ reason: "inactivity" });
    }
    const idle = now - Math.max(this.#lastReceived, this.#lastSent);
    if (o.enquireLinkMs > 0 && idle >= o.enquireLinkMs && !this.#enquiring && !this.#unbinding) {
      this.#enquiring = true;
      this.request("enquire_link", {}).then(
        () => this.#enquiring = false,
        (e) => {
          this.#enquiring = false;
          if (e instanceof SmppTimeoutError) {
            o.logger.notice("Closing SMPP session: enquire_link unanswered");
            this.close({ reason: "enquire-link-timeout" });
          }
        },
      );
    }
  }

  async #readLoop(): Promise<void> {
    const capacity = Math.max(READ_CHUNK_BYTES, this.#o.maxPduBytes);
    let buf = new Uint8Array(capacity);
    let start = 0;
    let end = 0;
    try {
      while (!this.#isClosed) {
        for (;;) {
          let cut;
          try {
            cut = frameSmppStream(buf.subarray(start, end), { maxPduBytes: this.#o.maxPduBytes });
          } catch (e) {
            if (!(e instanceof DecodeError)) throw e;
            return this.#badFraming(buf.subarray(start, end), e);
          }
          if ("need" in cut) break;
          start += cut.consumed;
          this.#lastReceived = this.#o.clock.now();
          // cut.pdu is a view into buf: #dispatch decodes it before anything awaits.
          this.#dispatch(cut.pdu);
          if (this.#isClosed) return;
          while (
            !this.#isClosed &&
            (this.#inFlight >= this.#o.inFlightMax ||
              this.#writeQueuedBytes > this.#o.writeHighWaterBytes)
          ) {
            await this.#pause();
          }
        }
        if (start > 0) {
          buf.copyWithin(0, start, end);
          end -= start;
          start = 0;
        }
        const n = await this.#conn.read(buf.subarray(end));
        if (n === null) {
          if (end > 0) {
            this.#o.logger.notice("SMPP stream ended inside a PDU", { bytes: end });
            return this.close({ reason: "malformed", detail: "stream ended inside a PDU" });
          }
          return this.close({ reason: "end-of-stream" });
        }
        end += n;
      }
    } catch (e) {
      if (this.#isClosed) return;
      if (e instanceof Deno.errors.ConnectionReset || e instanceof Deno.errors.BrokenPipe) {
        return this.close({ reason: "end-of-stream", detail: "reset" });
      }
      this.#o.logger.info("Cannot read PDU: connection lost", { error: String(e) });
      this.close({ reason: "io-error", detail: String(e) });
    } finally {
      buf = new Uint8Array(0);
    }
  }

  // Waits until a handler finishes or the write queue drains.
  #pause(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#resume = resolve;
      if (this.#writeQueuedBytes > this.#o.writeHighWaterBytes) this.#drainWaiters.push(resolve);
    });
  }

  #wake(): void {
    const resume = this.#resume;
    this.#resume = undefined;
    resume?.();
  }

  #badFraming(bytes: Uint8Array, e: DecodeError): void {
    const seq = bytes.length >= 16 ? new DataView(bytes.buffer, bytes.byteOffset).getUint32(12) : 0;
    this.#o.logger.notice(`${e.message}; closing the session`);
    this.#sendResponse("generic_nack", seq, SMPP_STATUS.ESME_RINVCMDLEN);
    // Give the nack a chance to leave before the socket closes.
    this.#afterFlush(() => this.close({ reason: "malformed", detail: e.message }));
  }

  #afterFlush(fn: () => void): void {
    if (!this.#writing && this.#out.length === 0) return fn();
    this.#drainWaiters.push(fn);
  }

  // `bytes` is one whole PDU as the framer cut it (at least the 16-octet header).
  #dispatch(bytes: Uint8Array): void {
    const commandId = headerField(bytes, 4);
    const command = COMMAND_BY_ID.get(commandId);
    if (command === undefined) {
      this.#o.logger.notice("Answering generic_nack: unknown command_id", {
        command_id: `0x${commandId.toString(16).padStart(8, "0")}`,
      });
      if ((commandId & SMPP_RESPONSE_BIT) === 0) {
        this.#sendResponse("generic_nack", headerField(bytes, 12), SMPP_STATUS.ESME_RINVCMDID);
      }
      return;
    }
    if ((commandId & SMPP_RESPONSE_BIT) !== 0) {
      return this.#matchResponse(bytes, headerField(bytes, 12), command);
    }
    let pdu: SmppPdu;
    try {
      pdu = decodeSmppPdu(bytes);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      const status = typeof e.code === "number" ? e.code : SMPP_STATUS.ESME_RSYSERR;
      this.#o.logger.notice("Answering with an error: undecodable PDU", {
        command,
        error: e.message,
      });
      this.#sendResponse(respOf(command), headerField(bytes, 12), status);
      return;
    }
    if (command === "enquire_link") {
      return this.#sendResponse("enquire_link_resp", pdu.sequence_number, 0);
    }
    if (command === "unbind") {
      this.#unbinding = true;
      this.#sendResponse("unbind_resp", pdu.sequence_number, 0);
      return this.#afterFlush(() => this.close({ reason: "peer-unbind" }));
    }
    if (this.#unbinding) return;
    this.#inFlight++;
    this.#answer(pdu);
  }

  #matchResponse(bytes: Uint8Array, seq: number, command: SmppCommandName): void {
    const p = this.#pending.get(seq);
    if (p === undefined) {
      this.#o.logger.info("Dropping SMPP response: no request outstanding", { command, seq });
      return;
    }
    if (command !== "generic_nack" && command !== respOf(p.command)) {
      this.#o.logger.notice("Dropping SMPP response: it answers another command", {
        command,
        expected: respOf(p.command),
        seq,
      });
      return;
    }
    this.#pending.delete(seq);
    let pdu: SmppPdu;
    try {
      pdu = decodeSmppPdu(bytes);
    } catch (e) {
      // An undecodable response still tells the outcome by its status.
      const h = decodeSmppHeader(bytes);
      pdu = {
        command,
        command_id: h.command_id,
        command_status: h.command_status === 0 ? SMPP_STATUS.ESME_RSYSERR : h.command_status,
        sequence_number: seq,
        fields: {},
        tlvs: [],
      };
      this.#o.logger.notice("Undecodable SMPP response", { command, error: String(e) });
    }
    if (command === "generic_nack") {
      p.reject(new SmppNackError(`${p.command} answered with generic_nack`, pdu.command_status));
    } else {
      p.resolve(pdu);
    }
    this.#pump();
  }

  async #answer(pdu: SmppPdu): Promise<void> {
    try {
      const reply = await this.#handler(pdu, this);
      if (reply.noResponse && pdu.command === "alert_notification") return;
      this.#sendResponse(
        respOf(pdu.command),
        pdu.sequence_number,
        reply.status,
        reply.fields,
        reply.tlvs,
      );
      const closeInfo = reply.closeAfter;
      if (closeInfo !== undefined) this.#afterFlush(() => this.close(closeInfo));
    } catch (e) {
      this.#o.logger.error("Cannot answer SMPP request: handler failed", {
        command: pdu.command,
        error: String(e),
      });
      this.#sendResponse(respOf(pdu.command), pdu.sequence_number, SMPP_STATUS.ESME_RSYSERR);
    } finally {
      this.#inFlight--;
      this.#wake();
    }
  }

  #sendResponse(
    command: SmppCommandName,
    seq: number,
    status: number,
    fields?: SmppFields,
    tlvs: SmppTlv[] = [],
  ): void {
    if (this.#isClosed) return;
    // §3.3: a response with a non-zero status may have no body; generic_nack never has one.
    const body = fields ?? (status === 0 ? defaultBody(command) : {});
    try {
      encodeSmppPduInto(this.#out, {
        command,
        command_id: SMPP_COMMAND_IDS[command],
        command_status: status,
        sequence_number: seq,
        fields: body,
        tlvs,
      });
    } catch (e) {
      this.#o.logger.error("Cannot encode SMPP response", { command, error: String(e) });
      // A bodiless error response always encodes; generic_nack if even that fails.
      const fallback = command in SMPP_COMMAND_IDS ? command : "generic_nack";
      encodeSmppPduInto(this.#out, {
        command: fallback,
        command_id: SMPP_COMMAND_IDS[fallback],
        command_status: SMPP_STATUS.ESME_RSYSERR,
        sequence_number: seq,
        fields: {},
        tlvs: [],
      });
    }
    this.#written();
  }
}

// A big-endian u32 of the PDU header: command_id at 4, sequence_number at 12.
function headerField(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] << 24) >>> 0) + (bytes[offset + 1] << 16) + (bytes[offset + 2] << 8) +
    bytes[offset + 3];
}

// outbind, alert_notification, generic_nack and the responses have no response of their own.
const RESP_OF = new Map<SmppCommandName, SmppCommandName>(
  (Object.keys(SMPP_COMMAND_IDS) as SmppCommandName[])
    .filter((c) => `${c}_resp` in SMPP_COMMAND_IDS)
    .map((c) => [c, `${c}_resp` as SmppCommandName]),
);

/** The response command of a request, e.g. submit_sm -> submit_sm_resp. */
export function respOf(command: SmppCommandName): SmppCommandName {
  return RESP_OF.get(command) ?? "generic_nack";
}

// The body an OK response has when the handler gives none (§4: message_id is mandatory).
function defaultBody(command: SmppCommandName): SmppFields {
  switch (command) {
    case "submit_sm_resp":
    case "data_sm_resp":
    case "deliver_sm_resp":
      return { message_id: "" };
    default:
      return {};
  }
}
