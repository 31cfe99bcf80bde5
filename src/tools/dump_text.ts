/**
 * The message content of a record, decoded for `smsc dump --show-text`:
 * GSM 7 bit with the national shift tables the header names, UCS-2, 8-bit
 * data as hex, and the concatenation element of the User Data Header
 * (TS 23.040 §9.2.3.24.1). Nothing here runs unless the operator asked for
 * the text (seed §2.2.3).
 *
 * @module
 */

import { DecodeError } from "../lib/errors.ts";
import { toHex } from "../lib/bytes.ts";
import type { PmsRecord } from "../codec/pms/mod.ts";
import {
  type Alphabet,
  decodeDcs,
  decodeUserData,
  interpretIe,
  userDataAlphabet,
} from "../codec/tpdu/mod.ts";

/** Concatenation info of one part. */
export interface ConcatInfo {
  reference: number;
  total: number;
  sequence: number;
}

/** The decoded user data of one record. */
export interface ShownText {
  /** How TP-UD was read, from TP-DCS. */
  alphabet: Alphabet;
  /** The whole User Data Header in hex, UDHL included; absent without TP-UDHI. */
  udh?: string;
  /** The concatenation element, when the header has a valid one. */
  concat?: ConcatInfo;
  /** The text (GSM 7 bit and UCS-2). */
  text?: string;
  /** The payload after the header in hex (8-bit data, or undecodable user data). */
  data?: string;
  /** Why the user data could not be decoded; `data` then holds all of TP-UD. */
  error?: string;
}

/**
 * Decodes the user data of a record for display. A malformed header is
 * reported in `error` with the raw octets, never thrown: one bad message
 * must not stop a dump.
 *
 * @param rec the record
 * @returns the alphabet, header, concatenation info and text or data
 */
export function showUserData(rec: PmsRecord): ShownText {
  const alphabet = userDataAlphabet(decodeDcs(rec.dcs));
  let ud;
  try {
    ud = decodeUserData(rec.ud, rec.udl, rec.udhi, alphabet);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return { alphabet, error: e.message, data: toHex(rec.ud) };
  }
  const shown: ShownText = { alphabet };
  if (ud.udh !== null) {
    shown.udh = toHex(rec.ud.subarray(0, ud.udhOctets));
    for (const ie of ud.udh) {
      try {
        const v = interpretIe(ie);
        if (v.kind === "concat") {
          shown.concat = { reference: v.reference, total: v.total, sequence: v.sequence };
        }
      } catch (e) {
        // TS 23.040 §9.2.3.24.1: a receiver ignores a malformed element; the
        // header hex above still shows it.
        if (!(e instanceof DecodeError)) throw e;
      }
    }
  }
  if (ud.text !== undefined) shown.text = ud.text;
  else shown.data = toHex(ud.data);
  return shown;
}
