/**
 * Status reports (issue #4, ARCHITECTURE §5): when the originator of a
 * message asked for one (TP-SRR), its discharge produces a new record back
 * to the originator, routed and stored like any other SM. The record
 * carries a report payload (codec/pms/report.ts); the transport that
 * delivers it renders it as an SMS-STATUS-REPORT or a receipt `deliver_sm`.
 *
 * Pure: builds records; core stores and routes them.
 *
 * @module
 */

import { type PmsRecord, reportRecord } from "../codec/pms/mod.ts";

/**
 * Whether the discharge of `rec` should produce a report now. A message
 * the upstream SMSC accepted is not yet delivered to a handset: its report
 * waits for the upstream's receipt. A downstream peer is an ESME, the
 * message's final destination: its deliver_sm_resp is the delivery, so the
 * report goes at once.
 */
export function reportDue(rec: PmsRecord, disposition: PmsRecord["disposition"]): boolean {
  if (!rec.srr || rec.report) return false;
  return !(rec.destClass === "upstream" && disposition === "delivered");
}

/**
 * The report record about `original` (id `originalId`), addressed back to its
 * originator, or undefined when the originator has no number to answer
 * (an alphanumeric sender).
 *
 * @param original the original record
 * @param originalId its message id
 * @param outcome how it ended, and when
 * @returns a record to submit as the command line would (core routes it)
 */
export function statusReportRecord(
  original: PmsRecord,
  originalId: number,
  outcome: { disposition: PmsRecord["disposition"]; cause: number; dischargeTimeMs: number },
): PmsRecord | undefined {
  if (original.oa.digits === undefined || original.oa.digits === "") return undefined;
  const recipient = original.routedDa ??
    (original.da?.digits
      ? { ton: original.da.ton, npi: original.da.npi, digits: original.da.digits }
      : undefined);
  if (recipient === undefined) return undefined;
  return reportRecord({
    kind: "status",
    disposition: outcome.disposition,
    cause: outcome.cause,
    dischargeTimeMs: outcome.dischargeTimeMs,
    originalId,
    originalEntryTimeMs: original.entryTimeMs,
    originalMr: original.mr,
  }, {
    sourceClass: "cli",
    // The report comes from the recipient (TP-RA) and goes to the originator.
    oa: { ton: recipient.ton, npi: recipient.npi, digits: recipient.digits },
    da: { ton: original.oa.ton, npi: original.oa.npi, digits: original.oa.digits },
    mr: original.mr,
  });
}
