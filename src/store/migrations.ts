/**
 * Versioned schema migrations of `numbers.db` with `PRAGMA user_version`, as
 * osmo-hlr's `db.c` does: a fresh file gets `SCHEMA_SQL` in one step; an
 * older file gets each `UPGRADES` step from its version up, all in one
 * transaction, so that a crash leaves the old version intact. A file newer
 * than this program is refused rather than guessed at.
 *
 * To change the schema: edit `SCHEMA_SQL`, raise `SCHEMA_VERSION`, append the
 * step that turns the previous version into the new one here, and commit a
 * dump of the previous version as `tests/fixtures/numbers_vN.sql` for the
 * upgrade test.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import { SCHEMA_SQL, SCHEMA_VERSION, SIP_USER_SQL } from "./schema.ts";

/** One step: from `to - 1` to `to`. */
export interface Upgrade {
  to: number;
  description: string;
  sql: string;
}

/** Steps after version 1 (the first published schema), in order. */
export const UPGRADES: readonly Upgrade[] = [
  {
    to: 2,
    description: "SIP digest users (issue 7): sip_user, with MD5 and SHA-256 HA1 per owned " +
      "number, replaces the never-used sip_credential",
    // sip_credential had no writer in version 1, so nothing is lost with it.
    sql: `DROP TABLE sip_credential;\n${SIP_USER_SQL}`,
  },
];

/** What `migrate` did. */
export interface MigrationResult {
  from: number;
  to: number;
}

/** Reads `PRAGMA user_version`. */
export function userVersion(db: DatabaseSync): number {
  const row = db.prepare("PRAGMA user_version").get() as { user_version: number };
  return row.user_version;
}

function isEmpty(db: DatabaseSync): boolean {
  const row = db.prepare("SELECT count(*) AS n FROM sqlite_schema").get() as { n: number };
  return row.n === 0;
}

/**
 * Brings the database to `SCHEMA_VERSION` inside one immediate transaction.
 *
 * @param db an open, writable database
 * @param upgrades the steps (a parameter so that tests can supply their own)
 * @param target the version to reach
 * @returns the versions before and after
 * @throws {Error} "Cannot open numbers.db: …" when the file is newer than
 *   `target`, has tables but no version, or a step is missing
 */
export function migrate(
  db: DatabaseSync,
  upgrades: readonly Upgrade[] = UPGRADES,
  target: number = SCHEMA_VERSION,
): MigrationResult {
  db.exec("BEGIN IMMEDIATE");
  try {
    const from = userVersion(db);
    if (from > target) {
      throw new Error(
        `Cannot open numbers.db: schema version ${from} is newer than this program's ${target}`,
      );
    }
    if (from === 0) {
      if (!isEmpty(db)) {
        throw new Error("Cannot open numbers.db: it has tables but no schema version");
      }
      db.exec(SCHEMA_SQL);
    } else {
      for (let v = from + 1; v <= target; v++) {
        const step = upgrades.find((u) => u.to === v);
        if (!step) throw new Error(`Cannot open numbers.db: no upgrade step to version ${v}`);
        db.exec(step.sql);
      }
    }
    db.exec(`PRAGMA user_version = ${target}`);
    db.exec("COMMIT");
    return { from, to: target };
  } catch (e) {
    db.exec("ROLLBACK");
    throw e;
  }
}
