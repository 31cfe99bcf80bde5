/**
 * JsSIP (npm `jssip`, pinned in deno.json) as a browser-like client of
 * gsmif's WebSocket listener (RFC 7118), on the runtime's own WebSocket as a
 * browser has it: it registers with digest authentication, sends MO and
 * receives MT, and answers MT with RP-ACK.
 *
 * JsSIP treats every SIP message as a JavaScript string. Bodies that are not
 * UTF-8 text, such as the RP messages of `application/vnd.3gpp.sms`, do not
 * survive its own `WebSocketInterface`: `sendMessage` writes a string body as
 * UTF-8 in a text frame (every byte 0x80-0xFF becomes two bytes, counted in
 * Content-Length), and binary frames it receives are decoded as UTF-8 (such
 * bytes become U+FFFD). Its low-level request API goes through the same
 * transport, so it does not help. A web application that carries SMS over
 * JsSIP needs a JsSIP `Socket` of its own that keeps bodies as bytes:
 * `ByteSocket` below, which writes and reads `application/vnd.3gpp.sms`
 * bodies as one character per byte and sends binary frames. One test pins
 * the limitation, the others use `ByteSocket`.
 *
 * Digest: gsmif challenges with SHA-256 and then MD5 (two WWW-Authenticate
 * lines). JsSIP 3.13.8 keeps only the last WWW-Authenticate of a response
 * and computes only MD5, so it registers because MD5 comes last; these tests
 * fail if that order changes.
 */

import { deepStrictEqual, notStrictEqual, ok, strictEqual } from "node:assert/strict";
import * as JsSIP from "jssip";
import { decodeRp, type RpMessage } from "../../src/codec/rp/mod.ts";
import { decodeTpdu, type SmsDeliver, type SmsStatusReport } from "../../src/codec/tpdu/mod.ts";
import { decodeGsm7, unpackSeptets } from "../../src/codec/gsm0338/mod.ts";
import { type Daemon, startDaemon } from "../support/daemon.ts";
import { freePort } from "../support/downlink_site.ts";
import { withKamailioSite } from "../support/kamailio.ts";
import { runSmsc } from "../support/spawn.ts";
import { rpAck, submitRp } from "../support/sip_ue.ts";

const A = "12125550100";
const B = "12125550101";
const PASSWORD: Record<string, string> = { [A]: "js-pw-a", [B]: "js-pw-b" };
const SMS_TYPE = "application/vnd.3gpp.sms";

/** Bytes as a JavaScript string of one character (U+0000-U+00FF) per byte. */
function byteString(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => String.fromCharCode(b)).join("");
}

/** The bytes of a one-character-per-byte string; throws on a wider character. */
function stringBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => {
    const code = c.charCodeAt(0);
    if (code > 0xff) throw new Error(`U+${code.toString(16)} is not a byte`);
    return code;
  });
}

const HEADER_END = "\r\n\r\n";

function isSmsBody(headerText: string): boolean {
  return /^content-type\s*:\s*application\/vnd\.3gpp\.sms\s*(;|$)/im.test(headerText);
}

/**
 * A JsSIP `Socket` (the interface JsSIP takes for its transport) on
 * JsSIP's own WebSocketInterface that keeps `application/vnd.3gpp.sms`
 * bodies as bytes: outgoing, such a body (a string of one character per
 * byte) goes out byte for byte in a binary frame with its Content-Length
 * counted in bytes; incoming, such a body reaches JsSIP as one character per
 * byte. Other messages pass as JsSIP makes them (UTF-8).
 */
class ByteSocket {
  readonly #inner: JsSIP.WebSocketInterface;
  onconnect: () => void = () => {};
  ondisconnect: (error: boolean, code?: number, reason?: string) => void = () => {};
  ondata: <T>(data: T) => void = () => {};

  constructor(url: string) {
    this.#inner = new JsSIP.WebSocketInterface(url);
    this.#inner.onconnect = () => this.onconnect();
    this.#inner.ondisconnect = (e, c, r) => this.ondisconnect(e, c, r);
    this.#inner.ondata = <T>(data: T) => this.ondata(ByteSocket.toJsSip(data));
  }

  get via_transport(): string {
    return this.#inner.via_transport;
  }
  set via_transport(value: string) {
    this.#inner.via_transport = value;
  }
  get url(): string {
    return this.#inner.url;
  }
  get sip_uri(): string {
    return this.#inner.sip_uri;
  }
  connect(): void {
    this.#inner.connect();
  }
  disconnect(): void {
    this.#inner.disconnect();
  }
  isConnected(): boolean {
    return this.#inner.isConnected();
  }
  isConnecting(): boolean {
    return this.#inner.isConnecting();
  }

