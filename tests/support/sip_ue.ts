/**
 * A minimal SIP UE over TCP (or WebSocket, RFC 7118) for gsmif tests (our
 * own code: the real-peer tests use sipp, Kamailio and JsSIP). It registers
 * with digest authentication, sends MESSAGEs with RP bodies and collects
 * the MESSAGEs gsmif sends it (answered 200 unless told otherwise).
 *
 * @module
 */

import {
  getHeaderValue,
  parseDigestParamsOf,
  parseSipMessage,
  serializeSipMessage,
  type SipMessage,
  type SipRequest,
  type SipResponse,
  SipStreamFramer,
} from "./_sip_ue_deps.ts";
import { digestResponse, ha1 } from "../../src/proto/sip_digest.ts";
import { decodeRp, encodeRp, type RpMessage } from "../../src/codec/rp/mod.ts";
import {
  decodeDcs,
  decodeTpdu,
  decodeUserData,
  encodeTpdu,
  type InformationElement,
  type SmsDeliver,
  type SmsStatusReport,
  type SmsSubmit,
} from "../../src/codec/tpdu/mod.ts";
import { encodeGsm7, packSeptets } from "../../src/codec/gsm0338/mod.ts";

export interface ReceivedRequest {
  request: SipRequest;
}

/** How a UE's bytes travel: a TCP stream or WebSocket messages. */
interface Wire {
  transport: "TCP" | "WS";
  /** Via sent-by and Contact host:port. */
  sentBy: string;
  write(bytes: Uint8Array | string): void;
  /** TCP only: half-close (FIN) after what was written. */
  closeWrite?(): void;
  close(): void;
}

let wsUes = 0;

/** One UE on one TCP or WebSocket connection. */
export class SipUe {
  readonly #wire: Wire;
  readonly #responses = new Map<string, (r: SipResponse) => void>();
  readonly requests: SipRequest[] = [];
  /** Every response received, in order (also those to `sendRaw` bytes). */
  readonly responses: SipResponse[] = [];
  #waiters: { pred: (r: SipRequest) => boolean; resolve: (r: SipRequest) => void }[] = [];
  readonly #taken = new WeakSet<SipRequest>();
  #cseq = 1;
  #branch = 0;
  /** Status answered to incoming MESSAGEs. */
  answerStatus = 200;
  /** The local TCP port (for a WebSocket UE, a number unique to it). */
  readonly localPort: number;
  /** Resolves when the connection has ended. */
  readonly closed: Promise<void>;
  #ended!: () => void;

