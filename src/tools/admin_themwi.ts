/**
 * Parser of the ThemWi text number database (`/var/gsm/number-db2`, read by
 * ThemWi's `themwi-update-numdb2`), for `smsc numbers import themwi FILE`.
 *
 * What ThemWi documents (themwi-docs "Number-database" and
 * "Local-short-numbers"), and we implement:
 *
 * - `prefix NPA-NXX [allow-abbrev]` opens a block of numbers under one
 *   NPA-NXX; each following suffix line `XXXX [flags…]` is the number
 *   `1 NPA NXX XXXX`. With `allow-abbrev`, each number also becomes a 4-digit
 *   local short number `XXXX` that abbreviates it.
 * - The flag `sms`: "provisioned for outside SMS connectivity", our
 *   may-send-upstream (seed §2.4.2 NUMBER_FLAG_SMSPROV).
 * - `#` starts a comment; blank lines are ignored.
 *
 * What we had to guess (the full syntax was not available to us):
 *
 * - The single-number form is taken as `NPA-NXX-XXXX [flags…]` (or ten bare
 *   digits) on a line of its own.
 * - `itn XXXX` (an internal test number) is taken as a standalone 4-digit
 *   local number of kind gsm; `test-sink XXXX …` lines are voice-only and are
 *   skipped and counted.
 * - Flags other than `sms` concern calls (E911 and the like); they are
 *   skipped and reported by name.
 *
 * Anything else is an error naming the line, so that nothing is lost silently.
 *
 * @module
 */

/** One owned number from the file. */
export interface ThemwiNumber {
  e164: string;
  sms: boolean;
}

/** One 4-digit local number from the file. */
export type ThemwiShort = { code: string; e164: string } | { code: string; kind: "gsm" };

/** What the file holds, plus what was skipped. */
export interface ThemwiDatabase {
  numbers: ThemwiNumber[];
  shorts: ThemwiShort[];
  /** Flag name to the number of lines that carried it. */
  ignoredFlags: Map<string, number>;
  /** Lines skipped as voice-only (test sinks). */
  skippedLines: number;
}

/** A line of the file that cannot be read. */
export class ThemwiSyntaxError extends Error {
  override name = "ThemwiSyntaxError";
  readonly line: number;

  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.line = line;
  }
}

function isNxx(code: string): boolean {
  return /^[2-9][0-9]{2}$/.test(code) && code.slice(1) !== "11";
}

// NANP NPA and NXX: NXX with N = 2-9, not N11. The same rule as
// core/numbering/nanp.ts, repeated because tools do not import core.
function nanpPrefix(npa: string, nxx: string, line: number): string {
  if (!isNxx(npa)) {
    throw new ThemwiSyntaxError(line, `Cannot use NPA "${npa}": it is not a NANP area code`);
  }
  if (!isNxx(nxx)) {
    throw new ThemwiSyntaxError(line, `Cannot use NXX "${nxx}": it is not a NANP exchange`);
  }
  return `1${npa}${nxx}`;
}

interface State {
  prefix?: string;
  abbrev: boolean;
  db: ThemwiDatabase;
  seen: Set<string>;
  seenShort: Set<string>;
}

function addNumber(state: State, e164: string, flags: string[], line: number): void {
  if (state.seen.has(e164)) throw new ThemwiSyntaxError(line, `Cannot add +${e164}: listed twice`);
  state.seen.add(e164);
  let sms = false;
  for (const flag of flags) {
    if (flag === "sms") sms = true;
    else state.db.ignoredFlags.set(flag, (state.db.ignoredFlags.get(flag) ?? 0) + 1);
  }
  state.db.numbers.push({ e164, sms });
}

function addShort(state: State, short: ThemwiShort, line: number): void {
  if (state.seenShort.has(short.code)) {
    throw new ThemwiSyntaxError(line, `Cannot add short number ${short.code}: it conflicts`);
  }
  state.seenShort.add(short.code);
  state.db.shorts.push(short);
}

function parseLine(state: State, words: string[], line: number): void {
  const [head, ...rest] = words;
  let m;
  if (head === "prefix") {
    m = rest[0]?.match(/^(\d{3})-(\d{3})$/);
    if (!m) throw new ThemwiSyntaxError(line, "Cannot read prefix: expected NPA-NXX");
    const extra = rest.slice(1).filter((w) => w !== "allow-abbrev");
    if (extra.length > 0) {
      throw new ThemwiSyntaxError(line, `Cannot read prefix flag "${extra[0]}"`);
    }
    state.prefix = nanpPrefix(m[1], m[2], line);
    state.abbrev = rest.includes("allow-abbrev");
  } else if (/^\d{4}$/.test(head)) {
    if (!state.prefix) {
      throw new ThemwiSyntaxError(line, "Cannot read suffix: no prefix line before it");
    }
    const e164 = state.prefix + head;
    addNumber(state, e164, rest, line);
    if (state.abbrev) addShort(state, { code: head, e164 }, line);
  } else if ((m = head.match(/^(\d{3})-?(\d{3})-?(\d{4})$/))) {
    addNumber(state, nanpPrefix(m[1], m[2], line) + m[3], rest, line);
  } else if (head === "itn") {
    if (!/^\d{4}$/.test(rest[0] ?? "") || rest.length !== 1) {
      throw new ThemwiSyntaxError(line, "Cannot read itn: expected 4 digits");
    }
    addShort(state, { code: rest[0], kind: "gsm" }, line);
  } else if (head === "test-sink") {
    state.db.skippedLines++;
  } else {
    throw new ThemwiSyntaxError(line, `Cannot read "${head}": unknown entry`);
  }
}

/**
 * Parses the text of a ThemWi number database.
 *
 * @param text the file's contents
 * @returns the numbers and short numbers it lists, in file order
 * @throws {ThemwiSyntaxError} on the first line that cannot be read
 */
export function parseThemwiNumberDb(text: string): ThemwiDatabase {
  const state: State = {
    abbrev: false,
    db: { numbers: [], shorts: [], ignoredFlags: new Map(), skippedLines: 0 },
    seen: new Set(),
    seenShort: new Set(),
  };
  text.split(/\r?\n/).forEach((raw, i) => {
    const words = raw.replace(/#.*/, "").trim().split(/\s+/).filter(Boolean);
    if (words.length > 0) parseLine(state, words, i + 1);
  });
  return state.db;
}
