/**
 * The North American Numbering Plan, as seed §1.1 and §2.4.1 use it.
 *
 * Accepted forms:
 *
 * | TON | digits | result |
 * | --- | --- | --- |
 * | 1 international | `1NPANXXXXXX` | `e164`, after NANP validation |
 * | 1 international | any other country code, 1-15 digits | `e164` (the Outside World) |
 * | 0 unknown, 2 national | `NPANXXXXXX` (10) | `e164` `1NPANXXXXXX` |
 * | 0 unknown | `1NPANXXXXXX` (11) | `e164` |
 * | 0 unknown, 6 abbreviated | `NXXXX`, `NXXXXX` (5, 6) | `short-code` (US SMS short codes) |
 * | 0 unknown, 6 abbreviated | 4 digits | `local-short`, local origins only |
 *
 * NANP validation (ATIS-0300076 numbering rules, as ThemWi applies them): the
 * area code (NPA) and the central office code (NXX) each have the form NXX
 * with N = 2-9, and neither may be an N11 service code (211 … 911). Reserved
 * but well-formed codes (37X, 96X, N9X expansion codes, 555) are accepted:
 * they are not invalid, only unassigned today, and fictional 555-01XX numbers
 * are what test sites use (ThemWi "Fake-NANP-numbers").
 *
 * Limitations: TON 3, 4, 5 and 7 are rejected as destinations; NPI must be 0
 * or 1; `*`, `#` and `a`-`c` digits are rejected.
 *
 * @module
 */

import {
  type Address,
  type Classification,
  commonInvalidReason,
  international,
  invalid,
  type InvalidReason,
  type NumberingPlan,
  type Origin,
  type SourceClassification,
  TON,
} from "./types.ts";

/** The NANP country code. */
export const NANP_COUNTRY_CODE = "1";

function isNxx(code: string): boolean {
  return code.length === 3 && code[0] >= "2" && code[0] <= "9" && code.slice(1) !== "11";
}

/**
 * Validates a 10-digit NANP national number `NPANXXXXXX`.
 *
 * @param national ten digits (the caller has checked the digit set)
 * @returns the reason it is invalid, or `undefined` when it is valid
 */
export function nanpInvalidReason(national: string): InvalidReason | undefined {
  if (national.length !== 10) return "nanp-length";
  if (!isNxx(national.slice(0, 3))) return "nanp-npa";
  if (!isNxx(national.slice(3, 6))) return "nanp-nxx";
  return undefined;
}

function nanp(national: string): Classification {
  const reason = nanpInvalidReason(national);
  if (reason) return invalid(reason);
  return { kind: "e164", e164: NANP_COUNTRY_CODE + national };
}

function shortForms(digits: string, origin: Origin): Classification | undefined {
  if (digits.length === 4) {
    return origin === "local" ? { kind: "local-short", digits } : invalid("local-short-remote");
  }
  // Seed §1.1: "any/all SMS short codes in USA-specific NXXXX or NXXXXX format".
  if ((digits.length === 5 || digits.length === 6) && digits[0] >= "2") {
    return { kind: "short-code", digits };
  }
  return undefined;
}

function classifyInternational(digits: string): Classification {
  if (!digits.startsWith(NANP_COUNTRY_CODE)) return international(digits);
  // Seed §2.4.1: +1 numbers are NANP and "outright-invalid numbers are rejected".
  if (digits.length !== 11) return invalid("nanp-length");
  return nanp(digits.slice(1));
}

function classifyUnknown(digits: string, origin: Origin): Classification {
  const short = shortForms(digits, origin);
  if (short) return short;
  // Seed §1.1: "10-digit NPANXXXXXX or 11-digit 1NPANXXXXXX without '+' prefix".
  if (digits.length === 10) return nanp(digits);
  if (digits.length === 11 && digits.startsWith(NANP_COUNTRY_CODE)) return nanp(digits.slice(1));
  return invalid(digits.length === 5 || digits.length === 6 ? "unknown-format" : "nanp-length");
}

/**
 * Classifies a destination under NANP rules.
 *
 * @param address the destination as submitted
 * @param origin `local` for GSM MO and the command line, else `remote`
 * @returns the classification; never throws
 */
export function classifyNanp(address: Address, origin: Origin): Classification {
  const common = commonInvalidReason(address);
  if (common) return invalid(common);
  const digits = address.digits;
  switch (address.ton) {
    case TON.INTERNATIONAL:
      return classifyInternational(digits);
    case TON.UNKNOWN:
      return classifyUnknown(digits, origin);
    case TON.NATIONAL:
      return nanp(digits);
    case TON.ABBREVIATED:
      return shortForms(digits, origin) ?? invalid("unknown-format");
    default:
      return invalid("unsupported-ton");
  }
}

/**
 * Creates the NANP plan.
 *
 * @returns a plan whose functions are pure
 */
export function nanpPlan(): NumberingPlan {
  return {
    name: "nanp",
    classifyDestination: classifyNanp,
    classifySource(address: Address, origin: Origin): SourceClassification {
      if (address.ton === TON.ALPHANUMERIC) return { kind: "alphanumeric", text: address.digits };
      return classifyNanp(address, origin);
    },
  };
}
