/**
 * `smsc numbers import themwi FILE`: writes what `admin_themwi.ts` parsed
 * into numbers.db in one transaction, so that a refused entry leaves the
 * database as it was.
 *
 * Import adds and updates, and never removes: a number in the file is
 * written with the kind given (default gsm) and with may-send-upstream when
 * it carries the `sms` flag, replacing what the database had for it; a short
 * number in the file replaces one with the same code.
 *
 * @module
 */

import type { NumberKind, NumbersDb } from "../store/numbers_db.ts";
import { parseThemwiNumberDb } from "./admin_themwi.ts";

/** Options of the import. */
export interface ImportOptions {
  /** The kind given to every imported number. */
  kind: NumberKind;
  /** Parse and report, write nothing. */
  dryRun: boolean;
}

/**
 * Imports a ThemWi number database text.
 *
 * @param db the open, writable database
 * @param text the file's contents
 * @param options kind and dry run
 * @param print writes one line of the summary
 * @throws {ThemwiSyntaxError} for an unreadable line
 * @throws {NumbersDbError} when the database refuses an entry
 */
export function importThemwi(
  db: NumbersDb,
  text: string,
  options: ImportOptions,
  print: (line: string) => void,
): void {
  const parsed = parseThemwiNumberDb(text);
  if (!options.dryRun) {
    db.transaction(() => {
      for (const n of parsed.numbers) {
        db.addNumber({ e164: n.e164, kind: options.kind, maySendUpstream: n.sms }, true);
      }
      for (const s of parsed.shorts) {
        db.removeShort(s.code);
        db.addShort(s);
      }
    });
  }
  const upstream = parsed.numbers.filter((n) => n.sms).length;
  print(
    `${options.dryRun ? "would import" : "imported"} ${parsed.numbers.length} numbers ` +
      `(${upstream} with sms), ${parsed.shorts.length} short numbers`,
  );
  for (const [flag, count] of parsed.ignoredFlags) {
    print(`ignored flag ${flag} on ${count} lines`);
  }
  if (parsed.skippedLines > 0) print(`skipped ${parsed.skippedLines} test-sink lines`);
}
