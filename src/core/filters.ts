/**
 * PID and DCS filters for messages from untrusted sources (seed 003 §2.4.3,
 * ARCHITECTURE §4): special TP-PID and TP-DCS values can set message-waiting
 * indicators, reach the SIM (OTA) or make a message silent, so a message from
 * a subscriber, a downstream peer or the outside world may only use the
 * values an operator allows. The recommended default allows TP-PID
 * 0x00-0x1F and TP-DCS 0x00 (GSM 7 bit) and 0x08 (UCS-2).
 *
 * @module
 */

import { ConfigError } from "../lib/errors.ts";

/** A set of octet values, 0-255. */
export type OctetSet = ReadonlySet<number>;

function octet(text: string, key: string): number {
  const t = text.trim();
  const n = /^0x[0-9a-f]{1,2}$/i.test(t)
    ? parseInt(t.slice(2), 16)
    : /^\d{1,3}$/.test(t)
    ? Number(t)
    : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 255) {
    throw new ConfigError(
      key,
      `Cannot load config: key "${key}" has "${t}", which is not an octet 0-255 or 0x00-0xff`,
    );
  }
  return n;
}

/**
 * Parses an allow list such as `"0x00-0x1f"` or `"0x00, 0x08, 0xf0-0xf3"`.
 *
 * @param text comma-separated octets and inclusive ranges, decimal or 0x hex
 * @param key the config key, for errors
 * @returns the set of allowed values
 * @throws {ConfigError} on anything that is not an octet or a range of octets
 */
export function parseOctetSet(text: string, key: string): OctetSet {
  const set = new Set<number>();
  for (const part of text.split(",")) {
    if (part.trim() === "") continue;
    const [lo, hi, extra] = part.split("-");
    if (extra !== undefined) {
      throw new ConfigError(
        key,
        `Cannot load config: key "${key}" has a bad range "${part.trim()}"`,
      );
    }
    const from = octet(lo, key);
    const to = hi === undefined ? from : octet(hi, key);
    if (to < from) {
      throw new ConfigError(
        key,
        `Cannot load config: key "${key}" has a reversed range "${part.trim()}"`,
      );
    }
    for (let v = from; v <= to; v++) set.add(v);
  }
  return set;
}

/** The outcome of the filter: ok, or which field was refused. */
export type FilterResult = { ok: true } | { ok: false; reason: "pid-filtered" | "dcs-filtered" };

/**
 * Checks a message's TP-PID and TP-DCS against the allow lists.
 *
 * @param pid TP-PID octet
 * @param dcs TP-DCS octet
 * @param allowed the allow lists from config
 * @returns ok, or the reason for refusal
 */
export function checkPidDcs(
  pid: number,
  dcs: number,
  allowed: { pid: OctetSet; dcs: OctetSet },
): FilterResult {
  if (!allowed.pid.has(pid)) return { ok: false, reason: "pid-filtered" };
  if (!allowed.dcs.has(dcs)) return { ok: false, reason: "dcs-filtered" };
  return { ok: true };
}
