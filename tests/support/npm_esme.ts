/**
 * An ESME on `npm:smpp` (a client nobody here wrote), promisified for tests:
 * connect, bind, send any PDU and await its response, and collect the
 * deliver_sm the SMSC sends (answered with a chosen status).
 *
 * @module
 */

import smpp from "smpp";
import { Buffer } from "node:buffer";

// deno-lint-ignore no-explicit-any
type Pdu = any;

/** One npm:smpp client session. */
export class NpmEsme {
  // deno-lint-ignore no-explicit-any
  readonly #session: any;
  readonly delivered: Pdu[] = [];
  #waiters: { pred: (p: Pdu) => boolean; resolve: (p: Pdu) => void }[] = [];
  /** command_status answered to each deliver_sm (tests change it). */
  deliverStatus = 0;
  /** Set to stop answering deliver_sm at all. */
  silent = false;
  closed: Promise<void>;

  // deno-lint-ignore no-explicit-any
  private constructor(session: any) {
    this.#session = session;
    this.closed = new Promise((resolve) => session.on("close", () => resolve()));
    session.on("error", () => {});
    // npm:smpp leaves these to the application.
    session.on("enquire_link", (pdu: Pdu) => session.send(pdu.response()));
    session.on("unbind", (pdu: Pdu) => {
      session.send(pdu.response());
      session.close();
    });
    session.on("deliver_sm", (pdu: Pdu) => {
      if (!this.silent) session.send(pdu.response({ command_status: this.deliverStatus }));
      this.delivered.push(pdu);
      for (const w of this.#waiters.splice(0)) {
        if (w.pred(pdu)) w.resolve(pdu);
        else this.#waiters.push(w);
      }
    });
  }

  /** Connects to 127.0.0.1:port; with `tls`, over TLS trusting the given CA (PEM). */
  static connect(port: number, tls?: { ca: string }): Promise<NpmEsme> {
    return new Promise((resolve, reject) => {
      const url = `${tls ? "smpps" : "smpp"}://127.0.0.1:${port}`;
      const extra = tls ? { ca: tls.ca, servername: "localhost" } : {};
      const session = smpp.connect({ url, auto_enquire_link_period: 0, ...extra }, () => {
        resolve(new NpmEsme(session));
      });
      session.on("error", reject);
    });
  }

  /** Sends a PDU by npm:smpp command name and resolves with its response. */
  send(command: string, fields: Record<string, unknown> = {}): Promise<Pdu> {
    return new Promise((resolve) => this.#session[command](fields, (resp: Pdu) => resolve(resp)));
  }

  /** bind_transceiver (or another bind) and its response status. */
  async bind(systemId: string, password: string, command = "bind_transceiver"): Promise<number> {
    const r = await this.send(command, { system_id: systemId, password });
    return r.command_status;
  }

  /** Waits for a deliver_sm matching `pred` (one already received counts). */
  waitDeliver(pred: (p: Pdu) => boolean = () => true, timeoutMs = 10_000): Promise<Pdu> {
    const seen = this.delivered.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error("no matching deliver_sm in time")),
        timeoutMs,
      );
      this.#waiters.push({
        pred,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      });
    });
  }

  /** unbind, then close. */
  async close(): Promise<void> {
    try {
      await Promise.race([this.send("unbind"), new Promise((r) => setTimeout(r, 2000))]);
    } finally {
      this.#session.close();
    }
  }

  /** Closes without unbind. */
  destroy(): void {
    this.#session.destroy?.() ?? this.#session.close();
  }
}

/** short_message octets of a received PDU (npm:smpp hands a Buffer or {message}). */
export function shortMessageOf(pdu: Pdu): Uint8Array {
  const sm = pdu.short_message;
  if (sm instanceof Uint8Array) return new Uint8Array(sm);
  if (sm && sm.message instanceof Uint8Array) return new Uint8Array(sm.message);
  if (sm && typeof sm.message === "string") return new TextEncoder().encode(sm.message);
  return new Uint8Array();
}

export { Buffer };
