/**
 * The default alphabet, its extension table, and the Latin national language tables.
 *
 * Generated from the tables of TS 23.038 (V18.0.0) §6.2.1, §6.2.1.1,
 * Annex A.2.1-A.2.3 and A.3.1-A.3.3:
 * each string holds the 128 characters of one table, indexed by septet value. `\uffff` marks a
 * position the table leaves undefined, and position 0x1B, which is the escape
 * to the single shift table in a locking shift table (TS 23.038 §6.2.1) and is
 * reserved for a further extension in a single shift table (§6.2.1.1).
 * Each line covers eight septet values, as noted at its end.
 *
 * @module
 */

/** GSM 7 bit default alphabet, TS 23.038 §6.2.1. */
export const DEFAULT_ALPHABET: string = "\u0040\u00a3\u0024\u00a5\u00e8\u00e9\u00f9\u00ec" + // 0x00-0x07
  "\u00f2\u00c7\u000a\u00d8\u00f8\u000d\u00c5\u00e5" + // 0x08-0x0f
  "\u0394\u005f\u03a6\u0393\u039b\u03a9\u03a0\u03a8" + // 0x10-0x17
  "\u03a3\u0398\u039e\uffff\u00c6\u00e6\u00df\u00c9" + // 0x18-0x1f
  "\u0020\u0021\u0022\u0023\u00a4\u0025\u0026\u0027" + // 0x20-0x27
  "\u0028\u0029\u002a\u002b\u002c\u002d\u002e\u002f" + // 0x28-0x2f
  "\u0030\u0031\u0032\u0033\u0034\u0035\u0036\u0037" + // 0x30-0x37
  "\u0038\u0039\u003a\u003b\u003c\u003d\u003e\u003f" + // 0x38-0x3f
  "\u00a1\u0041\u0042\u0043\u0044\u0045\u0046\u0047" + // 0x40-0x47
  "\u0048\u0049\u004a\u004b\u004c\u004d\u004e\u004f" + // 0x48-0x4f
  "\u0050\u0051\u0052\u0053\u0054\u0055\u0056\u0057" + // 0x50-0x57
  "\u0058\u0059\u005a\u00c4\u00d6\u00d1\u00dc\u00a7" + // 0x58-0x5f
  "\u00bf\u0061\u0062\u0063\u0064\u0065\u0066\u0067" + // 0x60-0x67
  "\u0068\u0069\u006a\u006b\u006c\u006d\u006e\u006f" + // 0x68-0x6f
  "\u0070\u0071\u0072\u0073\u0074\u0075\u0076\u0077" + // 0x70-0x77
  "\u0078\u0079\u007a\u00e4\u00f6\u00f1\u00fc\u00e0"; // 0x78-0x7f

/** GSM 7 bit default alphabet extension table, TS 23.038 §6.2.1.1. */
export const DEFAULT_EXTENSION: string = "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff" + // 0x00-0x07
  "\uffff\uffff\u000c\uffff\uffff\uffff\uffff\uffff" + // 0x08-0x0f
  "\uffff\uffff\uffff\uffff\u005e\uffff\uffff\uffff" + // 0x10-0x17
  "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff" + // 0x18-0x1f
  "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff" + // 0x20-0x27
  "\u007b\u007d\uffff\uffff\uffff\uffff\uffff\u005c" + // 0x28-0x2f
  "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff" + // 0x30-0x37
  "\uffff\uffff\uffff\uffff\u005b\u007e\u005d\uffff" + // 0x38-0x3f
  "\u007c\uffff\uffff\uffff\uffff\uffff\uffff\uffff" + // 0x40-0x47
  "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff" + // 0x48-0x4f
  "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff" + // 0x50-0x57
  "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff" + // 0x58-0x5f
  "\uffff\uffff\uffff\uffff\uffff\u20ac\uffff\uffff" + // 0x60-0x67
  "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff" + // 0x68-0x6f
  "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff" + // 0x70-0x77
  "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff"; // 0x78-0x7f

