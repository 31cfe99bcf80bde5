/**
 * Delivery to GSM/IMS subscribers (seed 003 §2.6.1.2-2.6.1.4, issue #4):
 * MSISDN-to-IMSI lookup, then transfer into gsmif's custody.
 *
 * - Lookup queue: one entry per distinct MSISDN, each with the messages
 *   waiting for it; at most `lookupWindow` MT_FIND_IMSI outstanding toward
 *   the IMSI-lookup role handler; answers are cached for `imsiCacheMs` so
 *   that the next segments of a long message need no new lookup.
 * - Core custody: messages with their IMSI, transferred by MT_TRANSFER to the
 *   MT role handler as soon as it is up (no window: gsmif schedules delivery
 *   itself, seed §2.6.2).
 * - gsmif custody: after an `ok` to MT_TRANSFER, until gsmif sends
 *   MT_DISCHARGE, or the handler disconnects or goes down, which returns
 *   every such message to core custody at once.
 *
 * Outcomes of a lookup: an IMSI fills `dest_imsi` (durably) and moves the
 * messages on; a permanent failure discharges them `failed-permanent`; a
 * temporary one waits for the retry schedule (one attempt counted per
 * message). Expiry runs from the tick for messages in core custody; gsmif
 * expires the ones it holds.
 *
 * @module
 */

import { DISPOSITIONS, encodePmsRecord, type PmsRecord } from "../codec/pms/mod.ts";
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../lib/log.ts";
import { addAttempt, jitterFor, outcomeOf, type RetrySchedule } from "../proto/retry.ts";
import type { FrameConnection } from "../transport/unix_socket.ts";
import type { ActiveSet } from "./active_set.ts";

/** What MT delivery works with. */
export interface MtDeliveryDeps {
  active: ActiveSet;
  clock: Clock;
  logger: Logger;
  schedule: RetrySchedule;
  lookupWindow: number;
  imsiCacheMs: number;
  requestTimeoutMs: number;
  rewrite(id: number, rec: PmsRecord): Promise<boolean>;
  /** Writes the discharge durably and drops the record from the active set. */
  discharge(
    id: number,
    rec: PmsRecord,
    disposition: PmsRecord["disposition"],
    cause: number,
  ): Promise<void>;
}

/** How an MT_DISCHARGE or a cancel ended, for the socket answer. */
export type HeldResult = "ok" | "unknown";

/** The lookup queue, the two custody queues and their handlers. */
export class MtDelivery {
  readonly #d: MtDeliveryDeps;
  /** MSISDN → ids waiting for its IMSI, in arrival order of the MSISDNs. */
  readonly #lookups = new Map<string, number[]>();
  readonly #lookupsOutstanding = new Set<string>();
  readonly #lookupRetryAt = new Map<string, number>();
  readonly #cache = new Map<string, { imsi: string; atMs: number }>();
  /** Core custody: ids with an IMSI, not yet transferred. */
  readonly #coreCustody: number[] = [];
  readonly #transferring = new Set<number>();
  /** gsmif custody. */
  readonly #held = new Set<number>();
  /** Messages whose looked-up IMSI or failed lookup is being written. */
  readonly #settling = new Set<number>();
  /** The IMSI write running per MSISDN (see `#withImsi`). */
  readonly #imsiWrites = new Map<string, Promise<void>>();
  #lookupHandler: FrameConnection | undefined;
  #mtHandler: FrameConnection | undefined;

  constructor(deps: MtDeliveryDeps) {
    this.#d = deps;
  }

  /** Queues an active record for a subscriber (admission, or the start-up scan). */
  enqueue(id: number, rec: PmsRecord): void {
    if (rec.destClass !== "gsm") return;
    if (rec.destImsi !== "") {
      this.#coreCustody.push(id);
      this.#pumpTransfers();
      return;
    }
    const msisdn = rec.routedDa?.digits ?? "";
    const cached = this.#cache.get(msisdn);
    if (cached && this.#d.clock.now() - cached.atMs < this.#d.imsiCacheMs) {
      void this.#withImsi(msisdn, [id], cached.imsi);
      return;
    }
    const waiting = this.#lookups.get(msisdn);
    if (waiting) waiting.push(id);
    else this.#lookups.set(msisdn, [id]);
    this.#pumpLookups();
  }

  /** The IMSI-lookup handler is up (or down: undefined). */
  setLookupHandler(conn: FrameConnection | undefined): void {
    this.#lookupHandler = conn;
    this.#pumpLookups();
  }

