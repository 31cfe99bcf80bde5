/**
 * Text to short messages and back: the coding choice and segmentation of a
 * text (GSM 7 bit with the default or national language tables of TS 23.038
 * V18.0.0, else UCS-2), and the reassembly of concatenated parts (TS 23.040
 * V18.0.0 §9.2.3.24.1 and §9.2.3.24.8).
 *
 * Limits: at most 255 parts (`planText` throws `EncodeError` beyond);
 * 8-bit data is never chosen; segments never split a GSM 7 bit escape
 * sequence or a UTF-16 surrogate pair. `reassemble` does not know
 * originators: group parts by sender before calling it.
 *
 * @example
 * ```ts
 * import { planText, reassemble } from "./mod.ts";
 * import { decodeUserData } from "../tpdu/user_data.ts";
 *
 * const plan = planText("x".repeat(200), { reference: 7 });
 * const parts = plan.segments.map((s) => decodeUserData(s.ud, s.udl, s.udhi, plan.alphabet));
 * const [message] = reassemble(parts.map((p) => ({ udh: p.udh, text: p.text ?? "" })));
 * // plan.segments.length === 2, message.text === "x".repeat(200)
 * ```
 *
 * @module
 */

export { type PlannedSegment, type PlanOptions, planText, type TextPlan } from "./plan.ts";
export { reassemble, type ReassembledMessage, type ReceivedPart } from "./reassemble.ts";
