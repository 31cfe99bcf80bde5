/**
 * Message-level checks shared by the RP decoders (private to src/codec/rp).
 *
 * @module
 */

import type { ByteReader } from "../../lib/bytes.ts";
import { DecodeError } from "../../lib/errors.ts";
import { RP_CAUSE_IE_NON_EXISTENT, RP_CAUSE_MESSAGE_TYPE_NON_EXISTENT } from "./cause.ts";
import { PROTOCOL } from "./_fields.ts";

/** Throws cause #97 unless `mti` is one of `allowed` (a per-type decoder got another type). */
export function expectMti(mti: number, allowed: readonly number[], name: string): void {
  if (!allowed.includes(mti)) {
    throw new DecodeError(`Cannot decode ${name}: RP-MTI ${mti} is another message type`, {
      protocol: PROTOCOL,
      field: "RP-MTI",
      offset: 0,
      code: RP_CAUSE_MESSAGE_TYPE_NON_EXISTENT,
    });
  }
}

/**
 * Throws cause #99 when octets remain after the last element this message type
 * defines. TS 24.007 §11.2.4 would let a receiver skip unknown elements, but we
 * refuse them: skipping would drop octets and break byte-exact re-encoding.
 */
export function expectEnd(r: ByteReader): void {
  if (r.done) return;
  const iei = r.peek("IEI");
  throw r.error(
    "IEI",
    `Cannot decode RP message: unexpected element 0x${
      iei.toString(16).padStart(2, "0")
    } with ${r.remaining} octets left`,
    RP_CAUSE_IE_NON_EXISTENT,
  );
}
