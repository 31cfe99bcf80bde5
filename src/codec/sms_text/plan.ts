/**
 * Text to short messages: pick the densest exact coding and split it into
 * concatenated parts (TS 23.040 §9.2.3.24.1, TS 23.038 §6.2.1 and Annex A).
 *
 * @module
 */

import { EncodeError } from "../../lib/errors.ts";
import { encodeGsm7, type Gsm7Options, NATIONAL_LANGUAGES } from "../gsm0338/mod.ts";
import { concatIe, type InformationElement, lockingShiftIe, singleShiftIe } from "../tpdu/udh.ts";
import { type Alphabet, encodeUserData } from "../tpdu/user_data.ts";

const PROTOCOL = "sms_text";
/** TS 23.040 §9.2.3.16: 160 septets or 140 octets of TP-UD. */
const UDL_SEPTETS_MAX = 160;
const UD_OCTETS_MAX = 140;
/** TS 23.040 §9.2.3.24.1: the part counter is one octet. */
const PARTS_MAX = 255;
const ESC = 0x1b;

/** Options of `planText`. */
export interface PlanOptions {
  /** Concatenated short message reference number (0-255, or 0-65535 with `ref16`). */
  reference: number;
  /** Use IEI 0x08 (16-bit reference) instead of 0x00 when the text needs several parts. */
  ref16?: boolean;
  /** National languages (TS 23.038 §6.2.1.2.4) whose shift tables may be used. */
  languages?: number[];
  /** Skip GSM 7 bit and code the text as UCS-2. */
  forceUcs2?: boolean;
}

/** One short message of a plan: what goes into TP-UDHI, TP-UDL and TP-UD. */
export interface PlannedSegment {
  /** TP-UDHI. */
  udhi: boolean;
  /** TP-UDL: septets for gsm7, octets for ucs2. */
  udl: number;
  /** TP-UD. */
  ud: Uint8Array;
}

/** The result of `planText`. */
export interface TextPlan {
  /** The coding, for TP-DCS. */
  alphabet: Alphabet;
  /** National language of the locking shift table used, when not the default. */
  lockingShift?: number;
  /** National language of the single shift table used, when not the default. */
  singleShift?: number;
  /** The parts in sequence order. */
  segments: PlannedSegment[];
}

interface Candidate {
  alphabet: Alphabet;
  shifts: Gsm7Options;
  units: Uint8Array; // septets for gsm7, octets for ucs2
  chunks: Uint8Array[]; // payload of each part
}

function shiftIes(shifts: Gsm7Options): InformationElement[] {
  const ies: InformationElement[] = [];
  if (shifts.lockingShift) ies.push(lockingShiftIe(shifts.lockingShift));
  if (shifts.singleShift) ies.push(singleShiftIe(shifts.singleShift));
  return ies;
}

/** Payload room of one part for a header of `udhOctets` (0 for none). */
function room(alphabet: Alphabet, udhOctets: number): number {
  if (alphabet === "gsm7") return UDL_SEPTETS_MAX - Math.ceil((udhOctets * 8) / 7);
  // UCS-2: whole 16-bit code units only.
  return Math.floor((UD_OCTETS_MAX - udhOctets) / 2) * 2;
}

/** Splits into parts of at most `size` units, never inside an escape pair or a surrogate pair. */
function split(alphabet: Alphabet, units: Uint8Array, size: number): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let start = 0;
  while (start < units.length) {
    let end = Math.min(start + size, units.length);
    if (end < units.length) {
      if (alphabet === "gsm7" && endsInsideEscape(units, start, end)) end -= 1;
      if (alphabet === "ucs2" && isHighSurrogate(units, end - 2)) end -= 2;
    }
    parts.push(units.slice(start, end));
    start = end;
  }
  return parts;
}

/** True when the septet at end-1 is an escape whose code would go to the next part. */
function endsInsideEscape(septets: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end - 1) i += septets[i] === ESC ? 2 : 1;
  return i === end - 1 && septets[i] === ESC;
}

function isHighSurrogate(octets: Uint8Array, at: number): boolean {
  return at >= 0 && (octets[at] & 0xfc) === 0xd8;
}