/** Turkish national language locking shift table, TS 23.038 §A.3.1. */
export const TURKISH_LOCKING: string = "\u0040\u00a3\u0024\u00a5\u20ac\u00e9\u00f9\u0131" + // 0x00-0x07
  "\u00f2\u00c7\u000a\u011e\u011f\u000d\u00c5\u00e5" + // 0x08-0x0f
  "\u0394\u005f\u03a6\u0393\u039b\u03a9\u03a0\u03a8" + // 0x10-0x17
  "\u03a3\u0398\u039e\uffff\u015e\u015f\u00df\u00c9" + // 0x18-0x1f
  "\u0020\u0021\u0022\u0023\u00a4\u0025\u0026\u0027" + // 0x20-0x27
  "\u0028\u0029\u002a\u002b\u002c\u002d\u002e\u002f" + // 0x28-0x2f
  "\u0030\u0031\u0032\u0033\u0034\u0035\u0036\u0037" + // 0x30-0x37
  "\u0038\u0039\u003a\u003b\u003c\u003d\u003e\u003f" + // 0x38-0x3f
  "\u0130\u0041\u0042\u0043\u0044\u0045\u0046\u0047" + // 0x40-0x47
  "\u0048\u0049\u004a\u004b\u004c\u004d\u004e\u004f" + // 0x48-0x4f
  "\u0050\u0051\u0052\u0053\u0054\u0055\u0056\u0057" + // 0x50-0x57
  "\u0058\u0059\u005a\u00c4\u00d6\u00d1\u00dc\u00a7" + // 0x58-0x5f
  "\u00e7\u0061\u0062\u0063\u0064\u0065\u0066\u0067" + // 0x60-0x67
  "\u0068\u0069\u006a\u006b\u006c\u006d\u006e\u006f" + // 0x68-0x6f
  "\u0070\u0071\u0072\u0073\u0074\u0075\u0076\u0077" + // 0x70-0x77
  "\u0078\u0079\u007a\u00e4\u00f6\u00f1\u00fc\u00e0"; // 0x78-0x7f

/** Turkish national language single shift table, TS 23.038 §A.2.1. */
export const TURKISH_SINGLE: string = "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff" + // 0x00-0x07
  "\uffff\uffff\u000c\uffff\uffff\uffff\uffff\uffff" + // 0x08-0x0f
  "\uffff\uffff\uffff\uffff\u005e\uffff\uffff\uffff" + // 0x10-0x17
  "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff" + // 0x18-0x1f
  "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff" + // 0x20-0x27
  "\u007b\u007d\uffff\uffff\uffff\uffff\uffff\u005c" + // 0x28-0x2f
  "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff" + // 0x30-0x37
  "\uffff\uffff\uffff\uffff\u005b\u007e\u005d\uffff" + // 0x38-0x3f
  "\u007c\uffff\uffff\uffff\uffff\uffff\uffff\u011e" + // 0x40-0x47
  "\uffff\u0130\uffff\uffff\uffff\uffff\uffff\uffff" + // 0x48-0x4f
  "\uffff\uffff\uffff\u015e\uffff\uffff\uffff\uffff" + // 0x50-0x57
  "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff" + // 0x58-0x5f
  "\uffff\uffff\uffff\u00e7\uffff\u20ac\uffff\u011f" + // 0x60-0x67
  "\uffff\u0131\uffff\uffff\uffff\uffff\uffff\uffff" + // 0x68-0x6f
  "\uffff\uffff\uffff\u015f\uffff\uffff\uffff\uffff" + // 0x70-0x77
  "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff"; // 0x78-0x7f

/** Spanish national language single shift table, TS 23.038 §A.2.2 (Spanish has no locking shift table: §A.3.2 is void). */
export const SPANISH_SINGLE: string = "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff" + // 0x00-0x07
  "\uffff\u00e7\u000c\uffff\uffff\uffff\uffff\uffff" + // 0x08-0x0f
  "\uffff\uffff\uffff\uffff\u005e\uffff\uffff\uffff" + // 0x10-0x17
  "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff" + // 0x18-0x1f
  "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff" + // 0x20-0x27
  "\u007b\u007d\uffff\uffff\uffff\uffff\uffff\u005c" + // 0x28-0x2f
  "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff" + // 0x30-0x37
  "\uffff\uffff\uffff\uffff\u005b\u007e\u005d\uffff" + // 0x38-0x3f
  "\u007c\u00c1\uffff\uffff\uffff\uffff\uffff\uffff" + // 0x40-0x47
  "\uffff\u00cd\uffff\uffff\uffff\uffff\uffff\u00d3" + // 0x48-0x4f
  "\uffff\uffff\uffff\uffff\uffff\u00da\uffff\uffff" + // 0x50-0x57
  "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff" + // 0x58-0x5f
  "\uffff\u00e1\uffff\uffff\uffff\u20ac\uffff\uffff" + // 0x60-0x67
  "\uffff\u00ed\uffff\uffff\uffff\uffff\uffff\u00f3" + // 0x68-0x6f
  "\uffff\uffff\uffff\uffff\uffff\u00fa\uffff\uffff" + // 0x70-0x77
  "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff"; // 0x78-0x7f

