/**
 * Response bodies (docs/socket-protocol.md §4). Every body starts with a
 * result octet whose values are given per type in `RESULT_CODES`. Private to
 * codec/frame.
 *
 * @module
 */

import type { ByteReader, ByteWriter } from "../../lib/bytes.ts";
import {
  EXTRA_INFO_BYTES_MAX,
  IMSI_DIGITS_MAX,
  IMSI_DIGITS_MIN,
  QUERY_STATE_CODE,
  REASON_TEXT_BYTES_MAX,
  STATUS_ENTRIES_MAX,
  STATUS_KEY_BYTES_MAX,
} from "./constants.ts";
import {
  encodeError,
  PRINTABLE,
  readBytes,
  readFailure,
  readIndex,
  readReason,
  readText,
  writeBytes,
  writeFailure,
  writeIndex,
  writeReason,
  writeText,
} from "./_fields.ts";
import type { MessageInfo, MessageType, Response, StatusEntry } from "./types.ts";

/** The result octet of each response type, by result name (§4). STATUS has none. */
export const RESULT_CODES = {
  SUBMIT: { ok: 0, rejected: 1 },
  CANCEL: { ok: 0, "not-found": 1, historical: 2 },
  CHANGE_SRR: { ok: 0, "not-found": 1, historical: 2 },
  STATUS: {},
  QUERY: { ok: 0, "not-found": 1 },
  REPLACE: { ok: 0, "not-found": 1, historical: 2, "in-transit": 3, mismatch: 4 },
  RH_REGISTER: { ok: 0, refused: 1 },
  RH_SERVICE_STATE: { ok: 0, refused: 1 },
  MT_FIND_IMSI: { ok: 0, temporary: 1, permanent: 2 },
  MT_TRANSFER: { ok: 0, refused: 1 },
  MT_CANCEL: { ok: 0, "not-held": 1 },
  MT_DISCHARGE: { ok: 0, unknown: 1 },
  DELIVER_TO_PEER: { ok: 0, temporary: 1, permanent: 2 },
} as const satisfies Record<MessageType, Record<string, number>>;

const IMSI = { min: IMSI_DIGITS_MIN, max: IMSI_DIGITS_MAX, pattern: /^[0-9]+$/ };
const STATUS_KEY = { min: 1, max: STATUS_KEY_BYTES_MAX, pattern: /^[A-Za-z0-9._:-]+$/ };
const STATUS_VALUE = { min: 0, max: REASON_TEXT_BYTES_MAX, pattern: PRINTABLE };

function writeStatus(w: ByteWriter, entries: StatusEntry[]): void {
  if (!Array.isArray(entries) || entries.length > STATUS_ENTRIES_MAX) {
    throw encodeError("status entries", `count ${entries?.length} exceeds ${STATUS_ENTRIES_MAX}`);
  }
  w.u8(entries.length, "status entries");
  for (const e of entries) {
    writeText(w, e.key, "status key", STATUS_KEY);
    writeText(w, e.value, "status value", STATUS_VALUE);
  }
}

function readStatus(r: ByteReader): StatusEntry[] {
  const count = r.u8("status entries");
  const entries: StatusEntry[] = [];
  for (let i = 0; i < count; i++) {
    const key = readText(r, "status key", STATUS_KEY);
    entries.push({ key, value: readText(r, "status value", STATUS_VALUE) });
  }
  return entries;
}

const STATE_BY_CODE = new Map<number, MessageInfo["state"]>(
  Object.entries(QUERY_STATE_CODE).map(([name, code]) => [code, name as MessageInfo["state"]]),
);

/** Writes what QUERY found (§4.11): index, state, disposition, DCS, attempts, cause, three times. */
function writeInfo(w: ByteWriter, info: MessageInfo): void {
  const state = QUERY_STATE_CODE[info.state];
  if (state === undefined) {
    throw encodeError("state", `value ${JSON.stringify(info.state)} is unknown`);
  }
  writeIndex(w, info.index);
  w.u8(state, "state").u8(info.disposition, "disposition").u8(info.dcs, "DCS");
  w.u8(info.attempts, "attempts").u32(info.cause, "cause");
  writeIndex(w, info.entryTimeMs, "entry time");
  writeIndex(w, info.dischargeTimeMs, "discharge time");
  writeIndex(w, info.expiryTimeMs, "expiry time");
}

