/**
 * Reading and writing the mandatory parameters of a PDU body from the layout
 * table in `_params.ts`. Private to codec/smpp.
 *
 * @module
 */

import { type ByteReader, type ByteWriter, pooledCopy } from "../../lib/bytes.ts";
import { DecodeError, EncodeError } from "../../lib/errors.ts";
import { SMPP_STATUS as S } from "./command_status.ts";
import {
  SMPP_CSTRING_MAX_BYTES as MAX,
  SMPP_DEST_FLAG_DISTRIBUTION_LIST,
  SMPP_DEST_FLAG_SME_ADDRESS,
  SMPP_NUMBER_OF_DESTS_MAX,
  SMPP_SHORT_MESSAGE_MAX_BYTES,
} from "./constants.ts";
import type { ParamSpec } from "./_params.ts";

/** One destination of submit_multi (SMPP 3.4 §4.5.1.1). */
export type SmppDestAddress =
  | { dest_flag: 1; dest_addr_ton: number; dest_addr_npi: number; destination_addr: string }
  | { dest_flag: 2; dl_name: string };

/** One failed destination of submit_multi_resp (SMPP 3.4 §4.5.2.1). */
export interface SmppUnsuccessSme {
  dest_addr_ton: number;
  dest_addr_npi: number;
  destination_addr: string;
  error_status_code: number;
}

/** A mandatory parameter value. */
export type SmppFieldValue = number | string | Uint8Array | SmppDestAddress[] | SmppUnsuccessSme[];

/** Reads a C-Octet String of at most `max` octets (NUL included) as one char per octet. */
export function readCString(r: ByteReader, name: string, max: number, code: number): string {
  const start = r.offset;
  let s = "";
  for (let i = 0; i < max; i++) {
    if (r.done) {
      throw r.error(name, `Cannot decode ${name}: body ends before its NUL`, S.ESME_RINVCMDLEN);
    }
    const b = r.u8(name);
    if (b === 0) return s;
    s += String.fromCharCode(b);
  }
  throw new DecodeError(`Cannot decode ${name}: no NUL within ${max} octets`, {
    protocol: r.protocol,
    field: name,
    offset: start,
    code,
  });
}

/** Writes a C-Octet String after checking it fits `max` octets with its NUL. */
export function writeCString(w: ByteWriter, name: string, value: unknown, max: number): void {
  if (typeof value !== "string") {
    throw new EncodeError(`Cannot encode ${name}: expected a string`, {
      protocol: "smpp",
      field: name,
    });
  }
  if (value.length + 1 > max) {
    throw new EncodeError(
      `Cannot encode ${name}: length ${value.length} exceeds ${max - 1} octets`,
      { protocol: "smpp", field: name },
    );
  }
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0 || c > 0xff) {
      throw new EncodeError(`Cannot encode ${name}: character ${i} is not a non-NUL octet`, {
        protocol: "smpp",
        field: name,
      });
    }
    w.u8(c, name);
  }
  w.u8(0, name);
}

function readShortMessage(r: ByteReader): Uint8Array {
  const at = r.offset;
  const length = r.u8("sm_length");
  if (length > SMPP_SHORT_MESSAGE_MAX_BYTES || length > r.remaining) {
    const limit = Math.min(SMPP_SHORT_MESSAGE_MAX_BYTES, r.remaining);
    throw new DecodeError(`Cannot decode sm_length: ${length} exceeds ${limit} octets`, {
      protocol: r.protocol,
      field: "sm_length",
      offset: at,
      code: S.ESME_RINVMSGLEN,
    });
  }
  return pooledCopy(r.view(length, "short_message"));
}

function readDestAddresses(r: ByteReader): SmppDestAddress[] {
  const count = r.u8("number_of_dests");
  if (count === 0 || count > SMPP_NUMBER_OF_DESTS_MAX) {
    throw r.error(
      "number_of_dests",
      `Cannot decode number_of_dests: ${count}`,
      S.ESME_RINVNUMDESTS,
    );
  }
  const out: SmppDestAddress[] = [];
  for (let i = 0; i < count; i++) {
    const flag = r.u8("dest_flag");
    if (flag === SMPP_DEST_FLAG_SME_ADDRESS) {
      const dest_addr_ton = r.u8("dest_addr_ton");
      const dest_addr_npi = r.u8("dest_addr_npi");
      const destination_addr = readCString(r, "destination_addr", MAX.address, S.ESME_RINVDSTADR);
      out.push({ dest_flag: 1, dest_addr_ton, dest_addr_npi, destination_addr });
    } else if (flag === SMPP_DEST_FLAG_DISTRIBUTION_LIST) {
      out.push({
        dest_flag: 2,
        dl_name: readCString(r, "dl_name", MAX.dl_name, S.ESME_RINVDLNAME),
      });
    } else {
      throw r.error(
        "dest_flag",
        `Cannot decode dest_flag: ${flag} is not 1 or 2`,
        S.ESME_RINVDESTFLAG,
      );
    }
  }
  return out;
}

