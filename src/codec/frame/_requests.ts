/**
 * Request bodies (docs/socket-protocol.md §4). Private to codec/frame.
 *
 * @module
 */

import type { ByteReader, ByteWriter } from "../../lib/bytes.ts";
import {
  EXTRA_INFO_BYTES_MAX,
  MSISDN_DIGITS_MAX,
  MSISDN_DIGITS_MIN,
  PEER_NAME_BYTES_MAX,
  ROLE_CODE,
  ROLE_CODE_ALL,
  SUBMIT_FLAG_SKIP_ROUTING,
} from "./constants.ts";
import {
  encodeError,
  readBool,
  readBytes,
  readIndex,
  readRecord,
  readTarget,
  readText,
  writeBool,
  writeBytes,
  writeIndex,
  writeRecord,
  writeTarget,
  writeText,
} from "./_fields.ts";
import type { MessageType, Request, Role, RoleClaim } from "./types.ts";

/** Peer names: letters, digits, dot, underscore, hyphen; "" is the upstream. */
const PEER_NAME = { min: 0, max: PEER_NAME_BYTES_MAX, pattern: /^[A-Za-z0-9._-]*$/ };
/** MSISDNs as core routes them: digits only, international or local form. */
export const MSISDN = { min: MSISDN_DIGITS_MIN, max: MSISDN_DIGITS_MAX, pattern: /^[0-9]+$/ };

const ROLE_BY_CODE = new Map<number, Role>(
  Object.entries(ROLE_CODE).map(([name, code]) => [code, name as Role]),
);

function writeClaim(w: ByteWriter, role: Role, peer: string): void {
  const code = ROLE_CODE[role];
  if (code === undefined) throw encodeError("role", `value ${JSON.stringify(role)} is unknown`);
  if (role !== "peer" && peer !== "") {
    throw encodeError(
      "peer name",
      `role ${role} takes no peer name but got ${JSON.stringify(peer)}`,
    );
  }
  w.u8(code, "role");
  writeText(w, peer, "peer name", PEER_NAME);
}

function readClaim(r: ByteReader, allowAll: boolean): RoleClaim | "all" {
  const code = r.u8("role");
  const role = ROLE_BY_CODE.get(code);
  if (role === undefined && !(allowAll && code === ROLE_CODE_ALL)) {
    throw r.error("role", `Cannot decode role: value ${code} is unknown`);
  }
  const peer = readText(r, "peer name", PEER_NAME);
  if (role !== "peer" && peer !== "") {
    throw r.error("peer name", `Cannot decode peer name: role code ${code} takes no peer name`);
  }
  return role === undefined ? "all" : { role, peer };
}

/**
 * Writes the body of `request`.
 *
 * @throws {EncodeError} on a value the wire cannot carry
 */
export function writeRequestBody(w: ByteWriter, request: Request): void {
  switch (request.type) {
    case "SUBMIT":
      w.u8(request.skipRouting ? SUBMIT_FLAG_SKIP_ROUTING : 0, "submit flags");
      writeRecord(w, request.record);
      return;
    case "CANCEL":
      writeTarget(w, request.target);
      return;
    case "CHANGE_SRR":
      writeTarget(w, request.target);
      writeBool(w, request.srr, "SRR");
      return;
    case "STATUS":
      return;
    case "QUERY":
      writeTarget(w, request.target);
      return;
    case "RH_REGISTER":
      writeClaim(w, request.role, request.peer);
      return;
    case "RH_SERVICE_STATE":
      writeBool(w, request.up, "service state");
      if (request.claim === "all") {
        w.u8(ROLE_CODE_ALL, "role");
        writeText(w, "", "peer name", PEER_NAME);
      } else writeClaim(w, request.claim.role, request.claim.peer);
      return;
    case "MT_FIND_IMSI":
      writeText(w, request.msisdn, "MSISDN", MSISDN);
      return;
    case "MT_TRANSFER":
    case "DELIVER_TO_PEER":
    case "REPLACE":
      writeIndex(w, request.index);
      writeRecord(w, request.record);
      return;
    case "MT_CANCEL":
      writeIndex(w, request.index);
      return;
    case "MT_DISCHARGE":
      writeIndex(w, request.index);
      w.u8(request.disposition, "disposition");
      w.u32(request.cause, "cause");
      writeBytes(w, request.extraInfo, "extra info", EXTRA_INFO_BYTES_MAX);
      return;
  }
  throw encodeError(
    "message type",
    `value ${JSON.stringify((request as Request).type)} is unknown`,
  );
}

/**
 * Reads the body of a request of `type`.
 *
 * @throws {DecodeError} on a malformed body
 */
export function readRequestBody(r: ByteReader, type: MessageType): Request {
  switch (type) {
    case "SUBMIT": {
      const flags = r.u8("submit flags");
      if ((flags & ~SUBMIT_FLAG_SKIP_ROUTING) !== 0) {
        throw r.error(
          "submit flags",
          `Cannot decode submit flags: spare bits set in 0x${flags.toString(16)}`,
        );
      }
      return { type, skipRouting: flags === SUBMIT_FLAG_SKIP_ROUTING, record: readRecord(r) };
    }
    case "CANCEL":
      return { type, target: readTarget(r) };
    case "CHANGE_SRR":
      return { type, target: readTarget(r), srr: readBool(r, "SRR") };
    case "STATUS":
      return { type };
    case "QUERY":
      return { type, target: readTarget(r) };
    case "RH_REGISTER": {
      const claim = readClaim(r, false) as RoleClaim;
      return { type, role: claim.role, peer: claim.peer };
    }
    case "RH_SERVICE_STATE": {
      const up = readBool(r, "service state");
      return { type, up, claim: readClaim(r, true) };
    }
    case "MT_FIND_IMSI":
      return { type, msisdn: readText(r, "MSISDN", MSISDN) };
    case "MT_TRANSFER":
    case "DELIVER_TO_PEER":
    case "REPLACE":
      return { type, index: readIndex(r), record: readRecord(r) };
    case "MT_CANCEL":
      return { type, index: readIndex(r) };
    case "MT_DISCHARGE": {
      const index = readIndex(r);
      const disposition = r.u8("disposition");
      const cause = r.u32("cause");
      return {
        type,
        index,
        disposition,
        cause,
        extraInfo: readBytes(r, "extra info", EXTRA_INFO_BYTES_MAX),
      };
    }
  }
}
