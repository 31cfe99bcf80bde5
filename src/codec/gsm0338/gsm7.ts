/**
 * Text to GSM 7 bit septets and back, with the default alphabet, its
 * extension table and the national language shift tables (TS 23.038 §6.2.1,
 * §6.2.1.1, Annex A).
 *
 * @module
 */

import {
  GSM7_ESCAPE,
  GSM7_ESCAPE_DISPLAY,
  GSM7_UNDEFINED_DISPLAY,
  TABLE_UNDEFINED,
} from "./constants.ts";
import { lockingShiftTable, singleShiftTable } from "./languages.ts";

/** Which national language tables to use; absent or 0 means the default alphabet / extension. */
export interface Gsm7Options {
  /** National language identifier of the locking shift table (TS 23.040 §9.2.3.24.16). */
  lockingShift?: number;
  /** National language identifier of the single shift table (TS 23.040 §9.2.3.24.15). */
  singleShift?: number;
}

// Reverse tables (character -> septet), derived once from the constant tables.
// Where a table lists a character twice (for example "¡" at 0x13 and 0x15 of
// the Indic single shift tables) the lower code wins, so encoding is stable.
const reverseCache = new Map<string, ReadonlyMap<string, number>>();

function reverse(table: string): ReadonlyMap<string, number> {
  let map = reverseCache.get(table);
  if (map === undefined) {
    const m = new Map<string, number>();
    for (let code = 0; code < table.length; code++) {
      const ch = table[code];
      if (code !== GSM7_ESCAPE && ch !== TABLE_UNDEFINED && !m.has(ch)) m.set(ch, code);
    }
    map = m;
    reverseCache.set(table, map);
  }
  return map;
}

/**
 * Encodes text as GSM 7 bit septet values, one per array element (not
 * packed). A character of the locking shift table takes one septet; a
 * character found only in the single shift table takes two, the escape 0x1B
 * and its code (TS 23.038 §6.2.1.1). Without options the default alphabet and
 * its extension table are used. Unknown language identifiers fall back to the
 * default tables, as `lockingShiftTable` documents.
 *
 * @param text the text; every UTF-16 code unit must be in one of the two tables
 * @param options national language tables to use
 * @returns septet values 0-127, or null when some character cannot be represented
 */
export function encodeGsm7(text: string, options: Gsm7Options = {}): Uint8Array | null {
  const main = reverse(lockingShiftTable(options.lockingShift));
  const ext = reverse(singleShiftTable(options.singleShift));
  const out = new Uint8Array(text.length * 2);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const code = main.get(ch);
    if (code !== undefined) {
      out[n++] = code;
      continue;
    }
    const extCode = ext.get(ch);
    if (extCode === undefined) return null;
    out[n++] = GSM7_ESCAPE;
    out[n++] = extCode;
  }
  return out.slice(0, n);
}

/**
 * Counts the septets `encodeGsm7` would produce, without building them.
 *
 * @param text the text
 * @param options national language tables to use
 * @returns the septet count, or null when some character cannot be represented
 */
export function gsm7Length(text: string, options: Gsm7Options = {}): number | null {
  const main = reverse(lockingShiftTable(options.lockingShift));
  const ext = reverse(singleShiftTable(options.singleShift));
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    if (main.has(text[i])) n += 1;
    else if (ext.has(text[i])) n += 2;
    else return null;
  }
  return n;
}

/**
 * Decodes GSM 7 bit septet values (one per element, not packed) to text.
 * Never throws. Following TS 23.038 §6.2.1.1, an escape followed by a code the
 * single shift table does not define shows the main table's character for
 * that code; an escape followed by another escape, and a trailing lone escape,
 * show a space. Bits above the seventh are ignored. A septet at a position the
 * locking shift table leaves undefined shows U+FFFD.
 *
 * @param septets septet values
 * @param options national language tables to use
 * @returns the text
 */
export function decodeGsm7(septets: Uint8Array, options: Gsm7Options = {}): string {
  const main = lockingShiftTable(options.lockingShift);
  const ext = singleShiftTable(options.singleShift);
  let text = "";
  for (let i = 0; i < septets.length; i++) {
    const s = septets[i] & 0x7f;
    if (s !== GSM7_ESCAPE) {
      text += shown(main[s]);
      continue;
    }
    if (i + 1 >= septets.length) {
      text += GSM7_ESCAPE_DISPLAY;
      break;
    }
    const code = septets[++i] & 0x7f;
    if (code === GSM7_ESCAPE) text += GSM7_ESCAPE_DISPLAY;
    else if (ext[code] !== TABLE_UNDEFINED) text += ext[code];
    else text += shown(main[code]);
  }
  return text;
}

function shown(ch: string): string {
  return ch === TABLE_UNDEFINED ? GSM7_UNDEFINED_DISPLAY : ch;
}