function readInfo(r: ByteReader): MessageInfo {
  const index = readIndex(r);
  const code = r.u8("state");
  const state = STATE_BY_CODE.get(code);
  if (state === undefined) throw r.error("state", `Cannot decode state: value ${code} is unknown`);
  return {
    index,
    state,
    disposition: r.u8("disposition"),
    dcs: r.u8("DCS"),
    attempts: r.u8("attempts"),
    cause: r.u32("cause"),
    entryTimeMs: readIndex(r, "entry time"),
    dischargeTimeMs: readIndex(r, "discharge time"),
    expiryTimeMs: readIndex(r, "expiry time"),
  };
}

/** Types whose `ok` answer carries the record index. */
const OK_WITH_INDEX: ReadonlySet<MessageType> = new Set([
  "SUBMIT",
  "CANCEL",
  "CHANGE_SRR",
  "REPLACE",
]);

function resultCode(response: Response): number {
  const table = RESULT_CODES[response.type] as Record<string, number> | undefined;
  const code = table && "result" in response ? table[response.result] : undefined;
  if (code === undefined) {
    throw encodeError("result", `value ${JSON.stringify(response)} is unknown for its type`);
  }
  return code;
}

/**
 * Writes the body of `response`.
 *
 * @throws {EncodeError} on a value the wire cannot carry
 */
export function writeResponseBody(w: ByteWriter, response: Response): void {
  if (response.type === "STATUS") return writeStatus(w, response.entries);
  w.u8(resultCode(response), "result");
  const v = response as Response & Record<string, unknown>;
  switch (response.result) {
    case "ok":
      if (OK_WITH_INDEX.has(v.type)) writeIndex(w, v.index as number);
      else if (response.type === "QUERY") writeInfo(w, response);
      else if (v.type === "MT_FIND_IMSI") writeText(w, v.imsi as string, "IMSI", IMSI);
      else if (v.type === "DELIVER_TO_PEER") {
        writeBytes(w, v.extraInfo as Uint8Array, "extra info", EXTRA_INFO_BYTES_MAX);
      }
      return;
    case "historical":
      writeIndex(w, response.index);
      w.u8(response.disposition, "disposition");
      return;
    case "rejected":
    case "refused":
      writeReason(w, response.reason);
      return;
    case "temporary":
    case "permanent":
      writeFailure(w, response);
      return;
  }
}

const NAMES_BY_CODE = new Map<MessageType, Map<number, string>>(
  Object.entries(RESULT_CODES).map(([type, table]) => [
    type as MessageType,
    new Map(Object.entries(table).map(([name, code]) => [code as number, name])),
  ]),
);

/**
 * Reads the body of a response of `type`.
 *
 * @throws {DecodeError} on a malformed body
 */
export function readResponseBody(r: ByteReader, type: MessageType): Response {
  if (type === "STATUS") return { type, entries: readStatus(r) };
  const code = r.u8("result");
  const result = NAMES_BY_CODE.get(type)!.get(code);
  if (result === undefined) {
    throw r.error("result", `Cannot decode result: value ${code} is unknown for ${type}`);
  }
  const base = { type, result } as Record<string, unknown>;
  switch (result) {
    case "ok":
      if (OK_WITH_INDEX.has(type)) base.index = readIndex(r);
      else if (type === "QUERY") Object.assign(base, readInfo(r));
      else if (type === "MT_FIND_IMSI") base.imsi = readText(r, "IMSI", IMSI);
      else if (type === "DELIVER_TO_PEER") {
        base.extraInfo = readBytes(r, "extra info", EXTRA_INFO_BYTES_MAX);
      }
      break;
    case "historical":
      base.index = readIndex(r);
      base.disposition = r.u8("disposition");
      break;
    case "rejected":
    case "refused":
      base.reason = readReason(r);
      break;
    case "temporary":
    case "permanent":
      Object.assign(base, readFailure(r));
      break;
  }
  return base as Response;
}
