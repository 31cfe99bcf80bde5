/**
 * Answers to DELIVER_TO_PEER shared by the SMPP role handlers (downlink,
 * uplink): a failure with the far side's command_status as cause and a short
 * printable text.
 *
 * @module
 */

import type { ResponseOf } from "../codec/frame/mod.ts";

/** A DELIVER_TO_PEER answer. */
export type DeliverAnswer = ResponseOf<"DELIVER_TO_PEER">;

function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, "?").slice(0, 255);
}

/** Temporary failure: core retries on its schedule. */
export function temporary(cause: number, text: string): DeliverAnswer {
  return { type: "DELIVER_TO_PEER", result: "temporary", cause, text: printable(text) };
}

/** Permanent failure: core discharges the message as failed. */
export function permanent(cause: number, text: string): DeliverAnswer {
  return { type: "DELIVER_TO_PEER", result: "permanent", cause, text: printable(text) };
}
