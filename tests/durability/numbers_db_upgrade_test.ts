/**
 * Upgrade test of numbers.db (STYLE §5, after osmo-hlr's tests/db_upgrade):
 * every committed dump of an older schema version is loaded, opened with the
 * current program, and must (1) end at the current `user_version`, (2) have
 * a schema equal to a freshly created one, and (3) still hold its rows.
 *
 * When the schema moves to version N+1: commit a dump of version N as
 * tests/fixtures/numbers_vN.sql (written by the version-N program, never
 * edited afterwards), and add it to FIXTURES with the rows it must keep.
 */

import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { NumbersDb } from "../../src/store/numbers_db.ts";
import { SCHEMA_VERSION } from "../../src/store/schema.ts";
import { ha1 } from "../../src/proto/sip_digest.ts";

interface Fixture {
  version: number;
  file: string;
  /** Checks, through the public API, that the fixture's rows survived. */
  check(db: NumbersDb): void;
}

function checkV1Rows(db: NumbersDb): void {
  assert.deepEqual(db.lookupNumber("13105550101"), {
    e164: "13105550101",
    kind: "gsm",
    maySendUpstream: true,
  });
  assert.equal(db.listNumbers().length, 5);
  assert.equal(db.lookupNumber("13105550104")?.kind, "nosms");
  assert.deepEqual(db.lookupShort("0103"), {
    code: "0103",
    kind: "local",
    e164: "13105550103",
    maySendUpstream: false,
  });
  assert.equal(db.lookupShort("4000")?.kind, "gsm");
  assert.deepEqual(db.getPeer("demo"), {
    name: "demo",
    systemId: "demo",
    allow: ["0:0:0:0:0:0:0:1/128", "127.0.0.1/32"],
    maxBinds: 2,
    maySendUpstream: true,
    enabled: true,
    hasPassword: true,
  });
  assert.equal(db.verifyPeerPassword("demo", "demo"), true);
  assert.equal(db.verifyPeerPassword("demo", "Demo"), false);
  assert.equal(db.getPeer("quiet")?.enabled, false);
  assert.equal(db.findPeerByNumber("12135550100")?.peer, "demo");
  assert.equal(db.findPeerByNumber("12135550199")?.peer, "quiet");
  assert.equal(db.findPeerByNumber("12135551234")?.peer, "demo");
  assert.equal(db.msisdnToImsi("13105550101"), "001010000000101");
  assert.equal(db.msisdnToImsi("4000"), "001010000004000");
}

function checkV2Rows(db: NumbersDb): void {
  checkV1Rows(db);
  assert.deepEqual(db.listSipUsers(), [
    { e164: "13105550101", username: "13105550101", realm: "smsc.local" },
    { e164: "13105550102", username: "bob", realm: "ims.example" },
  ]);
  const bob = db.getSipCredential("bob");
  assert.equal(bob?.e164, "13105550102");
  assert.equal(bob?.credential.ha1["SHA-256"], ha1("SHA-256", "bob", "ims.example", "bob-pw"));
  assert.equal(bob?.credential.ha1.MD5, ha1("MD5", "bob", "ims.example", "bob-pw"));
}

// Version 1's sip_credential was never written, so an upgraded file has no SIP users.
function checkV1Upgraded(db: NumbersDb): void {
  checkV1Rows(db);
  assert.deepEqual(db.listSipUsers(), []);
}

const FIXTURES: Fixture[] = [
  { version: 1, file: "numbers_v1.sql", check: checkV1Upgraded },
  { version: 2, file: "numbers_v2.sql", check: checkV2Rows },
];

// Comments and layout are not schema: SQLite keeps the text of each CREATE
// statement as written, and an upgraded table's text comes from ALTER TABLE.
function normalizeSql(sql: string | null): string | null {
  if (sql === null) return null;
  return sql.replace(/--[^\n]*/g, "").replace(/\s+/g, " ").replace(/\( /g, "(").replace(/ \)/g, ")")
    .trim();
}

type Row = Record<string, unknown>;

/** The schema as data: statements, and every table's columns, keys and indexes. */
function schemaOf(path: string): unknown {
  const db = new DatabaseSync(path, { readOnly: true });
  const objects = (db.prepare(
    "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name",
  ).all() as Row[]).map((o): Row => ({ ...o, sql: normalizeSql(o.sql as string | null) }));
  const tables = objects.filter((o) => o.type === "table").map((t) => {
    const name = t.name as string;
    return {
      name,
      columns: db.prepare(`PRAGMA table_xinfo(${name})`).all(),
      foreignKeys: db.prepare(`PRAGMA foreign_key_list(${name})`).all(),
      indexes: db.prepare(`PRAGMA index_list(${name})`).all(),
    };
  });
  const version = (db.prepare("PRAGMA user_version").get() as Row).user_version;
  db.close();
  return { version, objects, tables };
}

Deno.test("numbers.db upgrade from every committed dump", async (t) => {
  const dir = Deno.makeTempDirSync();
  const freshPath = `${dir}/fresh.db`;
  NumbersDb.open(freshPath, { readOnly: false, busyTimeoutMs: 0 }).close();
  const fresh = schemaOf(freshPath);

  for (const fixture of FIXTURES) {
    await t.step(`from version ${fixture.version}`, () => {
      const path = `${dir}/v${fixture.version}.db`;
      const sql = Deno.readTextFileSync(new URL(`../fixtures/${fixture.file}`, import.meta.url));
      const raw = new DatabaseSync(path);
      raw.exec(sql);
      assert.equal(
        (raw.prepare("PRAGMA user_version").get() as Row).user_version,
        fixture.version,
      );
      raw.close();

      const db = NumbersDb.open(path, { readOnly: false, busyTimeoutMs: 0 });
      assert.equal(db.schemaVersion(), SCHEMA_VERSION);
      fixture.check(db);
      db.close();
      assert.deepEqual(schemaOf(path), fresh);

      // Opening again is a no-op, and a read-only open now succeeds.
      const again = NumbersDb.open(path, { readOnly: true, busyTimeoutMs: 0 });
      fixture.check(again);
      again.close();
    });
  }
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("every schema version below the current one has a fixture", () => {
  const versions = FIXTURES.map((f) => f.version);
  for (let v = 1; v <= SCHEMA_VERSION; v++) assert.ok(versions.includes(v), `numbers_v${v}.sql`);
});
