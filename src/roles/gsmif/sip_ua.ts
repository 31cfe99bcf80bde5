/**
 * gsmif's SIP side (TS 24.341): who the sender is (digest authentication),
 * REGISTER (the registrar), MESSAGE with `application/vnd.3gpp.sms` bodies
 * both ways, and the RP layer on top (TS 24.011).
 *
 * MO: MESSAGE with RP-DATA (MS→network) carrying an SMS-SUBMIT → 202 →
 * core SUBMIT with the authenticated subscriber as originator (never the
 * From of an unauthenticated sender) → a new MESSAGE back with RP-ACK, or
 * RP-ERROR with the cause mapped from core's reason. RP-SMMA → RP-ACK and
 * the subscriber's waiting MT is tried at once. RP-ACK / RP-ERROR answer
 * our MT (mt.ts), matched by RP-MR.
 *
 * @module
 */

import { reasonNameOf } from "../../codec/frame/admission.ts";
import type { Reason } from "../../codec/frame/reasons.ts";
import { encodePmsRecord } from "../../codec/pms/mod.ts";
import { decodeRp, encodeRp, type RpMessage } from "../../codec/rp/mod.ts";
import {
  getHeaderValue,
  getHeaderValues,
  parseNameAddr,
  parseSipUri,
  type SipRequest,
} from "../../codec/sip/mod.ts";
import { decodeTpdu } from "../../codec/tpdu/mod.ts";
import type { Clock } from "../../lib/clock.ts";
import { DecodeError } from "../../lib/errors.ts";
import type { Logger } from "../../lib/log.ts";
import { submitToRecord, submitValidityS } from "../../proto/gsm_sm.ts";
import {
  type DigestAuth,
  type DigestCredential,
  findAuthorization,
} from "../../proto/sip_digest.ts";
import type { Registrar } from "../../proto/registrar.ts";
import type { IncomingRequest, SipEndpoint } from "../../transport/sip/mod.ts";
import type { MtCustody, SendOutcome } from "./mt.ts";

export const SMS_CONTENT_TYPE = "application/vnd.3gpp.sms";

/** RP causes (TS 24.011 Table 8.4) for core's refusals. */
export function rpCauseFor(reason: string): number {
  switch (reason) {
    case "dest-invalid":
    case "dest-unroutable":
    case "dest-no-sms":
      return 1; // unassigned (unallocated) number
    case "upstream-not-permitted":
    case "source-not-permitted":
      return 50; // requested facility not subscribed
    case "pid-filtered":
    case "dcs-filtered":
    case "duplicate":
    case "bad-record":
    case "imsi-not-allowed":
      return 21; // short message transfer rejected
    case "overloaded":
      return 42; // congestion
    default:
      return 41; // temporary failure
  }
}

/** What the SIP side needs. */
export interface SipUaDeps {
  endpoint(): SipEndpoint;
  registrar: Registrar;
  auth: DigestAuth;
  /** Credential by digest username, with the subscriber's number. */
  credential(username: string): { e164: string; credential: DigestCredential } | undefined;
  /** Whether a number is one of our SIP-capable subscribers (for unauthenticated mode). */
  isSubscriber(e164: string): boolean;
  allowUnauthenticated: boolean;
  domain: string;
  outboundProxy: { hostname: string; port: number } | undefined;
  submit(record: Uint8Array): Promise<{ ok: true; index: number } | { ok: false; reason: Reason }>;
  mt(): MtCustody;
  clock: Clock;
  logger: Logger;
}

/** Handles subscribers' SIP requests and sends MT MESSAGEs. */
export class SipUa {
  readonly #d: SipUaDeps;
  #cseq = 1;
  #callId = 0;
  /** The connection a subscriber last used, for answers when it has no binding. */
  readonly #lastConn = new Map<string, number>();
  /** Per connection, the subscribers who registered on it with valid credentials. */
  readonly #connUsers = new Map<number, Set<string>>();

  constructor(deps: SipUaDeps) {
    this.#d = deps;
  }

  /** A connection ended: forget who it belonged to. */
  connectionClosed(connId: number): void {
    this.#connUsers.delete(connId);
  }

