/**
 * The shared types of the SMPP <-> PMS record mapping (`smpp_sm.ts`).
 *
 * @module
 */

import type { PmsRecord } from "../codec/pms/mod.ts";
import type { SmppFields, SmppTlv } from "../codec/smpp/mod.ts";

/** What the caller of `smppToRecords` knows that the PDU does not say. */
export interface InCtx {
  /** Where the PDU came from: a downstream ESME (downlink) or the upstream SMSC (uplink). */
  sourceClass: "downstream" | "upstream";
  /** Peer name for the record's `sourcePeer` ("" for the upstream). */
  sourcePeer: string;
  /** 8-bit reference (0-255) of the concatenation IE when a long message is segmented. */
  concatRef: number;
  /** Base TP-MR (0-255) when the PDU has no user_message_reference. */
  mr: number;
  /** Now, ms since the epoch: the origin of an absolute validity_period. */
  nowMs: number;
  /** submit_multi: the one destination to build records for, instead of the PDU's. */
  dest?: { ton: number; npi: number; addr: string };
  /** Treat reserved data_coding values 0x0F-0xBF as the TP-DCS of the same value. */
  reservedAsTpDcs?: boolean;
}

/** A refusal: the SMPP 3.4 §5.1.3 command_status to answer with and one short line. */
export interface SmppReject {
  ok: false;
  commandStatus: number;
  reason: string;
}

/** Result of `smppToRecords`. */
export type InResult = { ok: true; records: PmsRecord[] } | SmppReject;

/** Result of `recordToSmpp`: the mandatory parameters and TLVs of the PDU to send. */
export type OutResult = { ok: true; fields: SmppFields; tlvs: SmppTlv[] } | {
  ok: false;
  reason: string;
};

/**
 * Builds a refusal.
 *
 * @param commandStatus SMPP 3.4 §5.1.3 value
 * @param reason one short line
 * @returns the refusal
 */
export function reject(commandStatus: number, reason: string): SmppReject {
  return { ok: false, commandStatus, reason };
}
