/**
 * Cutting a TCP (or TLS) byte stream into SIP messages, RFC 3261 §18.3:
 * "In the case of stream-oriented transports such as TCP, the Content-
 * Length header field indicates the size of the body. All stream-oriented
 * transports MUST use Content-Length to indicate the size of the body."
 *
 * Lifecycle: `frameSipStream` is a pure function of the bytes it is given;
 * `SipStreamFramer` owns a copy of the unconsumed bytes of one connection.
 * After it throws, the connection cannot be resynchronised: the transport
 * answers (if it can) with the error's `code` and closes it.
 *
 * @module
 */

import {
  findHeaderEnd,
  parseHeaderSection,
  resolveLimits,
  sipError,
  type SipLimits,
} from "./_header_section.ts";
import { STATUS_BAD_REQUEST, STATUS_ENTITY_TOO_LARGE } from "./constants.ts";
import { contentLengthOf } from "./message.ts";

/** One step of framing. */
export type SipFrame =
  /** A complete message: `message` is a copy of the first `consumed` bytes. */
  | { message: Uint8Array; consumed: number }
  /**
   * Keep-alive line ends before a start line (RFC 3261 §7.5: "ignore any
   * CRLF appearing before the start-line"). RFC 5626 §3.5.1 names a double
   * CRLF a "ping" (answer with one CRLF) and a single CRLF a "pong".
   */
  | { keepalive: "ping" | "pong"; consumed: number }
  /** The buffer holds only the start of an item; call again with more bytes. */
  | { need: "more" };

const CR = 13;
const LF = 10;

/** Length of the line end at `i`: 2 for CRLF, 1 for LF, 0 for none, -1 when cut short. */
function lineEndAt(buffer: Uint8Array, i: number): number {
  if (i >= buffer.length) return -1;
  if (buffer[i] === LF) return 1;
  if (buffer[i] !== CR) return 0;
  if (i + 1 >= buffer.length) return -1;
  if (buffer[i + 1] === LF) return 2;
  throw sipError(
    "start-line",
    "CR not followed by LF before the start line",
    i,
    STATUS_BAD_REQUEST,
  );
}

function keepalive(buffer: Uint8Array): SipFrame {
  const first = lineEndAt(buffer, 0);
  if (first < 0) return { need: "more" };
  const second = lineEndAt(buffer, first);
  if (second < 0) return { need: "more" };
  if (second === 0) return { keepalive: "pong", consumed: first };
  return { keepalive: "ping", consumed: first + second };
}

/**
 * Looks at the start of `buffer` and returns the first complete item: a
 * message (with Content-Length required), a keep-alive, or a request for
 * more bytes. A lone CRLF at the very end of the buffer waits for the next
 * byte, since it may be the first half of a ping.
 *
 * @param buffer unconsumed stream bytes, starting at an item boundary
 * @param limits optional limits (defaults in constants.ts)
 * @returns the item and how many bytes it used, or `{ need: "more" }`
 * @throws {DecodeError} protocol "sip": 400 for bad syntax in the header
 *   section or a missing or bad Content-Length, 413 for a body beyond
 *   `maxBodyBytes`, 513 for a header section beyond `maxHeaderBytes` or `maxHeaders`
 */
export function frameSipStream(buffer: Uint8Array, limits?: Partial<SipLimits>): SipFrame {
  const lim = resolveLimits(limits);
  if (buffer.length === 0) return { need: "more" };
  if (buffer[0] === CR || buffer[0] === LF) return keepalive(buffer);
  const found = findHeaderEnd(buffer, 0, lim.maxHeaderBytes);
  if (found === null) return { need: "more" };
  const section = parseHeaderSection(buffer, 0, found.end, lim);
  const length = contentLengthOf(section.headers, section.offsets);
  if (length === undefined) {
    throw sipError(
      "Content-Length",
      "Content-Length is required on stream transports (RFC 3261 §18.3)",
      found.end,
      STATUS_BAD_REQUEST,
    );
  }
  if (length > lim.maxBodyBytes) {
    throw sipError(
      "message-body",
      `body of ${length} bytes exceeds ${lim.maxBodyBytes}`,
      found.bodyStart,
      STATUS_ENTITY_TOO_LARGE,
    );
  }
  const total = found.bodyStart + length;
  if (buffer.length < total) return { need: "more" };
  return { message: buffer.slice(0, total), consumed: total };
}

/**
 * Incremental framer for one stream connection: push received chunks, get
 * back complete messages and keep-alives. Bytes held never exceed
 * `maxHeaderBytes + maxBodyBytes` plus one chunk.
 */
export class SipStreamFramer {
  #buffer: Uint8Array = new Uint8Array(0);
  #failed: unknown = undefined;
  readonly #limits: SipLimits;

  /** @param limits optional limits (defaults in constants.ts) */
  constructor(limits?: Partial<SipLimits>) {
    this.#limits = resolveLimits(limits);
  }

  /** Bytes received but not yet returned in a frame. */
  get pendingBytes(): number {
    return this.#buffer.length;
  }

  /**
   * Appends `chunk` and returns every complete item now available (never a
   * `{ need: "more" }`).
   *
   * @param chunk bytes just read from the connection
   * @returns messages and keep-alives in stream order
   * @throws {DecodeError} as `frameSipStream`; once thrown, every later call throws the same error
   */
  push(chunk: Uint8Array): SipFrame[] {
    if (this.#failed !== undefined) throw this.#failed;
    const joined = new Uint8Array(this.#buffer.length + chunk.length);
    joined.set(this.#buffer);
    joined.set(chunk, this.#buffer.length);
    const out: SipFrame[] = [];
    let offset = 0;
    try {
      for (;;) {
        const frame = frameSipStream(joined.subarray(offset), this.#limits);
        if ("need" in frame) break;
        out.push(frame);
        offset += frame.consumed;
      }
    } catch (e) {
      this.#failed = e;
      throw e;
    }
    this.#buffer = joined.slice(offset);
    return out;
  }
}
