/**
 * GSM 7 bit alphabet, national language tables and UCS-2, after 3GPP TS
 * 23.038 V18.0.0.
 *
 * - Septet packing (§6.1.2.1.1) with fill bits after a User Data Header
 *   (TS 23.040 §9.2.3.24): `packSeptets`, `unpackSeptets`, `fillBitsAfterUdh`.
 * - Text to septet values and back with the default alphabet (§6.2.1), its
 *   extension table (§6.2.1.1) and the national language locking shift
 *   (Annex A.3) and single shift (Annex A.2) tables of all 13 languages of
 *   §6.2.1.2.4: `encodeGsm7`, `decodeGsm7`, `gsm7Length`.
 * - UCS-2 (§6.2.3) as UTF-16BE with surrogate pairs: `encodeUcs2`, `decodeUcs2`.
 *
 * Limits: `encodeGsm7` returns null for text that the chosen tables cannot
 * represent (it never substitutes characters). The decoders never throw: an
 * escape followed by an undefined code shows the main table's character, an
 * escape followed by an escape or at the end shows a space (§6.2.1.1),
 * undefined positions of a locking shift table show U+FFFD, and an odd
 * trailing UCS-2 octet shows U+FFFD. Unknown national language identifiers
 * select the default tables. `unpackSeptets` throws `DecodeError` when the
 * octets hold fewer septets than asked for.
 *
 * @example
 * ```ts
 * import { decodeGsm7, encodeGsm7, packSeptets, unpackSeptets } from "./mod.ts";
 *
 * const septets = encodeGsm7("hellohello")!;
 * const packed = packSeptets(septets); // e8 32 9b fd 46 97 d9 ec 37
 * decodeGsm7(unpackSeptets(packed, septets.length)); // "hellohello"
 * ```
 *
 * @module
 */

export { fillBitsAfterUdh, packSeptets, unpackSeptets } from "./septets.ts";
export { decodeGsm7, encodeGsm7, gsm7Length, type Gsm7Options } from "./gsm7.ts";
export { decodeUcs2, encodeUcs2 } from "./ucs2.ts";
export {
  lockingShiftTable,
  NATIONAL_LANGUAGES,
  type NationalLanguage,
  singleShiftTable,
} from "./languages.ts";
export {
  GSM7_ESCAPE,
  GSM7_ESCAPE_DISPLAY,
  GSM7_SEPTET_MAX,
  GSM7_UNDEFINED_DISPLAY,
  NATIONAL_LANGUAGE_DEFAULT,
} from "./constants.ts";
