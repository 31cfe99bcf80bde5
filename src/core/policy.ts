/**
 * Builds the admission policy's fixed inputs from the configuration, checking
 * what the schema alone cannot (allow-list syntax, the E.164 options, default
 * validity within the maximum), so that a bad value stops start-up with one
 * line naming the key.
 *
 * @module
 */

import { ConfigError } from "../lib/errors.ts";
import type { ResolvedConfig } from "../config/schema.ts";
import type { SourceClass } from "../codec/pms/mod.ts";
import {
  createPlan,
  e164OptionsProblem,
  type E164PlanOptions,
  type NumberingPlan,
} from "./numbering/mod.ts";
import { type OctetSet, parseOctetSet } from "./filters.ts";
import type { ValidityPolicy } from "./validity.ts";
import { parseRetrySchedule, type RetrySchedule } from "../proto/retry.ts";

/** The parts of `AdmissionContext` that come from config. */
export interface Policy {
  plan: NumberingPlan;
  untrusted: ReadonlySet<SourceClass>;
  pidAllow: OctetSet;
  dcsAllow: OctetSet;
  validity: ValidityPolicy;
  retrySchedule: RetrySchedule;
  /** Downstream peers whose source addresses are not checked against their pool (`downlink.check_source`). */
  sourceUnchecked: ReadonlySet<string>;
}

function plan(config: ResolvedConfig): NumberingPlan {
  const n = config.numbering;
  if (n.plan === "nanp") return createPlan({ plan: "nanp" });
  const options: E164PlanOptions = {
    countryCode: n.country_code,
    nationalPrefix: n.national_prefix,
    internationalPrefix: n.international_prefix,
    nationalNumberLengths: n.national_number_lengths,
    shortCodeLengths: n.short_code_lengths,
    localShortLength: n.local_short_length,
  };
  const problem = e164OptionsProblem(options);
  if (problem) throw new ConfigError("numbering", `Cannot load config: [numbering]: ${problem}`);
  return createPlan({ plan: "e164", ...options });
}

/**
 * Resolves the policy.
 *
 * @param config the resolved configuration
 * @returns the numbering plan, filters and validity settings
 * @throws {ConfigError} naming the key of an inconsistent value
 */
export function buildPolicy(config: ResolvedConfig): Policy {
  const c = config.core;
  if (c.validity_s_default > c.validity_s_max) {
    throw new ConfigError(
      "core.validity_s_default",
      `Cannot load config: key "core.validity_s_default" must not exceed core.validity_s_max (${c.validity_s_max}): current value is ${c.validity_s_default}`,
    );
  }
  return {
    plan: plan(config),
    untrusted: new Set(config.filters.untrusted_sources),
    pidAllow: parseOctetSet(config.filters.pid_allow, "filters.pid_allow"),
    dcsAllow: parseOctetSet(config.filters.dcs_allow, "filters.dcs_allow"),
    validity: { validitySDefault: c.validity_s_default, validitySMax: c.validity_s_max },
    retrySchedule: parseRetrySchedule(c.retry_delays, "core.retry_delays"),
    sourceUnchecked: new Set(
      Object.entries(config.downlink.peer).filter(([, p]) => !p.check_source).map(([name]) => name),
    ),
  };
}
