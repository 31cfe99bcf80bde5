/**
 * A minimal SIP UE over TCP for gsmif tests (our own code: the real-peer
 * tests use sipp, Kamailio and JsSIP). It registers with digest
 * authentication, sends MESSAGEs with RP bodies and collects the MESSAGEs
 * gsmif sends it (answered 200 unless told otherwise).
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

export interface ReceivedRequest {
  request: SipRequest;
}

/** One UE on one TCP connection. */
export class SipUe {
  readonly #conn: Deno.TcpConn;
  readonly #framer = new SipStreamFramer();
  readonly #responses = new Map<string, (r: SipResponse) => void>();
  readonly requests: SipRequest[] = [];
  #waiters: { pred: (r: SipRequest) => boolean; resolve: (r: SipRequest) => void }[] = [];
  #cseq = 1;
  #branch = 0;
  /** Status answered to incoming MESSAGEs. */
  answerStatus = 200;
  readonly localPort: number;

  private constructor(conn: Deno.TcpConn, readonly number: string, readonly domain: string) {
    this.#conn = conn;
    this.localPort = (conn.localAddr as Deno.NetAddr).port;
    this.#read();
  }

  static async connect(port: number, number: string, domain = "smsc.local"): Promise<SipUe> {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    return new SipUe(conn, number, domain);
  }

  async #read(): Promise<void> {
    const buf = new Uint8Array(65536);
    try {
      for (;;) {
        const n = await this.#conn.read(buf);
        if (n === null) return;
        for (const f of this.#framer.push(buf.slice(0, n))) {
          if (!("message" in f)) continue;
          this.#dispatch(parseSipMessage(f.message));
        }
      }
    } catch {
      // closed
    }
  }

  #dispatch(m: SipMessage): void {
    if (m.kind === "response") {
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
    this.#conn.write(serializeSipMessage(m)).catch(() => {});
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
      { name: "Via", value: `SIP/2.0/TCP 127.0.0.1:${this.localPort};branch=${branch}` },
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
      `<sip:+${this.number}@127.0.0.1:${this.localPort};transport=tcp>;+g.3gpp.smsip`,
    ];
    const first = await this.request("REGISTER", uri, [contact, ["Expires", String(expires)]]);
    if (first.status !== 401) return first;
    const auth = this.#authorization(first, "REGISTER", uri, password);
    return await this.request("REGISTER", uri, [contact, ["Expires", String(expires)], [
      "Authorization",
      auth,
    ]]);
  }

  #authorization(challenge: SipResponse, method: string, uri: string, password: string): string {
    const values = challenge.headers.filter((h) => h.name.toLowerCase() === "www-authenticate")
      .map((h) => h.value);
    const v = values.find((x) => /algorithm="?MD5"?/i.test(x)) ?? values[0];
    const p = parseDigestParamsOf(v);
    const algorithm = (p.get("algorithm") ?? "MD5").toUpperCase() === "SHA-256" ? "SHA-256" : "MD5";
    const realm = p.get("realm")!;
    const nonce = p.get("nonce")!;
    const h1 = ha1(algorithm, this.number, realm, password);
    const response = digestResponse({
      algorithm,
      ha1: h1,
      nonce,
      nc: "00000001",
      cnonce: "c0ffee",
      method,
      uri,
    });
    return `Digest username="${this.number}", realm="${realm}", nonce="${nonce}", uri="${uri}", ` +
      `response="${response}", algorithm=${algorithm}, qop=auth, nc=00000001, cnonce="c0ffee"`;
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

  close(): void {
    try {
      this.#conn.close();
    } catch {
      // already closed
    }
  }
}
