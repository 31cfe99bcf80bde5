/**
 * SMPP data_coding (SMPP 3.4 §5.2.19) to and from TP-DCS (TS 23.038 §4).
 *
 * The mapping never changes octets by itself: it says which TP-DCS to send and
 * what the short_message octets are. Values whose octets a handset cannot read
 * (IA5, Latin-1) need `ia5ToGsm7` / `latin1ToGsm7` from `text_conversion.ts`,
 * called explicitly by policy; the mapping reports `conversion` so that no
 * caller can miss it.
 *
 * | data_coding | SMPP 3.4 meaning | TP-DCS | short_message octets |
 * | --- | --- | --- | --- |
 * | 0x00 | SMSC default alphabet | 0x00 | GSM 7-bit, one septet per octet |
 * | 0x01 | IA5 / ASCII | 0x00 after `ia5ToGsm7` | ASCII |
 * | 0x02, 0x04 | octet unspecified (8-bit binary) | 0x04 | binary |
 * | 0x03 | Latin-1 | 0x00 after `latin1ToGsm7` | ISO-8859-1 |
 * | 0x08 | UCS-2 | 0x08 | UCS-2 big-endian |
 * | 0x05-0x07, 0x09-0x0E | JIS, Cyrillic, Hebrew, pictogram, ISO-2022-JP, Kanji, KS C 5601 | none: rejected |
 * | 0x0F-0xBF | reserved | none: rejected (or identical TP-DCS if asked) |
 * | 0xC0-0xEF | GSM message waiting groups | identical | 7-bit (0xC0-0xDF) or UCS-2 (0xE0-0xEF) |
 * | 0xF0-0xF7 | GSM message class, 7-bit or 8-bit | identical | 7-bit (0xF0-0xF3) or 8-bit (0xF4-0xF7) |
 * | 0xF8-0xFF | reserved bit 3 of TS 23.038 group 1111 | none: rejected |
 *
 * @module
 */

import { SMPP_STATUS } from "./command_status.ts";

/** How the short_message octets are to be read. */
export type SmppOctetForm = "gsm7-septets" | "8bit" | "ucs2" | "ia5" | "latin1";

/** Result of `smppDataCodingToTpDcs`. */
export type SmppToTpDcs =
  | {
    ok: true;
    /** TP-DCS to put in the TPDU, TS 23.038 §4. */
    tpDcs: number;
    /** What the short_message octets are. */
    form: SmppOctetForm;
    /** The explicit text conversion the octets need before they reach a handset. */
    conversion: "none" | "ia5-to-gsm7" | "latin1-to-gsm7";
  }
  | { ok: false; reason: string; commandStatus: number };

/** Options of `smppDataCodingToTpDcs`. */
export interface SmppToTpDcsOptions {
  /**
   * Treat the reserved values 0x0F-0xBF as a TP-DCS of the same value, as some
   * ESMEs do (e.g. 0x10 for a class 0 GSM 7-bit message). Off by default.
   */
  reservedAsTpDcs?: boolean;
}

/** The §5.2.19 names of the national alphabets with no TP-DCS. */
const NATIONAL: Readonly<Record<number, string>> = {
  0x05: "JIS (X 0208-1990)",
  0x06: "Cyrillic (ISO-8859-5)",
  0x07: "Latin/Hebrew (ISO-8859-8)",
  0x09: "Pictogram encoding",
  0x0a: "ISO-2022-JP (music codes)",
  0x0d: "Extended Kanji JIS (X 0212-1990)",
  0x0e: "KS C 5601",
};

/** Octet form that TS 23.038 §4 gives a TP-DCS value, or undefined when reserved. */
export function tpDcsOctetForm(tpDcs: number): "gsm7-septets" | "8bit" | "ucs2" | undefined {
  const group = tpDcs >> 4;
  if (group <= 0x7) {
    // General data coding and automatic deletion groups (00xx, 01xx): bits 3-2 alphabet;
    // bit 5 (compressed) has no octet form we can pass through.
    if (tpDcs & 0x20) return undefined;
    return (["gsm7-septets", "8bit", "ucs2", undefined] as const)[(tpDcs >> 2) & 3];
  }
  if (group === 0xc || group === 0xd) return "gsm7-septets";
  if (group === 0xe) return "ucs2";
  if (group === 0xf) {
    if (tpDcs & 0x08) return undefined;
    return tpDcs & 0x04 ? "8bit" : "gsm7-septets";
  }
  return undefined;
}

