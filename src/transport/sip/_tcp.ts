/**
 * SIP over TCP, RFC 3261 §18: one connection, cut into messages by
 * Content-Length (§18.3), with RFC 5626 §4.4.1 CRLF keep-alives. Private to
 * this folder.
 *
 * Lifecycle: the connection owns its `Deno.TcpConn` and a buffer of the
 * bytes not yet framed (at most `maxMessageBytes` plus one read). Writes are
 * queued and written in order by one writer. Whatever ends it (end of
 * stream, a read or write error, input that cannot be framed, `close()`,
 * `end()`) closes the socket once and reports `closed` once.
 *
 * Limits: a header section or a whole message beyond `maxMessageBytes`
 * answers 513, a Content-Length beyond it 413 (each only when a request line
 * is readable) and ends the connection, since the stream cannot be
 * resynchronised after a framing error.
 *
 * @module
 */

import { frameSipStream, type SipLimits } from "../../codec/sip/mod.ts";
import type { Timer } from "../../lib/clock.ts";
import { DecodeError } from "../../lib/errors.ts";
import {
  type ConnectionEvents,
  type ConnectionOptions,
  type SipConn,
  type SipConnectionInfo,
  unmapAddress,
  WRITE_QUEUE_BYTES_MAX,
} from "./_conn.ts";

const READ_CHUNK_BYTES = 65536;
const CRLF = new Uint8Array([13, 10]);
const CRLF_CRLF = new Uint8Array([13, 10, 13, 10]);
const STATUS_MESSAGE_TOO_LARGE = 513;

/** One TCP connection carrying SIP. */
export class TcpSipConn implements SipConn {
  readonly info: SipConnectionInfo;
  readonly viaTransport = "TCP";
  /** The local port, for the Via of requests on a connection we opened. */
  readonly localPort: number;
  readonly #conn: Deno.TcpConn;
  readonly #events: ConnectionEvents;
  readonly #o: ConnectionOptions;
  readonly #limits: Partial<SipLimits>;
  #buffer = new Uint8Array(0);
  #queue: Uint8Array[] = [];
  #queuedBytes = 0;
  #writing = false;
  #ending = false;
  #endReason = "";
  #closed = false;
  #lastActivity: number;
  #keepalive: Timer | undefined;

