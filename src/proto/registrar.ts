/**
 * The registrar's location service for gsmif: RFC 3261 §10.3 REGISTER
 * processing over in-memory bindings, with the SMS over IP feature tag of
 * 3GPP TS 24.341 §5.3.1 (`+g.3gpp.smsip` in the Contact) and the instance
 * identifier of RFC 5626/5627 (`+sip.instance`).
 *
 * The caller has already done steps 1 to 4 of RFC 3261 §10.3 (the domain,
 * digest authentication, "is this user allowed to register this AOR", and
 * the AOR from To); it passes the subscriber's number as the AOR. This
 * module does steps 5 to 8: Contact "*", expiry, adding, refreshing and
 * removing bindings, and the 200 listing every binding.
 *
 * Lifecycle: bindings live in memory only. A restart forgets them and the
 * phones register again within their refresh interval; a binding is only
 * useful while its TCP or WebSocket connection is open anyway, since the
 * SMSC reaches a subscriber over the connection the REGISTER came on
 * (RFC 5626 §5.3 style), so `connectionClosed` drops the bindings of a
 * connection at once. `sweep` forgets expired bindings; `contacts` never
 * returns one even before a sweep.
 *
 * Binding identity: a contact with `+sip.instance` is the same binding as
 * an earlier one with the same instance, whatever its URI (RFC 5627 §7.1.2:
 * a device that changed address replaces its old binding); without it, the
 * contact URI compared by scheme, user, host (case-insensitive), port and
 * transport (a simplification of RFC 3261 §19.1.4). The "outbound" extension
 * (reg-id, several flows per instance) is not supported, so reg-id is kept
 * but not interpreted (RFC 5626 §6).
 *
 * Limits: only sip/sips contacts; at most `maxBindingsPerAor` bindings per
 * subscriber (default 10): beyond that the least recently refreshed is
 * dropped, so a phone that reconnects often cannot lock itself out.
 *
 * Pure: time is a parameter.
 *
 * @module
 */

import { DecodeError } from "../lib/errors.ts";
import {
  getHeaderValue,
  getHeaderValues,
  getParam,
  type NameAddr,
  parseCSeq,
  parseNameAddr,
  parseSipUri,
  type SipParam,
  type SipRequest,
} from "../codec/sip/mod.ts";

/** A registered contact of a subscriber. */
export interface Binding {
  /** The Contact URI, as registered (the Request-URI of an MT MESSAGE). */
  contact: string;
  /** When the binding lapses unless refreshed. */
  expiresAtMs: number;
  /** The connection the REGISTER came on; MT goes back on it. */
  connId: number;
  /** The contact carries `+g.3gpp.smsip`, TS 24.341 §5.3.1.2. */
  smsCapable: boolean;
  /** `+sip.instance` without its quotes, e.g. `<urn:uuid:…>`. */
  instance?: string;
  /** Preference 0 to 1 from the contact's `q` (1 when absent). */
  q: number;
}

/** Options of `Registrar`. */
export interface RegistrarOptions {
  /** Shortest non-zero expiry accepted; shorter gets 423 (RFC 3261 §10.3 step 6). */
  minExpiresS: number;
  /** Longest expiry granted; longer requests are shortened to it. */
  maxExpiresS: number;
  /** Expiry when neither the contact nor an Expires header gives one. */
  defaultExpiresS: number;
  /** Most bindings of one subscriber (default 10). */
  maxBindingsPerAor?: number;
}

/** What `register` answers: the response to send. */
export interface RegisterResult {
  status: number;
  reason: string;
  /** Contact (200) or Min-Expires (423) headers, in order. */
  headers: [string, string][];
  /**
   * A binding was created, or moved to another connection: the subscriber
   * has become reachable anew, so waiting MT may be retried at once.
   */
  added: boolean;
  /** For the log when status is not 200: what was wrong. */
  detail?: string;
}

interface Stored extends Binding {
  key: string;
  /** Contact parameters other than expires, echoed in the 200. */
  params: SipParam[];
  callId: string;
  cseq: number;
  /** Order of the last refresh, for "most recent first". */
  refreshed: number;
}

/** A contact of the request with its requested expiry, checked. */
interface Wanted {
  key: string;
  nameAddr: NameAddr;
  expiresS: number;
  smsCapable: boolean;
  instance?: string;
  q: number;
}

class Refusal {
  constructor(readonly status: number, readonly reason: string, readonly detail: string) {}
}

const EXPIRES_MAX = 0xffffffff;
const QVALUE = /^(0(\.[0-9]{0,3})?|1(\.0{0,3})?)$/;

// delta-seconds = 1*DIGIT; RFC 3261 §20.19: values beyond 2^32-1 count as 2^32-1.
function deltaSeconds(text: string, what: string): number {
  if (!/^[0-9]+$/.test(text)) {
    throw new Refusal(400, "Bad Request", `${what} "${text}" is not a number`);
  }
  const n = text.length > 10 ? EXPIRES_MAX : Number(text);
  return Math.min(n, EXPIRES_MAX);
}

