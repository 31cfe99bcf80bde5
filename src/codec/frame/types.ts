/**
 * The typed values of the local socket protocol (docs/socket-protocol.md §4).
 * Message type names are the seed's (§2.5) without the `SMSC_` prefixes.
 *
 * @module
 */

import type { Reason } from "./reasons.ts";

/** A message type name. */
export type MessageType =
  | "SUBMIT"
  | "CANCEL"
  | "CHANGE_SRR"
  | "STATUS"
  | "QUERY"
  | "REPLACE"
  | "RH_REGISTER"
  | "RH_SERVICE_STATE"
  | "MT_FIND_IMSI"
  | "MT_TRANSFER"
  | "MT_CANCEL"
  | "MT_DISCHARGE"
  | "DELIVER_TO_PEER";

/** Which side sends the requests of a message type. */
export type Side = "client" | "core";

/** A role handler role (seed §2.5.2.1). */
export type Role = "imsi-lookup" | "gsm-mt" | "peer";

/** An SM address as the PMS record holds it (§4.2). */
export interface SmAddress {
  /** Type of number, 0-7 (TS 23.040 §9.1.2.5); 5 is alphanumeric. */
  ton: number;
  /** Numbering plan identification, 0-15. */
  npi: number;
  /** Digits `0-9 * # a b c` (1-20), or for TON 5 printable ASCII text (1-11). */
  value: string;
}

/** How CANCEL, CHANGE_SRR and QUERY name their SM (seed §2.5.1.2). */
export type Target =
  | { by: "index"; index: number }
  | { by: "oa-da-mr"; oa: SmAddress; da: SmAddress; mr: number };

/** One STATUS counter. */
export interface StatusEntry {
  /** Name: `a-z 0-9 . _ -`, 1-64 bytes. */
  key: string;
  /** Value as printable ASCII text, at most 255 bytes. */
  value: string;
}

/** A role claim: the role, and for `peer` the peer name ("" is the upstream). */
export interface RoleClaim {
  role: Role;
  /** Peer name for role `peer` ("" = upstream); always "" for the other roles. */
  peer: string;
}

/** Requests, by type (§4). */
export type Request =
  | { type: "SUBMIT"; skipRouting: boolean; record: Uint8Array }
  | { type: "CANCEL"; target: Target }
  | { type: "CHANGE_SRR"; target: Target; srr: boolean }
  | { type: "STATUS" }
  | { type: "QUERY"; target: Target }
  | {
    type: "REPLACE";
    index: number;
    /** The replacement as the submitter built it; core takes the text, SRR and validity from it. */
    record: Uint8Array;
  }
  | { type: "RH_REGISTER"; role: Role; peer: string }
  | { type: "RH_SERVICE_STATE"; up: boolean; claim: RoleClaim | "all" }
  | { type: "MT_FIND_IMSI"; msisdn: string }
  | { type: "MT_TRANSFER"; index: number; record: Uint8Array }
  | { type: "MT_CANCEL"; index: number }
  | {
    type: "MT_DISCHARGE";
    index: number;
    /** Disposition code as the PMS record defines it (codec/pms). */
    disposition: number;
    /** Protocol cause of the outcome (RP cause, SIP status …), 0 if none. */
    cause: number;
    /** Destination extra info for the record, at most 64 bytes. */
    extraInfo: Uint8Array;
  }
  | { type: "DELIVER_TO_PEER"; index: number; record: Uint8Array };

/**
 * A failure reported by a role handler (§4.1): the cause from the far side's
 * own protocol (SMPP command_status, GSUP cause, SIP status, RP cause; 0 if
 * none) and a short printable ASCII text.
 */
export interface Failure {
  /** Protocol cause, u32. */
  cause: number;
  /** Short printable ASCII text, at most 255 bytes. */
  text: string;
}

/** The outcome of CANCEL and CHANGE_SRR (§4.2), and of REPLACE but for its own refusals (§4.12). */
export type TargetResult =
  | { result: "ok"; index: number }
  | { result: "not-found" }
  | { result: "historical"; index: number; disposition: number };

/** What QUERY tells about a message it found (§4.11). */
export interface MessageInfo {
  /** The record index (message id). */
  index: number;
  /** Active: core still acts on it. Historical: discharged, final. */
  state: "active" | "historical";
  /** Disposition code as the PMS record defines it (codec/pms); 0 while active. */
  disposition: number;
  /** TP-DCS of the stored text (TS 23.038 §4), so a replacement can keep it. */
  dcs: number;
  /** Delivery attempts so far (saturating at 255). */
  attempts: number;
  /** Cause of the last failure or of the discharge, 0 if none; its space follows the destination. */
  cause: number;
  /** When core accepted it, ms since the epoch. */
  entryTimeMs: number;
  /** When it was discharged, ms since the epoch; 0 while active. */
  dischargeTimeMs: number;
  /** When core gives up delivering it, ms since the epoch. */
  expiryTimeMs: number;
}

/** Responses, by type (§4). */
export type Response =
  | { type: "SUBMIT"; result: "ok"; index: number }
  | { type: "SUBMIT"; result: "rejected"; reason: Reason }
  | ({ type: "CANCEL" } & TargetResult)
  | ({ type: "CHANGE_SRR" } & TargetResult)
  | { type: "STATUS"; entries: StatusEntry[] }
  | ({ type: "QUERY"; result: "ok" } & MessageInfo)
  | { type: "QUERY"; result: "not-found" }
  | ({ type: "REPLACE" } & TargetResult)
  | { type: "REPLACE"; result: "in-transit" | "mismatch" }
  | { type: "RH_REGISTER"; result: "ok" }
  | { type: "RH_REGISTER"; result: "refused"; reason: Reason }
  | { type: "RH_SERVICE_STATE"; result: "ok" }
  | { type: "RH_SERVICE_STATE"; result: "refused"; reason: Reason }
  | { type: "MT_FIND_IMSI"; result: "ok"; imsi: string }
  | ({ type: "MT_FIND_IMSI"; result: "temporary" | "permanent" } & Failure)
  | { type: "MT_TRANSFER"; result: "ok" }
  | { type: "MT_TRANSFER"; result: "refused"; reason: Reason }
  | { type: "MT_CANCEL"; result: "ok" | "not-held" }
  | { type: "MT_DISCHARGE"; result: "ok" | "unknown" }
  | { type: "DELIVER_TO_PEER"; result: "ok"; extraInfo: Uint8Array }
  | ({ type: "DELIVER_TO_PEER"; result: "temporary" | "permanent" } & Failure);

/** A request frame: the originator's transaction id and the request. */
export interface RequestFrame {
  kind: "request";
  /** Transaction id, 0-2^32-1, numbered by the side that sends the request. */
  transactionId: number;
  request: Request;
}

/** A response frame: the transaction id of the request it answers. */
export interface ResponseFrame {
  kind: "response";
  transactionId: number;
  response: Response;
}

/** Any frame. */
export type Frame = RequestFrame | ResponseFrame;

/** The response type that answers a request of type `T`. */
export type ResponseOf<T extends MessageType> = Extract<Response, { type: T }>;
/** The request of type `T`. */
export type RequestOf<T extends MessageType> = Extract<Request, { type: T }>;
