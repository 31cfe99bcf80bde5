/**
 * The PMS records `smsc submit` sends: one per segment, from plain text
 * (coded and split by `codec/sms_text`) or from the FreeCalypso line language
 * (`codec/sms_lang`). Precedence of settings: a command-line option wins over
 * the same setting in the language, which wins over the default (docs/submit.md).
 *
 * Randomness and time are parameters (`BuildContext`), so that tests fix them.
 *
 * @module
 */

import { DecodeError, UsageError } from "../lib/errors.ts";
import type { PmsRecord } from "../codec/pms/mod.ts";
import { planText } from "../codec/sms_text/mod.ts";
import type { SmsLangDocument } from "../codec/sms_lang/mod.ts";
import {
  dcsForAlphabet,
  decodeDcs,
  decodeScts,
  relativeVpToSeconds,
  sctsToEpochMs,
  udlInSeptets,
} from "../codec/tpdu/mod.ts";
import type { SubmitRequest } from "./submit_args.ts";

/** What record building takes from outside. */
export interface BuildContext {
  /** A uniformly random integer in 0..maxExclusive-1 (concatenation reference, default TP-MR). */
  random(maxExclusive: number): number;
  /** Now, ms since the epoch; only to turn a `vp-abs` line into seconds. */
  nowMs: number;
}

/** The TP fields one message shares across its segments. */
interface Shared {
  pid: number;
  dcs: number;
  srr: boolean;
  rd: boolean;
  rp: boolean;
  validityS: number;
  mr: number;
}

/** One segment's user data. */
interface Segment {
  udhi: boolean;
  udl: number;
  ud: Uint8Array;
}

function records(req: SubmitRequest, shared: Shared, segments: Segment[]): PmsRecord[] {
  return segments.map((s, i) => ({
    state: "active",
    sourceClass: "cli",
    // A placeholder: core routes every SUBMIT and sets the class (an IMSI-addressed MT
    // becomes "gsm", as seed §2.4.1 says).
    destClass: "gsm",
    // Core stamps entry and expiry times; a submitter has no say in them.
    entryTimeMs: 0,
    dischargeTimeMs: 0,
    expiryTimeMs: 0,
    validityS: shared.validityS,
    disposition: "none",
    attempts: 0,
    cause: 0,
    rd: shared.rd,
    srr: shared.srr,
    udhi: s.udhi,
    rp: shared.rp,
    imsiAddressed: req.imsi !== "",
    // Each segment gets its own TP-MR, so that CANCEL by {OA, DA, MR} can name one segment.
    mr: (shared.mr + i) % 256,
    pid: shared.pid,
    dcs: shared.dcs,
    oa: { ...req.oa },
    da: req.da === null ? null : { ...req.da },
    routedDa: null,
    sourcePeer: "",
    udl: s.udl,
    ud: s.ud,
    destImsi: req.imsi,
    destPeer: "",
    destMessageId: "",
  }));
}

/**
 * Builds the records of a plain text message: GSM 7 bit (with the national
 * shift tables of `req.languages` when they help) or UCS-2, concatenated with
 * a random 8-bit (or 16-bit with `ref16`) reference when it needs several parts.
 *
 * @param req the command line
 * @param text the message text
 * @param ctx randomness
 * @returns one record per segment, in sequence order
 * @throws {EncodeError} when the text needs more than 255 parts
 */
export function buildTextRecords(
  req: SubmitRequest,
  text: string,
  ctx: BuildContext,
): PmsRecord[] {
  const plan = planText(text, {
    reference: ctx.random(req.ref16 ? 65536 : 256),
    ref16: req.ref16,
    languages: req.languages,
    forceUcs2: req.ucs2,
  });
  // A national language table is announced in the UDH (TS 23.040 §9.2.3.24.15-16), not in
  // TP-DCS, so the DCS depends only on the alphabet and the class.
  const dcs = dcsForAlphabet(plan.alphabet, req.messageClass).raw;
  return records(req, {
    pid: req.pid ?? 0,
    dcs,
    srr: req.srr ?? false,
    rd: false,
    rp: false,
    validityS: req.validityS ?? 0,
    mr: req.mr ?? ctx.random(256),
  }, plan.segments);
}