function unquote(text: string): string {
  return text.startsWith('"') && text.endsWith('"') && text.length >= 2
    ? text.slice(1, -1).replace(/\\(.)/g, "$1")
    : text;
}

function bindingKey(nameAddr: NameAddr, instance: string | undefined): string {
  const uri = parseSipUri(nameAddr.uri, "Contact");
  if (uri.scheme === "tel") {
    throw new Refusal(400, "Bad Request", "a tel: Contact cannot be reached");
  }
  if (instance !== undefined) return `instance ${instance}`;
  const transport = (getParam(uri.params, "transport") ?? "").toLowerCase();
  return `uri ${uri.scheme}:${uri.user ?? ""}@${uri.host.toLowerCase()}:${
    uri.port ?? ""
  };${transport}`;
}

function featureTag(params: SipParam[], name: string): boolean {
  const v = getParam(params, name);
  // RFC 3840 §9: a boolean feature tag is true when present without a value.
  return v !== undefined && unquote(v).toUpperCase() !== "FALSE";
}

/** The registrar's bindings of every subscriber. See the module doc. */
export class Registrar {
  readonly #options: Required<RegistrarOptions>;
  readonly #aors = new Map<string, Map<string, Stored>>();
  #counter = 0;

  /**
   * @param options expiry bounds and the per-subscriber limit
   * @throws {RangeError} when min > max or the default is outside them
   */
  constructor(options: RegistrarOptions) {
    const o = { maxBindingsPerAor: 10, ...options };
    if (
      !(o.minExpiresS >= 1 && o.minExpiresS <= o.maxExpiresS &&
        o.defaultExpiresS >= o.minExpiresS && o.defaultExpiresS <= o.maxExpiresS &&
        o.maxBindingsPerAor >= 1)
    ) {
      throw new RangeError(
        `Cannot use registrar bounds min ${o.minExpiresS} s, max ${o.maxExpiresS} s, ` +
          `default ${o.defaultExpiresS} s, ${o.maxBindingsPerAor} bindings`,
      );
    }
    this.#options = o;
  }

  /**
   * Applies a REGISTER for `aor` arriving on `connId`, all or nothing.
   *
   * @param aor the subscriber (digits)
   * @param request the REGISTER
   * @param connId its connection
   * @param nowMs the current time
   * @returns the response: 200 with every binding (Contact with expires=),
   *   423 with Min-Expires, 400 for a bad Contact, Expires or an
   *   out-of-order CSeq
   */
  register(aor: string, request: SipRequest, connId: number, nowMs: number): RegisterResult {
    try {
      return this.#register(aor, request, connId, nowMs);
    } catch (e) {
      if (e instanceof Refusal) {
        const headers: [string, string][] = e.status === 423
          ? [["Min-Expires", String(this.#options.minExpiresS)]]
          : [];
        return { status: e.status, reason: e.reason, headers, added: false, detail: e.detail };
      }
      if (e instanceof DecodeError) {
        return { status: 400, reason: "Bad Request", headers: [], added: false, detail: e.message };
      }
      throw e;
    }
  }

  #register(aor: string, request: SipRequest, connId: number, nowMs: number): RegisterResult {
    const callId = getHeaderValue(request, "Call-ID") ?? "";
    const cseqText = getHeaderValue(request, "CSeq");
    const cseq = cseqText === undefined ? 0 : parseCSeq(cseqText).seq;
    const expiresText = getHeaderValue(request, "Expires");
    const headerExpires = expiresText === undefined
      ? undefined
      : deltaSeconds(expiresText, "Expires");
    const values = getHeaderValues(request, "Contact");
    const bindings = this.#live(aor, nowMs);
    let added = false;
    if (values.includes("*")) {
      // RFC 3261 §10.3 step 5: "*" only alone and with Expires: 0.
      if (values.length !== 1 || headerExpires !== 0) {
        throw new Refusal(400, "Bad Request", 'Contact "*" needs to be alone with Expires: 0');
      }
      for (const b of bindings.values()) this.#checkOrder(b, callId, cseq);
      bindings.clear();
    } else {
      const wanted = values.map((v) => this.#wanted(parseNameAddr(v, "Contact"), headerExpires));
      for (const w of wanted) {
        const b = bindings.get(w.key);
        if (b) this.#checkOrder(b, callId, cseq);
      }
      for (const w of wanted) {
        added = this.#apply(bindings, w, { callId, cseq, connId, nowMs }) || added;
      }
      this.#trim(bindings);
    }
    if (bindings.size === 0) this.#aors.delete(aor);
    else this.#aors.set(aor, bindings);
    return { status: 200, reason: "OK", headers: this.#contactHeaders(aor, nowMs), added };
  }

  /** The subscriber's bindings without expired ones (a fresh map when none). */
  #live(aor: string, nowMs: number): Map<string, Stored> {
    const bindings = this.#aors.get(aor) ?? new Map<string, Stored>();
    for (const [key, b] of bindings) if (b.expiresAtMs <= nowMs) bindings.delete(key);
    return bindings;
  }

  // RFC 3261 §10.3 step 7: with the same Call-ID, only a higher CSeq may
  // change a binding; "If not, the update MUST be aborted and the request fails."
  #checkOrder(b: Stored, callId: string, cseq: number): void {
    if (b.callId === callId && cseq <= b.cseq) {
      throw new Refusal(400, "Invalid CSeq number", `CSeq ${cseq} not above ${b.cseq}`);
    }
  }

  #wanted(nameAddr: NameAddr, headerExpires: number | undefined): Wanted {
    const { minExpiresS, maxExpiresS, defaultExpiresS } = this.#options;
    const p = getParam(nameAddr.params, "expires");
    const requested = p !== undefined
      ? deltaSeconds(p, "Contact expires")
      : headerExpires ?? defaultExpiresS;
    if (requested !== 0 && requested < minExpiresS) {
      throw new Refusal(423, "Interval Too Brief", `expires ${requested} below ${minExpiresS}`);
    }
    const qText = getParam(nameAddr.params, "q");
    if (qText !== undefined && !QVALUE.test(qText)) {
      throw new Refusal(400, "Bad Request", `q "${qText}" is not a qvalue`);
    }
    const instanceText = getParam(nameAddr.params, "+sip.instance");
    const instance = instanceText ? unquote(instanceText) || undefined : undefined;
    return {
      key: bindingKey(nameAddr, instance),
      nameAddr,
      expiresS: Math.min(requested, maxExpiresS),
      smsCapable: featureTag(nameAddr.params, "+g.3gpp.smsip"),
      instance,
      q: qText === undefined ? 1 : Number(qText),
    };
  }

  /** Adds, refreshes or removes one binding; returns whether it is new or moved. */
  #apply(
    bindings: Map<string, Stored>,
    w: Wanted,
    r: { callId: string; cseq: number; connId: number; nowMs: number },
  ): boolean {
    const old = bindings.get(w.key);
    if (w.expiresS === 0) {
      bindings.delete(w.key);
      return false;
    }
    bindings.set(w.key, {
      key: w.key,
      contact: w.nameAddr.uri,
      params: w.nameAddr.params.filter((p) => p.name.toLowerCase() !== "expires"),
      expiresAtMs: r.nowMs + w.expiresS * 1000,
      connId: r.connId,
      smsCapable: w.smsCapable,
      instance: w.instance,
      q: w.q,
      callId: r.callId,
      cseq: r.cseq,
      refreshed: ++this.#counter,
    });
    return old === undefined || old.connId !== r.connId;
  }

