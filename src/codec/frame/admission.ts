/**
 * The admission reasons of core (ARCHITECTURE §4), in the u16 range
 * 0x0100-0x0FFF that `reasons.ts` reserves for them. They live beside the
 * frame codec, not in core, because every transport maps them to its own
 * error (SMPP command_status, RP cause, exit code) and role handlers may not
 * import core (STYLE.md §2). Codes are part of the socket protocol: never
 * renumber them; add new ones at the end.
 *
 * @module
 */

import { type Reason, socketReasonName } from "./reasons.ts";

/** One admission reason: stable name, code, and the sentence logs and tools print. */
export interface AdmissionReason {
  name: string;
  code: number;
  message: string;
}

/** Every admission reason. */
export const ADMISSION_REASONS = [
  { name: "bad-record", code: 0x0100, message: "the submitted record is malformed" },
  {
    name: "source-invalid",
    code: 0x0101,
    message: "the source address is not valid in the numbering plan",
  },
  {
    name: "dest-invalid",
    code: 0x0102,
    message: "the destination address is not valid in the numbering plan",
  },
  { name: "dest-unroutable", code: 0x0103, message: "no route leads to the destination" },
  {
    name: "dest-no-sms",
    code: 0x0104,
    message: "the destination is a local number that cannot receive SMS",
  },
  {
    name: "upstream-not-permitted",
    code: 0x0105,
    message: "the sender may not send to the upstream (seed 2.4.2)",
  },
  {
    name: "source-not-permitted",
    code: 0x0106,
    message: "the source address does not belong to the submitting peer",
  },
  {
    name: "pid-filtered",
    code: 0x0107,
    message: "TP-PID is not allowed from this source (seed 2.4.3)",
  },
  {
    name: "dcs-filtered",
    code: 0x0108,
    message: "TP-DCS is not allowed from this source (seed 2.4.3)",
  },
  {
    name: "duplicate",
    code: 0x0109,
    message: "a message with the same key is still active and TP-RD asks to reject duplicates",
  },
  {
    name: "imsi-not-allowed",
    code: 0x010a,
    message: "only the command line may address a message by IMSI",
  },
  {
    name: "store-failed",
    code: 0x010b,
    message: "core could not store the message durably; retry later",
  },
] as const satisfies readonly AdmissionReason[];

/** An admission reason name. */
export type AdmissionReasonName = (typeof ADMISSION_REASONS)[number]["name"];

const BY_NAME = new Map<string, AdmissionReason>(ADMISSION_REASONS.map((r) => [r.name, r]));
const BY_CODE = new Map<number, AdmissionReason>(ADMISSION_REASONS.map((r) => [r.code, r]));

/**
 * The reason for a name.
 *
 * @param name an admission reason name
 * @returns its code and message
 */
export function admissionReason(name: AdmissionReasonName): AdmissionReason {
  return BY_NAME.get(name)!;
}

/**
 * The reason for a code received on the socket, or undefined when this
 * version does not know it (the frame's text still explains it).
 *
 * @param code a reason code
 * @returns the reason, or undefined
 */
export function admissionReasonByCode(code: number): AdmissionReason | undefined {
  return BY_CODE.get(code);
}

/**
 * The stable name of any reason received on the socket: an admission reason,
 * a socket reason, or "internal-error" for a code this version does not know
 * (what a transport maps to its own error: SMPP command_status, RP cause).
 *
 * @param reason the reason of a refused SUBMIT (or another refusal)
 * @returns the reason's name
 */
export function reasonNameOf(reason: Reason): string {
  return admissionReasonByCode(reason.code)?.name ?? socketReasonName(reason.code) ??
    "internal-error";
}