function readUnsuccess(r: ByteReader): SmppUnsuccessSme[] {
  const count = r.u8("no_unsuccess");
  const out: SmppUnsuccessSme[] = [];
  for (let i = 0; i < count; i++) {
    const dest_addr_ton = r.u8("dest_addr_ton");
    const dest_addr_npi = r.u8("dest_addr_npi");
    const destination_addr = readCString(r, "destination_addr", MAX.address, S.ESME_RINVDSTADR);
    const error_status_code = r.u32("error_status_code");
    out.push({ dest_addr_ton, dest_addr_npi, destination_addr, error_status_code });
  }
  return out;
}

/** Reads one mandatory parameter. Running out of body is ESME_RINVCMDLEN. */
export function readParam(r: ByteReader, p: ParamSpec): SmppFieldValue {
  if (r.done) {
    throw r.error(p.name, `Cannot decode ${p.name}: body ends before it`, S.ESME_RINVCMDLEN);
  }
  switch (p.type) {
    case "u8":
      return r.u8(p.name);
    case "cstring":
      return readCString(r, p.name, p.max, p.code);
    case "short_message":
      return readShortMessage(r);
    case "dest_address":
      return readDestAddresses(r);
    case "unsuccess_sme":
      return readUnsuccess(r);
  }
}

function fail(name: string, message: string): never {
  throw new EncodeError(`Cannot encode ${name}: ${message}`, { protocol: "smpp", field: name });
}

/** Writes one mandatory parameter. */
export function writeParam(w: ByteWriter, p: ParamSpec, value: unknown): void {
  if (value === undefined) fail(p.name, "missing");
  switch (p.type) {
    case "u8":
      if (typeof value !== "number") fail(p.name, "expected a number");
      w.u8(value, p.name);
      return;
    case "cstring":
      return writeCString(w, p.name, value, p.max);
    case "short_message":
      if (!(value instanceof Uint8Array)) fail(p.name, "expected a Uint8Array");
      if (value.length > SMPP_SHORT_MESSAGE_MAX_BYTES) {
        fail(p.name, `${value.length} octets exceed 254`);
      }
      w.u8(value.length, "sm_length").bytes(value);
      return;
    case "dest_address":
      return writeDests(w, value);
    case "unsuccess_sme":
      return writeUnsuccess(w, value);
  }
}

function writeDests(w: ByteWriter, value: unknown): void {
  if (!Array.isArray(value)) fail("dest_address", "expected an array");
  if (value.length === 0 || value.length > SMPP_NUMBER_OF_DESTS_MAX) {
    fail("number_of_dests", `${value.length} is outside 1-${SMPP_NUMBER_OF_DESTS_MAX}`);
  }
  w.u8(value.length, "number_of_dests");
  for (const d of value as SmppDestAddress[]) {
    w.u8(d.dest_flag, "dest_flag");
    if (d.dest_flag === 1) {
      w.u8(d.dest_addr_ton, "dest_addr_ton").u8(d.dest_addr_npi, "dest_addr_npi");
      writeCString(w, "destination_addr", d.destination_addr, MAX.address);
    } else if (d.dest_flag === 2) {
      writeCString(w, "dl_name", d.dl_name, MAX.dl_name);
    } else {
      fail("dest_flag", "must be 1 or 2");
    }
  }
}

function writeUnsuccess(w: ByteWriter, value: unknown): void {
  if (!Array.isArray(value)) fail("unsuccess_sme", "expected an array");
  w.u8(value.length, "no_unsuccess");
  for (const u of value as SmppUnsuccessSme[]) {
    w.u8(u.dest_addr_ton, "dest_addr_ton").u8(u.dest_addr_npi, "dest_addr_npi");
    writeCString(w, "destination_addr", u.destination_addr, MAX.address);
    w.u32(u.error_status_code, "error_status_code");
  }
}
