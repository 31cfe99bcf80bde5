/**
 * The delivery receipt text of SMPP 3.4 Appendix B, and the message_state
 * values of §5.2.28.
 *
 * Appendix B is informative and SMSC vendors differ, so `parseReceiptText` is
 * tolerant: keys in any case, `submit_date`/`done_date` spellings, 10- or
 * 12-digit dates, ids in hex or decimal, missing or extra fields, and a `text:`
 * that runs to the end (it may be cut). `buildReceiptText` writes the common
 * form exactly.
 *
 * @module
 */

import { EncodeError } from "../../lib/errors.ts";

/** message_state values of SMPP 3.4 §5.2.28. */
export const MESSAGE_STATE = {
  ENROUTE: 1,
  DELIVERED: 2,
  EXPIRED: 3,
  DELETED: 4,
  UNDELIVERABLE: 5,
  ACCEPTED: 6,
  UNKNOWN: 7,
  REJECTED: 8,
} as const;

/** The 7-character `stat:` words of Appendix B, by message_state. */
export const RECEIPT_STAT_WORD: Readonly<Record<number, string>> = {
  1: "ENROUTE",
  2: "DELIVRD",
  3: "EXPIRED",
  4: "DELETED",
  5: "UNDELIV",
  6: "ACCEPTD",
  7: "UNKNOWN",
  8: "REJECTD",
};

const STATE_BY_WORD = new Map<string, number>([
  ...Object.entries(RECEIPT_STAT_WORD).map(([k, v]) => [v, Number(k)] as [string, number]),
  ...Object.entries(MESSAGE_STATE),
  ["DELIVERD", 2],
  ["UNDELIVERED", 5],
]);

/**
 * Names a message_state for logs.
 *
 * @param state message_state, §5.2.28
 * @returns e.g. `"DELIVERED"`, or `"reserved"`
 * @throws never
 */
export function messageStateName(state: number): string {
  const hit = Object.entries(MESSAGE_STATE).find(([, v]) => v === state);
  return hit ? hit[0] : "reserved";
}

/** The fields of a receipt text. */
export interface ReceiptText {
  /** Message id the SMSC returned in submit_sm_resp. */
  id: string;
  /** Number of short messages originally submitted (`sub:`). */
  sub?: string;
  /** Number of short messages delivered (`dlvrd:`). */
  dlvrd?: string;
  /** `submit date:` as sent, YYMMDDhhmm or YYMMDDhhmmss. */
  submitDate?: string;
  /** `done date:` as sent. */
  doneDate?: string;
  /** The `stat:` word as sent, e.g. `"DELIVRD"`. */
  stat?: string;
  /** message_state (§5.2.28) for the stat word, when known. */
  messageState?: number;
  /** `err:` as sent (network specific error code). */
  err?: string;
  /** `text:`: the start of the original message, possibly cut. */
  text?: string;
  /** Other `key:value` pairs, by lower-case key. */
  extra: Record<string, string>;
}

/** Input of `buildReceiptText`. */
export interface ReceiptTextInput {
  id: string;
  sub: number;
  dlvrd: number;
  /** YYMMDDhhmm. */
  submitDate: string;
  /** YYMMDDhhmm. */
  doneDate: string;
  /** message_state, §5.2.28. */
  messageState: number;
  err: number;
  /** First characters of the original message; cut to 20. */
  text: string;
}

function pad3(v: number, field: string): string {
  if (!Number.isInteger(v) || v < 0 || v > 999) {
    throw new EncodeError(`Cannot build receipt text: ${field} ${v} is outside 0-999`, {
      protocol: "smpp",
      field,
    });
  }
  return String(v).padStart(3, "0");
}

/**
 * Builds `id:… sub:… dlvrd:… submit date:… done date:… stat:… err:… text:…`
 * (SMPP 3.4 Appendix B).
 *
 * @param r the fields
 * @returns the receipt text (ASCII when the inputs are)
 * @throws {EncodeError} for counts outside 0-999, dates not of 10 digits, or an
 *   unknown message_state
 */
