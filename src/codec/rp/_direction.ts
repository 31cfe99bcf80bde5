/**
 * RP-MTI and direction, TS 24.011 Table 8.3 (private to src/codec/rp): even
 * values travel from the MS, odd values from the network.
 *
 * @module
 */

import { EncodeError } from "../../lib/errors.ts";
import { PROTOCOL } from "./_fields.ts";
import type { RpDirection } from "./types.ts";

/** The direction of a defined RP-MTI. */
export function directionOfMti(mti: number): RpDirection {
  return mti % 2 === 0 ? "ms-to-network" : "network-to-ms";
}

/** Picks the RP-MTI for `direction`, or throws `EncodeError` for anything else. */
export function mtiOf(
  direction: RpDirection,
  msToNetwork: number,
  networkToMs: number,
  name: string,
): number {
  if (direction === "ms-to-network") return msToNetwork;
  if (direction === "network-to-ms") return networkToMs;
  throw new EncodeError(`Cannot encode ${name}: direction "${String(direction)}"`, {
    protocol: PROTOCOL,
    field: "RP-MTI",
  });
}
