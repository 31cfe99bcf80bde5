/**
 * The adapter to npm:smpp (0.5.1), the one place in the project that imports it.
 *
 * How the library's text conversions are neutralised: we never let it decode.
 * Its `PDU.fromBuffer` runs decode filters that turn short_message and
 * message_payload into JS strings (GSM, Latin-1 or UCS-2 guessed from
 * data_coding), turn times into `Date`s relative to the clock, read cstrings
 * as "ascii", and throw RangeError on short input. Inbound bytes therefore go
 * through `frameSmppStream` and `decodeSmppPdu` only.
 *
 * For sending, `toLibraryPdu` builds a library `PDU` whose short_message and
 * message_payload are Buffers (its encode filter returns a Buffer unchanged, so
 * no text conversion runs) and checks that the library's `toBuffer()` gives
 * exactly `encodeSmppPdu`'s octets. Where the library cannot (unknown or
 * duplicate TLVs, a body on an error response, TLVs the library types
 * differently such as source_telematics_id), it throws instead of altering bytes.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import smpp from "smpp";
import { bytesEqual } from "../../lib/bytes.ts";
import { EncodeError } from "../../lib/errors.ts";
import { encodeSmppPdu, type SmppPdu } from "./pdu.ts";

/** A `PDU` instance of npm:smpp, as `Session.send` takes it. */
export type LibraryPdu = { toBuffer(): Uint8Array; command: string } & Record<string, unknown>;

/** The library's tables, for cross-checks in tests. */
export const libraryDefs = {
  commands: smpp.commands as Record<string, { id: number; params?: Record<string, unknown> }>,
  tlvs: smpp.tlvs as Record<string, { id: number }>,
  errors: smpp.errors as Record<string, number>,
};

function libraryValue(v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v);
  if (typeof v === "string") return Buffer.from(v, "latin1");
  if (Array.isArray(v)) {
    return v.map((o) => {
      const c: Record<string, unknown> = { ...o };
      for (const k of ["destination_addr", "dl_name"]) {
        if (typeof c[k] === "string") c[k] = Buffer.from(c[k] as string, "latin1");
      }
      return c;
    });
  }
  return v;
}

/**
 * Builds an npm:smpp `PDU` that encodes to exactly `encodeSmppPdu(pdu)`, for a
 * transport that sends through the library's `Session`.
 *
 * @param pdu the PDU value
 * @returns the library PDU
 * @throws {EncodeError} when the library would send other octets than ours
 */
export function toLibraryPdu(pdu: SmppPdu): LibraryPdu {
  const ours = encodeSmppPdu(pdu);
  const options: Record<string, unknown> = {
    command_status: pdu.command_status,
    sequence_number: pdu.sequence_number,
  };
  for (const [k, v] of Object.entries(pdu.fields)) options[k] = libraryValue(v);
  for (const t of pdu.tlvs) options[t.name] = libraryValue(t.value);
  let lib: LibraryPdu;
  let theirs: Uint8Array;
  try {
    lib = new smpp.PDU(pdu.command, options) as LibraryPdu;
    theirs = new Uint8Array(new smpp.PDU(pdu.command, options).toBuffer());
  } catch (e) {
    throw new EncodeError(`Cannot build npm:smpp PDU for ${pdu.command}: ${e}`, {
      protocol: "smpp",
    });
  }
  if (!bytesEqual(ours, theirs)) {
    throw new EncodeError(
      `Cannot build npm:smpp PDU for ${pdu.command}: the library would change the octets`,
      { protocol: "smpp" },
    );
  }
  return lib;
}
