/**
 * Core's answers to the requests of the local socket (seed 003 §2.5):
 * SUBMIT through admission into the store, CANCEL, CHANGE_SRR, QUERY and
 * REPLACE of the messages the asking connection owns (queries.ts), STATUS
 * for operators, MT_DISCHARGE from gsmif; and the one place where a record
 * is stored or discharged, which feeds delivery (peer_delivery.ts,
 * mt_delivery.ts) and reports (report_flow.ts). Role registrations live in
 * roles.ts.
 *
 * Lifecycle notes:
 * - A SUBMIT is answered OK only after its record is durable (`append`
 *   resolves after fdatasync). The record joins the active set before that,
 *   so that a concurrent duplicate is recognised.
 * - A failed write or sync is fatal (`onFatal`): the store is in its sticky
 *   error state, nothing more is acknowledged, and the process exits so that
 *   runit restarts it and recovery runs from disk (STYLE.md §4).
 * - A connection's role claims end when it closes; what its handler held
 *   returns to core's queues (docs/delivery.md).
 * - A discharge is written at most once: `#discharging` holds it until the
 *   record has left the active set, and requests that name the message
 *   (message_requests.ts) wait for it and then see the message historical.
 *
 * @module
 */

import { decodePmsRecord, encodePmsRecord, type PmsRecord } from "../codec/pms/mod.ts";
import {
  admissionReason,
  type AdmissionReasonName,
  type Request,
  type Response,
  type ResponseOf,
} from "../codec/frame/mod.ts";
import { type Owner, ownerOf } from "./queries.ts";
import { MessageRequests } from "./message_requests.ts";
import { DecodeError } from "../lib/errors.ts";
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../lib/log.ts";
import type { PmsFile } from "../store/pms_file.ts";
import { advanceHistoricalMb, writeMbCount } from "../store/historical_mb.ts";
import type { FrameConnection } from "../transport/unix_socket.ts";
import { admit } from "./admission.ts";
import type { ActiveSet } from "./active_set.ts";
import type { Policy } from "./policy.ts";
import type { NumberLookup } from "./routing.ts";
import { PeerDelivery } from "./peer_delivery.ts";
import { MtDelivery } from "./mt_delivery.ts";
import { ReportFlow } from "./report_flow.ts";
import { RoleRegistry } from "./roles.ts";
import type { RetrySchedule } from "../proto/retry.ts";

/** What the service works with. */
export interface CoreServiceDeps {
  store: PmsFile;
  /** Message id of position 0 of pms.bin: archived-mb × 4096. */
  baseId: number;
  active: ActiveSet;
  numbers: NumberLookup;
  policy: Policy;
  clock: Clock;
  logger: Logger;
  historicalMbPath: string;
  historicalMb: number;
  /** Called once on a failure that must stop core (the store's sticky error). */
  onFatal(error: Error): void;
  /** Extra STATUS entries (version, uptime, connections). */
  statusExtra(): Record<string, string>;
  /** Waits between delivery attempts after temporary failures. */
  retrySchedule: RetrySchedule;
  /** Transfers outstanding per peer. */
  peerWindow: number;
  /** How long core waits for a role handler's answer. */
  requestTimeoutMs: number;
  /** MT_FIND_IMSI outstanding at once. */
  imsiLookupWindow: number;
  /** How long a looked-up IMSI is reused. */
  imsiCacheMs: number;
}

function rejected(name: AdmissionReasonName, detail?: string): ResponseOf<"SUBMIT"> {
  const r = admissionReason(name);
  return {
    type: "SUBMIT",
    result: "rejected",
    reason: { code: r.code, text: detail ? `${name}: ${detail}` : name },
  };
}

/** The request handler of core. */
export class CoreService {
  readonly #d: CoreServiceDeps;
  readonly #roles: RoleRegistry;
  #historicalMb: number;
  #mbWrite: Promise<void> = Promise.resolve();
  readonly #delivery: PeerDelivery;
  readonly #mt: MtDelivery;
  readonly #reports: ReportFlow;
  readonly #requests: MessageRequests;
  /** Discharges being written, by id: settled once the record has left the active set. */
  readonly #discharging = new Map<number, Promise<void>>();