export function buildReceiptText(r: ReceiptTextInput): string {
  for (const [k, v] of [["submitDate", r.submitDate], ["doneDate", r.doneDate]]) {
    if (!/^\d{10}$/.test(v)) {
      throw new EncodeError(`Cannot build receipt text: ${k} "${v}" is not YYMMDDhhmm`, {
        protocol: "smpp",
        field: k,
      });
    }
  }
  const stat = RECEIPT_STAT_WORD[r.messageState];
  if (stat === undefined) {
    throw new EncodeError(`Cannot build receipt text: message_state ${r.messageState}`, {
      protocol: "smpp",
      field: "message_state",
    });
  }
  return `id:${r.id} sub:${pad3(r.sub, "sub")} dlvrd:${pad3(r.dlvrd, "dlvrd")} ` +
    `submit date:${r.submitDate} done date:${r.doneDate} stat:${stat} ` +
    `err:${pad3(r.err, "err")} text:${r.text.slice(0, 20)}`;
}

const KEY = /(?:^|\s)(id|sub|dlvrd|submit[ _]date|done[ _]date|stat|err|text|[a-z_]+):/gi;

/**
 * Parses a receipt text tolerantly. Accepts the text as a string or as the
 * short_message octets (read one char per octet).
 *
 * @param input receipt text or short_message
 * @returns the fields, or undefined when the text has no `id:` or no `stat:`
 * @throws never
 */
export function parseReceiptText(input: string | Uint8Array): ReceiptText | undefined {
  const text = typeof input === "string" ? input : String.fromCharCode(...input);
  const marks: { key: string; start: number; end: number }[] = [];
  for (const m of text.matchAll(KEY)) {
    const key = m[1].toLowerCase().replace(" ", "_");
    marks.push({ key, start: m.index!, end: m.index! + m[0].length });
    if (key === "text") break; // text runs to the end, colons and all
  }
  const values = new Map<string, string>();
  for (let i = 0; i < marks.length; i++) {
    const stop = i + 1 < marks.length ? marks[i + 1].start : text.length;
    const raw = text.slice(marks[i].end, stop);
    const value = marks[i].key === "text" ? raw : raw.trim();
    if (!values.has(marks[i].key)) values.set(marks[i].key, value);
  }
  const id = values.get("id");
  const stat = values.get("stat");
  if (id === undefined || stat === undefined) return undefined;
  const known = ["id", "sub", "dlvrd", "submit_date", "done_date", "stat", "err", "text"];
  const extra: Record<string, string> = {};
  for (const [k, v] of values) if (!known.includes(k)) extra[k] = v;
  const out: ReceiptText = { id, stat, extra };
  const set = (k: keyof ReceiptText, key: string) => {
    const v = values.get(key);
    if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  };
  set("sub", "sub");
  set("dlvrd", "dlvrd");
  set("submitDate", "submit_date");
  set("doneDate", "done_date");
  set("err", "err");
  set("text", "text");
  const state = STATE_BY_WORD.get(stat.toUpperCase());
  if (state !== undefined) out.messageState = state;
  return out;
}

/**
 * Compares two message ids as SMSCs write them: equal text (case ignored), or
 * the same number when one is decimal and the other hexadecimal (a known
 * mismatch between submit_sm_resp and receipt ids).
 *
 * @param a one id
 * @param b the other id
 * @returns whether they name the same message
 * @throws never
 */
export function sameMessageId(a: string, b: string): boolean {
  if (a.toLowerCase() === b.toLowerCase()) return true;
  const dec = (s: string) => /^\d{1,30}$/.test(s) ? BigInt(s) : undefined;
  const hex = (s: string) => /^[0-9a-f]{1,25}$/i.test(s) ? BigInt("0x" + s) : undefined;
  const pairs = [[dec(a), hex(b)], [hex(a), dec(b)], [dec(a), dec(b)], [hex(a), hex(b)]];
  return pairs.some(([x, y]) => x !== undefined && y !== undefined && x === y);
}