/** Portuguese national language locking shift table, TS 23.038 §A.3.3. */
export const PORTUGUESE_LOCKING: string = "\u0040\u00a3\u0024\u00a5\u00ea\u00e9\u00fa\u00ed" + // 0x00-0x07
  "\u00f3\u00e7\u000a\u00d4\u00f4\u000d\u00c1\u00e1" + // 0x08-0x0f
  "\u0394\u005f\u00aa\u00c7\u00c0\u221e\u005e\u005c" + // 0x10-0x17
  "\u20ac\u00d3\u007c\uffff\u00c2\u00e2\u00ca\u00c9" + // 0x18-0x1f
  "\u0020\u0021\u0022\u0023\u00ba\u0025\u0026\u0027" + // 0x20-0x27
  "\u0028\u0029\u002a\u002b\u002c\u002d\u002e\u002f" + // 0x28-0x2f
  "\u0030\u0031\u0032\u0033\u0034\u0035\u0036\u0037" + // 0x30-0x37
  "\u0038\u0039\u003a\u003b\u003c\u003d\u003e\u003f" + // 0x38-0x3f
  "\u00cd\u0041\u0042\u0043\u0044\u0045\u0046\u0047" + // 0x40-0x47
  "\u0048\u0049\u004a\u004b\u004c\u004d\u004e\u004f" + // 0x48-0x4f
  "\u0050\u0051\u0052\u0053\u0054\u0055\u0056\u0057" + // 0x50-0x57
  "\u0058\u0059\u005a\u00c3\u00d5\u00da\u00dc\u00a7" + // 0x58-0x5f
  "\u007e\u0061\u0062\u0063\u0064\u0065\u0066\u0067" + // 0x60-0x67
  "\u0068\u0069\u006a\u006b\u006c\u006d\u006e\u006f" + // 0x68-0x6f
  "\u0070\u0071\u0072\u0073\u0074\u0075\u0076\u0077" + // 0x70-0x77
  "\u0078\u0079\u007a\u00e3\u00f5\u0060\u00fc\u00e0"; // 0x78-0x7f

/** Portuguese national language single shift table, TS 23.038 §A.2.3. */
export const PORTUGUESE_SINGLE: string = "\uffff\uffff\uffff\uffff\uffff\u00ea\uffff\uffff" + // 0x00-0x07
  "\uffff\u00e7\u000c\u00d4\u00f4\uffff\u00c1\u00e1" + // 0x08-0x0f
  "\uffff\uffff\u03a6\u0393\u005e\u03a9\u03a0\u03a8" + // 0x10-0x17
  "\u03a3\u0398\uffff\uffff\uffff\uffff\uffff\u00ca" + // 0x18-0x1f
  "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff" + // 0x20-0x27
  "\u007b\u007d\uffff\uffff\uffff\uffff\uffff\u005c" + // 0x28-0x2f
  "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff" + // 0x30-0x37
  "\uffff\uffff\uffff\uffff\u005b\u007e\u005d\uffff" + // 0x38-0x3f
  "\u007c\u00c0\uffff\uffff\uffff\uffff\uffff\uffff" + // 0x40-0x47
  "\uffff\u00cd\uffff\uffff\uffff\uffff\uffff\u00d3" + // 0x48-0x4f
  "\uffff\uffff\uffff\uffff\uffff\u00da\uffff\uffff" + // 0x50-0x57
  "\uffff\uffff\uffff\u00c3\u00d5\uffff\uffff\uffff" + // 0x58-0x5f
  "\uffff\u00c2\uffff\uffff\uffff\u20ac\uffff\uffff" + // 0x60-0x67
  "\uffff\u00ed\uffff\uffff\uffff\uffff\uffff\u00f3" + // 0x68-0x6f
  "\uffff\uffff\uffff\uffff\uffff\u00fa\uffff\uffff" + // 0x70-0x77
  "\uffff\uffff\uffff\u00e3\u00f5\uffff\uffff\u00e2"; // 0x78-0x7f
