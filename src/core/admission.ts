/**
 * Admission of a submitted SM (ARCHITECTURE §4, seed 003 §2.4), in this
 * order: field validation; routing; permission to send upstream; the
 * source-address check of downstream peers; PID/DCS filters for untrusted
 * sources; validity period; duplicate suppression. The outcome is a value,
 * never an exception (STYLE.md §4): the record to store, the index of an
 * active original it duplicates, or a reason the transports map to their own
 * error codes.
 *
 * Pure policy: the number database, the plan, the duplicate index and the
 * time come in as parameters.
 *
 * @module
 */

import type { PmsRecord, SourceClass } from "../codec/pms/mod.ts";
import type { AdmissionReasonName } from "../codec/frame/admission.ts";
import { checkPidDcs, type OctetSet } from "./filters.ts";
import { maySendUpstream, type NumberLookup, originOf, routeDestination } from "./routing.ts";
import { expiryMs, type ValidityPolicy } from "./validity.ts";
import { type DuplicateIndex, duplicateKey } from "./duplicates.ts";
import type { NumberingPlan } from "./numbering/mod.ts";

/** Everything admission consults. */
export interface AdmissionContext {
  plan: NumberingPlan;
  numbers: NumberLookup;
  untrusted: ReadonlySet<SourceClass>;
  pidAllow: OctetSet;
  dcsAllow: OctetSet;
  validity: ValidityPolicy;
  /** Downstream peers whose source is not checked against their number pool. */
  sourceUnchecked: ReadonlySet<string>;
  duplicates: DuplicateIndex;
  /** Entry time to stamp, ms since the epoch. */
  nowMs: number;
}

/** The outcome of admission. */
export type Admission =
  | { ok: true; record: PmsRecord; duplicateKey?: string }
  | { ok: true; duplicateOf: number }
  | { ok: false; reason: AdmissionReasonName };

function validate(rec: PmsRecord): AdmissionReasonName | undefined {
  if (rec.state !== "active" || rec.disposition !== "none") return "bad-record";
  if (rec.imsiAddressed) {
    if (rec.sourceClass !== "cli") return "imsi-not-allowed";
    if (!/^[0-9]{6,15}$/.test(rec.destImsi) || rec.da !== null) return "bad-record";
  } else if (rec.da === null || rec.da.digits === undefined) {
    return "dest-invalid";
  }
  if (rec.sourceClass === "downstream" && rec.sourcePeer === "") return "bad-record";
  if (rec.sourceClass !== "downstream" && rec.sourcePeer !== "") return "bad-record";
  return undefined;
}

function sourceBelongsToPeer(rec: PmsRecord, ctx: AdmissionContext): boolean {
  if (rec.oa.digits === undefined) return false;
  const c = ctx.plan.classifySource(
    { ton: rec.oa.ton, npi: rec.oa.npi, digits: rec.oa.digits },
    "remote",
  );
  return c.kind === "e164" && ctx.numbers.findPeerByNumber(c.e164)?.peer === rec.sourcePeer;
}

function checkSource(rec: PmsRecord, ctx: AdmissionContext): AdmissionReasonName | undefined {
  const unchecked = rec.sourceClass === "downstream" && ctx.sourceUnchecked.has(rec.sourcePeer);
  if (rec.oa.ton === 5) {
    return rec.sourceClass === "cli" || unchecked ? undefined : "source-invalid";
  }
  if (rec.oa.digits === undefined) return "source-invalid";
  const c = ctx.plan.classifySource(
    { ton: rec.oa.ton, npi: rec.oa.npi, digits: rec.oa.digits },
    originOf(rec.sourceClass),
  );
  if (c.kind === "invalid") return "source-invalid";
  if (rec.sourceClass === "downstream" && !unchecked && !sourceBelongsToPeer(rec, ctx)) {
    return "source-not-permitted";
  }
  return undefined;
}

/**
 * Admits or refuses one submitted record.
 *
 * @param submitted the record as the submitter built it (state active,
 *   disposition none, source class and peer set by the submitting connection)
 * @param ctx the policy's inputs
 * @returns the record to store (routed, stamped, historical at once when
 *   stored-only), the index of the active message it duplicates, or a reason
 */
export function admit(submitted: PmsRecord, ctx: AdmissionContext): Admission {
  const invalid = validate(submitted) ?? checkSource(submitted, ctx);
  if (invalid) return { ok: false, reason: invalid };
  const rec: PmsRecord = { ...submitted, entryTimeMs: ctx.nowMs, attempts: 0, cause: 0 };
  if (rec.imsiAddressed) {
    Object.assign(rec, { destClass: "gsm", routedDa: null, destPeer: "" });
  } else {
    const route = routeDestination(rec.da!, rec, ctx.plan, ctx.numbers);
    if (!route.ok) return route;
    Object.assign(rec, {
      destClass: route.destClass,
      routedDa: route.routedDa,
      destPeer: route.destPeer,
    });
    if (route.destClass === "upstream" && !maySendUpstream(rec.oa, rec, ctx.plan, ctx.numbers)) {
      return { ok: false, reason: "upstream-not-permitted" };
    }
  }
  if (ctx.untrusted.has(rec.sourceClass)) {
    const filtered = checkPidDcs(rec.pid, rec.dcs, { pid: ctx.pidAllow, dcs: ctx.dcsAllow });
    if (!filtered.ok) return filtered;
  }
  rec.expiryTimeMs = expiryMs(rec.entryTimeMs, rec.validityS, ctx.validity);
  if (rec.destClass === "local") {
    // Writing it into the store is final delivery (seed §2.2): historical at once.
    Object.assign(rec, {
      state: "historical",
      disposition: "stored-only",
      dischargeTimeMs: ctx.nowMs,
    });
    return { ok: true, record: rec };
  }
  const key = duplicateKey(rec);
  if (key !== undefined) {
    const original = ctx.duplicates.find(key);
    if (original !== undefined) {
      return rec.rd ? { ok: false, reason: "duplicate" } : { ok: true, duplicateOf: original };
    }
  }
  return { ok: true, record: rec, duplicateKey: key };
}