  /** Entry point for every request the endpoint passes up. */
  onRequest(r: IncomingRequest): void {
    this.#handle(r).catch((e) => {
      this.#d.logger.error("Cannot handle SIP request", {
        method: r.request.method,
        error: String(e),
      });
      try {
        r.respond(500, "Server Internal Error");
      } catch {
        // Already answered.
      }
    });
  }

  async #handle(r: IncomingRequest): Promise<void> {
    const m = r.request.method;
    if (m === "OPTIONS") {
      return r.respond(200, "OK", { headers: [["Allow", "REGISTER, MESSAGE, OPTIONS"]] });
    }
    if (m !== "REGISTER" && m !== "MESSAGE") {
      return r.respond(405, "Method Not Allowed", {
        headers: [["Allow", "REGISTER, MESSAGE, OPTIONS"]],
      });
    }
    const who = this.#authenticate(r);
    if (who === undefined) return;
    this.#lastConn.set(who, r.conn.id);
    if (m === "REGISTER") return this.#register(r, who);
    return await this.#message(r, who);
  }

  // The subscriber's number, or undefined after a 401/403 was sent.
  #authenticate(r: IncomingRequest): string | undefined {
    const d = this.#d;
    const now = d.clock.now();
    if (d.allowUnauthenticated) {
      const e164 = userOf(getHeaderValue(r.request, "From"));
      if (e164 === undefined || !d.isSubscriber(e164)) {
        r.respond(403, "Forbidden");
        return undefined;
      }
      return e164;
    }
    const header = findAuthorization(getHeaderValues(r.request, "Authorization"), d.domain);
    // Many phones authenticate only REGISTER: a MESSAGE without credentials on the very
    // connection where a subscriber registered with them is that subscriber (TCP and WS
    // connections are not spoofable once open).
    // On a connection several subscribers share (an SBC), the From must name one of them.
    const registered = this.#connUsers.get(r.conn.id);
    const from = userOf(getHeaderValue(r.request, "From"));
    if (
      header === undefined && r.request.method === "MESSAGE" && from !== undefined &&
      registered?.has(from)
    ) {
      return from;
    }
    const v = d.auth.verify(
      header,
      r.request.method,
      (u) => d.credential(u)?.credential,
      now,
      r.request.uri,
    );
    if (!v.ok) {
      if (header !== undefined && !v.stale) {
        d.logger.notice("SIP authentication failed", {
          method: r.request.method,
          reason: v.reason,
        });
      }
      r.respond(401, "Unauthorized", {
        headers: d.auth.challenge(now, v.stale).map((c) =>
          ["WWW-Authenticate", c] as [string, string]
        ),
      });
      return undefined;
    }
    return d.credential(v.username)?.e164;
  }

  #register(r: IncomingRequest, who: string): void {
    const aor = userOf(getHeaderValue(r.request, "To"));
    if (aor !== who) {
      this.#d.logger.notice("REGISTER for another number refused", { to: aor });
      return r.respond(403, "Forbidden");
    }
    const out = this.#d.registrar.register(who, r.request, r.conn.id, this.#d.clock.now());
    r.respond(out.status, out.reason, { headers: out.headers });
    if (out.status === 200 && !this.#d.allowUnauthenticated) {
      let users = this.#connUsers.get(r.conn.id);
      if (users === undefined) this.#connUsers.set(r.conn.id, users = new Set());
      users.add(who);
    }
    if (out.status === 200 && out.added) this.#d.mt().kick(who);
  }

  async #message(r: IncomingRequest, who: string): Promise<void> {
    const ct = (getHeaderValue(r.request, "Content-Type") ?? "").split(";")[0].trim().toLowerCase();
    if (ct !== SMS_CONTENT_TYPE) {
      return r.respond(415, "Unsupported Media Type", { headers: [["Accept", SMS_CONTENT_TYPE]] });
    }
    let rp: RpMessage;
    try {
      rp = decodeRp(r.request.body, { direction: "ms-to-network" });
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      this.#d.logger.notice("Undecodable RP message", { error: e.message });
      return r.respond(400, "Bad Request");
    }
    r.respond(202, "Accepted");
    switch (rp.type) {
      case "RP-ACK":
        if (!this.#d.mt().rpAnswer(who, rp.messageReference, { kind: "ack" })) {
          this.#d.logger.info("RP-ACK answers nothing in flight", { mr: rp.messageReference });
        }
        return;
      case "RP-ERROR":
        this.#d.mt().rpAnswer(who, rp.messageReference, { kind: "error", cause: rp.cause.value });
        return;
      case "RP-SMMA":
        await this.#answerRp(who, r.request, {
          type: "RP-ACK",
          direction: "network-to-ms",
          messageReference: rp.messageReference,
        });
        this.#d.mt().kick(who);
        return;
      case "RP-DATA":
        return await this.#mo(who, r.request, rp.messageReference, rp.userData);
    }
  }

  async #mo(who: string, request: SipRequest, rpMr: number, tpduBytes: Uint8Array): Promise<void> {
    const error = (value: number) =>
      this.#answerRp(who, request, {
        type: "RP-ERROR",
        direction: "network-to-ms",
        messageReference: rpMr,
        cause: { value },
      });
    let tpdu;
    try {
      tpdu = decodeTpdu(tpduBytes, "ms-to-sc");
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      this.#d.logger.notice("Undecodable TPDU in RP-DATA", { error: e.message });
      return await error(96); // invalid mandatory information
    }
    if (tpdu.type !== "sms-submit") {
      // SMS-COMMAND is not supported (TS 24.011 cause 97: message type not implemented).
      return await error(97);
    }
    const validityS = submitValidityS(tpdu, this.#d.clock.now());
    if (validityS === undefined) return await error(21);
    const rec = submitToRecord(tpdu, who, validityS);
    let r;
    try {
      r = await this.#d.submit(encodePmsRecord(rec));
    } catch (e) {
      this.#d.logger.notice("Cannot submit MO to core", { error: String(e) });
      return await error(41);
    }
    if (!r.ok) {
      const name = reasonNameOf(r.reason);
      this.#d.logger.info("Core refused MO", { reason: r.reason.text });
      return await error(rpCauseFor(name));
    }
    await this.#answerRp(who, request, {
      type: "RP-ACK",
      direction: "network-to-ms",
      messageReference: rpMr,
    });
  }

  // Sends an RP message back in a new MESSAGE, In-Reply-To the one it answers.
  async #answerRp(who: string, inReplyTo: SipRequest, rp: RpMessage): Promise<void> {
    const callId = getHeaderValue(inReplyTo, "Call-ID");
    const out = await this.send(who, encodeRp(rp), callId);
    if (out.kind !== "sent") this.#d.logger.info("Cannot send RP answer", { reason: out.reason });
  }

  /**
   * Sends an RP message to a subscriber: to the outbound proxy when set,
   * else to its registered contacts in order (else the connection it last
   * used). Resolves "sent" on the first 2xx.
   */
  async send(
    who: string,
    rp: Uint8Array,
    inReplyTo?: string,
    stillHeld: () => boolean = () => true,
  ): Promise<SendOutcome> {
    const d = this.#d;
    const endpoint = d.endpoint();
    const build = (uri: string) => this.#request(who, uri, rp, inReplyTo);
    try {
      if (d.outboundProxy) {
        const resp = await endpoint.requestTo(d.outboundProxy, build(`sip:+${who}@${d.domain}`));
        return resp.status >= 200 && resp.status < 300
          ? { kind: "sent" }
          : { kind: "unreachable", reason: `proxy answered ${resp.status}` };
      }
    } catch (e) {
      return { kind: "unreachable", reason: String(e) };
    }
    const targets = d.registrar.contacts(who, d.clock.now())
      .filter((b) => endpoint.isOpen(b.connId))
      .map((b) => ({ uri: b.contact, connId: b.connId }));
    const last = this.#lastConn.get(who);
    if (
      targets.length === 0 && inReplyTo !== undefined && last !== undefined && endpoint.isOpen(last)
    ) {
      targets.push({ uri: `sip:+${who}@${d.domain}`, connId: last });
    }
    if (targets.length === 0) return { kind: "unreachable", reason: "not registered" };
    let reason = "";
    for (const t of targets) {
      // Custody may have gone back to core while an earlier contact kept us waiting.
      if (!stillHeld()) return { kind: "unreachable", reason: "no longer held" };
      try {
        const resp = await endpoint.request(t.connId, build(t.uri));
        if (resp.status >= 200 && resp.status < 300) return { kind: "sent" };
        reason = `answered ${resp.status}`;
      } catch (e) {
        reason = String(e);
      }
    }
    return { kind: "unreachable", reason };
  }

  #request(who: string, uri: string, body: Uint8Array, inReplyTo?: string): SipRequest {
    const d = this.#d;
    const headers: { name: string; value: string }[] = [
      { name: "From", value: `<sip:smsc@${d.domain}>;tag=${tag(d.clock.now(), this.#cseq)}` },
      { name: "To", value: `<sip:+${who}@${d.domain}>` },
      {
        name: "Call-ID",
        value: `smsc-${d.clock.now().toString(36)}-${(this.#callId++).toString(36)}@${d.domain}`,
      },
      { name: "CSeq", value: `${this.#cseq++} MESSAGE` },
      { name: "Content-Type", value: SMS_CONTENT_TYPE },
    ];
    if (inReplyTo !== undefined) headers.push({ name: "In-Reply-To", value: inReplyTo });
    return { kind: "request", method: "MESSAGE", uri, version: "SIP/2.0", headers, body };
  }
}

function tag(now: number, n: number): string {
  return `${now.toString(36)}${n.toString(36)}`;
}

/** The number (digits, no +) of a From/To header's SIP or tel URI user part. */
export function userOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  try {
    const na = parseNameAddr(header);
    const uri = parseSipUri(na.uri);
    const user = uri.scheme === "tel" ? uri.number : uri.user;
    if (user === undefined) return undefined;
    const digits = user.replace(/^\+/, "").replace(/[-.()]/g, "");
    return /^[0-9]{1,15}$/.test(digits) ? digits : undefined;
  } catch {
    return undefined;
  }
}