  send(message: string): boolean {
    const at = message.indexOf(HEADER_END);
    const head = at < 0 ? message : message.slice(0, at);
    if (at < 0 || !isSmsBody(head)) return this.#inner.send(message);
    const body = stringBytes(message.slice(at + HEADER_END.length));
    const fixed = head.replace(/^(content-length|l)\s*:.*$/im, `Content-Length: ${body.length}`);
    const headBytes = new TextEncoder().encode(fixed + HEADER_END);
    const frame = new Uint8Array(headBytes.length + body.length);
    frame.set(headBytes);
    frame.set(body, headBytes.length);
    return this.#inner.send(frame);
  }

  static toJsSip(data: unknown): string {
    const bytes = typeof data === "string"
      ? new TextEncoder().encode(data)
      : new Uint8Array(data as ArrayBuffer);
    const text = new TextDecoder().decode(bytes);
    const at = text.indexOf(HEADER_END);
    if (at < 0 || !isSmsBody(text.slice(0, at))) return text;
    // The header section is ASCII in practice; cut the bytes where the text was cut.
    const headBytes = new TextEncoder().encode(text.slice(0, at + HEADER_END.length)).length;
    return text.slice(0, at + HEADER_END.length) + byteString(bytes.subarray(headBytes));
  }
}

/** One JsSIP user agent and what it received. */
interface Browser {
  ua: JsSIP.UA;
  /** The bodies of the MESSAGEs received, as JsSIP gave them. */
  bodies: string[];
  /** Resolves with the first received body (past or future) matching `pred`. */
  waitBody(pred: (body: string) => boolean, timeoutMs?: number): Promise<string>;
  /** sendMessage to sip:smsc@smsc.local; resolves with the final status. */
  send(body: string): Promise<number>;
  stop(): Promise<void>;
}

async function startBrowser(socket: JsSIP.Socket, number: string): Promise<Browser> {
  const ua = new JsSIP.UA({
    sockets: [socket],
    uri: `sip:+${number}@smsc.local`,
    authorization_user: number,
    password: PASSWORD[number],
    register: true,
    register_expires: 600,
    connection_recovery_min_interval: 2,
    connection_recovery_max_interval: 2,
  });
  ua.registrator().setExtraContactParams({ "+g.3gpp.smsip": "" });
  const bodies: string[] = [];
  let waiters: { pred: (b: string) => boolean; resolve: (b: string) => void }[] = [];
  ua.on("newMessage", (e: { originator: string; request: { body?: string } }) => {
    if (e.originator !== "remote") return;
    const body = e.request.body ?? "";
    bodies.push(body);
    const still = waiters.filter((w) => !w.pred(body));
    for (const w of waiters) if (!still.includes(w)) w.resolve(body);
    waiters = still;
  });
  await new Promise<void>((resolve, reject) => {
    ua.on("registered", () => resolve());
    ua.on("registrationFailed", (e) => reject(new Error(`registration failed: ${e.cause}`)));
    ua.start();
  });
  return {
    ua,
    bodies,
    waitBody(pred, timeoutMs = 10_000) {
      const seen = bodies.find(pred);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error("no matching MESSAGE in time")), timeoutMs);
        waiters.push({ pred, resolve: (b) => (clearTimeout(t), resolve(b)) });
      });
    },
    send(body) {
      return new Promise((resolve) => {
        ua.sendMessage("sip:smsc@smsc.local", body, {
          contentType: SMS_TYPE,
          eventHandlers: {
            succeeded: (e) => resolve(e.response.status_code),
            failed: (e) => resolve(e.response?.status_code ?? 0),
          },
        });
      });
    },
    async stop() {
      const gone = new Promise<void>((resolve) => ua.on("disconnected", () => resolve()));
      ua.stop();
      await gone;
    },
  };
}

/** The RP message of a body JsSIP received through ByteSocket. */
function rpOf(body: string): RpMessage {
  return decodeRp(stringBytes(body), { direction: "network-to-ms" });
}

function tpduOf(body: string): SmsDeliver | SmsStatusReport | undefined {
  const rp = rpOf(body);
  if (rp.type !== "RP-DATA" || rp.direction !== "network-to-ms") return undefined;
  const t = decodeTpdu(rp.userData, "sc-to-ms");
  return t.type === "sms-deliver" || t.type === "sms-status-report" ? t : undefined;
}

