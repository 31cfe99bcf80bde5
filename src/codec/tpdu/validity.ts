/**
 * TP-Validity-Period in its three formats, TS 23.040 §9.2.3.12: relative
 * (1 octet), absolute (7 octets, as TP-SCTS) and enhanced (7 octets). Which
 * one is present is told by TP-VPF in the first octet of SMS-SUBMIT (§9.2.3.3).
 *
 * @module
 */

import { type ByteReader, bytesEqual, ByteWriter } from "../../lib/bytes.ts";
import { EncodeError } from "../../lib/errors.ts";
import {
  TP_VPF_ABSOLUTE,
  TP_VPF_ENHANCED,
  TP_VPF_NONE,
  TP_VPF_RELATIVE,
  TPDU_PROTOCOL,
} from "./constants.ts";
import { readScts, type Scts, writeScts } from "./scts.ts";

/** Relative TP-VP, TS 23.040 §9.2.3.12.1. */
export interface RelativeValidity {
  format: "relative";
  /** The TP-VP octet, 0-255. */
  value: number;
  /** What the octet means, in seconds (derived; ignored on encode). */
  seconds: number;
}

/** Absolute TP-VP, TS 23.040 §9.2.3.12.2: the time the validity ends. */
export interface AbsoluteValidity {
  format: "absolute";
  /** The expiry time, coded as TP-SCTS (§9.2.3.11). */
  time: Scts;
}

/**
 * How the enhanced format uses its octets 2-7: bits 2-0 of the functionality
 * indicator, TS 23.040 §9.2.3.12.3. "reserved" covers 100-111 and any
 * functionality indicator with the extension bit set (no extension is defined).
 */
export type EnhancedKind = "none" | "relative" | "seconds" | "hhmmss" | "reserved";

/** Enhanced TP-VP, TS 23.040 §9.2.3.12.3. */
export interface EnhancedValidity {
  format: "enhanced";
  /** Bit 7 of the functionality indicator: another indicator octet follows. */
  extension: boolean;
  /** Bit 6: single-shot SM (one delivery attempt only). */
  singleShot: boolean;
  /** Bits 2-0, by name. */
  kind: EnhancedKind;
  /** The second octet for kinds "relative" (coded as §9.2.3.12.1) and "seconds" (0-255 s). */
  value?: number;
  /** The period as "HHMMSS" semi-octet digits for kind "hhmmss". */
  hhmmss?: string;
  /** What the period means in seconds, when it has one (derived; ignored on encode). */
  seconds?: number;
  /**
   * The seven octets as received, present only when they are not the
   * canonical encoding of the fields above (reserved bits or unused octets
   * set, a non-decimal nibble, an extension). When present it is written back as is.
   */
  raw?: Uint8Array;
}

/** A decoded TP-VP in any of its formats. */
export type ValidityPeriod = RelativeValidity | AbsoluteValidity | EnhancedValidity;

const MINUTE_S = 60;
const HOUR_S = 3600;
const DAY_S = 86400;
const WEEK_S = 7 * DAY_S;

/**
 * The period a relative TP-VP octet stands for, TS 23.040 §9.2.3.12.1:
 * 0-143 → (VP+1) × 5 min; 144-167 → 12 h + (VP−143) × 30 min;
 * 168-196 → (VP−166) days; 197-255 → (VP−192) weeks.
 *
 * @param value the TP-VP octet
 * @returns the period in seconds
 * @throws {EncodeError} when the value is not an integer 0-255
 */
export function relativeVpToSeconds(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 255) {
    throw new EncodeError(`Cannot interpret TP-VP: value ${value} is outside 0-255`, {
      protocol: TPDU_PROTOCOL,
      field: "TP-VP",
    });
  }
  if (value <= 143) return (value + 1) * 5 * MINUTE_S;
  if (value <= 167) return 12 * HOUR_S + (value - 143) * 30 * MINUTE_S;
  if (value <= 196) return (value - 166) * DAY_S;
  return (value - 192) * WEEK_S;
}

/**
 * The smallest relative TP-VP octet whose period is at least `seconds`: the
 * period is rounded up to the next representable value, so a message never
 * expires earlier than asked. Periods beyond 63 weeks give 255 (63 weeks),
 * the longest the format can say; 0 or less gives 0 (5 minutes).
 *
 * @param seconds the wanted period
 * @returns the TP-VP octet, 0-255
 * @throws {EncodeError} when `seconds` is not a finite number
 */
export function secondsToRelativeVp(seconds: number): number {
  if (!Number.isFinite(seconds)) {
    throw new EncodeError(`Cannot encode TP-VP: period ${seconds} is not finite`, {
      protocol: TPDU_PROTOCOL,
      field: "TP-VP",
    });
  }
  if (seconds <= 144 * 5 * MINUTE_S) return Math.max(0, Math.ceil(seconds / (5 * MINUTE_S)) - 1);
  if (seconds <= 24 * HOUR_S) return 143 + Math.ceil((seconds - 12 * HOUR_S) / (30 * MINUTE_S));
  if (seconds <= 30 * DAY_S) return 166 + Math.ceil(seconds / DAY_S);
  return Math.min(255, 192 + Math.ceil(seconds / WEEK_S));
}

const KINDS: EnhancedKind[] = ["none", "relative", "seconds", "hhmmss"];

