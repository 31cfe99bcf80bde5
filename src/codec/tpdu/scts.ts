/**
 * TP-Service-Centre-Time-Stamp and the absolute time format it shares with
 * TP-DT and the absolute TP-VP, TS 23.040 §9.2.3.11.
 *
 * Seven octets of swapped semi-octets: year, month, day, hour, minute, second
 * and time zone. The time zone counts quarters of an hour from GMT; bit 3 of
 * its first (low) semi-octet is the sign, so the tens digit has 3 bits.
 *
 * @module
 */

import { ByteReader, bytesEqual, ByteWriter } from "../../lib/bytes.ts";
import { EncodeError } from "../../lib/errors.ts";
import { TP_SCTS_OCTETS, TPDU_PROTOCOL } from "./constants.ts";

/** A decoded TP-SCTS (or TP-DT, or absolute TP-VP), TS 23.040 §9.2.3.11. */
export interface Scts {
  /** Year within the century, 0-99. */
  year: number;
  /** Month, 1-12 (not range-checked on decode). */
  month: number;
  /** Day of the month, 1-31 (not range-checked on decode). */
  day: number;
  /** Hour, 0-23. */
  hour: number;
  /** Minute, 0-59. */
  minute: number;
  /** Second, 0-59. */
  second: number;
  /** Time zone: signed offset from GMT in quarters of an hour, -79..79. */
  tzQuarterHours: number;
  /**
   * The seven octets as received, present only when they are not the
   * canonical encoding of the fields above (a nibble that is not a decimal
   * digit, or a negative zero time zone). When present it is written back as is.
   */
  raw?: Uint8Array;
}

const FIELDS = ["year", "month", "day", "hour", "minute", "second"] as const;

/**
 * Reads one absolute time (7 octets) from a reader.
 *
 * @param r the reader, positioned at the time stamp
 * @param field the spec field name for errors ("TP-SCTS", "TP-DT", "TP-VP")
 * @returns the decoded time stamp
 * @throws {DecodeError} when fewer than 7 octets remain
 */
export function readScts(r: ByteReader, field: string): Scts {
  const bytes = r.take(TP_SCTS_OCTETS, field);
  let decimal = true;
  const swapped = (b: number): number => {
    const lo = b & 0x0f;
    const hi = b >> 4;
    if (lo > 9 || hi > 9) decimal = false;
    return lo * 10 + hi;
  };
  const v: Partial<Scts> = {};
  FIELDS.forEach((name, i) => (v[name] = swapped(bytes[i])));
  // TS 23.040 §9.2.3.11: "bit 3 of the seventh octet of the TP-SCTS field
  // represents the algebraic sign of this difference".
  const tz = bytes[6];
  const tens = tz & 0x07;
  const units = tz >> 4;
  if (units > 9) decimal = false;
  const quarters = tens * 10 + units;
  v.tzQuarterHours = tz & 0x08 ? -quarters : quarters;
  if (Object.is(v.tzQuarterHours, -0)) v.tzQuarterHours = 0;
  const scts = v as Scts;
  if (!decimal || !bytesEqual(canonical(scts), bytes)) scts.raw = bytes;
  return scts;
}

function digitPair(value: number, name: string, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 99) {
    throw new EncodeError(`Cannot encode ${field}: ${name} ${value} is outside 0-99`, {
      protocol: TPDU_PROTOCOL,
      field,
    });
  }
  return (value % 10 << 4) | Math.floor(value / 10);
}

function canonical(s: Scts, field = "TP-SCTS"): Uint8Array {
  const out = new Uint8Array(TP_SCTS_OCTETS);
  FIELDS.forEach((name, i) => (out[i] = digitPair(s[name], name, field)));
  const q = s.tzQuarterHours;
  if (!Number.isInteger(q) || q < -79 || q > 79) {
    throw new EncodeError(`Cannot encode ${field}: time zone ${q} is outside -79..79 quarters`, {
      protocol: TPDU_PROTOCOL,
      field,
    });
  }
  const abs = Math.abs(q);
  out[6] = ((abs % 10) << 4) | Math.floor(abs / 10) | (q < 0 ? 0x08 : 0);
  return out;
}

