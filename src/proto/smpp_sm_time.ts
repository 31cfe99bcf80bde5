/**
 * SMPP 3.4 time formats (§7.1.1) and the dates of the delivery receipt text
 * (Appendix B), to and from ms since the epoch.
 *
 * - Absolute `YYMMDDhhmmsstnnp`: local time with tenths `t`, and `nn` quarter
 *   hours between that local time and UTC, `p` "+" when local time is ahead
 *   of UTC and "-" when behind. YY is read as 20YY.
 * - Relative `YYMMDDhhmmss000R`: a period; we count a year as 365 days and a
 *   month as 30 days (the spec gives no rule), days, hours, minutes and
 *   seconds as themselves.
 * - Receipt dates `YYMMDDhhmm` (some SMSCs add `ss`): no zone is given; we
 *   write and read them as UTC.
 *
 * @module
 */

import { SMPP_STATUS as S } from "../codec/smpp/mod.ts";
import { reject, type SmppReject } from "./smpp_sm_types.ts";

/** Longest validity period we pass on: the largest signed 32-bit number of seconds. */
export const VALIDITY_S_MAX = 2 ** 31 - 1;

const ABSOLUTE = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d)(\d\d)([+-])$/;
const RELATIVE = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)000R$/;
const DAY_S = 86400;
/** §7.1.1: nn is "00-48", the quarter hours between local time and UTC. */
const QUARTER_HOURS_MAX = 48;

function pad2(v: number): string {
  return String(v).padStart(2, "0");
}

/** Ms since the epoch of a UTC calendar time, or undefined when a field is out of range. */
function utcMs(y: number, mo: number, d: number, h: number, mi: number, s: number) {
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59 || d < 1) return undefined;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d > daysInMonth) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

/**
 * Reads an absolute time (§7.1.1.1) as ms since the epoch.
 *
 * @param s the time string, 16 characters
 * @returns ms since the epoch, or undefined when malformed
 */
export function parseSmppAbsoluteTime(s: string): number | undefined {
  const m = ABSOLUTE.exec(s);
  if (m === null) return undefined;
  const n = m.slice(1, 9).map(Number);
  const local = utcMs(2000 + n[0], n[1], n[2], n[3], n[4], n[5]);
  if (local === undefined || n[7] > QUARTER_HOURS_MAX) return undefined;
  // "+": local time is ahead of UTC, so UTC is local time minus the offset.
  const offsetMs = n[7] * 15 * 60_000 * (m[9] === "+" ? 1 : -1);
  return local + n[6] * 100 - offsetMs;
}

/**
 * Reads a relative time (§7.1.1.2) as seconds.
 *
 * @param s the time string, 16 characters ending in "000R"
 * @returns seconds, or undefined when malformed
 */
export function parseSmppRelativeTime(s: string): number | undefined {
  const m = RELATIVE.exec(s);
  if (m === null) return undefined;
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number);
  return ((y * 365 + mo * 30 + d) * DAY_S) + h * 3600 + mi * 60 + sec;
}

/**
 * Maps validity_period (§5.2.15) to the record's relative validity in seconds.
 *
 * @param s validity_period as received ("" when not given)
 * @param nowMs now, ms since the epoch, the origin of an absolute time
 * @returns `{ ok, validityS }` with 0 for "not given" and otherwise 1 to 2^31-1
 *   (longer periods are capped), or ESME_RINVEXPIRY when malformed, zero or past
 */
export function validityIn(
  s: string,
  nowMs: number,
): { ok: true; validityS: number } | SmppReject {
  if (s === "") return { ok: true, validityS: 0 };
  let seconds: number | undefined;
  if (s.endsWith("R")) {
    seconds = parseSmppRelativeTime(s);
  } else {
    const at = parseSmppAbsoluteTime(s);
    if (at !== undefined) seconds = Math.ceil((at - nowMs) / 1000);
  }
  if (seconds === undefined) {
    return reject(S.ESME_RINVEXPIRY, "validity_period is not an SMPP 3.4 §7.1.1 time");
  }
  if (seconds < 1) return reject(S.ESME_RINVEXPIRY, "validity_period is not in the future");
  return { ok: true, validityS: Math.min(seconds, VALIDITY_S_MAX) };
}

/**
 * Writes an absolute time in UTC: `YYMMDDhhmmss000+` (§7.1.1.1, tenths 0,
 * offset 00). The codec adds the terminating NUL.
 *
 * @param ms ms since the epoch, years 2000-2099
 * @returns 16 characters
 */
export function smppAbsoluteTime(ms: number): string {
  const d = new Date(ms);
  return `${pad2(d.getUTCFullYear() % 100)}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}` +
    `${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}${pad2(d.getUTCSeconds())}000+`;
}

/**
 * Writes a receipt date `YYMMDDhhmm` in UTC (Appendix B).
 *
 * @param ms ms since the epoch
 * @returns 10 digits
 */
export function receiptDate(ms: number): string {
  return smppAbsoluteTime(ms).slice(0, 10);
}

/**
 * Reads a receipt date, `YYMMDDhhmm` or `YYMMDDhhmmss`, as UTC.
 *
 * @param s the date as sent
 * @returns ms since the epoch, or undefined when malformed
 */
export function parseReceiptDate(s: string): number | undefined {
  if (!/^\d{10}(\d\d)?$/.test(s)) return undefined;
  const n = (s.match(/\d\d/g) ?? []).map(Number);
  return utcMs(2000 + n[0], n[1], n[2], n[3], n[4], n[5] ?? 0);
}
