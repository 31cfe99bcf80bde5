/**
 * Turns `msg` / `msg-udh` hex into TP-UD and TP-UDL (private to
 * src/codec/sms_lang). In septet coding the hex holds one unpacked septet per
 * octet (FreeCalypso doc/Tool-workflow), after the UDH octets for `msg-udh`.
 *
 * @module
 */

import { fillBitsAfterUdh, packSeptets } from "../gsm0338/septets.ts";
import { type Line, lineError } from "./_tokens.ts";
import type { SmsLangMessage } from "./types.ts";

/** TP-UD maximum, TS 23.040 §9.2.3.24: 140 octets. */
const UD_OCTETS_MAX = 140;
/** TP-UDL maximum in septets, TS 23.040 §9.2.3.16: 160. */
const UD_SEPTETS_MAX = 160;

/** Builds one segment from the decoded hex of a `msg` (udhi false) or `msg-udh` line. */
export function buildMessage(
  line: Line,
  data: Uint8Array,
  udhi: boolean,
  coding: "septet" | "octet",
): SmsLangMessage {
  let udhOctets = 0;
  if (udhi) {
    if (data.length < 1) throw lineError(line, "msg-udh needs at least the UDHL octet");
    udhOctets = 1 + data[0];
    if (udhOctets > data.length) {
      throw lineError(line, `UDHL ${data[0]} exceeds the ${data.length - 1} octets that follow`);
    }
  }
  if (coding === "octet") {
    if (data.length > UD_OCTETS_MAX) {
      throw lineError(line, `user data of ${data.length} octets exceeds ${UD_OCTETS_MAX}`);
    }
    return { udhi, udl: data.length, ud: data.slice() };
  }
  const septets = data.subarray(udhOctets);
  const bad = septets.findIndex((s) => s > 0x7f);
  if (bad >= 0) {
    throw lineError(line, `octet ${udhOctets + bad} (0x${hex2(septets[bad])}) is not a septet`);
  }
  // TS 23.040 §9.2.3.24: after a UDH the text starts on a septet boundary, so
  // the header counts as ceil(octets × 8 / 7) septets of TP-UDL.
  const fill = fillBitsAfterUdh(udhOctets);
  const udl = Math.ceil((udhOctets * 8) / 7) + septets.length;
  if (udl > UD_SEPTETS_MAX) {
    throw lineError(line, `user data of ${udl} septets exceeds ${UD_SEPTETS_MAX}`);
  }
  const packed = packSeptets(septets, fill);
  const ud = new Uint8Array(udhOctets + packed.length);
  ud.set(data.subarray(0, udhOctets));
  ud.set(packed, udhOctets);
  return { udhi, udl, ud };
}

function hex2(v: number): string {
  return v.toString(16).padStart(2, "0");
}
