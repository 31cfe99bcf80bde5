/**
 * A generic E.164 numbering plan for sites outside North America (ARCHITECTURE
 * §4; seed §1.3 leaves the adaptation to the operator). The operator
 * describes the national dialling habits with a few options; everything else
 * must be entered in full international form.
 *
 * Accepted forms, checked in this order:
 *
 * | TON | digits | result |
 * | --- | --- | --- |
 * | 1 international | 1-15 digits, not beginning with 0 | `e164` |
 * | 0 unknown | `internationalPrefix` + number (e.g. `00`) | as TON 1 |
 * | 0 unknown | `nationalPrefix` + national number (e.g. `0`) | `e164` country code + national number |
 * | 0 unknown, 6 abbreviated | `localShortLength` digits (4) | `local-short`, local origins only |
 * | 0 unknown, 6 abbreviated | a length in `shortCodeLengths` | `short-code` (to the upstream) |
 * | 0 unknown | a length in `nationalNumberLengths` | `e164` country code + digits |
 * | 2 national | national number | `e164` country code + digits |
 *
 * Limitations: no per-country validation of number lengths beyond E.164's
 * 15 digits; a short number cannot begin with the national or international
 * prefix, because the prefixes are tried first; TON 3, 4, 5 and 7 are
 * rejected as destinations.
 *
 * @module
 */

import {
  type Address,
  type Classification,
  commonInvalidReason,
  international,
  invalid,
  type NumberingPlan,
  type Origin,
  type SourceClassification,
  TON,
} from "./types.ts";

/** The site's dialling habits. Every field is explicit (STYLE §7). */
export interface E164PlanOptions {
  /** The site's country code, e.g. "44"; "" accepts only international forms. */
  countryCode: string;
  /** Trunk prefix of national dialling, e.g. "0"; "" when there is none. */
  nationalPrefix: string;
  /** Prefix of international dialling, e.g. "00"; "" when there is none. */
  internationalPrefix: string;
  /** Lengths of national numbers dialled without a prefix; often empty. */
  nationalNumberLengths: readonly number[];
  /** Lengths of public short codes that go to the upstream, e.g. [5]. */
  shortCodeLengths: readonly number[];
  /** Length of local short numbers (seed §2.4.1 uses 4); 0 disables them. */
  localShortLength: number;
}

/**
 * Checks the options once, so that a bad value fails at start-up.
 *
 * @param options the plan's options
 * @returns a problem in the "Cannot …" style, or `undefined` when they are fine
 */
export function e164OptionsProblem(options: E164PlanOptions): string | undefined {
  const digitsOnly = /^[0-9]*$/;
  if (!digitsOnly.test(options.countryCode) || options.countryCode.length > 3) {
    return `Cannot use country code "${options.countryCode}": it must be 1-3 digits or empty`;
  }
  if (options.countryCode.startsWith("0")) return "Cannot use a country code beginning with 0";
  for (
    const [name, value] of [["national", options.nationalPrefix], [
      "international",
      options.internationalPrefix,
    ]]
  ) {
    if (!digitsOnly.test(value) || value.length > 4) {
      return `Cannot use ${name} prefix "${value}": it must be 0-4 digits`;
    }
  }
  const lengths = [...options.nationalNumberLengths, ...options.shortCodeLengths];
  if (lengths.some((n) => !Number.isInteger(n) || n < 1 || n > 15)) {
    return "Cannot use a number length outside 1-15";
  }
  return undefined;
}

function national(options: E164PlanOptions, digits: string): Classification {
  if (options.countryCode === "") return invalid("no-country-code");
  return international(options.countryCode + digits);
}

function shortForms(options: E164PlanOptions, digits: string, origin: Origin) {
  if (options.localShortLength > 0 && digits.length === options.localShortLength) {
    return origin === "local"
      ? { kind: "local-short", digits } as const
      : invalid("local-short-remote");
  }
  if (options.shortCodeLengths.includes(digits.length)) {
    return { kind: "short-code", digits } as const;
  }
  return undefined;
}

function classifyUnknown(
  options: E164PlanOptions,
  digits: string,
  origin: Origin,
): Classification {
  const { internationalPrefix: intl, nationalPrefix: trunk } = options;
  // The longer prefix first: "00" must not be read as the trunk prefix "0".
  if (intl !== "" && digits.startsWith(intl)) {
    const rest = digits.slice(intl.length);
    return rest === "" ? invalid("e164-length") : international(rest);
  }
  if (trunk !== "" && digits.startsWith(trunk)) {
    const rest = digits.slice(trunk.length);
    return rest === "" ? invalid("unknown-format") : national(options, rest);
  }
  const short = shortForms(options, digits, origin);
  if (short) return short;
  if (options.nationalNumberLengths.includes(digits.length)) return national(options, digits);
  return invalid("unknown-format");
}

function classify(options: E164PlanOptions, address: Address, origin: Origin): Classification {
  const common = commonInvalidReason(address);
  if (common) return invalid(common);
  switch (address.ton) {
    case TON.INTERNATIONAL:
      return international(address.digits);
    case TON.UNKNOWN:
      return classifyUnknown(options, address.digits, origin);
    case TON.NATIONAL:
      return national(options, address.digits);
    case TON.ABBREVIATED:
      return shortForms(options, address.digits, origin) ?? invalid("unknown-format");
    default:
      return invalid("unsupported-ton");
  }
}

/**
 * Creates the generic E.164 plan.
 *
 * @param options the site's dialling habits
 * @returns a plan whose functions are pure
 * @throws {RangeError} when the options are inconsistent (see `e164OptionsProblem`)
 */
export function e164Plan(options: E164PlanOptions): NumberingPlan {
  const problem = e164OptionsProblem(options);
  if (problem) throw new RangeError(problem);
  const frozen: E164PlanOptions = Object.freeze({
    ...options,
    nationalNumberLengths: [...options.nationalNumberLengths],
    shortCodeLengths: [...options.shortCodeLengths],
  });
  return {
    name: "e164",
    classifyDestination: (address, origin) => classify(frozen, address, origin),
    classifySource(address: Address, origin: Origin): SourceClassification {
      if (address.ton === TON.ALPHANUMERIC) return { kind: "alphanumeric", text: address.digits };
      return classify(frozen, address, origin);
    },
  };
}
