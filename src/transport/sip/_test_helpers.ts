/**
 * Test helpers of this folder: a fake clock, a raw SIP-over-TCP client that
 * sees every byte, request texts and a log collector.
 *
 * @module
 */

import {
  parseSipMessage,
  type SipFrame,
  type SipMessage,
  SipStreamFramer,
} from "../../codec/sip/mod.ts";
import type { Clock, Timer } from "../../lib/clock.ts";
import { Logger, setLogLevel, setLogSink } from "../../lib/log.ts";
import { type IncomingRequest, SipEndpoint, type SipEndpointOptions } from "./endpoint.ts";

/** A clock whose time moves only when the test says so. */
export class FakeClock implements Clock {
  nowMs = 1_000_000;
  #timers: { at: number; fn: () => void; live: boolean }[] = [];

  now(): number {
    return this.nowMs;
  }

  setTimer(delayMs: number, fn: () => void): Timer {
    const t = { at: this.nowMs + delayMs, fn, live: true };
    this.#timers.push(t);
    return { cancel: () => void (t.live = false) };
  }

  /** Advances time, firing due timers in order. */
  advance(ms: number): void {
    const until = this.nowMs + ms;
    for (;;) {
      const due = this.#timers.filter((t) => t.live && t.at <= until).sort((a, b) => a.at - b.at);
      if (due.length === 0) break;
      due[0].live = false;
      this.nowMs = due[0].at;
      due[0].fn();
    }
    this.nowMs = until;
    this.#timers = this.#timers.filter((t) => t.live);
  }

  /** Timers not yet fired or cancelled. */
  get pending(): number {
    return this.#timers.filter((t) => t.live).length;
  }
}

/** Collects log lines instead of printing them. */
export function captureLogs(): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  setLogLevel("debug");
  const prev = setLogSink({ write: (line) => void lines.push(line) });
  return {
    lines,
    restore() {
      setLogSink(prev);
      setLogLevel("info");
    },
  };
}

/** Endpoint options for tests: TCP on an ephemeral loopback port, a fake clock. */
export function testOptions(
  clock: Clock,
  more: Partial<SipEndpointOptions> = {},
): SipEndpointOptions {
  return {
    listenTcp: { hostname: "127.0.0.1", port: 0 },
    maxMessageBytes: 4096,
    keepaliveMs: 0,
    transactionTimeoutMs: 32_000,
    viaHost: "127.0.0.1",
    logger: new Logger("sip.test"),
    clock,
    ...more,
  };
}

/** Starts an endpoint that records requests and lets the test answer them. */
export async function startRecording(
  options: SipEndpointOptions,
  answer?: (r: IncomingRequest) => void,
): Promise<{ ep: SipEndpoint; requests: IncomingRequest[]; closed: number[] }> {
  const requests: IncomingRequest[] = [];
  const closed: number[] = [];
  const ep = await SipEndpoint.start(options, (r) => {
    requests.push(r);
    answer?.(r);
  });
  ep.onConnectionClosed((id) => closed.push(id));
  return { ep, requests, closed };
}

const enc = new TextEncoder();

/** Fields of a test request. */
export interface RequestText {
  method?: string;
  branch?: string;
  callId?: string;
  cseq?: number;
  toTag?: string;
  body?: string;
  extra?: string[];
  /** Headers to leave out, by name. */
  omit?: string[];
}

/** A request as a UE would send it over TCP, with CRLF line ends. */
export function requestText(r: RequestText = {}): string {
  const method = r.method ?? "REGISTER";
  const body = r.body ?? "";
  const lines = [
    `Via: SIP/2.0/TCP 10.0.0.7:5060;branch=${r.branch ?? "z9hG4bK-test-1"};rport`,
    "Max-Forwards: 70",
    "From: <sip:+12125550100@smsc.local>;tag=ue1",
    `To: <sip:+12125550100@smsc.local>${r.toTag ? `;tag=${r.toTag}` : ""}`,
    `Call-ID: ${r.callId ?? "call-1@10.0.0.7"}`,
    `CSeq: ${r.cseq ?? 1} ${method}`,
    "Contact: <sip:ue@10.0.0.7:5060;transport=tcp>",
    ...(r.extra ?? []),
    ...(body.length > 0 ? ["Content-Type: text/plain"] : []),
    `Content-Length: ${enc.encode(body).length}`,
  ].filter((l) => !(r.omit ?? []).some((name) => l.startsWith(`${name}:`)));
  return `${method} sip:smsc.local SIP/2.0\r\n${lines.join("\r\n")}\r\n\r\n${body}`;
}

/** A response to `request` as a UE would send it. */
export function responseText(request: SipMessage, status: number, reason: string): string {
  const copy = request.headers
    .filter((h) => /^(via|from|to|call-id|cseq)$/i.test(h.name))
    .map((h) => `${h.name}: ${h.value}`);
  return `SIP/2.0 ${status} ${reason}\r\n${copy.join("\r\n")}\r\nContent-Length: 0\r\n\r\n`;
}

/** A SIP-over-TCP client that shows every frame, keep-alives included. */
export class RawClient {
  readonly conn: Deno.TcpConn;
  readonly #framer = new SipStreamFramer({ maxBodyBytes: 1 << 20, maxHeaderBytes: 1 << 20 });
  readonly #frames: SipFrame[] = [];
  #ended = false;

  private constructor(conn: Deno.TcpConn) {
    this.conn = conn;
  }

  static async connect(port: number): Promise<RawClient> {
    return new RawClient(await Deno.connect({ hostname: "127.0.0.1", port }));
  }

  /** Listens on an ephemeral port and returns the first client that connects. */
  static listen(): { port: number; accepted: Promise<RawClient>; close(): void } {
    const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    return {
      port: (l.addr as Deno.NetAddr).port,
      accepted: l.accept().then((c) => new RawClient(c)),
      close: () => l.close(),
    };
  }

  async write(data: string | Uint8Array): Promise<void> {
    const bytes = typeof data === "string" ? enc.encode(data) : data;
    for (let off = 0; off < bytes.length;) off += await this.conn.write(bytes.subarray(off));
  }

  /** The next frame, or `undefined` once the server has closed the connection. */
  async nextFrame(): Promise<SipFrame | undefined> {
    const buf = new Uint8Array(65536);
    while (this.#frames.length === 0) {
      if (this.#ended) return undefined;
      let n: number | null;
      try {
        n = await this.conn.read(buf);
      } catch {
        n = null;
      }
      if (n === null) {
        this.#ended = true;
        return undefined;
      }
      this.#frames.push(...this.#framer.push(buf.slice(0, n)));
    }
    return this.#frames.shift();
  }

  /** The next message (keep-alives skipped), or `undefined` at the end. */
  async next(): Promise<SipMessage | undefined> {
    for (;;) {
      const f = await this.nextFrame();
      if (f === undefined) return undefined;
      if ("message" in f) return parseSipMessage(f.message, { maxBodyBytes: 1 << 20 });
    }
  }

  /** True when the server closes without sending anything more. */
  async endsWithoutData(): Promise<boolean> {
    return (await this.nextFrame()) === undefined;
  }

  close(): void {
    try {
      this.conn.close();
    } catch {
      // Already closed.
    }
  }
}

/** Waits until `cond` holds, polling the event loop (no time assertions). */
export async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`Timed out waiting for ${what}`);
}
