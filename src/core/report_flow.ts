/**
 * The status report flow of core (issue #4, docs/delivery.md "Status
 * reports"): a report back to the originator when a message that asked for
 * one is discharged, and the matching of an upstream's receipt to the message
 * it is about (by the upstream's message id kept in our record).
 *
 * Lifecycle: `byUpstreamId` holds the messages delivered to the upstream with
 * a report request whose receipt has not come yet; it is filled by the
 * start-up scan and by discharges, and an entry ends when its receipt comes.
 *
 * @module
 */

import { decodeReportPayload, type PmsRecord } from "../codec/pms/mod.ts";
import type { AdmissionReasonName } from "../codec/frame/mod.ts";
import { DecodeError } from "../lib/errors.ts";
import type { Logger } from "../lib/log.ts";
import type { Admission } from "./admission.ts";
import { reportDue, statusReportRecord } from "./reports.ts";

/** What the flow needs from core. */
export interface ReportFlowDeps {
  /** Admission as for any SUBMIT (reports are routed like any SM). */
  admit(rec: PmsRecord): Admission;
  /** Appends durably and hands to delivery; undefined after a storage failure. */
  store(rec: PmsRecord): Promise<number | undefined>;
  /** Reads a record by message id. */
  readRecord(id: number): Promise<PmsRecord>;
  /** The entry time to stamp (never before the store's last one). */
  now(): number;
  logger: Logger;
}

/** The outcome of a receipt's SUBMIT. */
export type ReceiptOutcome =
  | { ok: true; id: number }
  | { ok: false; reason: AdmissionReasonName; detail?: string };

/** Reports and receipts. */
export class ReportFlow {
  readonly #d: ReportFlowDeps;
  /** Upstream message id → our message id. */
  readonly #byUpstreamId = new Map<string, number>();

  constructor(deps: ReportFlowDeps) {
    this.#d = deps;
  }

  /** Remembers a message an upstream receipt may be about. */
  noteDischarged(id: number, rec: PmsRecord): void {
    if (
      rec.srr && rec.destClass === "upstream" && rec.disposition === "delivered" &&
      rec.destMessageId !== ""
    ) {
      this.#byUpstreamId.set(rec.destMessageId, id);
    }
  }

  /** A message became historical (durably): remember it for receipts, report when due. */
  async discharged(id: number, rec: PmsRecord): Promise<void> {
    this.noteDischarged(id, rec);
    if (reportDue(rec, rec.disposition)) {
      await this.#emit(rec, id, rec.disposition, rec.cause, rec.dischargeTimeMs);
    }
  }

  /** Creates and stores the report about `original`, if it can be routed. */
  async #emit(
    original: PmsRecord,
    originalId: number,
    disposition: PmsRecord["disposition"],
    cause: number,
    dischargeTimeMs: number,
  ): Promise<void> {
    const report = statusReportRecord(original, originalId, {
      disposition,
      cause,
      dischargeTimeMs,
    });
    if (report === undefined) {
      this.#d.logger.info("No status report: the originator has no number", { id: originalId });
      return;
    }
    const a = this.#d.admit(report);
    if (!a.ok || !("record" in a)) {
      this.#d.logger.notice("Cannot route a status report", {
        id: originalId,
        reason: a.ok ? "duplicate" : a.reason,
      });
      return;
    }
    const id = await this.#d.store(a.record);
    this.#d.logger.info("Status report created", { id, about: originalId, disposition });
  }

  /**
   * A peer's receipt about a message we forwarded to it: stored as a
   * historical record for the audit trail, and, when it matches a message
   * whose originator asked for a report, answered with that report.
   *
   * @param rec the submitted record (report flag set), from a peer connection
   * @param conn the connection id, for logs
   */
  async receipt(rec: PmsRecord, conn: number): Promise<ReceiptOutcome> {
    if (rec.sourceClass !== "upstream" && rec.sourceClass !== "downstream") {
      return { ok: false, reason: "bad-record", detail: "only a peer handler submits receipts" };
    }
    let payload;
    try {
      payload = decodeReportPayload(rec.ud);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      return { ok: false, reason: "bad-record", detail: e.message };
    }
    if (payload.kind !== "receipt") {
      return {
        ok: false,
        reason: "bad-record",
        detail: "a peer submits receipts, not status reports",
      };
    }
    const nowMs = this.#d.now();
    const id = await this.#d.store({
      ...rec,
      entryTimeMs: nowMs,
      expiryTimeMs: nowMs,
      state: "historical",
      disposition: "stored-only",
      dischargeTimeMs: nowMs,
      destClass: "local",
      routedDa: null,
      destImsi: "",
      destPeer: "",
      destMessageId: "",
    });
    if (id === undefined) return { ok: false, reason: "store-failed" };
    const originalId = rec.sourceClass === "upstream"
      ? this.#byUpstreamId.get(payload.messageId)
      : undefined;
    if (originalId === undefined) {
      this.#d.logger.notice("Receipt matches no message sent with a report request", { id, conn });
      return { ok: true, id };
    }
    this.#byUpstreamId.delete(payload.messageId);
    try {
      const original = await this.#d.readRecord(originalId);
      await this.#emit(
        original,
        originalId,
        payload.disposition,
        payload.cause,
        payload.doneTimeMs || nowMs,
      );
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      this.#d.logger.error("Cannot read the message a receipt is about", {
        id: originalId,
        error: e.message,
      });
    }
    return { ok: true, id };
  }
}
