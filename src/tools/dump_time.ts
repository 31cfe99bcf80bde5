/**
 * The TIME arguments of `smsc dump --from/--until`: ISO 8601 forms and
 * `@<unix seconds>`. A time without an offset is read as UTC, never in the
 * machine's local zone, so that the same command line selects the same
 * records on every host and in every test (docs/dump.md "Times").
 *
 * @module
 */

import { UsageError } from "../lib/errors.ts";

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const UNIX = /^@(\d{1,15})(?:\.(\d{1,3}))?$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Parses a TIME argument into milliseconds since the epoch. Accepted forms:
 * `2026-11-23T10:00:00Z`, `2026-11-23T10:00:00.250+01:00`, `2026-11-23 10:00`,
 * `2026-11-23` (midnight) and `@1795428000` (unix seconds, optionally with up
 * to three decimals). Without `Z` or an offset the time is UTC.
 *
 * @param text the argument as given
 * @param option the option name, for the error message
 * @returns ms since 1970-01-01T00:00:00Z
 * @throws {UsageError} when the text is none of the forms, or a field is out of range
 */
export function parseDumpTime(text: string, option = "--from"): number {
  const bad = (why: string) =>
    new UsageError(
      `${option} "${text}": ${why}; use 2026-11-23T10:00:00Z, 2026-11-23 10:00, 2026-11-23 or @SECONDS`,
    );
  const unix = UNIX.exec(text.trim());
  if (unix !== null) {
    return Number(unix[1]) * 1000 + Number((unix[2] ?? "").padEnd(3, "0"));
  }
  const m = ISO.exec(text.trim());
  if (m === null) throw bad("not a time");
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  const ms = Number((m[7] ?? "").padEnd(3, "0"));
  // Date.UTC maps years 0-99 to 1900-1999, and no record predates the epoch.
  if (year < 1970) throw bad(`year ${year} is before 1970`);
  if (month < 1 || month > 12) throw bad(`month ${month} is outside 1-12`);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysMax = month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1];
  if (day < 1 || day > daysMax) throw bad(`day ${day} is outside 1-${daysMax}`);
  if (hour > 23 || minute > 59 || second > 59) throw bad("the time of day is out of range");
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  return utc - offsetMs(m[8], bad);
}

/** The offset of a `Z`, `±HH`, `±HHMM` or `±HH:MM` suffix, in ms; 0 when absent. */
function offsetMs(suffix: string | undefined, bad: (why: string) => UsageError): number {
  if (suffix === undefined || suffix.toUpperCase() === "Z") return 0;
  const sign = suffix[0] === "-" ? -1 : 1;
  const digits = suffix.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || "0");
  if (hours > 23 || minutes > 59) throw bad(`offset ${suffix} is out of range`);
  return sign * (hours * 60 + minutes) * 60_000;
}

/**
 * Formats ms since the epoch as the ISO 8601 UTC form dump prints, with
 * milliseconds: `2026-11-23T10:00:00.000Z`.
 *
 * @param ms ms since the epoch
 * @returns the text
 */
export function formatDumpTime(ms: number): string {
  return new Date(ms).toISOString();
}