function readHhmmss(b: Uint8Array): { hhmmss: string; decimal: boolean } {
  let s = "";
  let decimal = true;
  for (let i = 1; i <= 3; i++) {
    const lo = b[i] & 0x0f;
    const hi = b[i] >> 4;
    if (lo > 9 || hi > 9) decimal = false;
    s += lo.toString(16) + hi.toString(16);
  }
  return { hhmmss: s, decimal };
}

function decodeEnhanced(b: Uint8Array): EnhancedValidity {
  const fi = b[0];
  const v: EnhancedValidity = {
    format: "enhanced",
    extension: (fi & 0x80) !== 0,
    singleShot: (fi & 0x40) !== 0,
    kind: (fi & 0x80) !== 0 ? "reserved" : KINDS[fi & 0x07] ?? "reserved",
  };
  let decimal = true;
  if (v.kind === "relative") {
    v.value = b[1];
    v.seconds = relativeVpToSeconds(b[1]);
  } else if (v.kind === "seconds") {
    v.value = b[1];
    v.seconds = b[1];
  } else if (v.kind === "hhmmss") {
    const h = readHhmmss(b);
    v.hhmmss = h.hhmmss;
    decimal = h.decimal;
    if (decimal) v.seconds = hhmmssToSeconds(h.hhmmss);
  }
  if (!decimal || v.kind === "reserved" || !bytesEqual(encodeEnhanced(v), b)) v.raw = b;
  return v;
}

function hhmmssToSeconds(s: string): number {
  return Number(s.slice(0, 2)) * HOUR_S + Number(s.slice(2, 4)) * MINUTE_S + Number(s.slice(4, 6));
}

function encodeEnhanced(v: EnhancedValidity): Uint8Array {
  if (v.raw !== undefined) {
    if (v.raw.length !== 7) throw enhancedError(`raw has ${v.raw.length} octets, not 7`);
    return v.raw;
  }
  const out = new Uint8Array(7);
  const form = KINDS.indexOf(v.kind);
  if (form < 0) throw enhancedError(`kind "${v.kind}" needs raw octets`);
  out[0] = form | (v.singleShot ? 0x40 : 0) | (v.extension ? 0x80 : 0);
  if (v.kind === "relative" || v.kind === "seconds") {
    const value = v.value ?? -1;
    if (!Number.isInteger(value) || value < 0 || value > 255) {
      throw enhancedError(`value ${v.value} is outside 0-255`);
    }
    out[1] = value;
  } else if (v.kind === "hhmmss") {
    const s = v.hhmmss ?? "";
    if (!/^[0-9]{6}$/.test(s)) throw enhancedError(`hhmmss "${s}" is not six digits`);
    for (let i = 0; i < 3; i++) out[1 + i] = Number(s[2 * i]) | (Number(s[2 * i + 1]) << 4);
  }
  return out;
}

function enhancedError(message: string): EncodeError {
  return new EncodeError(`Cannot encode TP-VP (enhanced): ${message}`, {
    protocol: TPDU_PROTOCOL,
    field: "TP-VP",
  });
}

/**
 * Reads the TP-VP that `vpf` announces.
 *
 * @param r the reader, positioned at TP-VP
 * @param vpf TP-VPF, 0-3
 * @returns the validity period, or undefined when TP-VPF is 0
 * @throws {DecodeError} when the field is truncated
 */
export function readValidity(r: ByteReader, vpf: number): ValidityPeriod | undefined {
  switch (vpf) {
    case TP_VPF_RELATIVE: {
      const value = r.u8("TP-VP");
      return { format: "relative", value, seconds: relativeVpToSeconds(value) };
    }
    case TP_VPF_ABSOLUTE:
      return { format: "absolute", time: readScts(r, "TP-VP") };
    case TP_VPF_ENHANCED:
      return decodeEnhanced(r.take(7, "TP-VP"));
    default:
      return undefined;
  }
}

/**
 * The TP-VPF value that goes with a validity period, TS 23.040 §9.2.3.3.
 *
 * @param vp the validity period, or undefined for none
 * @returns 0 (none), 1 (enhanced), 2 (relative) or 3 (absolute)
 */
export function vpfOf(vp: ValidityPeriod | undefined): number {
  if (vp === undefined) return TP_VPF_NONE;
  if (vp.format === "relative") return TP_VPF_RELATIVE;
  if (vp.format === "absolute") return TP_VPF_ABSOLUTE;
  return TP_VPF_ENHANCED;
}

/**
 * Writes a TP-VP in its format (nothing when undefined).
 *
 * @param w the writer
 * @param vp the validity period
 * @throws {EncodeError} when a value is out of range
 */
export function writeValidity(w: ByteWriter, vp: ValidityPeriod | undefined): void {
  if (vp === undefined) return;
  if (vp.format === "relative") w.u8(vp.value, "TP-VP");
  else if (vp.format === "absolute") writeScts(w, vp.time, "TP-VP");
  else if (vp.format === "enhanced") w.bytes(encodeEnhanced(vp));
  else throw enhancedError(`unknown format "${(vp as { format: string }).format}"`);
}

/**
 * Encodes a validity period alone (1 or 7 octets), e.g. for storage.
 *
 * @param vp the validity period
 * @returns its octets
 * @throws {EncodeError} when a value is out of range
 */
export function encodeValidity(vp: ValidityPeriod): Uint8Array {
  const w = new ByteWriter(TPDU_PROTOCOL, 7);
  writeValidity(w, vp);
  return w.finish();
}
