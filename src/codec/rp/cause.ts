/**
 * RP-Cause values, TS 24.011 §8.2.5.4 Table 8.4 (parts 1-3) with the cause
 * definitions of Annex E-2, and how the SMSC treats each one.
 *
 * @module
 */

/** How the SMSC treats a cause: retry later, or give up. */
export type RpCauseClass = "temporary" | "permanent";

/** One row of TS 24.011 Table 8.4. */
export interface RpCauseInfo {
  /** Cause value, 7 bits. */
  value: number;
  /** Name as written in TS 24.011 Table 8.4 and Annex E-2. */
  name: string;
  /** Retry policy of this SMSC; the spec does not classify causes, see the note on each row. */
  class: RpCauseClass;
}

// Classification notes (ours, not the spec's):
// - #22 waits for RP-SMMA or a later retry (TS 23.040 §10.1 "memory capacity exceeded").
// - #27, #38, #41, #42, #47: Annex E-2 describes them as conditions that may clear.
// - #81 and #98 concern one transfer attempt and its message reference, so a new
//   attempt may succeed.
// - #127 carries no information; retrying is the cautious choice.
// - Everything else describes the subscriber, the number or the message itself and
//   would fail the same way again.
const TABLE: readonly RpCauseInfo[] = [
  { value: 1, name: "Unassigned (unallocated) number", class: "permanent" },
  { value: 8, name: "Operator determined barring", class: "permanent" },
  { value: 10, name: "Call barred", class: "permanent" },
  { value: 11, name: "Reserved", class: "permanent" },
  { value: 21, name: "Short message transfer rejected", class: "permanent" },
  { value: 22, name: "Memory capacity exceeded", class: "temporary" },
  { value: 27, name: "Destination out of order", class: "temporary" },
  { value: 28, name: "Unidentified subscriber", class: "permanent" },
  { value: 29, name: "Facility rejected", class: "permanent" },
  { value: 30, name: "Unknown subscriber", class: "permanent" },
  { value: 38, name: "Network out of order", class: "temporary" },
  { value: 41, name: "Temporary failure", class: "temporary" },
  { value: 42, name: "Congestion", class: "temporary" },
  { value: 47, name: "Resources unavailable, unspecified", class: "temporary" },
  { value: 50, name: "Requested facility not subscribed", class: "permanent" },
  { value: 69, name: "Requested facility not implemented", class: "permanent" },
  { value: 81, name: "Invalid short message transfer reference value", class: "temporary" },
  { value: 95, name: "Semantically incorrect message", class: "permanent" },
  { value: 96, name: "Invalid mandatory information", class: "permanent" },
  { value: 97, name: "Message type non-existent or not implemented", class: "permanent" },
  {
    value: 98,
    name: "Message not compatible with short message protocol state",
    class: "temporary",
  },
  {
    value: 99,
    name: "Information element non-existent or not implemented",
    class: "permanent",
  },
  { value: 111, name: "Protocol error, unspecified", class: "permanent" },
  { value: 127, name: "Interworking, unspecified", class: "temporary" },
];

/** Every cause of TS 24.011 Table 8.4, in ascending order. */
export const RP_CAUSES: readonly RpCauseInfo[] = TABLE;

const BY_VALUE = new Map<number, RpCauseInfo>(TABLE.map((c) => [c.value, c]));

/** #41 Temporary failure, TS 24.011 Table 8.4. */
export const RP_CAUSE_TEMPORARY_FAILURE = 41;
/** #95 Semantically incorrect message, TS 24.011 §9.3.5. */
export const RP_CAUSE_SEMANTICALLY_INCORRECT = 95;
/** #96 Invalid mandatory information, TS 24.011 §9.3.4. */
export const RP_CAUSE_INVALID_MANDATORY_INFORMATION = 96;
/** #97 Message type non-existent or not implemented, TS 24.011 §9.3.3. */
export const RP_CAUSE_MESSAGE_TYPE_NON_EXISTENT = 97;
/** #99 Information element non-existent or not implemented, TS 24.011 Annex E-2. */
export const RP_CAUSE_IE_NON_EXISTENT = 99;
/** #111 Protocol error, unspecified, TS 24.011 Annex E-2. */
export const RP_CAUSE_PROTOCOL_ERROR = 111;

/**
 * Returns the name of an RP-Cause value for logs.
 *
 * @param value cause value (0-127)
 * @returns the Table 8.4 name, or `"Unknown cause N"` for values the table does not list
 * @throws never
 */
export function rpCauseName(value: number): string {
  return BY_VALUE.get(value)?.name ?? `Unknown cause ${value}`;
}

/**
 * Tells whether the SMSC should retry after an RP-ERROR with this cause. Values
 * missing from Table 8.4 are treated as #111 "Protocol error, unspecified"
 * (permanent), as TS 24.011 Table 8.4 part 2 requires for the mobile-terminated
 * transfers whose RP-ERROR the SMSC receives.
 *
 * @param value cause value (0-127)
 * @returns `"temporary"` or `"permanent"`
 * @throws never
 */
export function rpCauseClass(value: number): RpCauseClass {
  return BY_VALUE.get(value)?.class ?? "permanent";
}