function layout(
  alphabet: Alphabet,
  shifts: Gsm7Options,
  units: Uint8Array,
  options: PlanOptions,
): Candidate {
  const extra = shiftIes(shifts);
  const extraOctets = extra.reduce((n, ie) => n + 2 + ie.data.length, 0);
  const single = room(alphabet, extra.length === 0 ? 0 : 1 + extraOctets);
  if (units.length <= single) return { alphabet, shifts, units, chunks: [units] };
  const concatOctets = options.ref16 ? 6 : 5;
  const size = room(alphabet, 1 + concatOctets + extraOctets);
  return { alphabet, shifts, units, chunks: split(alphabet, units, size) };
}

/** GSM 7 bit table choices to try: default first, then each language's tables. */
function shiftChoices(languages: number[]): Gsm7Options[] {
  const known = NATIONAL_LANGUAGES.filter((l) => languages.includes(l.id));
  const locking = [0, ...known.filter((l) => l.hasLockingShift).map((l) => l.id)];
  const single = [0, ...known.filter((l) => l.hasSingleShift).map((l) => l.id)];
  const out: Gsm7Options[] = [];
  for (const l of locking) {
    for (const s of single) out.push({ lockingShift: l, singleShift: s });
  }
  return out;
}

function better(a: Candidate, b: Candidate): boolean {
  if (a.chunks.length !== b.chunks.length) return a.chunks.length < b.chunks.length;
  return a.units.length < b.units.length;
}

function choose(text: string, options: PlanOptions): Candidate {
  let best: Candidate | null = null;
  if (!options.forceUcs2) {
    for (const shifts of shiftChoices(options.languages ?? [])) {
      const septets = encodeGsm7(text, shifts);
      if (septets === null) continue;
      const c = layout("gsm7", shifts, septets, options);
      if (best === null || better(c, best)) best = c;
    }
  }
  if (best !== null) return best;
  const octets = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    octets[2 * i] = text.charCodeAt(i) >> 8;
    octets[2 * i + 1] = text.charCodeAt(i) & 0xff;
  }
  return layout("ucs2", {}, octets, options);
}

/**
 * Plans how to send a text: GSM 7 bit with the default tables when they hold
 * every character, else GSM 7 bit with national language shift tables among
 * `languages` (counting their header octets), else UCS-2; among GSM 7 bit
 * choices the one with the fewest parts, then the fewest septets, wins. Text
 * that fits one message (160 septets / 70 UCS-2 code units, less any shift
 * elements) is one part; longer text is split into concatenated parts of 153
 * septets / 67 code units (152 / 66 with a 16-bit reference), never inside an
 * escape sequence or a surrogate pair.
 *
 * @param text the message text
 * @param options reference number, its width, allowed languages, forced UCS-2
 * @returns the coding, the shift tables used and each part's TP-UDHI, TP-UDL and TP-UD
 * @throws {EncodeError} when more than 255 parts would be needed, or the
 *   reference is out of range
 */
export function planText(text: string, options: PlanOptions): TextPlan {
  const c = choose(text, options);
  if (c.chunks.length > PARTS_MAX) {
    throw new EncodeError(
      `Cannot plan text: it needs ${c.chunks.length} parts but at most ${PARTS_MAX} fit`,
      { protocol: PROTOCOL, field: "concatenation total" },
    );
  }
  const extra = shiftIes(c.shifts);
  const total = c.chunks.length;
  const segments = c.chunks.map((chunk, i) => {
    const udh = total === 1
      ? (extra.length === 0 ? null : extra)
      : [concatIe(options.reference, total, i + 1, { ref16: options.ref16 }), ...extra];
    return c.alphabet === "gsm7"
      ? encodeUserData({ udh, septets: chunk }, "gsm7")
      : encodeUserData({ udh, data: chunk }, "ucs2");
  });
  const plan: TextPlan = { alphabet: c.alphabet, segments };
  if (c.shifts.lockingShift) plan.lockingShift = c.shifts.lockingShift;
  if (c.shifts.singleShift) plan.singleShift = c.shifts.singleShift;
  return plan;
}
