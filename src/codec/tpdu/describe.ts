/**
 * Display helpers: the TPDU codecs keep TP-UD as raw octets (byte-exact);
 * these attach its decoded reading (header elements, text) for `smsc decode`
 * and logs, using `decodeUserData` of user_data.ts.
 *
 * @module
 */

import type { Dcs } from "./dcs.ts";
import { decodeDcs } from "./dcs.ts";
import { type Alphabet, decodeUserData, type UserData } from "./user_data.ts";

/** The parts of a TPDU value that carry user data. */
export interface WithUserData {
  udhi: boolean;
  dcs?: Dcs;
  udl?: number;
  ud?: Uint8Array;
}

/**
 * The alphabet to read TP-UD with, for a TP-DCS: compressed data (TS 23.042)
 * is shown as octets, and reserved codings as GSM 7 bit, as TS 23.038 §4
 * tells a receiving entity to assume.
 *
 * @param dcs the decoded TP-DCS (absent means 0x00, TS 23.040 §9.2.3.27)
 * @returns "gsm7", "8bit" or "ucs2"
 */
export function userDataAlphabet(dcs: Dcs | undefined): Alphabet {
  const d = dcs ?? decodeDcs(0);
  if (d.compressed) return "8bit";
  return d.alphabet === "reserved" ? "gsm7" : d.alphabet;
}

/**
 * Decodes the TP-UD of a TPDU value for display: header elements and text.
 *
 * @param tpdu a decoded SMS-SUBMIT, SMS-DELIVER, SMS-STATUS-REPORT or report TPDU
 * @returns the decoded user data, or undefined when the TPDU has none
 * @throws {DecodeError} when the user data header is malformed
 */
export function describeUserData(tpdu: WithUserData): UserData | undefined {
  if (tpdu.ud === undefined || tpdu.udl === undefined) return undefined;
  return decodeUserData(tpdu.ud, tpdu.udl, tpdu.udhi, userDataAlphabet(tpdu.dcs));
}
