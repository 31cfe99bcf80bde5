/**
 * Loads the SIP vectors of tests/vectors/sip for the tests in this folder.
 *
 * Format: each case is a codec_harness `Vector`, except that a text
 * protocol may give `text` (the message as a JSON string, CRLF spelled
 * "\r\n") instead of `hex`, plus `bodyHex` for binary bytes appended after
 * the text. `options.check` runs `checkMandatoryHeaders` after parsing,
 * `options.limits` passes `SipLimits`, `options.requireMaxForwards` is
 * passed to the check.
 *
 * @module
 */

import type { Vector } from "../../../tests/support/codec_harness.ts";
import { fromHex, toHex } from "../../lib/bytes.ts";
import invalid from "../../../tests/vectors/sip/rfc4475_invalid.json" with { type: "json" };
import valid from "../../../tests/vectors/sip/rfc4475_valid.json" with { type: "json" };
import rfc3261 from "../../../tests/vectors/sip/rfc3261.json" with { type: "json" };
import sms from "../../../tests/vectors/sip/sms_over_ip.json" with { type: "json" };
import syntax from "../../../tests/vectors/sip/syntax.json" with { type: "json" };
import lenient from "../../../tests/vectors/sip/lenient.json" with { type: "json" };
import { checkMandatoryHeaders } from "./mandatory.ts";
import { parseSipMessage, type SipLimits, type SipMessage } from "./message.ts";

interface TextVector extends Omit<Vector, "hex"> {
  hex?: string;
  text?: string;
  bodyHex?: string;
}

function load(cases: TextVector[]): Vector[] {
  return cases.map((c) => ({
    ...c,
    hex: c.hex ?? toHex(new TextEncoder().encode(c.text ?? "")) + (c.bodyHex ?? ""),
  }));
}

/** Vectors whose valid cases must re-serialize byte for byte. */
export const ROUND_TRIP_FILES: Record<string, Vector[]> = {
  "rfc4475_valid.json": load(valid),
  "rfc4475_invalid.json": load(invalid),
  "rfc3261.json": load(rfc3261),
  "sms_over_ip.json": load(sms),
  "syntax.json": load(syntax),
};

/** Vectors that parse but are not reproduced byte for byte (bare LF, trailing octets). */
export const LENIENT: Vector[] = load(lenient);

/** Every vector's bytes, for the fuzz sweeps. */
export function allSeeds(): Uint8Array[] {
  return [...Object.values(ROUND_TRIP_FILES).flat(), ...LENIENT].map((v) => fromHex(v.hex));
}

/** Parse, then check mandatory headers when the vector asks for it. */
export function decodeVector(bytes: Uint8Array, options?: Record<string, unknown>): SipMessage {
  const msg = parseSipMessage(bytes, options?.limits as Partial<SipLimits> | undefined);
  if (options?.check) {
    checkMandatoryHeaders(msg, { requireMaxForwards: options.requireMaxForwards === true });
  }
  return msg;
}
