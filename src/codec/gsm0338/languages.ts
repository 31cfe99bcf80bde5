/**
 * National language identifiers and their tables, TS 23.038 §6.2.1.2.4 and
 * Annex A.
 *
 * @module
 */

import {
  DEFAULT_ALPHABET,
  DEFAULT_EXTENSION,
  PORTUGUESE_LOCKING,
  PORTUGUESE_SINGLE,
  SPANISH_SINGLE,
  TURKISH_LOCKING,
  TURKISH_SINGLE,
} from "./_tables_latin.ts";
import {
  BENGALI_LOCKING,
  BENGALI_SINGLE,
  GUJARATI_LOCKING,
  GUJARATI_SINGLE,
  HINDI_LOCKING,
  HINDI_SINGLE,
  KANNADA_LOCKING,
  KANNADA_SINGLE,
  MALAYALAM_LOCKING,
  MALAYALAM_SINGLE,
} from "./_tables_indic_a.ts";
import {
  ORIYA_LOCKING,
  ORIYA_SINGLE,
  PUNJABI_LOCKING,
  PUNJABI_SINGLE,
  TAMIL_LOCKING,
  TAMIL_SINGLE,
  TELUGU_LOCKING,
  TELUGU_SINGLE,
  URDU_LOCKING,
  URDU_SINGLE,
} from "./_tables_indic_b.ts";

/** One national language of TS 23.038 §6.2.1.2.4. */
export interface NationalLanguage {
  /** National language identifier, as carried in IEI 0x24 / 0x25 (TS 23.040 §9.2.3.24.15/16). */
  id: number;
  /** English name as in TS 23.038 §6.2.1.2.4. */
  name: string;
  /** True when Annex A.3 defines a locking shift table (every language but Spanish). */
  hasLockingShift: boolean;
  /** True when Annex A.2 defines a single shift table (every language). */
  hasSingleShift: boolean;
}

const LOCKING: ReadonlyMap<number, string> = new Map([
  [0, DEFAULT_ALPHABET],
  [1, TURKISH_LOCKING],
  [3, PORTUGUESE_LOCKING],
  [4, BENGALI_LOCKING],
  [5, GUJARATI_LOCKING],
  [6, HINDI_LOCKING],
  [7, KANNADA_LOCKING],
  [8, MALAYALAM_LOCKING],
  [9, ORIYA_LOCKING],
  [10, PUNJABI_LOCKING],
  [11, TAMIL_LOCKING],
  [12, TELUGU_LOCKING],
  [13, URDU_LOCKING],
]);

const SINGLE: ReadonlyMap<number, string> = new Map([
  [0, DEFAULT_EXTENSION],
  [1, TURKISH_SINGLE],
  [2, SPANISH_SINGLE],
  [3, PORTUGUESE_SINGLE],
  [4, BENGALI_SINGLE],
  [5, GUJARATI_SINGLE],
  [6, HINDI_SINGLE],
  [7, KANNADA_SINGLE],
  [8, MALAYALAM_SINGLE],
  [9, ORIYA_SINGLE],
  [10, PUNJABI_SINGLE],
  [11, TAMIL_SINGLE],
  [12, TELUGU_SINGLE],
  [13, URDU_SINGLE],
]);

const NAMES = [
  "Turkish",
  "Spanish",
  "Portuguese",
  "Bengali",
  "Gujarati",
  "Hindi",
  "Kannada",
  "Malayalam",
  "Oriya",
  "Punjabi",
  "Tamil",
  "Telugu",
  "Urdu",
];

/** The national languages 1-13 of TS 23.038 §6.2.1.2.4, in identifier order. */
export const NATIONAL_LANGUAGES: readonly NationalLanguage[] = NAMES.map((name, i) => ({
  id: i + 1,
  name,
  hasLockingShift: LOCKING.has(i + 1),
  hasSingleShift: SINGLE.has(i + 1),
}));

/**
 * The 128-character locking shift table (main table) for a national language
 * identifier. Identifiers without a locking shift table (Spanish, reserved
 * values, anything unknown) give the default alphabet, which is what a
 * receiver that does not support the indicated table uses (TS 23.038
 * §6.2.1.2.4).
 *
 * @param id national language identifier; 0 or undefined for the default alphabet
 * @returns the table string, indexed by septet value
 */
export function lockingShiftTable(id: number | undefined): string {
  return LOCKING.get(id ?? 0) ?? DEFAULT_ALPHABET;
}

/**
 * The 128-character single shift (extension) table for a national language
 * identifier; unknown identifiers give the default extension table (TS 23.038
 * §6.2.1.1), as for `lockingShiftTable`.
 *
 * @param id national language identifier; 0 or undefined for the default extension table
 * @returns the table string, indexed by the septet that follows an escape
 */
export function singleShiftTable(id: number | undefined): string {
  return SINGLE.get(id ?? 0) ?? DEFAULT_EXTENSION;
}
