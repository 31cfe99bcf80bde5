/**
 * Answers to DELIVER_TO_PEER shared by the SMPP role handlers (downlink,
 * uplink): from the far side's response status (deliver_sm_resp or
 * submit_sm_resp, judged by `respOutcome`), or a failure with a cause and a
 * short printable text.
 *
 * @module
 */

import type { ResponseOf } from "../codec/frame/mod.ts";
import { commandStatusName } from "../codec/smpp/mod.ts";
import { respOutcome } from "../proto/smpp_sm.ts";

/** A DELIVER_TO_PEER answer. */
export type DeliverAnswer = ResponseOf<"DELIVER_TO_PEER">;

const encoder = new TextEncoder();

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

/**
 * The answer for a response with `status`: ok with the far side's message
 * id (printable ASCII only, so that it always fits the frame's 64 bytes), or
 * the failure `respOutcome` says.
 *
 * @param status command_status of the response
 * @param messageId its message_id, "" when none
 * @param via "generic_nack" when the far side answered with one
 */
export function answerForStatus(status: number, messageId: string, via = ""): DeliverAnswer {
  const outcome = respOutcome(status);
  if (outcome === "ok" && via === "") {
    const id = messageId.replace(/[^\x20-\x7e]/g, "").slice(0, 64);
    return { type: "DELIVER_TO_PEER", result: "ok", extraInfo: encoder.encode(id) };
  }
  const text = via === "" ? commandStatusName(status) : `${via} ${commandStatusName(status)}`;
  return outcome === "permanent" ? permanent(status, text) : temporary(status, text);
}