function reject(reason: string): SmppToTpDcs {
  // SMPP 3.4 has no "invalid data_coding" status (SMPP 5.0 adds ESME_RINVDCS 0x104).
  return { ok: false, reason, commandStatus: SMPP_STATUS.ESME_RSUBMITFAIL };
}

/**
 * Maps an SMPP data_coding to the TP-DCS of the TPDU toward a handset.
 *
 * @param dataCoding data_coding of submit_sm, data_sm or submit_multi (0-255)
 * @param options see `SmppToTpDcsOptions`
 * @returns `{ ok: true, tpDcs, form, conversion }`, or `{ ok: false, reason,
 *   commandStatus }` (ESME_RSUBMITFAIL) for values with no TP-DCS
 * @throws never
 */
export function smppDataCodingToTpDcs(
  dataCoding: number,
  options: SmppToTpDcsOptions = {},
): SmppToTpDcs {
  switch (dataCoding) {
    case 0x00:
      return { ok: true, tpDcs: 0x00, form: "gsm7-septets", conversion: "none" };
    case 0x01:
      return { ok: true, tpDcs: 0x00, form: "ia5", conversion: "ia5-to-gsm7" };
    case 0x02:
    case 0x04:
      return { ok: true, tpDcs: 0x04, form: "8bit", conversion: "none" };
    case 0x03:
      return { ok: true, tpDcs: 0x00, form: "latin1", conversion: "latin1-to-gsm7" };
    case 0x08:
      return { ok: true, tpDcs: 0x08, form: "ucs2", conversion: "none" };
  }
  if (NATIONAL[dataCoding]) return reject(`data_coding ${NATIONAL[dataCoding]} has no TP-DCS`);
  const reserved = dataCoding < 0xc0;
  if (reserved && !options.reservedAsTpDcs) {
    return reject(`data_coding 0x${dataCoding.toString(16)} is reserved in SMPP 3.4`);
  }
  const form = tpDcsOctetForm(dataCoding);
  if (form === undefined) return reject(`data_coding 0x${dataCoding.toString(16)} has no TP-DCS`);
  return { ok: true, tpDcs: dataCoding, form, conversion: "none" };
}

/** Result of `tpDcsToSmppDataCoding`. */
export type TpDcsToSmpp =
  | {
    ok: true;
    dataCoding: number;
    /** What the TP-DCS said that data_coding cannot carry, e.g. "message class". */
    lost: string[];
  }
  | { ok: false; reason: string };

/**
 * Maps the TP-DCS of a message from a handset (or an SMS-DELIVER toward an
 * ESME) to an SMPP data_coding, saying what is lost.
 *
 * @param tpDcs TP-DCS, TS 23.038 §4 (0-255)
 * @returns `{ ok: true, dataCoding, lost }`, or `{ ok: false, reason }` for
 *   compressed or reserved TP-DCS values
 * @throws never
 */
export function tpDcsToSmppDataCoding(tpDcs: number): TpDcsToSmpp {
  const group = tpDcs >> 4;
  const form = tpDcsOctetForm(tpDcs);
  if (form === undefined) {
    return { ok: false, reason: `TP-DCS 0x${tpDcs.toString(16)} is compressed or reserved` };
  }
  // Message waiting groups and group 1111 exist in SMPP 3.4 §5.2.19 with the same value.
  if (group >= 0xc) return { ok: true, dataCoding: tpDcs, lost: [] };
  const lost = group >= 0x4 ? ["automatic deletion"] : [];
  const hasClass = (tpDcs & 0x10) !== 0;
  if (!hasClass) {
    const dataCoding = form === "gsm7-septets" ? 0x00 : form === "8bit" ? 0x04 : 0x08;
    return { ok: true, dataCoding, lost };
  }
  const cls = tpDcs & 0x03;
  if (form === "gsm7-septets") return { ok: true, dataCoding: 0xf0 | cls, lost };
  if (form === "8bit") return { ok: true, dataCoding: 0xf4 | cls, lost };
  return { ok: true, dataCoding: 0x08, lost: [...lost, "message class"] };
}