  /** The MT handler is up (or down: undefined); down returns its custody to core. */
  setMtHandler(conn: FrameConnection | undefined): void {
    this.#mtHandler = conn;
    if (conn === undefined && this.#held.size > 0) {
      this.#d.logger.notice("MT handler gone; custody returns to core", {
        messages: this.#held.size,
      });
      this.#coreCustody.unshift(...[...this.#held].sort((a, b) => a - b));
      this.#held.clear();
    }
    this.#pumpTransfers();
  }

  /** Whether gsmif holds this message. */
  isHeld(id: number): boolean {
    return this.#held.has(id);
  }

  /**
   * Whether the message is on its way: gsmif holds it, an MT_TRANSFER of it
   * awaits its answer, or a new version built from the current one (its
   * IMSI, or a failed lookup's attempt) is being written. REPLACE must leave
   * such a message alone.
   */
  isInTransit(id: number): boolean {
    return this.#held.has(id) || this.#transferring.has(id) || this.#settling.has(id);
  }

  /** Counts for STATUS. */
  counts(): Record<string, string> {
    let waiting = 0;
    for (const ids of this.#lookups.values()) waiting += ids.length;
    return {
      "queue.imsi_lookup":
        `msisdns=${this.#lookups.size} messages=${waiting} outstanding=${this.#lookupsOutstanding.size}`,
      "queue.mt.core": String(this.#coreCustody.length + this.#transferring.size),
      "queue.mt.gsmif": String(this.#held.size),
    };
  }

  #pumpLookups(): void {
    const conn = this.#lookupHandler;
    if (!conn || conn.isClosed) return;
    const now = this.#d.clock.now();
    for (const msisdn of this.#lookups.keys()) {
      if (this.#lookupsOutstanding.size >= this.#d.lookupWindow) return;
      if (this.#lookupsOutstanding.has(msisdn)) continue;
      if ((this.#lookupRetryAt.get(msisdn) ?? 0) > now) continue;
      this.#lookupsOutstanding.add(msisdn);
      void this.#lookup(conn, msisdn);
    }
  }

  async #lookup(conn: FrameConnection, msisdn: string): Promise<void> {
    let r;
    try {
      r = await conn.request({ type: "MT_FIND_IMSI", msisdn }, this.#d.requestTimeoutMs);
    } catch {
      this.#lookupsOutstanding.delete(msisdn);
      if (this.#lookupHandler === conn && conn.isClosed) this.#lookupHandler = undefined;
      this.#pumpLookups();
      return;
    }
    this.#lookupsOutstanding.delete(msisdn);
    const ids = this.#lookups.get(msisdn) ?? [];
    this.#lookups.delete(msisdn);
    this.#lookupRetryAt.delete(msisdn);
    if (r.result === "ok") {
      this.#cache.set(msisdn, { imsi: r.imsi, atMs: this.#d.clock.now() });
      await this.#withImsi(msisdn, ids, r.imsi);
    } else {
      await this.#lookupFailed(msisdn, ids, { kind: r.result, cause: r.cause });
    }
    this.#pumpLookups();
  }

  /**
   * Writes the IMSI into the records and queues them for transfer. Calls for
   * one MSISDN run one after the other, so that a message that found the IMSI
   * in the cache cannot overtake earlier ones still being written (order per
   * destination, docs/delivery.md).
   */
  #withImsi(msisdn: string, ids: number[], imsi: string): Promise<void> {
    for (const id of ids) this.#settling.add(id);
    const previous = this.#imsiWrites.get(msisdn) ?? Promise.resolve();
    const run = previous.then(() => this.#writeImsi(ids, imsi));
    this.#imsiWrites.set(msisdn, run);
    return run.finally(() => {
      if (this.#imsiWrites.get(msisdn) === run) this.#imsiWrites.delete(msisdn);
    });
  }

  async #writeImsi(ids: number[], imsi: string): Promise<void> {
    try {
      // Written together (one group commit), queued in their order.
      const written = await Promise.all(ids.map(async (id) => {
        const rec = this.#d.active.get(id);
        if (rec === undefined) return undefined;
        const next = { ...rec, destImsi: imsi };
        return (await this.#d.rewrite(id, next)) ? next : undefined;
      }));
      ids.forEach((id, i) => {
        const next = written[i];
        if (next === undefined || !this.#d.active.has(id)) return;
        this.#d.active.set(id, next);
        this.#coreCustody.push(id);
      });
    } finally {
      for (const id of ids) this.#settling.delete(id);
    }
    this.#pumpTransfers();
  }

  async #lookupFailed(
    msisdn: string,
    ids: number[],
    result: { kind: "temporary" | "permanent"; cause: number },
  ): Promise<void> {
    for (const id of ids) this.#settling.add(id);
    try {
      await this.#settleFailedLookup(msisdn, ids, result);
    } finally {
      for (const id of ids) this.#settling.delete(id);
    }
  }

  async #settleFailedLookup(
    msisdn: string,
    ids: number[],
    result: { kind: "temporary" | "permanent"; cause: number },
  ): Promise<void> {
    const now = this.#d.clock.now();
    const retry: number[] = [];
    let retryAt = Infinity;
    for (const id of ids) {
      const rec = this.#d.active.get(id);
      if (rec === undefined) continue;
      const attempts = addAttempt(rec.attempts);
      const o = outcomeOf(result, {
        attempts,
        nowMs: now,
        expiryMs: rec.expiryTimeMs,
        schedule: this.#d.schedule,
        jitter: jitterFor(id),
      });
      if (o.next === "discharge") {
        await this.#d.discharge(id, { ...rec, attempts }, o.disposition, o.cause);
        continue;
      }
      const next = { ...rec, attempts, cause: o.cause };
      if (!(await this.#d.rewrite(id, next))) return;
      this.#d.active.set(id, next);
      retry.push(id);
      if (o.next === "retry") retryAt = Math.min(retryAt, o.atMs);
    }
    if (retry.length === 0) return;
    this.#lookups.set(msisdn, [...(this.#lookups.get(msisdn) ?? []), ...retry]);
    this.#lookupRetryAt.set(msisdn, retryAt);
  }

  #pumpTransfers(): void {
    const conn = this.#mtHandler;
    if (!conn || conn.isClosed) return;
    while (this.#coreCustody.length > 0) {
      const id = this.#coreCustody.shift()!;
      const rec = this.#d.active.get(id);
      if (rec === undefined) continue;
      this.#transferring.add(id);
      void this.#transfer(conn, id, rec);
    }
  }

  async #transfer(conn: FrameConnection, id: number, rec: PmsRecord): Promise<void> {
    let r;
    try {
      r = await conn.request(
        { type: "MT_TRANSFER", index: id, record: encodePmsRecord(rec) },
        this.#d.requestTimeoutMs,
      );
    } catch {
      r = undefined;
    }
    this.#transferring.delete(id);
    if (!this.#d.active.has(id)) return;
    if (r?.result === "ok" && this.#mtHandler === conn && !conn.isClosed) {
      this.#held.add(id);
      return;
    }
    // Refused or unanswered: custody stays with core; try again on the next tick.
    this.#coreCustody.push(id);
    if (conn.isClosed && this.#mtHandler === conn) this.#mtHandler = undefined;
  }

  /**
   * gsmif discharged a message it held (MT_DISCHARGE).
   *
   * @returns "unknown" when gsmif did not hold it (or the disposition is not one gsmif may give)
   */
  async discharged(id: number, dispositionCode: number, cause: number): Promise<HeldResult> {
    const disposition = DISPOSITIONS[dispositionCode];
    const allowed = ["delivered", "failed-permanent", "expired", "cancelled"];
    const rec = this.#d.active.get(id);
    if (!this.#held.has(id) || rec === undefined || !allowed.includes(disposition)) {
      return "unknown";
    }
    this.#held.delete(id);
    await this.#d.discharge(id, rec, disposition, cause);
    return "ok";
  }

  /** Asks gsmif to give up a message it holds (CANCEL); it leaves gsmif's custody either way. */
  async cancelHeld(id: number): Promise<void> {
    const conn = this.#mtHandler;
    this.#held.delete(id);
    if (!conn || conn.isClosed) return;
    try {
      await conn.request({ type: "MT_CANCEL", index: id }, this.#d.requestTimeoutMs);
    } catch (e) {
      this.#d.logger.notice("MT_CANCEL not answered", { id, error: String(e) });
    }
  }

  /**
   * Retries due lookups and transfers, and expires overdue messages in core custody.
   *
   * @param expire whether to look for expired messages (false when the
   *   active set says none can have expired)
   */
  async tick(expire = true): Promise<void> {
    const now = this.#d.clock.now();
    for (const [msisdn, ids] of expire ? [...this.#lookups] : []) {
      if (this.#lookupsOutstanding.has(msisdn)) continue;
      const keep: number[] = [];
      for (const id of ids) {
        const expiry = this.#d.active.expiryOf(id);
        if (expiry === undefined) continue;
        if (expiry > now) {
          keep.push(id);
          continue;
        }
        const rec = this.#d.active.get(id)!;
        await this.#d.discharge(id, rec, "expired", rec.cause);
      }
      if (keep.length === 0) {
        this.#lookups.delete(msisdn);
        this.#lookupRetryAt.delete(msisdn);
      } else this.#lookups.set(msisdn, keep);
    }
    for (const id of expire ? [...this.#coreCustody] : []) {
      const expiry = this.#d.active.expiryOf(id);
      if (expiry !== undefined && expiry <= now) {
        const rec = this.#d.active.get(id)!;
        this.#coreCustody.splice(this.#coreCustody.indexOf(id), 1);
        await this.#d.discharge(id, rec, "expired", rec.cause);
      }
    }
    for (const [msisdn, c] of this.#cache) {
      if (now - c.atMs >= this.#d.imsiCacheMs) this.#cache.delete(msisdn);
    }
    this.#pumpLookups();
    this.#pumpTransfers();
  }
}