  constructor(deps: CoreServiceDeps) {
    this.#d = deps;
    this.#historicalMb = deps.historicalMb;
    this.#reports = new ReportFlow({
      admit: (rec) => this.#admit(rec),
      store: (rec) => this.#store(rec),
      readRecord: (id) => deps.store.readRecord(id - deps.baseId),
      now: () => Math.max(deps.clock.now(), deps.store.lastEntryTimeMs),
      logger: deps.logger,
    });
    this.#roles = new RoleRegistry(
      deps.logger,
      (name) => deps.numbers.getPeer(name) !== undefined,
      (claim, conn) => {
        if (claim.role === "peer") this.#delivery.setHandler(claim.peer, conn);
        if (claim.role === "imsi-lookup") this.#mt.setLookupHandler(conn);
        if (claim.role === "gsm-mt") this.#mt.setMtHandler(conn);
      },
    );
    this.#delivery = new PeerDelivery({
      active: deps.active,
      clock: deps.clock,
      logger: deps.logger,
      schedule: deps.retrySchedule,
      window: deps.peerWindow,
      requestTimeoutMs: deps.requestTimeoutMs,
      rewrite: (id, rec) => this.#rewrite(id, rec),
      discharge: (id, rec, disposition, cause) => this.#discharge(id, rec, disposition, cause),
    });
    this.#requests = new MessageRequests({
      active: deps.active,
      store: deps.store,
      baseId: deps.baseId,
      validity: deps.policy.validity,
      logger: deps.logger,
      discharging: (id) => this.#discharging.get(id),
      discharge: (id, rec, disposition, cause) => this.#discharge(id, rec, disposition, cause),
      rewrite: (id, rec) => this.#rewrite(id, rec),
      inTransit: (id) => this.#delivery.isOutstanding(id) || this.#mt.isInTransit(id),
      isHeld: (id) => this.#mt.isHeld(id),
      cancelHeld: (id) => this.#mt.cancelHeld(id),
    });
    this.#mt = new MtDelivery({
      active: deps.active,
      clock: deps.clock,
      logger: deps.logger,
      schedule: deps.retrySchedule,
      lookupWindow: deps.imsiLookupWindow,
      imsiCacheMs: deps.imsiCacheMs,
      requestTimeoutMs: deps.requestTimeoutMs,
      rewrite: (id, rec) => this.#rewrite(id, rec),
      discharge: (id, rec, disposition, cause) => this.#discharge(id, rec, disposition, cause),
    });
  }

  /**
   * Makes an active record historical, durably, then forgets it: the one
   * place a discharge is written (delivery, expiry, cancel).
   */
  async #discharge(
    id: number,
    rec: PmsRecord,
    disposition: PmsRecord["disposition"],
    cause: number,
  ): Promise<void> {
    const done: PmsRecord = {
      ...rec,
      state: "historical",
      disposition,
      cause,
      dischargeTimeMs: Math.max(this.#d.clock.now(), rec.entryTimeMs),
    };
    let settle!: () => void;
    this.#discharging.set(id, new Promise((resolve) => (settle = resolve)));
    let written = false;
    try {
      written = await this.#rewrite(id, done);
      if (written) this.#d.active.delete(id);
    } finally {
      this.#discharging.delete(id);
      settle();
    }
    if (!written) return;
    this.#d.logger.debug("Message discharged", { id, disposition, cause });
    this.#advanceHistoricalMb();
    await this.#reports.discharged(id, done);
  }

  /**
   * Remembers, from the start-up scan, a historical message an upstream
   * receipt may still be about.
   */
  noteDischarged(id: number, rec: PmsRecord): void {
    this.#reports.noteDischarged(id, rec);
  }

  /** Queues the active records found at start-up, in id order. */
  recover(): void {
    for (const [id, rec] of this.#d.active.entries()) {
      this.#delivery.enqueue(id, rec);
      this.#mt.enqueue(id, rec);
    }
  }

  /** Retries and expiries that are due; the server calls it about once a second. */
  async tick(): Promise<void> {
    // The expiry scans look at every queued message; skipped while no
    // active message can have expired yet.
    const expire = this.#d.active.mayHaveExpired(this.#d.clock.now());
    await this.#delivery.tick(expire);
    await this.#mt.tick(expire);
    if (expire) this.#d.active.refreshExpiryBound();
  }

  /** Answers one request from a client. */
  handle(request: Request, conn: FrameConnection): Response | Promise<Response> {
    switch (request.type) {
      case "SUBMIT":
        return this.#submit(request.record, request.skipRouting, conn);
      case "CANCEL":
        return this.#requests.cancel(request.target, this.#ownerOf(conn));
      case "CHANGE_SRR":
        return this.#requests.changeSrr(request.target, request.srr, this.#ownerOf(conn));
      case "QUERY":
        return this.#requests.query(request.target, this.#ownerOf(conn));
      case "REPLACE":
        return this.#requests.replace(request.index, request.record, this.#ownerOf(conn));
      case "STATUS":
        return { type: "STATUS", entries: this.#status() };
      case "RH_REGISTER":
        return this.#roles.register({ role: request.role, peer: request.peer }, conn);
      case "RH_SERVICE_STATE":
        return this.#roles.serviceState(request.up, request.claim, conn);
      case "MT_DISCHARGE":
        return this.#mtDischarge(request.index, request.disposition, request.cause, conn);
      default:
        // The frame codec refuses core-originated types from a client; this is a guard.
        throw new Error(`Cannot handle ${request.type} from a client`);
    }
  }

  /** Forgets the role claims of a closed connection. */
  connectionClosed(conn: FrameConnection): void {
    this.#roles.released(conn);
  }

  async #submit(bytes: Uint8Array, skipRouting: boolean, conn: FrameConnection): Promise<Response> {
    let submitted: PmsRecord;
    try {
      submitted = decodePmsRecord(bytes);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      return rejected("bad-record", e.message);
    }
    if (submitted.imsiAddressed !== skipRouting) {
      return rejected("bad-record", "skip-routing flag and record disagree");
    }
    const source = this.#roles.sourceOf(conn);
    if (
      submitted.sourceClass !== source.sourceClass || submitted.sourcePeer !== source.sourcePeer
    ) {
      return rejected("source-not-permitted", `this connection submits as ${source.sourceClass}`);
    }
    if (submitted.report) {
      const r = await this.#reports.receipt(submitted, conn.id);
      return r.ok ? { type: "SUBMIT", result: "ok", index: r.id } : rejected(r.reason, r.detail);
    }
    const a = this.#admit(submitted);
    if (!a.ok) {
      this.#d.logger.debug("SUBMIT rejected", { reason: a.reason, conn: conn.id });
      return rejected(a.reason);
    }
    if ("duplicateOf" in a) return { type: "SUBMIT", result: "ok", index: a.duplicateOf };
    const id = await this.#store(a.record, a.duplicateKey);
    if (id === undefined) return rejected("store-failed");
    this.#d.logger.debug("SUBMIT stored", { id, dest: a.record.destClass, conn: conn.id });
    if (a.record.disposition === "stored-only") await this.#reports.discharged(id, a.record);
    return { type: "SUBMIT", result: "ok", index: id };
  }

  #admit(rec: PmsRecord) {
    const { store, active, policy, numbers } = this.#d;
    const nowMs = Math.max(this.#d.clock.now(), store.lastEntryTimeMs);
    return admit(rec, { ...policy, numbers, duplicates: active.duplicates, nowMs });
  }

  /**
   * Appends an admitted record durably and hands it to delivery.
   *
   * @returns its message id, or undefined after a storage failure (fatal)
   */
  async #store(rec: PmsRecord, duplicateKey?: string): Promise<number | undefined> {
    const { store, active } = this.#d;
    const id = this.#d.baseId + store.recordCount;
    const bytes = encodePmsRecord(rec);
    if (rec.state === "active") active.set(id, rec, duplicateKey, bytes);
    try {
      await store.append(rec, bytes);
    } catch (e) {
      active.delete(id);
      this.#d.onFatal(e as Error);
      return undefined;
    }
    if (rec.state === "active") {
      this.#delivery.enqueue(id, rec);
      this.#mt.enqueue(id, rec);
    }
    return id;
  }

  #ownerOf(conn: FrameConnection): Owner {
    return ownerOf(this.#roles.sourceOf(conn));
  }

  async #rewrite(id: number, rec: PmsRecord): Promise<boolean> {
    try {
      await this.#d.store.update(id - this.#d.baseId, rec);
      return true;
    } catch (e) {
      this.#d.onFatal(e as Error);
      return false;
    }
  }

  async #mtDischarge(
    id: number,
    disposition: number,
    cause: number,
    conn: FrameConnection,
  ): Promise<ResponseOf<"MT_DISCHARGE">> {
    if (!this.#roles.holds(conn, "gsm-mt")) return { type: "MT_DISCHARGE", result: "unknown" };
    return { type: "MT_DISCHARGE", result: await this.#mt.discharged(id, disposition, cause) };
  }

  /** Moves historical-mb forward when the oldest active record has crossed a MiB. */
  #advanceHistoricalMb(): void {
    const { active, store, baseId } = this.#d;
    const oldestPosition = (active.oldest() ?? baseId + store.recordCount) - baseId;
    const next = advanceHistoricalMb(this.#historicalMb, oldestPosition);
    if (next === this.#historicalMb) return;
    this.#historicalMb = next;
    this.#mbWrite = this.#mbWrite.then(() => writeMbCount(this.#d.historicalMbPath, next)).then(
      () => this.#d.logger.info("historical-mb advanced", { mib: next }),
      (e) => this.#d.logger.error("Cannot write historical-mb", { error: (e as Error).message }),
    );
  }

  #status(): { key: string; value: string }[] {
    const { store, active, baseId } = this.#d;
    const entries: Record<string, string> = {
      ...this.#d.statusExtra(),
      records: String(store.recordCount),
      first_id: String(baseId),
      active: String(active.size),
      historical_mb: String(this.#historicalMb),
      store_syncs: String(store.syncCount),
      ...syncEntries(store.syncLatency()),
    };
    for (const [cls, n] of Object.entries(active.countByDestClass())) {
      entries[`active_${cls}`] = String(n);
    }
    Object.assign(entries, this.#delivery.counts(), this.#mt.counts(), this.#roles.statusEntries());
    return Object.entries(entries).map(([key, value]) => ({ key, value }));
  }
}

/** The store's recent group-commit times, for STATUS (ms, two decimals). */
function syncEntries(t: { p50: number; p99: number; max: number }): Record<string, string> {
  return {
    store_sync_ms_p50: t.p50.toFixed(2),
    store_sync_ms_p99: t.p99.toFixed(2),
    store_sync_ms_max: t.max.toFixed(2),
  };
}
