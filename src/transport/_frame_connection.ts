/**
 * One framed connection of the local socket: the read loop, the request and
 * response bookkeeping, back-pressure and the close sequence. Private to
 * src/transport; `unix_socket.ts` is the public face (see its lifecycle notes).
 *
 * @module
 */

import {
  encodeFrameInto,
  type Frame,
  FRAME_BYTES_MAX,
  FRAME_PROTOCOL,
  frameStream,
  type MessageType,
  type Request,
  type RequestOf,
  type Response,
  type ResponseOf,
  type Side,
} from "../codec/frame/mod.ts";
import { ByteWriter } from "../lib/bytes.ts";
import type { Clock, Timer } from "../lib/clock.ts";
import { DecodeError } from "../lib/errors.ts";
import type { Logger } from "../lib/log.ts";

/** Handles one request from the peer and returns its response. */
export type RequestHandler = (
  request: Request,
  connection: FrameConnection,
) => Response | Promise<Response>;

/** Bounds and timers of one connection; every field is a config value at the call site. */
export interface ConnectionOptions {
  /** Largest frame accepted, prefix included (≤ `FRAME_BYTES_MAX`). */
  maxFrameBytes: number;
  /** Requests from the peer in the handler or awaiting their write before reading stops. */
  requestsInFlightMax: number;
  /** Default time to wait for the response to a request this side sends. */
  requestTimeoutMs: number;
  /** Log lines go here; malformed input is logged at notice. */
  logger: Logger;
  /** Timers (tests may pass a fake clock). */
  clock: Clock;
}

/** Defaults used when an option is not given (the config schema repeats them). */
export const CONNECTION_DEFAULTS: Readonly<Omit<ConnectionOptions, "logger" | "clock">> = {
  maxFrameBytes: FRAME_BYTES_MAX,
  requestsInFlightMax: 256,
  requestTimeoutMs: 30_000,
};

/** A request was pending, or was sent, on a connection that is closed. */
export class ConnectionClosedError extends Error {
  override name = "ConnectionClosedError";
}

/** No response arrived within the request's timeout. */
export class RequestTimeoutError extends Error {
  override name = "RequestTimeoutError";
}

/** Another process is listening on the socket path. */
export class SocketInUseError extends Error {
  override name = "SocketInUseError";
}

/** Why a connection ended. */
export interface CloseInfo {
  reason: "local" | "end-of-stream" | "malformed" | "io-error" | "handler-error" | "shutdown";
  detail?: string;
}

interface Pending {
  type: MessageType;
  resolve: (r: Response) => void;
  reject: (e: Error) => void;
  /** When it times out, on the connection's clock. */
  deadline: number;
  timeoutMs: number;
}

const READ_CHUNK_BYTES = 65536;
const OUT_BYTES_INITIAL = 16384;
let nextConnectionId = 1;

/**
 * Resolves after a few microtask turns: enough for the code awaiting a
 * response (an `await` on `request()`, and the synchronous steps after it) to
 * run before the next frame is dispatched.
 */
async function afterPendingContinuations(): Promise<void> {
  for (let i = 0; i < 4; i++) await undefined;
}

/** The id the next connection will get (for the server's log instance). */
export function peekConnectionId(): number {
  return nextConnectionId;
}

/** One end of a framed connection: send requests, answer the peer's through the handler. */
export class FrameConnection {
  /** A number for logs, unique in this process. */
  readonly id: number = nextConnectionId++;
  /** Resolves once when the connection has ended. */
  readonly closed: Promise<CloseInfo>;
  readonly #conn: Deno.Conn;
  readonly #peerSide: Side;
  readonly #handler: RequestHandler;
  readonly #options: ConnectionOptions;
  readonly #pending = new Map<number, Pending>();
  #nextTransactionId = 1;
  #inFlight = 0;
  #slotFree: (() => void) | undefined;
  /**
   * Frames waiting for the next write, encoded back to back; `#spare` is the
   * buffer the write in progress reads from. Two buffers, swapped per write,
   * so that a pipelining peer costs one syscall and no allocation per batch.
   */
  #out = new ByteWriter(FRAME_PROTOCOL, OUT_BYTES_INITIAL);
  #spare = new ByteWriter(FRAME_PROTOCOL, OUT_BYTES_INITIAL);
  /** Responses in `#out`: they stay in flight until written (back-pressure). */
  #answersQueued = 0;
  #writing = false;
  /** One timer for every outstanding request: armed at the earliest deadline. */
  #timer: Timer | undefined;
  #timerAt = Infinity;
  #isClosed = false;
  #resolveClosed!: (info: CloseInfo) => void;

