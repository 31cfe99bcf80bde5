/**
 * MT delivery in gsmif's custody (seed 2.6.2, docs/gsmif.md "MT"): messages
 * core transferred (MT_TRANSFER) wait here per subscriber and go out one at
 * a time, in order, as RP-DATA (network→MS) carrying an SMS-DELIVER or
 * SMS-STATUS-REPORT in a SIP MESSAGE to the subscriber's registered
 * contacts (or the outbound proxy).
 *
 * One attempt: MESSAGE → a 2xx → the subscriber's RP-ACK (delivered) or
 * RP-ERROR (permanent cause: failed; temporary cause: try again later), in
 * its own MESSAGE, matched by RP-MR. No contact, a non-2xx, no response
 * within the transaction timer, or no RP answer within `rp_ack_timeout_ms`:
 * try again after the next wait of `mt_retry_delays`; a REGISTER or RP-SMMA
 * from the subscriber tries again at once. A message whose expiry passes
 * is discharged as expired.
 *
 * Custody ends with MT_DISCHARGE, or with the loss of core's connection
 * (core takes everything back; we forget it all, `dropAll`).
 *
 * @module
 */

import { DISPOSITION_CODES, type PmsRecord } from "../../codec/pms/mod.ts";
import { encodeRp, rpCauseClass } from "../../codec/rp/mod.ts";
import { encodeTpdu } from "../../codec/tpdu/mod.ts";
import type { Clock, Timer } from "../../lib/clock.ts";
import type { Logger } from "../../lib/log.ts";
import { recordToHandset } from "../../proto/gsm_sm.ts";
import { jitterFor, retryDelayMs, type RetrySchedule } from "../../proto/retry.ts";

/** How an attempt ended, as the SIP side saw it. */
export type SendOutcome =
  | { kind: "sent" } // 2xx: now wait for RP-ACK / RP-ERROR
  | { kind: "unreachable"; reason: string }; // no contact, non-2xx, timeout

/** What MT delivery needs around it. */
export interface MtDeps {
  clock: Clock;
  logger: Logger;
  schedule: RetrySchedule;
  rpAckTimeoutMs: number;
  /** The SMSC's own number, RP-OA of RP-DATA. */
  smscAddress: string;
  /** Sends an RP message to the subscriber in a MESSAGE. */
  send(msisdn: string, rp: Uint8Array, stillHeld: () => boolean): Promise<SendOutcome>;
  /** MT_DISCHARGE toward core; false when core no longer sees it in our custody. */
  discharge(index: number, disposition: number, cause: number): Promise<boolean>;
}

interface Item {
  index: number;
  rec: PmsRecord;
  attempts: number;
}

interface Subscriber {
  msisdn: string;
  queue: Item[];
  /** The item being sent and its RP-MR, while an attempt is running. */
  inFlight: { item: Item; mr: number; answer: (a: RpAnswer) => void } | undefined;
  retryTimer: Timer | undefined;
  /** An attempt (or its discharge) is running: nothing else may start. */
  busy: boolean;
  /** Core took everything back (dropAll): this entry must not act any more. */
  dropped: boolean;
}

/** The subscriber's answer to one RP-DATA. */
export type RpAnswer = { kind: "ack" } | { kind: "error"; cause: number } | { kind: "timeout" };

/** Per-subscriber MT queues in gsmif's custody. */
export class MtCustody {
  readonly #d: MtDeps;
  readonly #subs = new Map<string, Subscriber>();
  readonly #where = new Map<number, string>();
  #closed = false;
  #nextMr = 0;

  constructor(deps: MtDeps) {
    this.#d = deps;
  }

  /** Messages held now. */
  get held(): number {
    return this.#where.size;
  }

  /** Takes custody of one message (MT_TRANSFER ok). */
  transfer(index: number, rec: PmsRecord): void {
    const msisdn = rec.routedDa?.digits ?? rec.da?.digits ?? "";
    if (this.#where.has(index)) return; // a repeat of a transfer we hold
    const sub = this.#sub(msisdn);
    sub.queue.push({ index, rec, attempts: 0 });
    this.#where.set(index, msisdn);
    if (!sub.busy && sub.retryTimer === undefined) this.#attempt(sub);
  }

  /** MT_CANCEL: drops a message not being sent; false when it is in flight or unknown. */
  cancel(index: number): boolean {
    const msisdn = this.#where.get(index);
    if (msisdn === undefined) return false;
    const sub = this.#subs.get(msisdn)!;
    if (sub.inFlight?.item.index === index) return false;
    sub.queue = sub.queue.filter((i) => i.index !== index);
    this.#where.delete(index);
    return true;
  }

  /** A REGISTER or RP-SMMA from the subscriber: try its waiting messages at once. */
  kick(msisdn: string): void {
    const sub = this.#subs.get(msisdn);
    if (!sub || sub.busy || sub.queue.length === 0) return;
    sub.retryTimer?.cancel();
    sub.retryTimer = undefined;
    this.#attempt(sub);
  }

  /** An RP-ACK or RP-ERROR from the subscriber; false when it answers nothing we sent. */
  rpAnswer(msisdn: string, mr: number, answer: RpAnswer): boolean {
    const f = this.#subs.get(msisdn)?.inFlight;
    if (f === undefined || f.mr !== mr) return false;
    f.answer(answer);
    return true;
  }

  /** Core's connection is gone: core has taken everything back. */
  dropAll(): void {
    for (const sub of this.#subs.values()) {
      sub.dropped = true;
      sub.retryTimer?.cancel();
      sub.retryTimer = undefined;
      sub.queue = [];
      sub.inFlight?.answer({ kind: "timeout" });
    }
    this.#subs.clear();
    this.#where.clear();
  }

  /** Stops for good (shutdown). */
  close(): void {
    this.#closed = true;
    this.dropAll();
  }

  #sub(msisdn: string): Subscriber {
    let s = this.#subs.get(msisdn);
    if (!s) {
      s = {
        msisdn,
        queue: [],
        inFlight: undefined,
        retryTimer: undefined,
        busy: false,
        dropped: false,
      };
      this.#subs.set(msisdn, s);
    }
    return s;
  }