  private constructor(
    wire: Wire,
    localPort: number,
    readonly number: string,
    readonly domain: string,
  ) {
    this.#wire = wire;
    this.localPort = localPort;
    this.closed = new Promise((resolve) => this.#ended = resolve);
  }

  static async connect(port: number, number: string, domain = "smsc.local"): Promise<SipUe> {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.setNoDelay(true); // a request and its answer are small writes: no Nagle delays
    const localPort = (conn.localAddr as Deno.NetAddr).port;
    const wire: Wire = {
      transport: "TCP",
      sentBy: `127.0.0.1:${localPort}`,
      write: (bytes) =>
        void conn.write(typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes)
          .catch(() => {}),
      closeWrite: () => void conn.closeWrite().catch(() => {}),
      close: () => {
        try {
          conn.close();
        } catch {
          // already closed
        }
      },
    };
    const ue = new SipUe(wire, localPort, number, domain);
    ue.#readTcp(conn);
    return ue;
  }

  /**
   * Connects over WebSocket (`ws://127.0.0.1:PORT/`, subprotocol `sip`); one
   * SIP message per WebSocket message, sent in binary frames.
   */
  static connectWs(port: number, number: string, domain = "smsc.local"): Promise<SipUe> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, "sip");
    ws.binaryType = "arraybuffer";
    const id = 40000 + wsUes++;
    const wire: Wire = {
      transport: "WS",
      sentBy: `ue${id}.invalid`,
      write: (bytes) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(bytes);
      },
      close: () => ws.close(),
    };
    const ue = new SipUe(wire, id, number, domain);
    return new Promise((resolve, reject) => {
      ws.onopen = () => resolve(ue);
      ws.onerror = () => reject(new Error(`Cannot open ws://127.0.0.1:${port}/`));
      ws.onclose = () => ue.#ended();
      ws.onmessage = (e) => {
        const bytes = typeof e.data === "string"
          ? new TextEncoder().encode(e.data)
          : new Uint8Array(e.data as ArrayBuffer);
        if (/^\s*$/.test(new TextDecoder().decode(bytes))) return; // CRLF keep-alive
        try {
          ue.#dispatch(parseSipMessage(bytes));
        } catch {
          // not SIP: ignored
        }
      };
    });
  }

  async #readTcp(conn: Deno.TcpConn): Promise<void> {
    const framer = new SipStreamFramer();
    const buf = new Uint8Array(65536);
    try {
      for (;;) {
        const n = await conn.read(buf);
        if (n === null) return;
        for (const f of framer.push(buf.slice(0, n))) {
          if (!("message" in f)) continue;
          this.#dispatch(parseSipMessage(f.message));
        }
      }
    } catch {
      // closed
    } finally {
      this.#ended();
    }
  }

  #dispatch(m: SipMessage): void {
    if (m.kind === "response") {
      this.responses.push(m);
      const via = getHeaderValue(m, "Via") ?? "";
      const branch = /branch=([^;,\s]+)/.exec(via)?.[1] ?? "";
      if (m.status >= 200) this.#responses.get(branch)?.(m);
      return;
    }
    this.requests.push(m);
    const status = this.answerStatus;
    this.#send(this.#responseTo(m, status, status === 200 ? "OK" : "Error"));
    for (const w of this.#waiters.splice(0)) {
      if (w.pred(m)) w.resolve(m);
      else this.#waiters.push(w);
    }
  }

  #responseTo(req: SipRequest, status: number, reason: string): SipResponse {
    const copy = ["Via", "From", "To", "Call-ID", "CSeq"];
    const headers = req.headers.filter((h) =>
      copy.some((c) => c.toLowerCase() === h.name.toLowerCase())
    )
      .map((h) => ({ name: h.name, value: h.value }));
    for (const h of headers) {
      if (h.name.toLowerCase() === "to" && !/;tag=/.test(h.value)) h.value += ";tag=ue";
    }
    headers.push({ name: "Content-Length", value: "0" });
    return {
      kind: "response",
      version: "SIP/2.0",
      status,
      reason,
      headers,
      body: new Uint8Array(),
    };
  }

  #send(m: SipMessage): void {
    this.#wire.write(serializeSipMessage(m));
  }

  /** Sends a request and resolves with its final response. */
  request(
    method: string,
    uri: string,
    headers: [string, string][],
    body: Uint8Array = new Uint8Array(),
  ): Promise<SipResponse> {
    const branch = `z9hG4bKue${this.localPort}x${this.#branch++}`;
    const all: { name: string; value: string }[] = [
      {
        name: "Via",
        value: `SIP/2.0/${this.#wire.transport} ${this.#wire.sentBy};branch=${branch}`,
      },
      { name: "Max-Forwards", value: "70" },
      { name: "From", value: `<sip:+${this.number}@${this.domain}>;tag=ue${this.localPort}` },
      {
        name: "To",
        value: method === "REGISTER" ? `<sip:+${this.number}@${this.domain}>` : `<${uri}>`,
      },
      { name: "Call-ID", value: `ue-${this.localPort}-${this.#cseq}@test` },
      { name: "CSeq", value: `${this.#cseq++} ${method}` },
      ...headers.map(([name, value]) => ({ name, value })),
      { name: "Content-Length", value: String(body.length) },
    ];
    const req: SipRequest = {
      kind: "request",
      method,
      uri,
      version: "SIP/2.0",
      headers: all,
      body,
    };
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${method}: no final response`)), 10_000);
      this.#responses.set(branch, (r) => {
        clearTimeout(t);
        this.#responses.delete(branch);
        resolve(r);
      });
      this.#send(req);
    });
  }

  /** REGISTER with digest authentication (one 401 round). */
  async register(password: string, expires = 600): Promise<SipResponse> {
    const uri = `sip:${this.domain}`;
    const contact: [string, string] = [
      "Contact",
      `<sip:+${this.number}@${this.#wire.sentBy};transport=${this.#wire.transport.toLowerCase()}>` +
      ";+g.3gpp.smsip",
    ];
    const first = await this.request("REGISTER", uri, [contact, ["Expires", String(expires)]]);
    if (first.status !== 401) return first;
    const auth = this.#authorization(first, "REGISTER", uri, password);
    return await this.request("REGISTER", uri, [contact, ["Expires", String(expires)], [
      "Authorization",
      auth,
    ]]);
  }

  #authorization(
    challenge: SipResponse,
    method: string,
    uri: string,
    password: string,
    username = this.number,
  ): string {
    const values = challenge.headers.filter((h) => h.name.toLowerCase() === "www-authenticate")
      .map((h) => h.value);
    const v = values.find((x) => /algorithm="?MD5"?/i.test(x)) ?? values[0];
    const p = parseDigestParamsOf(v);
    const algorithm = (p.get("algorithm") ?? "MD5").toUpperCase() === "SHA-256" ? "SHA-256" : "MD5";
    const realm = p.get("realm")!;
    const nonce = p.get("nonce")!;
    const h1 = ha1(algorithm, username, realm, password);
    const response = digestResponse({
      algorithm,
      ha1: h1,
      nonce,
      nc: "00000001",
      cnonce: "c0ffee",
      method,
      uri,
    });
    return `Digest username="${username}", realm="${realm}", nonce="${nonce}", uri="${uri}", ` +
      `response="${response}", algorithm=${algorithm}, qop=auth, nc=00000001, cnonce="c0ffee"`;
  }

  /**
   * Writes bytes as they are: on TCP into the stream, on WebSocket as one
   * message (a text frame for a string, a binary frame otherwise).
   */
  sendRaw(bytes: Uint8Array | string): void {
    this.#wire.write(bytes);
  }

  /** TCP: sends FIN after what was written (the stream ends); no-op on WebSocket. */
  closeWrite(): void {
    this.#wire.closeWrite?.();
  }

  /**
   * MESSAGE with an RP body carrying digest credentials of `username` (this
   * UE's number unless given) after one 401 round; From stays this UE's number.
   */
  async authorizedMessage(
    rp: Uint8Array,
    password: string,
    username = this.number,
  ): Promise<SipResponse> {
    const uri = `sip:smsc@${this.domain}`;
    const ct: [string, string] = ["Content-Type", "application/vnd.3gpp.sms"];
    const first = await this.request("MESSAGE", uri, [ct], rp);
    if (first.status !== 401) return first;
    const auth = this.#authorization(first, "MESSAGE", uri, password, username);
    return await this.request("MESSAGE", uri, [ct, ["Authorization", auth]], rp);
  }

  /** Sends a MESSAGE with an RP body to the SMSC. */
  message(rp: Uint8Array): Promise<SipResponse> {
    return this.request(
      "MESSAGE",
      `sip:smsc@${this.domain}`,
      [["Content-Type", "application/vnd.3gpp.sms"]],
      rp,
    );
  }

  /** Waits for a MESSAGE from the SMSC matching `pred` (one already received counts). */
  waitRequest(
    pred: (r: SipRequest) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<SipRequest> {
    const seen = this.requests.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("no matching request in time")), timeoutMs);
      this.#waiters.push({
        pred,
        resolve: (r) => {
          clearTimeout(t);
          resolve(r);
        },
      });
    });
  }

  /**
   * Waits for a MESSAGE matching `pred` that no earlier `next` returned, and
   * marks it taken: successive calls walk through repeats in arrival order.
   */
  async next(
    pred: (r: SipRequest) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<SipRequest> {
    const r = await this.waitRequest((x) => !this.#taken.has(x) && pred(x), timeoutMs);
    this.#taken.add(r);
    return r;
  }

  /** Answers an MT RP-DATA with RP-ACK (RP-MR `mr`) in a MESSAGE of its own. */
  ack(mr: number): Promise<SipResponse> {
    return this.message(rpAck(mr));
  }

  close(): void {
    this.#wire.close();
  }
}

/**
 * RP-DATA (MS→network) carrying an SMS-SUBMIT of GSM 7-bit `text` to
 * international number `to`; RP-MR and TP-MR are both `mr`.
 */
export function submitRp(mr: number, to: string, text: string, srr = false): Uint8Array {
  const septets = encodeGsm7(text);
  if (septets === null) throw new Error(`not GSM 7 bit: ${text}`);
  const submit: SmsSubmit = {
    type: "sms-submit",
    rd: false,
    vpf: 0,
    srr,
    udhi: false,
    rp: false,
    mr,
    da: { ton: 1, npi: 1, digits: to },
    pid: 0,
    dcs: decodeDcs(0),
    udl: septets.length,
    ud: packSeptets(septets),
  };
  return encodeRp({
    type: "RP-DATA",
    direction: "ms-to-network",
    messageReference: mr,
    destinationAddress: { ton: 1, npi: 1, digits: "12125550199" },
    userData: encodeTpdu(submit),
  });
}

/** RP-ACK (MS→network) for RP-MR `mr`. */
export function rpAck(mr: number): Uint8Array {
  return encodeRp({ type: "RP-ACK", direction: "ms-to-network", messageReference: mr });
}

/** The RP message (network→MS) a MESSAGE from the SMSC carries. */
export function rpOf(r: SipRequest): RpMessage {
  return decodeRp(r.body, { direction: "network-to-ms" });
}

/** What an MT RP-DATA carries: its RP-MR and TPDU; undefined for another RP message. */
export function mtOf(
  r: SipRequest,
): { mr: number; tpdu: SmsDeliver | SmsStatusReport } | undefined {
  const rp = rpOf(r);
  if (rp.type !== "RP-DATA" || rp.direction !== "network-to-ms") return undefined;
  const tpdu = decodeTpdu(rp.userData, "sc-to-ms");
  if (tpdu.type !== "sms-deliver" && tpdu.type !== "sms-status-report") {
    throw new Error(`unexpected ${tpdu.type} in MT RP-DATA`);
  }
  return { mr: rp.messageReference, tpdu };
}

/** True for a MESSAGE with an RP-DATA carrying an SMS-DELIVER. */
export function isDeliver(r: SipRequest): boolean {
  return mtOf(r)?.tpdu.type === "sms-deliver";
}

/** True for a MESSAGE with an RP-DATA carrying an SMS-STATUS-REPORT. */
export function isStatusReport(r: SipRequest): boolean {
  return mtOf(r)?.tpdu.type === "sms-status-report";
}

/** The text and header of an SMS-DELIVER (GSM 7 bit or UCS-2). */
export function deliverText(d: SmsDeliver): { text: string; udh: InformationElement[] | null } {
  const alphabet = d.dcs.alphabet === "reserved" ? "gsm7" : d.dcs.alphabet;
  const u = decodeUserData(d.ud, d.udl, d.udhi, alphabet);
  return { text: u.text ?? "", udh: u.udh };
}