  /**
   * Wraps an accepted or connected socket and starts its read loop.
   *
   * @param conn the socket; owned from now on
   * @param peerSide the side at the other end, checked on every frame (§3)
   * @param handler answers the peer's requests
   * @param options bounds, timers and logger
   */
  constructor(
    conn: Deno.Conn,
    peerSide: Side,
    handler: RequestHandler,
    options: ConnectionOptions,
  ) {
    this.#conn = conn;
    this.#peerSide = peerSide;
    this.#handler = handler;
    this.#options = options;
    this.closed = new Promise((resolve) => this.#resolveClosed = resolve);
    this.#readLoop();
  }

  /** True once the connection has ended. */
  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** Requests this side has sent and not yet had answered. */
  get outstanding(): number {
    return this.#pending.size;
  }

  /**
   * Sends a request and waits for its response.
   *
   * @param request the request; its type must be one this side originates
   * @param timeoutMs how long to wait (default: the connection's `requestTimeoutMs`)
   * @returns the response
   * @throws {ConnectionClosedError} when the connection is or becomes closed first
   * @throws {RequestTimeoutError} when no response arrives in time
   * @throws {EncodeError} when the request cannot be encoded
   */
  request<T extends MessageType>(
    request: RequestOf<T>,
    timeoutMs: number = this.#options.requestTimeoutMs,
  ): Promise<ResponseOf<T>> {
    if (this.#isClosed) {
      return Promise.reject(
        new ConnectionClosedError(`Cannot send ${request.type}: connection closed`),
      );
    }
    let id = this.#nextTransactionId;
    while (this.#pending.has(id)) id = (id + 1) >>> 0;
    this.#nextTransactionId = (id + 1) >>> 0;
    encodeFrameInto(this.#out, { kind: "request", transactionId: id, request });
    const deadline = this.#options.clock.now() + timeoutMs;
    return new Promise<ResponseOf<T>>((resolve, reject) => {
      this.#pending.set(id, {
        type: request.type,
        resolve: resolve as (r: Response) => void,
        reject,
        deadline,
        timeoutMs,
      });
      this.#armTimer(deadline);
      if (!this.#writing) this.#flush();
    });
  }

  // Request timeouts: one timer at the earliest deadline instead of one per
  // request; when it fires, every request past its deadline fails and the
  // timer moves to the next deadline.
  #armTimer(deadline: number): void {
    if (this.#timer !== undefined && this.#timerAt <= deadline) return;
    this.#timer?.cancel();
    this.#timerAt = deadline;
    const delay = Math.max(0, deadline - this.#options.clock.now());
    this.#timer = this.#options.clock.setTimer(delay, () => this.#expire());
  }

  #disarmTimer(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#timerAt = Infinity;
  }

  #expire(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    const now = this.#options.clock.now();
    let next = Infinity;
    for (const [id, p] of this.#pending) {
      if (p.deadline <= now) {
        this.#pending.delete(id);
        p.reject(
          new RequestTimeoutError(`Cannot complete ${p.type}: no response in ${p.timeoutMs} ms`),
        );
      } else if (p.deadline < next) next = p.deadline;
    }
    if (next !== Infinity && !this.#isClosed) this.#armTimer(next);
  }

  /**
   * Ends the connection (idempotent).
   *
   * @param info why; "local" when not given
   */
  close(info: CloseInfo = { reason: "local" }): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    try {
      this.#conn.close();
    } catch {
      // Already closed by the peer or the runtime: nothing left to release.
    }
    this.#disarmTimer();
    for (const p of this.#pending.values()) {
      p.reject(
        new ConnectionClosedError(`Cannot complete ${p.type}: connection closed (${info.reason})`),
      );
    }
    this.#pending.clear();
    this.#out.truncate(0);
    this.#answersQueued = 0;
    this.#slotFree?.();
    this.#resolveClosed(info);
  }

  // Writes everything queued, coalescing frames into one write so that a
  // pipelining peer costs one syscall per batch, not per frame.
  async #flush(): Promise<void> {
    this.#writing = true;
    while (this.#out.length > 0 && !this.#isClosed) {
      const batch = this.#out;
      this.#out = this.#spare;
      this.#spare = batch;
      const answers = this.#answersQueued;
      this.#answersQueued = 0;
      const chunk = batch.written();
      try {
        for (let off = 0; off < chunk.length;) off += await this.#conn.write(chunk.subarray(off));
      } catch (e) {
        this.#options.logger.info("Cannot write frame: connection lost", { error: String(e) });
        this.close({ reason: "io-error", detail: String(e) });
      }
      batch.truncate(0);
      this.#release(answers);
    }
    this.#writing = false;
  }