  /**
   * Takes over a connected socket and starts reading.
   *
   * @param id the connection id
   * @param conn the socket; owned from now on
   * @param events where messages and the end go
   * @param options limits and timers
   */
  constructor(
    id: number,
    conn: Deno.TcpConn,
    events: ConnectionEvents,
    options: ConnectionOptions,
  ) {
    this.#conn = conn;
    this.#events = events;
    this.#o = options;
    const remote = conn.remoteAddr as Deno.NetAddr;
    this.info = {
      id,
      transport: "tcp",
      remote: { hostname: unmapAddress(remote.hostname), port: remote.port },
    };
    this.localPort = (conn.localAddr as Deno.NetAddr).port;
    // A header section may use the whole budget; the total is checked per message.
    this.#limits = {
      maxHeaderBytes: options.maxMessageBytes,
      maxBodyBytes: options.maxMessageBytes,
    };
    try {
      conn.setNoDelay(true);
    } catch {
      // Not fatal: only latency suffers.
    }
    this.#lastActivity = options.clock.now();
    this.#armKeepalive(options.keepaliveMs);
    this.#readLoop();
  }

  get open(): boolean {
    return !this.#closed && !this.#ending;
  }

  send(bytes: Uint8Array): void {
    if (!this.open) return;
    this.#write(bytes);
  }

  end(reason: string): void {
    if (this.#closed || this.#ending) return;
    this.#ending = true;
    if (!this.#writing && this.#queue.length === 0) return this.close(reason);
    this.#endReason = reason;
  }

  close(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#keepalive?.cancel();
    try {
      this.#conn.close();
    } catch {
      // Already closed by the peer or the runtime.
    }
    this.#queue = [];
    this.#queuedBytes = 0;
    this.#buffer = new Uint8Array(0);
    this.#events.closed(this, reason);
  }

  #write(bytes: Uint8Array): void {
    if (this.#closed) return;
    if (this.#queuedBytes + bytes.length > WRITE_QUEUE_BYTES_MAX) {
      this.#o.logger.notice("Closing SIP connection: peer does not read", {
        queued: this.#queuedBytes,
      });
      return this.close("write-queue-full");
    }
    this.#lastActivity = this.#o.clock.now();
    this.#queue.push(bytes);
    this.#queuedBytes += bytes.length;
    if (!this.#writing) this.#flush();
  }

  async #flush(): Promise<void> {
    this.#writing = true;
    while (this.#queue.length > 0 && !this.#closed) {
      const chunk = this.#queue.shift()!;
      try {
        for (let off = 0; off < chunk.length;) off += await this.#conn.write(chunk.subarray(off));
      } catch (e) {
        this.#o.logger.info("Cannot write SIP message: connection lost", { error: String(e) });
        this.close("io-error");
      }
      this.#queuedBytes -= chunk.length;
    }
    this.#writing = false;
    if (this.#ending) this.close(this.#endReason);
  }

  // RFC 5626 §4.4.1 keep-alive from our side: a double CRLF after an idle
  // period keeps NAT bindings open; a peer that does not know RFC 5626
  // ignores it (RFC 3261 §7.5), so a missing pong is not an error on TCP.
  #armKeepalive(delayMs: number): void {
    if (this.#o.keepaliveMs <= 0 || this.#closed) return;
    this.#keepalive = this.#o.clock.setTimer(delayMs, () => {
      if (this.#closed) return;
      const idle = this.#o.clock.now() - this.#lastActivity;
      if (idle >= this.#o.keepaliveMs) {
        this.#write(CRLF_CRLF);
        return this.#armKeepalive(this.#o.keepaliveMs);
      }
      this.#armKeepalive(this.#o.keepaliveMs - idle);
    });
  }

  async #readLoop(): Promise<void> {
    const chunk = new Uint8Array(READ_CHUNK_BYTES);
    try {
      while (!this.#closed && !this.#ending) {
        const n = await this.#conn.read(chunk);
        if (n === null) {
          if (this.#buffer.length > 0) {
            this.#o.logger.notice("SIP stream ended inside a message", {
              bytes: this.#buffer.length,
            });
          }
          return this.close("end-of-stream");
        }
        this.#lastActivity = this.#o.clock.now();
        this.#take(chunk.subarray(0, n));
      }
    } catch (e) {
      if (this.#closed) return;
      const reset = e instanceof Deno.errors.ConnectionReset ||
        e instanceof Deno.errors.BrokenPipe;
      if (!reset) this.#o.logger.info("Cannot read SIP: connection lost", { error: String(e) });
      this.close(reset ? "end-of-stream" : "io-error");
    }
  }

  // Frames everything complete in the buffer plus `chunk`.
  #take(chunk: Uint8Array): void {
    const joined = new Uint8Array(this.#buffer.length + chunk.length);
    joined.set(this.#buffer);
    joined.set(chunk, this.#buffer.length);
    const max = this.#o.maxMessageBytes;
    let offset = 0;
    while (this.open) {
      const rest = joined.subarray(offset);
      let frame;
      try {
        frame = frameSipStream(rest, this.#limits);
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
        return this.#events.refuse(this, rest, e.code ?? 400, e.message);
      }
      if ("need" in frame) {
        if (rest.length > max) {
          const why = `message exceeds ${max} bytes`;
          return this.#events.refuse(this, rest, STATUS_MESSAGE_TOO_LARGE, why);
        }
        break;
      }
      offset += frame.consumed;
      if ("keepalive" in frame) {
        // RFC 5626 §4.4.1: "a double CRLF ping ... the server MUST respond with a single CRLF pong".
        if (frame.keepalive === "ping") this.#write(CRLF);
        continue;
      }
      if (frame.message.length > max) {
        const why = `message of ${frame.message.length} bytes exceeds ${max}`;
        return this.#events.refuse(this, frame.message, STATUS_MESSAGE_TOO_LARGE, why);
      }
      this.#events.message(this, frame.message);
    }
    this.#buffer = joined.slice(offset);
  }
}

/**
 * Opens a TCP connection.
 *
 * @throws {Deno.errors.*} when the connection cannot be made
 */
export function connectTcp(target: { hostname: string; port: number }): Promise<Deno.TcpConn> {
  return Deno.connect({ hostname: target.hostname, port: target.port, transport: "tcp" });
}
