/**
 * Finding the message a CANCEL, CHANGE_SRR, QUERY or REPLACE names, as the
 * asking connection may see it, and the two answers built from a record:
 * QUERY's view of it and REPLACE's new version (docs/socket-protocol.md
 * §4.2, §4.11, §4.12, §5).
 *
 * Ownership: a connection that holds a role acts for one source (a
 * downstream peer, the upstream, or gsmif's subscribers), and may only see
 * the messages that source submitted. Every other message is "not found",
 * historical ones included, so that a peer cannot learn that another
 * source's message exists. The command line holds no role and sees all.
 *
 * @module
 */

import {
  decodePmsRecord,
  DISPOSITION_CODES,
  type PmsRecord,
  type SourceClass,
} from "../codec/pms/mod.ts";
import type { MessageInfo, SmAddress, Target } from "../codec/frame/mod.ts";
import { DecodeError } from "../lib/errors.ts";
import type { PmsFile } from "../store/pms_file.ts";
import type { ActiveSet } from "./active_set.ts";
import { expiryMs, type ValidityPolicy } from "./validity.ts";

/** The messages a connection may act on: those of one source, or all of them. */
export type Owner = { sourceClass: SourceClass; sourcePeer: string } | "any";

/** A message found for a request, active (from the active set) or historical (from pms.bin). */
export interface Found {
  id: number;
  rec: PmsRecord;
}

/** Where `findMessage` looks. */
export interface MessageSource {
  active: ActiveSet;
  store: PmsFile;
  /** Message id of position 0 of pms.bin. */
  baseId: number;
}

/**
 * The owner a connection acts as, from the source its SUBMITs get.
 *
 * @param source what `RoleRegistry.sourceOf` says of the connection
 * @returns "any" for the command line, else that source
 */
export function ownerOf(source: { sourceClass: SourceClass; sourcePeer: string }): Owner {
  return source.sourceClass === "cli" ? "any" : source;
}

/** Whether `owner` may see `rec`. */
export function owns(owner: Owner, rec: PmsRecord): boolean {
  if (owner === "any") return true;
  return rec.sourceClass === owner.sourceClass && rec.sourcePeer === owner.sourcePeer;
}

/**
 * The newest active message `owner` may see that was sent from `oa` to `da`
 * with TP-MR `mr`. It matches as `ActiveSet.findByOaDaMr` does (destination
 * as submitted or as routed), but skips other sources' messages, so that one
 * of them cannot hide the asker's own.
 */
function findByOaDaMr(
  active: ActiveSet,
  t: { oa: SmAddress; da: SmAddress; mr: number },
  owner: Owner,
): number | undefined {
  if (owner === "any") return active.findByOaDaMr(t.oa, t.da, t.mr);
  return active.findByOaDaMr(t.oa, t.da, t.mr, (rec) => owns(owner, rec));
}

/**
 * Finds the message `target` names, as `owner` may see it: an active one
 * from the active set, a historical one (by index only) from pms.bin.
 *
 * @param target by index, or by {OA, DA, MR} (active messages only)
 * @param owner who asks
 * @param from the active set and the store
 * @returns the message, or undefined when there is none that `owner` may see
 *   (a record that no longer decodes counts as none)
 */
export async function findMessage(
  target: Target,
  owner: Owner,
  from: MessageSource,
): Promise<Found | undefined> {
  const { active, store, baseId } = from;
  if (target.by === "oa-da-mr") {
    const id = findByOaDaMr(active, target, owner);
    return id === undefined ? undefined : { id, rec: active.get(id)! };
  }
  const id = target.index;
  const rec = active.get(id);
  if (rec) return owns(owner, rec) ? { id, rec } : undefined;
  const position = id - baseId;
  if (position < 0 || position >= store.recordCount) return undefined;
  try {
    const stored = await store.readRecord(position);
    if (stored.state === "historical" && owns(owner, stored)) return { id, rec: stored };
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
  }
  return undefined;
}

/**
 * QUERY's answer for a message (§4.11).
 *
 * @param id its record index
 * @param rec its record
 * @returns the fields the answer carries
 */
export function messageInfo(id: number, rec: PmsRecord): MessageInfo {
  return {
    index: id,
    state: rec.state,
    disposition: DISPOSITION_CODES[rec.disposition],
    dcs: rec.dcs,
    attempts: rec.attempts,
    cause: rec.cause,
    entryTimeMs: rec.entryTimeMs,
    dischargeTimeMs: rec.dischargeTimeMs,
    expiryTimeMs: rec.expiryTimeMs,
  };
}

/** The outcome of `replacement`. */
export type Replacement = { ok: true; record: PmsRecord } | { ok: false; detail: string };

function sameAddress(a: PmsRecord["oa"], b: PmsRecord["oa"]): boolean {
  return a.ton === b.ton && a.npi === b.npi && a.digits === b.digits && a.text === b.text;
}

function mismatch(original: PmsRecord, submitted: PmsRecord): string | undefined {
  if (original.report || submitted.report) return "reports cannot be replaced";
  if (submitted.state !== "active" || submitted.disposition !== "none") {
    return "the replacement must be active with disposition none";
  }
  if (submitted.sourceClass !== original.sourceClass) return "source class differs";
  if (submitted.sourcePeer !== original.sourcePeer) return "source peer differs";
  if (!sameAddress(submitted.oa, original.oa)) return "OA differs";
  if (submitted.dcs !== original.dcs) return "TP-DCS differs";
  return undefined;
}

/**
 * The new version of an active message that REPLACE writes (§4.12): the
 * original with the replacement's text (TP-UDHI, TP-UDL, TP-UD) and TP-SRR,
 * and its validity period when it gives one (the expiry time then runs from
 * the original entry time, capped as for SUBMIT). The OA, source and TP-DCS
 * must be the original's: the text is only meaningful in the original's
 * coding, and a REPLACE may not move a message to another sender.
 *
 * @param original the active record
 * @param bytes the replacement as the submitter built it (256 bytes)
 * @param validity the default and maximum validity period
 * @returns the record to write, or why the replacement does not fit
 */
export function replacement(
  original: PmsRecord,
  bytes: Uint8Array,
  validity: ValidityPolicy,
): Replacement {
  let submitted: PmsRecord;
  try {
    submitted = decodePmsRecord(bytes);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return { ok: false, detail: e.message };
  }
  const wrong = mismatch(original, submitted);
  if (wrong !== undefined) return { ok: false, detail: wrong };
  const record: PmsRecord = {
    ...original,
    udhi: submitted.udhi,
    udl: submitted.udl,
    ud: submitted.ud,
    srr: submitted.srr,
  };
  if (submitted.validityS > 0) {
    record.validityS = submitted.validityS;
    record.expiryTimeMs = expiryMs(original.entryTimeMs, submitted.validityS, validity);
  }
  return { ok: true, record };
}
