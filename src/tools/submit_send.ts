/**
 * Sending the records of one message to core and reporting the outcome of
 * each segment (docs/submit.md "Output and exit status").
 *
 * Every segment is submitted on one connection without waiting for the
 * previous answer (core answers in any order; the client matches them by
 * transaction id). So when one segment is rejected, segments after it may
 * still have been accepted: the report lists every accepted index.
 *
 * @module
 */

import { ADMISSION_REASONS, type Reason, SOCKET_REASONS } from "../codec/frame/mod.ts";
import type { CoreClient } from "../transport/core_client.ts";
import { EXIT } from "../lib/stdio.ts";

/** The outcome of one segment. */
export type SegmentOutcome =
  | { result: "ok"; index: number }
  | { result: "rejected"; reason: Reason }
  | { result: "failed"; error: Error };

/** What to print and the exit code. */
export interface SubmitReport {
  /** Lines for stdout: one record index per accepted segment, in segment order. */
  stdout: string[];
  /** Lines for stderr, each starting "smsc submit: ". */
  stderr: string[];
  exitCode: number;
}

/**
 * The stable name and the sentence of a reason core answered with: an
 * admission reason, a socket reason, or, for a code this version does not
 * know, the code in hex and the text core sent.
 *
 * @param reason the reason from the SUBMIT response
 * @returns name and message
 */
export function describeReason(reason: Reason): { name: string; message: string } {
  const admission = ADMISSION_REASONS.find((r) => r.code === reason.code);
  if (admission) return { name: admission.name, message: admission.message };
  const socket = SOCKET_REASONS.find((r) => r.code === reason.code);
  if (socket) return { name: socket.name, message: socket.meaning };
  return { name: `0x${reason.code.toString(16).padStart(4, "0")}`, message: reason.text };
}

/**
 * Submits the records in order on one connection, pipelined.
 *
 * @param client a connected client
 * @param records the encoded 256-byte records
 * @param skipRouting true for an IMSI-addressed MT (seed §2.4.1)
 * @returns one outcome per record, in record order; never throws
 */
export async function submitAll(
  client: CoreClient,
  records: Uint8Array[],
  skipRouting: boolean,
): Promise<SegmentOutcome[]> {
  const pending = records.map((r) => client.submit(r, { skipRouting }));
  const settled = await Promise.allSettled(pending);
  return settled.map((s): SegmentOutcome => {
    if (s.status === "rejected") {
      return {
        result: "failed",
        error: s.reason instanceof Error ? s.reason : new Error(String(s.reason)),
      };
    }
    return s.value.result === "ok"
      ? { result: "ok", index: s.value.index }
      : { result: "rejected", reason: s.value.reason };
  });
}

/**
 * Turns the outcomes into output lines and an exit code: 0 when every
 * segment was accepted; 65 when core rejected one (its reason first); 69 when
 * the connection failed before every answer came. When some segments were
 * accepted and others not, a last stderr line lists the accepted indices,
 * which stay active until delivered, expired or cancelled.
 *
 * @param outcomes one per segment, in order
 * @returns the report
 */
export function reportOutcomes(outcomes: SegmentOutcome[]): SubmitReport {
  const accepted: number[] = [];
  for (const o of outcomes) if (o.result === "ok") accepted.push(o.index);
  const stdout = accepted.map((i) => `${i}`);
  const stderr: string[] = [];
  const total = outcomes.length;
  const rejectedAt = outcomes.findIndex((o) => o.result === "rejected");
  const failedAt = outcomes.findIndex((o) => o.result === "failed");
  let exitCode: number = EXIT.OK;
  if (rejectedAt >= 0) {
    const o = outcomes[rejectedAt] as { reason: Reason };
    const { name, message } = describeReason(o.reason);
    stderr.push(`smsc submit: rejected: ${name}: ${message}`);
    exitCode = EXIT.DATAERR;
  } else if (failedAt >= 0) {
    const o = outcomes[failedAt] as { error: Error };
    stderr.push(
      `smsc submit: Cannot submit segment ${failedAt + 1} of ${total}: ${o.error.message}`,
    );
    exitCode = EXIT.UNAVAILABLE;
  }
  if (exitCode !== EXIT.OK && total > 1) {
    stderr.push(
      accepted.length === 0
        ? `smsc submit: no segment of ${total} was accepted`
        : `smsc submit: ${accepted.length} of ${total} segments were accepted and stay active: ${
          accepted.join(" ")
        } (cancel them if the message is useless without the rest)`,
    );
  }
  return { stdout, stderr, exitCode };
}