  /** `count` requests of the peer are done (answered and written, or failed). */
  #release(count: number): void {
    this.#inFlight -= count;
    const wake = this.#slotFree;
    this.#slotFree = undefined;
    wake?.();
  }

  async #readLoop(): Promise<void> {
    const capacity = Math.max(READ_CHUNK_BYTES, this.#options.maxFrameBytes);
    let buf = new Uint8Array(capacity);
    let start = 0;
    let end = 0;
    // A response was matched since the last request was dispatched.
    let answered = false;
    try {
      while (!this.#isClosed) {
        for (;;) {
          const r = frameStream(buf.subarray(start, end), this.#options.maxFrameBytes, {
            from: this.#peerSide,
          });
          if ("need" in r) break;
          start += r.consumed;
          if (r.frame.kind === "request" && answered) {
            // The peer sent this request after reading our earlier request's
            // answer (MT_DISCHARGE after the MT_TRANSFER it answered): let the
            // code awaiting that answer run first, so that it sees the frames
            // in the order they came.
            await afterPendingContinuations();
            answered = false;
            if (this.#isClosed) return;
          }
          answered ||= r.frame.kind === "response";
          const full = this.#dispatch(r.frame);
          if (full !== undefined) await full;
          if (this.#isClosed) return;
        }
        if (start > 0) {
          buf.copyWithin(0, start, end);
          end -= start;
          start = 0;
        }
        const n = await this.#conn.read(buf.subarray(end));
        if (n === null) return this.#endOfStream(end - start);
        end += n;
      }
    } catch (e) {
      if (this.#isClosed) return;
      if (e instanceof Deno.errors.ConnectionReset) {
        // The peer closed with our bytes unread: for us that is its end of stream.
        return this.close({ reason: "end-of-stream", detail: "reset" });
      }
      if (e instanceof DecodeError) {
        this.#options.logger.notice(`${e.message}; closing the connection`, { field: e.field });
        return this.close({ reason: "malformed", detail: e.message });
      }
      this.#options.logger.info("Cannot read frame: connection lost", { error: String(e) });
      this.close({ reason: "io-error", detail: String(e) });
    } finally {
      buf = new Uint8Array(0);
    }
  }

  #endOfStream(leftBytes: number): void {
    if (leftBytes > 0) {
      const message = `Cannot decode frame: stream ended after ${leftBytes} bytes of a frame`;
      this.#options.logger.notice(message);
      return this.close({ reason: "malformed", detail: message });
    }
    this.close({ reason: "end-of-stream" });
  }

  // Synchronous unless the peer has `requestsInFlightMax` requests in flight:
  // then the returned promise resolves when a slot frees (reading stops).
  #dispatch(frame: Frame): Promise<void> | undefined {
    if (frame.kind === "response") {
      this.#matchResponse(frame.transactionId, frame.response);
      return undefined;
    }
    if (this.#inFlight >= this.#options.requestsInFlightMax) return this.#dispatchLater(frame);
    this.#inFlight++;
    this.#answer(frame.transactionId, frame.request);
    return undefined;
  }

  async #dispatchLater(frame: Frame & { kind: "request" }): Promise<void> {
    while (this.#inFlight >= this.#options.requestsInFlightMax && !this.#isClosed) {
      await new Promise<void>((resolve) => this.#slotFree = resolve);
    }
    if (this.#isClosed) return;
    this.#inFlight++;
    this.#answer(frame.transactionId, frame.request);
  }

  #matchResponse(transactionId: number, response: Response): void {
    const p = this.#pending.get(transactionId);
    if (p === undefined) {
      // A late answer to a request that timed out lands here; it is not an error of the peer.
      this.#options.logger.info("Dropping response: no request outstanding", {
        type: response.type,
        transaction: transactionId,
      });
      return;
    }
    if (p.type !== response.type) {
      const message = `Cannot match response: ${response.type} answers a ${p.type} request`;
      this.#options.logger.notice(message, { transaction: transactionId });
      return this.close({ reason: "malformed", detail: message });
    }
    this.#pending.delete(transactionId);
    if (this.#pending.size === 0) this.#disarmTimer();
    p.resolve(response);
  }

  #answer(transactionId: number, request: Request): void {
    let result: Response | Promise<Response>;
    try {
      result = this.#handler(request, this);
    } catch (e) {
      return this.#handlerFailed(request, e);
    }
    if (result instanceof Promise) {
      result.then(
        (response) => this.#respond(transactionId, request, response),
        (e) => this.#handlerFailed(request, e),
      );
    } else this.#respond(transactionId, request, result);
  }

  #respond(transactionId: number, request: Request, response: Response): void {
    if (response.type !== request.type) {
      const e = new TypeError(`handler answered ${request.type} with ${response.type}`);
      return this.#handlerFailed(request, e);
    }
    if (this.#isClosed) return this.#release(1);
    try {
      encodeFrameInto(this.#out, { kind: "response", transactionId, response });
    } catch (e) {
      return this.#handlerFailed(request, e);
    }
    this.#answersQueued++;
    if (!this.#writing) this.#flush();
  }

  #handlerFailed(request: Request, e: unknown): void {
    this.#options.logger.error("Cannot answer request: handler failed", {
      type: request.type,
      error: String(e),
    });
    this.close({ reason: "handler-error", detail: String(e) });
    this.#release(1);
  }
}