  #trim(bindings: Map<string, Stored>): void {
    while (bindings.size > this.#options.maxBindingsPerAor) {
      let oldest: Stored | undefined;
      for (const b of bindings.values()) if (!oldest || b.refreshed < oldest.refreshed) oldest = b;
      bindings.delete(oldest!.key);
    }
  }

  #sorted(aor: string, nowMs: number): Stored[] {
    const bindings = this.#aors.get(aor);
    if (!bindings) return [];
    return [...bindings.values()]
      .filter((b) => b.expiresAtMs > nowMs)
      .sort((a, b) => b.q - a.q || b.refreshed - a.refreshed);
  }

  // RFC 3261 §10.3 step 8: the 200 lists every current binding, each with
  // its remaining expiry.
  #contactHeaders(aor: string, nowMs: number): [string, string][] {
    return this.#sorted(aor, nowMs).map((b) => {
      const params = b.params.map((
        p,
      ) => (p.value === undefined ? `;${p.name}` : `;${p.name}=${p.value}`));
      const expires = Math.ceil((b.expiresAtMs - nowMs) / 1000);
      return ["Contact", `<${b.contact}>${params.join("")};expires=${expires}`];
    });
  }

  /**
   * Live bindings of a subscriber, best first: higher q, then the most
   * recently registered.
   *
   * @param aor the subscriber (digits)
   * @param nowMs the current time
   * @returns copies; empty when not registered
   */
  contacts(aor: string, nowMs: number): Binding[] {
    return this.#sorted(aor, nowMs).map((b) => {
      const out: Binding = {
        contact: b.contact,
        expiresAtMs: b.expiresAtMs,
        connId: b.connId,
        smsCapable: b.smsCapable,
        q: b.q,
      };
      if (b.instance !== undefined) out.instance = b.instance;
      return out;
    });
  }

  /**
   * Drops the bindings that came on a closed connection: they cannot be
   * reached over TCP or WebSocket any more.
   *
   * @param connId the connection
   */
  connectionClosed(connId: number): void {
    for (const [aor, bindings] of this.#aors) {
      for (const [key, b] of bindings) if (b.connId === connId) bindings.delete(key);
      if (bindings.size === 0) this.#aors.delete(aor);
    }
  }

  /**
   * Forgets expired bindings.
   *
   * @param nowMs the current time
   */
  sweep(nowMs: number): void {
    for (const aor of [...this.#aors.keys()]) {
      const bindings = this.#live(aor, nowMs);
      if (bindings.size === 0) this.#aors.delete(aor);
    }
  }

  /** How many subscribers have at least one binding (for metrics). */
  get registeredCount(): number {
    return this.#aors.size;
  }
}
