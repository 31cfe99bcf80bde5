/**
 * Line splitting, comments and quoted arguments (private to src/codec/sms_lang).
 *
 * @module
 */

import { DecodeError } from "../../lib/errors.ts";

/** Protocol name put into every error of this parser. */
export const PROTOCOL = "sms_lang";

/** One non-empty line, split into words. */
export interface Line {
  /** 1-based line number. */
  number: number;
  /** Character offset of the line start in the whole text. */
  offset: number;
  words: string[];
}

/** Builds the error for line `line`: field `"line N"`, message naming the line. */
export function lineError(line: Line, message: string): DecodeError {
  return new DecodeError(`Cannot parse line ${line.number}: ${message}`, {
    protocol: PROTOCOL,
    field: `line ${line.number}`,
    offset: line.offset,
  });
}

/**
 * Splits `text` into lines of words. `#` starts a comment outside quotes;
 * `"…"` makes one word that may be empty or hold spaces (no escapes).
 */
export function tokenize(text: string): Line[] {
  const lines: Line[] = [];
  let offset = 0;
  const raw = text.split("\n");
  for (let i = 0; i < raw.length; i++) {
    const line: Line = { number: i + 1, offset, words: [] };
    offset += raw[i].length + 1;
    line.words = splitWords(raw[i].replace(/\r$/, ""), line);
    if (line.words.length > 0) lines.push(line);
  }
  return lines;
}

function splitWords(s: string, line: Line): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === " " || c === "\t") {
      i++;
    } else if (c === "#") {
      break;
    } else if (c === '"') {
      const end = s.indexOf('"', i + 1);
      if (end < 0) throw lineError(line, "unterminated quoted argument");
      words.push(s.slice(i + 1, end));
      i = end + 1;
    } else {
      let j = i;
      while (j < s.length && s[j] !== " " && s[j] !== "\t" && s[j] !== '"' && s[j] !== "#") j++;
      words.push(s.slice(i, j));
      i = j;
    }
  }
  return words;
}
