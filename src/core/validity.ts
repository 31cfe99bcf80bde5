/**
 * Validity period and expiry time (seed 003 §2.4.4). At the socket a validity
 * period is always relative, in seconds; 0 means the source did not set one
 * and the system default applies. A period longer than the configured
 * maximum is capped, not refused: the sender asked for "as long as
 * possible", and the cap is what we can offer.
 *
 * @module
 */

/** The two settings of seed §2.4.4. */
export interface ValidityPolicy {
  /** Applied when the source gives none (0). */
  validitySDefault: number;
  /** Cap on what a source may ask for. */
  validitySMax: number;
}

/**
 * The validity period a message gets.
 *
 * @param requestedS the relative period from the source, 0 for none
 * @param policy the default and the maximum
 * @returns seconds, at least 1
 */
export function effectiveValidityS(requestedS: number, policy: ValidityPolicy): number {
  const asked = requestedS > 0 ? requestedS : policy.validitySDefault;
  return Math.max(1, Math.min(asked, policy.validitySMax));
}

/**
 * The expiry time of a message entered at `entryMs`.
 *
 * @param entryMs entry time, ms since the epoch
 * @param requestedS the relative period from the source, 0 for none
 * @param policy the default and the maximum
 * @returns expiry time, ms since the epoch
 */
export function expiryMs(entryMs: number, requestedS: number, policy: ValidityPolicy): number {
  return entryMs + effectiveValidityS(requestedS, policy) * 1000;
}