  async #attempt(sub: Subscriber): Promise<void> {
    const item = sub.queue[0];
    if (item === undefined || this.#closed || sub.dropped) {
      sub.busy = false;
      return;
    }
    sub.busy = true;
    if (item.rec.expiryTimeMs > 0 && this.#d.clock.now() >= item.rec.expiryTimeMs) {
      await this.#finish(sub, item, "expired", 0);
      return this.#next(sub);
    }
    // One RP-MR sequence for all subscribers, so that a late RP answer after a queue was
    // emptied and refilled does not meet a fresh count at 0 (TS 24.011 §8.2.3).
    const mr = this.#nextMr;
    this.#nextMr = (this.#nextMr + 1) % 256;
    let rp: Uint8Array;
    try {
      const tpdu = encodeTpdu(recordToHandset(item.rec, sub.queue.length > 1));
      rp = encodeRp({
        type: "RP-DATA",
        direction: "network-to-ms",
        messageReference: mr,
        originatorAddress: { ton: 1, npi: 1, digits: this.#d.smscAddress },
        userData: tpdu,
      });
    } catch (e) {
      this.#d.logger.warn("Cannot build the TPDU of a message; discharging it as failed", {
        id: item.index,
        error: String(e),
      });
      await this.#finish(sub, item, "failed-permanent", 0);
      return this.#next(sub);
    }
    let answer!: (a: RpAnswer) => void;
    const answered = new Promise<RpAnswer>((resolve) => answer = resolve);
    sub.inFlight = { item, mr, answer };
    item.attempts++;
    const sent = await this.#d.send(sub.msisdn, rp, () => !sub.dropped && !this.#closed);
    if (this.#closed || sub.dropped || sub.inFlight?.item !== item) return;
    let result: RpAnswer;
    if (sent.kind === "sent") {
      const timer = this.#d.clock.setTimer(
        this.#d.rpAckTimeoutMs,
        () => answer({ kind: "timeout" }),
      );
      result = await answered;
      timer.cancel();
    } else {
      this.#d.logger.debug("Subscriber not reached", { id: item.index, reason: sent.reason });
      result = { kind: "timeout" };
    }
    if (this.#closed || sub.dropped || sub.inFlight?.item !== item) return;
    sub.inFlight = undefined;
    if (result.kind === "ack") {
      await this.#finish(sub, item, "delivered", 0);
      return this.#next(sub);
    }
    if (result.kind === "error" && rpCauseClass(result.cause) === "permanent") {
      this.#d.logger.info("Subscriber refused message", { id: item.index, rp_cause: result.cause });
      await this.#finish(sub, item, "failed-permanent", result.cause);
      return this.#next(sub);
    }
    // Temporary: keep custody and the order; wait.
    const wait = retryDelayMs(this.#d.schedule, item.attempts, jitterFor(item.index));
    const expiry = item.rec.expiryTimeMs;
    const delay = expiry > 0 ? Math.max(0, Math.min(wait, expiry - this.#d.clock.now())) : wait;
    sub.busy = false;
    sub.retryTimer = this.#d.clock.setTimer(delay, () => {
      sub.retryTimer = undefined;
      if (!sub.busy) this.#attempt(sub);
    });
  }

  #next(sub: Subscriber): void {
    sub.busy = false;
    if (sub.dropped || this.#closed) return;
    if (sub.queue.length > 0) this.#attempt(sub);
    else if (this.#subs.get(sub.msisdn) === sub) this.#subs.delete(sub.msisdn);
  }

  async #finish(
    sub: Subscriber,
    item: Item,
    disposition: PmsRecord["disposition"],
    cause: number,
  ): Promise<void> {
    // The item is the head of its queue (only the head is ever attempted).
    if (sub.queue[0] === item) sub.queue.shift();
    else sub.queue = sub.queue.filter((i) => i !== item);
    if (sub.dropped) return; // core has it back and will transfer it again
    this.#where.delete(item.index);
    try {
      const ok = await this.#d.discharge(item.index, DISPOSITION_CODES[disposition], cause);
      if (!ok) this.#d.logger.notice("Core does not hold the message any more", { id: item.index });
    } catch (e) {
      // Core's connection is gone: it takes the message back and offers it again.
      this.#d.logger.info("Cannot report a discharge to core", {
        id: item.index,
        error: String(e),
      });
    }
  }
}