/**
 * Sets the message class bits of a TP-DCS (TS 23.038 §4): in the general and
 * auto-deletion groups bit 4 says a class is present and bits 1-0 give it;
 * in group 1111 bits 1-0 always give it.
 *
 * @param dcs the TP-DCS octet
 * @param messageClass 0-3
 * @returns the new octet
 * @throws {UsageError} for a coding group without a message class
 */
export function withMessageClass(dcs: number, messageClass: number): number {
  if (dcs < 0x80) return (dcs & 0xec) | 0x10 | messageClass;
  if (dcs >= 0xf0) return (dcs & 0xfc) | messageClass;
  throw new UsageError(
    `Cannot apply --class: TP-DCS 0x${dcs.toString(16).padStart(2, "0")} has no message class`,
  );
}

function langError(message: string, field: string): DecodeError {
  return new DecodeError(message, { protocol: "sms-lang", field });
}

function smsLangDcs(req: SubmitRequest, doc: SmsLangDocument): number {
  const s = doc.settings;
  if (s.dcs === undefined) throw langError(`Cannot submit: the input has no "dcs" line`, "dcs");
  let dcs = req.dcs ?? s.dcs;
  if (req.messageClass !== undefined) dcs = withMessageClass(dcs, req.messageClass);
  // TP-UDL of every msg line was counted in the unit the dcs line named; a TP-DCS with
  // the other unit would make core and the handset read the user data wrongly.
  const septets = s.dcsCoding === "septet";
  if (udlInSeptets(decodeDcs(dcs)) !== septets) {
    const what = `TP-DCS 0x${dcs.toString(16).padStart(2, "0")} counts TP-UDL in ${
      septets ? "octets" : "septets"
    }, but the input is ${s.dcsCoding} coded`;
    if (req.dcs !== undefined) throw new UsageError(`Cannot use --dcs: ${what}`);
    throw langError(`Cannot submit: ${what}`, "dcs");
  }
  return dcs;
}

function smsLangValidityS(req: SubmitRequest, doc: SmsLangDocument, nowMs: number): number {
  if (req.validityS !== undefined) return req.validityS;
  const s = doc.settings;
  if (s.vpRelative !== undefined) return relativeVpToSeconds(s.vpRelative);
  if (s.vpAbsolute !== undefined) {
    // Seed §2.4.4: the socket carries the validity period in relative seconds only.
    const untilMs = sctsToEpochMs(decodeScts(s.vpAbsolute)[0]);
    const seconds = Math.ceil((untilMs - nowMs) / 1000);
    if (seconds <= 0) throw langError(`Cannot submit: the vp-abs time is in the past`, "vp-abs");
    return seconds;
  }
  return 0;
}

/**
 * Builds the records of a message given in the FreeCalypso line language:
 * one record per `msg`/`msg-udh` line, user data taken as is. `dcs`, `pid`,
 * `mr`, `sr`, `rd`, `rp`, `vp-rel` and `vp-abs` apply unless an option
 * overrides them; `user-addr` (the command line's DEST wins), `sc-addr`,
 * `sc-ts`, `mms` and `lp` do not concern a submission and are ignored.
 *
 * @param req the command line
 * @param doc the parsed input
 * @param ctx randomness and time
 * @returns one record per message line, in input order
 * @throws {DecodeError} when the input has no `dcs` or `msg` line, its TP-DCS
 *   does not match its septet/octet coding, or `vp-abs` is in the past
 * @throws {UsageError} when `--dcs` or `--class` does not fit the input
 */
export function buildSmsLangRecords(
  req: SubmitRequest,
  doc: SmsLangDocument,
  ctx: BuildContext,
): PmsRecord[] {
  const s = doc.settings;
  const dcs = smsLangDcs(req, doc);
  if (doc.messages.length === 0) {
    throw langError(`Cannot submit: the input has no "msg" or "msg-udh" line`, "msg");
  }
  return records(req, {
    pid: req.pid ?? s.pid ?? 0,
    dcs,
    srr: req.srr ?? s.srr ?? false,
    rd: s.rd ?? false,
    rp: s.replyPath ?? false,
    validityS: smsLangValidityS(req, doc, ctx.nowMs),
    mr: req.mr ?? s.mr ?? ctx.random(256),
  }, doc.messages);
}
