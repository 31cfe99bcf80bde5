/**
 * Numbering plans: pure functions that turn a submitted address, TON/NPI and
 * digits, into a classification the router acts on (seed §2.4.1,
 * ARCHITECTURE §4). NANP is the default; the generic E.164 plan serves sites
 * outside North America. No I/O: the number database lookups happen in the
 * router with the classification's `e164` or `digits`.
 *
 * The forms each plan accepts and what it rejects are tabled in `nanp.ts`,
 * `e164.ts` and docs/numbers.md.
 *
 * @example
 * ```ts
 * import { createPlan } from "./mod.ts";
 * const plan = createPlan({ plan: "nanp" });
 * plan.classifyDestination({ ton: 0, npi: 1, digits: "2125550123" }, "local");
 * // { kind: "e164", e164: "12125550123" }
 * ```
 *
 * @module
 */

import { e164Plan, type E164PlanOptions } from "./e164.ts";
import { nanpPlan } from "./nanp.ts";
import type { NumberingPlan } from "./types.ts";

export { e164OptionsProblem, e164Plan, type E164PlanOptions } from "./e164.ts";
export { NANP_COUNTRY_CODE, nanpInvalidReason, nanpPlan } from "./nanp.ts";
export {
  type Address,
  type Classification,
  INVALID_REASON_TEXT,
  type InvalidReason,
  NPI,
  type NumberingPlan,
  type Origin,
  type SourceClassification,
  TON,
} from "./types.ts";

/** Which plan, and the generic plan's options when it is the one. */
export type PlanChoice = { plan: "nanp" } | ({ plan: "e164" } & E164PlanOptions);

/**
 * Creates the plan the configuration selects.
 *
 * @param choice `{ plan: "nanp" }` or `{ plan: "e164", ...options }`
 * @returns the plan
 * @throws {RangeError} when the E.164 options are inconsistent
 */
export function createPlan(choice: PlanChoice): NumberingPlan {
  return choice.plan === "nanp" ? nanpPlan() : e164Plan(choice);
}