async function withGsmifWs<T>(fn: (url: string, dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "smsc-jssip-" });
  const port = freePort();
  const daemons: Daemon[] = [];
  let ok = false;
  try {
    await Deno.writeTextFile(
      `${dir}/config.toml`,
      `[gsmif]\nlisten_ws = "127.0.0.1:${port}"\nmt_retry_delays = "1s"\n` +
        `rp_ack_timeout_ms = 3000\n[core]\nretry_delays = "1s"\n`,
    );
    const env = { SMSC_CONFIG: "config.toml" };
    daemons.push(await startDaemon(["core"], { cwd: dir, env, ready: / core ready / }));
    for (const n of [A, B]) {
      const r = await runSmsc(["numbers", "sip-user", "set", `+${n}`, "--password-stdin"], {
        cwd: dir,
        env,
        stdin: `${PASSWORD[n]}\n`,
      });
      strictEqual(r.code, 0, r.stderr);
    }
    daemons.push(await startDaemon(["gsmif"], { cwd: dir, env, ready: / gsmif registered/ }));
    const result = await fn(`ws://127.0.0.1:${port}/`, dir);
    ok = true;
    return result;
  } finally {
    for (const d of daemons.reverse()) await d.stop();
    // deno-lint-ignore no-console
    if (!ok) { for (const d of daemons) console.error(`--- daemon ---\n${d.output()}`); }
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * A sends B a message with a status report requested: A gets 202 and the
 * RP-ACK, B the SMS-DELIVER (byte for byte) and answers RP-ACK, A gets the
 * status report and answers RP-ACK.
 */
async function moMtRoundTrip(a: Browser, b: Browser, mr: number, text: string): Promise<void> {
  strictEqual(await a.send(byteString(submitRp(mr, B, text, true))), 202);
  const ack = rpOf(await a.waitBody((s) => rpOf(s).type === "RP-ACK"));
  strictEqual(ack.messageReference, mr);
  const mtBody = await b.waitBody((s) => tpduOf(s)?.type === "sms-deliver");
  const deliver = tpduOf(mtBody);
  if (deliver?.type !== "sms-deliver") throw new Error("not an SMS-DELIVER");
  deepStrictEqual(
    [deliver.oa.digits, decodeGsm7(unpackSeptets(deliver.ud, deliver.udl))],
    [A, text],
  );
  strictEqual(await b.send(byteString(rpAck(rpOf(mtBody).messageReference))), 202);
  const srBody = await a.waitBody((s) => tpduOf(s)?.type === "sms-status-report");
  const sr = tpduOf(srBody);
  if (sr?.type !== "sms-status-report") throw new Error("not an SMS-STATUS-REPORT");
  deepStrictEqual([sr.mr, sr.ra.digits, sr.st], [mr, B, 0]);
  strictEqual(await a.send(byteString(rpAck(rpOf(srBody).messageReference))), 202);
}

Deno.test("JsSIP registers with digest at gsmif's WebSocket listener, sends MO and receives MT through a byte-preserving Socket", async () => {
  await withGsmifWs(async (url) => {
    const a = await startBrowser(new ByteSocket(url), A);
    const b = await startBrowser(new ByteSocket(url), B);
    try {
      ok(a.ua.isRegistered() && b.ua.isRegistered());
      await moMtRoundTrip(a, b, 21, "hello from JsSIP");
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});

Deno.test("JsSIP through Kamailio's WebSocket listener to gsmif: JsSIP answers Kamailio's 401 and 407, MO and MT", async () => {
  const users = [A, B].map((n) => ({ number: n, password: PASSWORD[n] }));
  await withKamailioSite(users, async ({ wsUrl }) => {
    const a = await startBrowser(new ByteSocket(wsUrl), A);
    const b = await startBrowser(new ByteSocket(wsUrl), B);
    try {
      await moMtRoundTrip(a, b, 22, "via Kamailio");
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});

Deno.test("JsSIP's own WebSocketInterface mangles binary bodies: gsmif answers the MO 400, the MT loses its non-UTF-8 bytes", async () => {
  await withGsmifWs(async (url, dir) => {
    const a = await startBrowser(new JsSIP.WebSocketInterface(url), A);
    try {
      // RP-DATA carries 0x91 (TON/NPI); JsSIP sends it as UTF-8 (0xC2 0x91).
      const mo = submitRp(5, B, "mangled");
      ok(mo.some((x) => x >= 0x80));
      strictEqual(await a.send(byteString(mo)), 400);
      // An MT to A: JsSIP hands over the body with U+FFFD for every byte it could not decode.
      const r = await runSmsc(["submit", `+${B}`, `+${A}`], {
        cwd: dir,
        env: { SMSC_CONFIG: "config.toml" },
        stdin: "to a browser\n",
      });
      strictEqual(r.code, 0, r.stderr);
      const body = await a.waitBody(() => true);
      ok(body.includes("\ufffd"), "JsSIP now keeps binary bodies: ByteSocket may be dropped");
      notStrictEqual(body.charCodeAt(0), 0xfffd); // RP-MTI 0x01 is ASCII and survives
    } finally {
      await a.stop();
    }
  });
});
