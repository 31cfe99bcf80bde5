/**
 * The shared vocabulary of the numbering plans: the address a plan reads, the
 * classification it returns and the stable reason codes of an invalid
 * address.
 *
 * @module
 */

/**
 * Type of number values. TS 23.040 §9.1.2.5 and SMPP 3.4 §5.2.5 use the same
 * codes, so one table serves SMS over SIP, GSUP and SMPP.
 */
export const TON = {
  UNKNOWN: 0,
  INTERNATIONAL: 1,
  NATIONAL: 2,
  NETWORK_SPECIFIC: 3,
  SUBSCRIBER: 4,
  ALPHANUMERIC: 5,
  ABBREVIATED: 6,
} as const;

/** Numbering plan identification values, TS 23.040 §9.1.2.5 and SMPP 3.4 §5.2.6. */
export const NPI = {
  UNKNOWN: 0,
  /** ISDN/telephone numbering plan, ITU-T E.164/E.163. */
  ISDN: 1,
} as const;

/** An address as a transport delivers it: TON, NPI and the digits as text. */
export interface Address {
  ton: number;
  npi: number;
  /** The digits without a leading "+"; TPDU addresses may also hold `*#abc`. */
  digits: string;
}

/**
 * Where a message came from, as seed §2.4.1 distinguishes it: `local` is a GSM
 * MO or the command line (`smsc submit`); `remote` is the upstream or a
 * downstream peer. Only local origins may use the 4-digit local numbers.
 */
export type Origin = "local" | "remote";

/** Why an address is invalid. Stable codes, for logs and rejection reasons. */
export type InvalidReason =
  | "empty"
  | "not-digits"
  | "unsupported-npi"
  | "unsupported-ton"
  | "e164-length"
  | "country-code-zero"
  | "nanp-length"
  | "nanp-npa"
  | "nanp-nxx"
  | "local-short-remote"
  | "no-country-code"
  | "unknown-format";

/** One sentence per reason, for logs and operator output. */
export const INVALID_REASON_TEXT: Readonly<Record<InvalidReason, string>> = {
  "empty": "the address has no digits",
  "not-digits": "the address holds characters other than 0-9",
  "unsupported-npi": "the numbering plan indicator is neither unknown (0) nor E.164 (1)",
  "unsupported-ton": "the type of number is not one this plan accepts",
  "e164-length": "an international number has 1 to 15 digits",
  "country-code-zero": "an international number cannot begin with 0",
  "nanp-length": "a NANP number has 10 digits, or 11 beginning with 1",
  "nanp-npa": "the NANP area code (NPA) must be NXX with N 2-9 and not N11",
  "nanp-nxx": "the NANP central office code (NXX) must be NXX with N 2-9 and not N11",
  "local-short-remote": "4-digit local numbers are meaningful only to local origins",
  "no-country-code": "a national number needs the plan's country code, which is not set",
  "unknown-format": "the digits match none of the plan's number forms",
};

/**
 * What a plan makes of a destination (or source) address.
 *
 * - `e164`: a full international number, digits only, country code first.
 * - `short-code`: a public short code, routed to the upstream (seed §1.1).
 * - `local-short`: a 4-digit number meaningful only inside this SMSC.
 * - `invalid`: rejected, with the reason.
 */
export type Classification =
  | { kind: "e164"; e164: string }
  | { kind: "short-code"; digits: string }
  | { kind: "local-short"; digits: string }
  | { kind: "invalid"; reason: InvalidReason };

/** A source address may also be alphanumeric (TON 5), which names no number. */
export type SourceClassification = Classification | { kind: "alphanumeric"; text: string };

/** A numbering plan: pure functions of the address and the origin. */
export interface NumberingPlan {
  readonly name: "nanp" | "e164";
  /**
   * Classifies a destination address for routing (seed §2.4.1).
   *
   * @param address the destination as submitted
   * @param origin whether the submitter is local (GSM MO, command line)
   * @returns the classification; never throws
   */
  classifyDestination(address: Address, origin: Origin): Classification;
  /**
   * Classifies a source address the same way, so that the permission to send
   * upstream (seed §2.4.2) is checked against the full E.164 number.
   *
   * @param address the source as submitted
   * @param origin whether the submitter is local
   * @returns the classification; never throws
   */
  classifySource(address: Address, origin: Origin): SourceClassification;
}

/** Shorthand for an invalid classification. */
export function invalid(reason: InvalidReason): Classification {
  return { kind: "invalid", reason };
}

/** The TONs both plans read; the others name no routable number. */
const ROUTABLE_TONS: readonly number[] = [
  TON.UNKNOWN,
  TON.INTERNATIONAL,
  TON.NATIONAL,
  TON.ABBREVIATED,
];

/**
 * Checks the parts every plan shares: TON, NPI, emptiness and the digit set.
 *
 * @param address the address to check
 * @returns the reason it fails, or `undefined` when the common checks pass
 */
export function commonInvalidReason(address: Address): InvalidReason | undefined {
  if (!ROUTABLE_TONS.includes(address.ton)) return "unsupported-ton";
  if (address.npi !== NPI.UNKNOWN && address.npi !== NPI.ISDN) return "unsupported-npi";
  if (address.digits.length === 0) return "empty";
  if (!/^[0-9]+$/.test(address.digits)) return "not-digits";
  return undefined;
}

/**
 * Validates a full international number: 1 to 15 digits (ITU-T E.164 §6),
 * country code not beginning with 0.
 *
 * @param digits the number without "+"
 * @returns the classification
 */
export function international(digits: string): Classification {
  if (digits.length > 15) return invalid("e164-length");
  if (digits.startsWith("0")) return invalid("country-code-zero");
  return { kind: "e164", e164: digits };
}
