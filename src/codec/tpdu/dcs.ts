/**
 * TP-Data-Coding-Scheme, interpreted per TS 23.038 §4 (SMS Data Coding Scheme).
 *
 * The octet is kept as `raw` and is what goes back on the wire; the other
 * fields are its reading. Reserved coding groups (1000-1011) and the reserved
 * alphabet value (bits 3-2 = 11) give `alphabet: "reserved"`; TS 23.038 §4
 * says a receiving entity shall assume the GSM 7 bit default alphabet for any
 * reserved coding, so this layer counts TP-UDL of such messages in septets
 * (see `udlInSeptets`) and the SMSC passes them on unchanged.
 *
 * @module
 */

import { EncodeError } from "../../lib/errors.ts";
import { MWI_TYPES, TPDU_PROTOCOL } from "./constants.ts";

/** Character set of TP-UD as told by TP-DCS, TS 23.038 §4. */
export type DcsAlphabet = "gsm7" | "8bit" | "ucs2" | "reserved";

/** TS 23.038 §4 coding group, by the high bits of TP-DCS. */
export type DcsGroup =
  | "general" // 00xx xxxx
  | "auto-delete" // 01xx xxxx, message marked for automatic deletion
  | "reserved" // 1000 xxxx - 1011 xxxx
  | "mwi-discard" // 1100 xxxx, message waiting indication, discard message
  | "mwi-store-gsm7" // 1101 xxxx, message waiting indication, store message
  | "mwi-store-ucs2" // 1110 xxxx, message waiting indication, store message, UCS2
  | "data-class"; // 1111 xxxx, data coding / message class

/** Message waiting indication of coding groups 1100-1110, TS 23.038 §4. */
export interface MessageWaiting {
  /** Bit 3: indication active (true) or inactive. */
  active: boolean;
  /** Bits 1-0: which kind of message is waiting. */
  type: (typeof MWI_TYPES)[number];
  /** False for group 1100 (the MS may discard the message), true for 1101 and 1110. */
  store: boolean;
}

/** A decoded TP-DCS octet, TS 23.038 §4. */
export interface Dcs {
  /** The octet itself, 0-255; the only part written back on encode. */
  raw: number;
  /** Coding group. */
  group: DcsGroup;
  /** Alphabet of TP-UD. */
  alphabet: DcsAlphabet;
  /** Message class 0-3 when the octet gives one (bit 4 set in groups 00/01, always in 1111). */
  messageClass?: number;
  /** Bit 5 of groups 00/01: TP-UD is compressed (TS 23.042). */
  compressed: boolean;
  /** Present in groups 00/01: true for the automatic deletion group 01xx. */
  autoDelete?: boolean;
  /** Present in the message waiting groups. */
  mwi?: MessageWaiting;
}

const ALPHABETS: DcsAlphabet[] = ["gsm7", "8bit", "ucs2", "reserved"];

/**
 * Interprets a TP-DCS octet. Every value 0-255 has a reading, so this never
 * throws for a byte.
 *
 * @param raw the TP-DCS octet
 * @returns its reading per TS 23.038 §4
 * @throws {EncodeError} when `raw` is not an integer 0-255
 */
export function decodeDcs(raw: number): Dcs {
  if (!Number.isInteger(raw) || raw < 0 || raw > 255) {
    throw new EncodeError(`Cannot interpret TP-DCS: value ${raw} is outside 0-255`, {
      protocol: TPDU_PROTOCOL,
      field: "TP-DCS",
    });
  }
  if (raw < 0x80) {
    const dcs: Dcs = {
      raw,
      group: raw & 0x40 ? "auto-delete" : "general",
      alphabet: ALPHABETS[(raw >> 2) & 0x03],
      compressed: (raw & 0x20) !== 0,
      autoDelete: (raw & 0x40) !== 0,
    };
    if (raw & 0x10) dcs.messageClass = raw & 0x03;
    return dcs;
  }
  const high = raw >> 4;
  if (high <= 0x0b) return { raw, group: "reserved", alphabet: "reserved", compressed: false };
  if (high === 0x0f) {
    return {
      raw,
      group: "data-class",
      alphabet: raw & 0x04 ? "8bit" : "gsm7",
      messageClass: raw & 0x03,
      compressed: false,
    };
  }
  const group: DcsGroup = high === 0x0c
    ? "mwi-discard"
    : high === 0x0d
    ? "mwi-store-gsm7"
    : "mwi-store-ucs2";
  return {
    raw,
    group,
    alphabet: high === 0x0e ? "ucs2" : "gsm7",
    compressed: false,
    mwi: { active: (raw & 0x08) !== 0, type: MWI_TYPES[raw & 0x03], store: high !== 0x0c },
  };
}

/**
 * Builds the usual TP-DCS of the general data coding group for an alphabet:
 * 0x00 / 0x04 / 0x08 without a class, 0x10-0x1B with one.
 *
 * @param alphabet "gsm7", "8bit" or "ucs2"
 * @param messageClass optional message class 0-3
 * @returns the decoded TP-DCS
 * @throws {EncodeError} on another alphabet or a class outside 0-3
 */
export function dcsForAlphabet(alphabet: DcsAlphabet, messageClass?: number): Dcs {
  const index = ALPHABETS.indexOf(alphabet);
  if (index < 0 || index > 2) {
    throw new EncodeError(`Cannot build TP-DCS: alphabet "${alphabet}" is not gsm7, 8bit or ucs2`, {
      protocol: TPDU_PROTOCOL,
      field: "TP-DCS",
    });
  }
  if (messageClass === undefined) return decodeDcs(index << 2);
  if (!Number.isInteger(messageClass) || messageClass < 0 || messageClass > 3) {
    throw new EncodeError(`Cannot build TP-DCS: message class ${messageClass} is outside 0-3`, {
      protocol: TPDU_PROTOCOL,
      field: "TP-DCS",
    });
  }
  return decodeDcs(0x10 | (index << 2) | messageClass);
}

/**
 * Whether TP-UDL counts septets for this TP-DCS, TS 23.040 §9.2.3.16: it
 * does for uncompressed GSM 7 bit text, including the reserved codings that
 * TS 23.038 §4 says to read as GSM 7 bit; otherwise it counts octets.
 *
 * @param dcs the decoded TP-DCS
 * @returns true when TP-UDL is in septets
 */
export function udlInSeptets(dcs: Dcs): boolean {
  if (dcs.compressed) return false;
  return dcs.alphabet === "gsm7" || dcs.alphabet === "reserved";
}
