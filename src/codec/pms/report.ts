/**
 * The payload of a report record (`flags` bit 5, docs/pms-format.md): the
 * TP-UD of a record that is a status report or a delivery receipt. Two kinds:
 *
 * - `status` (0x01): core's report about one of its own messages, sent back
 *   to the originator. The delivering transport renders it: gsmif as an
 *   SMS-STATUS-REPORT (TS 23.040 §9.2.2.3: TP-MR, TP-RA, TP-SCTS, TP-DT,
 *   TP-ST), downlink as a receipt `deliver_sm` (SMPP 3.4 Appendix B).
 * - `receipt` (0x02): a receipt a peer sent us about a message we forwarded
 *   to it, identified by the peer's message id; core matches it and answers
 *   the originator with a `status` report.
 *
 * Layout, big-endian, in the record's TP-UD with TP-DCS 0x04 (8-bit data):
 *
 * | offset | size | status (0x01)                     | receipt (0x02)            |
 * | ------ | ---- | --------------------------------- | ------------------------- |
 * | 0      | 1    | kind                              | kind                      |
 * | 1      | 1    | disposition code of the original  | same, as the peer said    |
 * | 2      | 2    | cause                             | cause (the peer's error)  |
 * | 4      | 6    | discharge (done) time, ms         | done time, ms (0: unknown)|
 * | 10     | 6    | original's message id             | -                         |
 * | 16     | 6    | original's entry (submit) time    | -                         |
 * | 22     | 1    | original's TP-MR                  | -                         |
 * | 10/23  | 1+n  | -                                 | message id: length, ASCII |
 *
 * @module
 */

import { ByteReader, ByteWriter } from "../../lib/bytes.ts";
import { DecodeError } from "../../lib/errors.ts";
import type { TpAddress } from "../tpdu/mod.ts";
import { type Disposition, DISPOSITIONS, type PmsRecord, type SourceClass } from "./types.ts";

/** Core's report about its own message `originalId`. */
export interface StatusReport {
  kind: "status";
  disposition: Disposition;
  cause: number;
  dischargeTimeMs: number;
  originalId: number;
  originalEntryTimeMs: number;
  originalMr: number;
}

/** A peer's receipt about the message it knows as `messageId`. */
export interface PeerReceipt {
  kind: "receipt";
  disposition: Disposition;
  cause: number;
  doneTimeMs: number;
  messageId: string;
}

/** Either payload. */
export type ReportPayload = StatusReport | PeerReceipt;

const KIND_STATUS = 0x01;
const KIND_RECEIPT = 0x02;
const PROTOCOL = "pms-report";

function u48(w: ByteWriter, v: number, field: string): void {
  w.u16(Math.floor(v / 2 ** 32), field).u32(v % 2 ** 32, field);
}

function readU48(r: ByteReader, field: string): number {
  return r.u16(field) * 2 ** 32 + r.u32(field);
}

/**
 * Encodes a report payload for a record's TP-UD.
 *
 * @param p the payload
 * @returns at most 140 octets
 * @throws {EncodeError} on a value out of range or a message id over 64 ASCII characters
 */
export function encodeReportPayload(p: ReportPayload): Uint8Array {
  const w = new ByteWriter(PROTOCOL, 96);
  w.u8(p.kind === "status" ? KIND_STATUS : KIND_RECEIPT, "kind");
  w.u8(DISPOSITIONS.indexOf(p.disposition), "disposition");
  w.u16(p.cause, "cause");
  if (p.kind === "status") {
    u48(w, p.dischargeTimeMs, "discharge time");
    u48(w, p.originalId, "original id");
    u48(w, p.originalEntryTimeMs, "original entry time");
    w.u8(p.originalMr, "original TP-MR");
  } else {
    u48(w, p.doneTimeMs, "done time");
    const id = new TextEncoder().encode(p.messageId);
    if (id.length > 64 || !/^[\x20-\x7e]*$/.test(p.messageId)) {
      w.u8(256, "message id"); // throws EncodeError naming the field
    }
    w.u8(id.length, "message id").bytes(id);
  }
  return w.finish();
}

/**
 * Decodes a report payload.
 *
 * @param ud the record's TP-UD
 * @returns the payload
 * @throws {DecodeError} on an unknown kind, a bad disposition, truncation or trailing octets
 */
export function decodeReportPayload(ud: Uint8Array): ReportPayload {
  const r = new ByteReader(ud, PROTOCOL);
  const kind = r.u8("kind");
  const disposition = DISPOSITIONS[r.u8("disposition")];
  if (disposition === undefined) {
    throw r.error("disposition", "Cannot decode report: unknown disposition");
  }
  const cause = r.u16("cause");
  let p: ReportPayload;
  if (kind === KIND_STATUS) {
    p = {
      kind: "status",
      disposition,
      cause,
      dischargeTimeMs: readU48(r, "discharge time"),
      originalId: readU48(r, "original id"),
      originalEntryTimeMs: readU48(r, "original entry time"),
      originalMr: r.u8("original TP-MR"),
    };
  } else if (kind === KIND_RECEIPT) {
    const doneTimeMs = readU48(r, "done time");
    const id = r.take(r.u8("message id"), "message id");
    if (id.some((b) => b < 0x20 || b > 0x7e)) {
      throw r.error("message id", "Cannot decode report: message id is not printable ASCII");
    }
    p = {
      kind: "receipt",
      disposition,
      cause,
      doneTimeMs,
      messageId: new TextDecoder().decode(id),
    };
  } else {
    throw new DecodeError(`Cannot decode report: unknown kind ${kind}`, {
      protocol: PROTOCOL,
      field: "kind",
      offset: 0,
    });
  }
  if (!r.done) {
    throw r.error("report", `Cannot decode report: ${r.remaining} octets after the payload`);
  }
  return p;
}

/**
 * A new active record carrying a report payload (flag `report`, TP-DCS
 * 0x04), ready for SUBMIT: core stamps its times and routes it like any SM.
 *
 * @param payload the status report or receipt
 * @param r who submits it, from whom (the recipient of the original) and to whom
 * @returns the record
 * @throws {EncodeError} as `encodeReportPayload`
 */
export function reportRecord(
  payload: ReportPayload,
  r: { sourceClass: SourceClass; oa: TpAddress; da: TpAddress; mr: number },
): PmsRecord {
  const ud = encodeReportPayload(payload);
  return {
    state: "active",
    sourceClass: r.sourceClass,
    // A placeholder: core routes the SUBMIT and sets the class.
    destClass: "local",
    entryTimeMs: 0,
    dischargeTimeMs: 0,
    expiryTimeMs: 0,
    validityS: 0,
    disposition: "none",
    attempts: 0,
    cause: 0,
    rd: false,
    srr: false,
    udhi: false,
    rp: false,
    imsiAddressed: false,
    report: true,
    mr: r.mr,
    pid: 0,
    dcs: 0x04,
    oa: r.oa,
    da: r.da,
    routedDa: null,
    sourcePeer: "",
    udl: ud.length,
    ud,
    destImsi: "",
    destPeer: "",
    destMessageId: "",
  };
}
