/**
 * Constants of TS 23.038 (GSM 7 bit alphabet and national language tables).
 *
 * @module
 */

/** Escape to the extension (single shift) table, TS 23.038 §6.2.1 (code 0x1B). */
export const GSM7_ESCAPE = 0x1b;

/** Highest septet value, TS 23.038 §6.1.2.1. */
export const GSM7_SEPTET_MAX = 0x7f;

/** National language identifier of the default alphabet and extension table, TS 23.038 §6.2.1.2.4. */
export const NATIONAL_LANGUAGE_DEFAULT = 0;

/**
 * What a receiver shows for a trailing lone escape or an escape followed by a
 * second escape: "a receiving entity shall display a space" (TS 23.038
 * §6.2.1.1, code 0x1B of the extension table, and note 1 of §6.2.1).
 */
export const GSM7_ESCAPE_DISPLAY = " ";

/**
 * What we show for a septet at a position the active locking shift table
 * leaves undefined (for example 0x0C of the Bengali table, TS 23.038 §A.3.4).
 * The spec gives no rule for these; U+FFFD makes the loss visible.
 */
export const GSM7_UNDEFINED_DISPLAY = "\ufffd";

/** Marker of an undefined position inside the table strings. */
export const TABLE_UNDEFINED = "\uffff";