/**
 * Writes one absolute time (7 octets); `raw`, when present, is written as is.
 *
 * @param w the writer
 * @param s the time stamp
 * @param field the spec field name for errors
 * @throws {EncodeError} when a field is outside its semi-octet range
 */
export function writeScts(w: ByteWriter, s: Scts, field: string): void {
  if (s.raw !== undefined) {
    if (s.raw.length !== TP_SCTS_OCTETS) {
      throw new EncodeError(`Cannot encode ${field}: raw has ${s.raw.length} octets, not 7`, {
        protocol: TPDU_PROTOCOL,
        field,
      });
    }
    w.bytes(s.raw);
    return;
  }
  w.bytes(canonical(s, field));
}

/**
 * Decodes a 7-octet TP-SCTS at `offset`.
 *
 * @param bytes the input
 * @param offset where the time stamp starts
 * @returns the time stamp and the offset after it
 * @throws {DecodeError} when fewer than 7 octets remain
 */
export function decodeScts(bytes: Uint8Array, offset = 0): [Scts, number] {
  const r = new ByteReader(bytes, TPDU_PROTOCOL, offset);
  const v = readScts(r, "TP-SCTS");
  return [v, r.offset];
}

/**
 * Encodes a TP-SCTS as 7 octets.
 *
 * @param s the time stamp
 * @returns 7 octets
 * @throws {EncodeError} when a field is outside its range
 */
export function encodeScts(s: Scts): Uint8Array {
  const w = new ByteWriter(TPDU_PROTOCOL, TP_SCTS_OCTETS);
  writeScts(w, s, "TP-SCTS");
  return w.finish();
}

/**
 * Builds the time stamp of an instant as seen in a time zone. Pure: the
 * instant is a parameter, never the clock.
 *
 * @param epochMs milliseconds since 1970-01-01T00:00:00Z
 * @param tzQuarterHours local offset from GMT in quarters of an hour (-79..79)
 * @returns the fields of the local time; the year is kept modulo 100
 * @throws {EncodeError} when the offset is outside -79..79 or the instant is not finite
 */
export function sctsFromEpochMs(epochMs: number, tzQuarterHours = 0): Scts {
  if (
    !Number.isFinite(epochMs) || !Number.isInteger(tzQuarterHours) || Math.abs(tzQuarterHours) > 79
  ) {
    throw new EncodeError(
      `Cannot build TP-SCTS: instant ${epochMs} or zone ${tzQuarterHours} out of range`,
      {
        protocol: TPDU_PROTOCOL,
        field: "TP-SCTS",
      },
    );
  }
  const d = new Date(epochMs + tzQuarterHours * 15 * 60_000);
  return {
    year: d.getUTCFullYear() % 100,
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    tzQuarterHours,
  };
}

/**
 * Formats a time stamp as ISO 8601 text for display, reading the year as 20YY.
 *
 * @param s the time stamp
 * @returns e.g. `"2024-03-01T12:00:05+01:00"`
 */
export function formatScts(s: Scts): string {
  const p = (n: number) => String(n).padStart(2, "0");
  const q = Math.abs(s.tzQuarterHours);
  const sign = s.tzQuarterHours < 0 ? "-" : "+";
  return `20${p(s.year)}-${p(s.month)}-${p(s.day)}T${p(s.hour)}:${p(s.minute)}:${p(s.second)}` +
    `${sign}${p(Math.floor(q / 4))}:${p((q % 4) * 15)}`;
}

/**
 * Converts a time stamp to epoch milliseconds, reading the year as 20YY.
 *
 * @param s the time stamp
 * @returns milliseconds since 1970-01-01T00:00:00Z (out-of-range fields roll over as in `Date.UTC`)
 */
export function sctsToEpochMs(s: Scts): number {
  return Date.UTC(2000 + s.year, s.month - 1, s.day, s.hour, s.minute, s.second) -
    s.tzQuarterHours * 15 * 60_000;
}
