import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { NumbersDb, NumbersDbError } from "./numbers_db.ts";
import { SCHEMA_VERSION } from "./schema.ts";

// A cheap scrypt cost: the tests check behaviour, not strength.
const CHEAP = { ln: 4, r: 8, p: 1 };

function memory(): NumbersDb {
  return NumbersDb.open(":memory:", { readOnly: false, busyTimeoutMs: 0, scrypt: CHEAP });
}

function refused(fn: () => unknown, code: string): void {
  assert.throws(fn, (e) => e instanceof NumbersDbError && e.code === code);
}

Deno.test("NumbersDb.open() creates the current schema", () => {
  const db = memory();
  assert.equal(db.schemaVersion(), SCHEMA_VERSION);
  assert.deepEqual(db.listNumbers(), []);
  db.close();
});

Deno.test("NumbersDb owned numbers: add, look up, replace, remove", () => {
  const db = memory();
  db.addNumber({ e164: "13105550101", kind: "gsm", maySendUpstream: true });
  db.addNumber({ e164: "13105550102", kind: "local", maySendUpstream: false });
  assert.deepEqual(db.lookupNumber("13105550101"), {
    e164: "13105550101",
    kind: "gsm",
    maySendUpstream: true,
  });
  assert.equal(db.lookupNumber("13105550199"), undefined);
  refused(
    () => db.addNumber({ e164: "13105550101", kind: "nosms", maySendUpstream: false }),
    "exists",
  );
  db.addNumber({ e164: "13105550101", kind: "nosms", maySendUpstream: false }, true);
  assert.equal(db.lookupNumber("13105550101")?.kind, "nosms");
  assert.deepEqual(db.listNumbers().map((n) => n.e164), ["13105550101", "13105550102"]);
  assert.equal(db.removeNumber("13105550102"), true);
  assert.equal(db.removeNumber("13105550102"), false);
  db.close();
});

Deno.test("NumbersDb owned numbers: malformed input is refused", async (t) => {
  const db = memory();
  for (const e164 of ["", "0123", "+13105550101", "1234567890123456", "1310555010a"]) {
    await t.step(`number "${e164}"`, () => {
      refused(() => db.addNumber({ e164, kind: "gsm", maySendUpstream: false }), "invalid");
    });
  }
  await t.step("kind", () => {
    refused(
      () => db.addNumber({ e164: "1", kind: "sip" as unknown as "gsm", maySendUpstream: false }),
      "invalid",
    );
  });
  db.close();
});

Deno.test("NumbersDb short numbers: abbreviations follow their number", () => {
  const db = memory();
  db.addNumber({ e164: "13105550101", kind: "gsm", maySendUpstream: true });
  db.addShort({ code: "0101", e164: "13105550101" });
  db.addShort({ code: "4000", kind: "local" });
  assert.deepEqual(db.lookupShort("0101"), {
    code: "0101",
    kind: "gsm",
    e164: "13105550101",
    maySendUpstream: true,
  });
  assert.deepEqual(db.lookupShort("4000"), {
    code: "4000",
    kind: "local",
    e164: undefined,
    maySendUpstream: false,
  });
  // A change of the number's kind shows through the abbreviation.
  db.addNumber({ e164: "13105550101", kind: "nosms", maySendUpstream: true }, true);
  assert.equal(db.lookupShort("0101")?.kind, "nosms");
  refused(() => db.addShort({ code: "0101", kind: "gsm" }), "exists");
  refused(() => db.addShort({ code: "0102", e164: "13105550102" }), "not-found");
  refused(() => db.addShort({ code: "123", kind: "gsm" }), "invalid");
  assert.deepEqual(db.listShorts(), [
    { code: "0101", e164: "13105550101" },
    { code: "4000", kind: "local" },
  ]);
  // Removing the number removes its abbreviation (ON DELETE CASCADE).
  db.removeNumber("13105550101");
  assert.equal(db.lookupShort("0101"), undefined);
  assert.equal(db.removeShort("4000"), true);
  assert.equal(db.removeShort("4000"), false);
  db.close();
});

const ACME = {
  name: "acme",
  systemId: "acme01",
  password: "s3cret",
  allow: ["192.0.2.7", "2001:db8::/32"],
  maxBinds: 2,
  maySendUpstream: true,
  enabled: true,
};

Deno.test("NumbersDb peers: add, get, list without the hash", () => {
  const db = memory();
  db.addPeer(ACME);
  const peer = {
    name: "acme",
    systemId: "acme01",
    allow: ["192.0.2.7/32", "2001:db8:0:0:0:0:0:0/32"],
    maxBinds: 2,
    maySendUpstream: true,
    enabled: true,
    hasPassword: true,
  };
  assert.deepEqual(db.getPeer("acme"), peer);
  assert.deepEqual(db.getPeerBySystemId("acme01"), peer);
  assert.deepEqual(db.listPeers(), [peer]);
  refused(() => db.addPeer(ACME), "exists");
  refused(() => db.addPeer({ ...ACME, name: "other" }), "exists");
  refused(() => db.addPeer({ ...ACME, name: "Bad Name" }), "invalid");
  refused(() => db.addPeer({ ...ACME, name: "x", systemId: "sixteen-chars-xx" }), "invalid");
  refused(
    () => db.addPeer({ ...ACME, name: "x", systemId: "x", password: "ninechars" }),
    "invalid",
  );
  refused(
    () => db.addPeer({ ...ACME, name: "x", systemId: "x", allow: ["10.0.0.0/33"] }),
    "invalid",
  );
  refused(() => db.addPeer({ ...ACME, name: "x", systemId: "x", maxBinds: 0 }), "invalid");
  db.close();
});

Deno.test("NumbersDb peers: passwords are hashed and checked", async () => {
  const path = Deno.makeTempFileSync({ suffix: ".db" });
  const db = NumbersDb.open(path, { readOnly: false, busyTimeoutMs: 0, scrypt: CHEAP });
  db.addPeer(ACME);
  db.addPeer({ ...ACME, name: "nopw", systemId: "nopw", password: undefined });
  assert.equal(db.verifyPeerPassword("acme01", "s3cret"), true);
  assert.equal(db.verifyPeerPassword("acme01", "s3cre"), false);
  assert.equal(db.verifyPeerPassword("acme01", ""), false);
  assert.equal(db.verifyPeerPassword("nobody", "s3cret"), false);
  assert.equal(db.verifyPeerPassword("nopw", ""), false);
  assert.equal(await db.verifyPeerPasswordAsync("acme01", "s3cret"), true);
  assert.equal(await db.verifyPeerPasswordAsync("acme01", "s3cre"), false);
  assert.equal(await db.verifyPeerPasswordAsync("nobody", "s3cret"), false);
  assert.equal(await db.verifyPeerPasswordAsync("nopw", ""), false);
  db.setPeerPassword("acme", "n3w");
  assert.equal(db.verifyPeerPassword("acme01", "s3cret"), false);
  assert.equal(db.verifyPeerPassword("acme01", "n3w"), true);
  db.setPeerEnabled("acme", false);
  assert.equal(db.verifyPeerPassword("acme01", "n3w"), false);
  refused(() => db.setPeerPassword("ghost", "x"), "not-found");
  db.close();
  // The file never holds the password in plain text; each hash has its own salt.
  const raw = new DatabaseSync(path);
  const rows = raw.prepare("SELECT password_hash FROM peer ORDER BY name").all();
  raw.close();
  const text = new TextDecoder("latin1").decode(Deno.readFileSync(path));
  assert.ok(!text.includes("n3w") && !text.includes("s3cret"));
  assert.match(String(rows[0].password_hash), /^\$scrypt\$ln=4,r=8,p=1\$[A-Za-z0-9+/]{22}\$/);
  assert.equal(rows[1].password_hash, null);
  Deno.removeSync(path);
});

Deno.test("NumbersDb pools: exact beats longest prefix beats shorter prefix", () => {
  const db = memory();
  db.addPeer(ACME);
  db.addPeer({ ...ACME, name: "beta", systemId: "beta" });
  db.addPool("acme", "1310555", true);
  db.addPool("beta", "131055501", true);
  db.addPool("acme", "13105550123", false);
  assert.deepEqual(db.findPeerByNumber("13105550123"), {
    peer: "acme",
    digits: "13105550123",
    prefix: false,
  });
  assert.deepEqual(db.findPeerByNumber("13105550124"), {
    peer: "beta",
    digits: "131055501",
    prefix: true,
  });
  assert.deepEqual(db.findPeerByNumber("13105559999"), {
    peer: "acme",
    digits: "1310555",
    prefix: true,
  });
  assert.equal(db.findPeerByNumber("13105560000"), undefined);
  assert.equal(db.findPeerByNumber("131055"), undefined);
  refused(() => db.addPool("beta", "1310555", true), "exists");
  refused(() => db.addPool("ghost", "1", true), "not-found");
  refused(() => db.addPool("beta", "0044", true), "invalid");
  // The same digits may be one peer's exact number and another's prefix.
  db.addPool("beta", "1310555", false);
  assert.equal(db.listPools("beta").length, 2);
  assert.equal(db.removePool("beta", "1310555", false), true);
  assert.equal(db.removePool("beta", "1310555", false), false);
  // Removing a peer removes its pool.
  db.removePeer("acme");
  assert.deepEqual(db.listPools(), [{ peer: "beta", digits: "131055501", prefix: true }]);
  assert.equal(db.findPeerByNumber("13105550123")?.peer, "beta");
  db.close();
});

Deno.test("NumbersDb subscribers: MSISDN-to-IMSI map", () => {
  const db = memory();
  db.setImsi("13105550101", "001010000000001");
  assert.equal(db.msisdnToImsi("13105550101"), "001010000000001");
  db.setImsi("13105550101", "001010000000002");
  assert.equal(db.msisdnToImsi("13105550101"), "001010000000002");
  refused(() => db.setImsi("13105550102", "001010000000002"), "exists");
  refused(() => db.setImsi("13105550102", "12345"), "invalid");
  refused(() => db.setImsi("+1", "001010000000003"), "invalid");
  db.setImsi("0101", "001010000000003");
  assert.deepEqual(db.listImsis().map((s) => s.msisdn), ["0101", "13105550101"]);
  assert.equal(db.removeImsi("0101"), true);
  assert.equal(db.msisdnToImsi("0101"), undefined);
  db.close();
});

Deno.test("NumbersDb.transaction() is all or nothing", () => {
  const db = memory();
  assert.throws(() =>
    db.transaction(() => {
      db.addNumber({ e164: "13105550101", kind: "gsm", maySendUpstream: false });
      db.addNumber({ e164: "13105550101", kind: "gsm", maySendUpstream: false });
    }), NumbersDbError);
  assert.equal(db.lookupNumber("13105550101"), undefined);
  db.close();
});

Deno.test("NumbersDb.open() read-only", async (t) => {
  const dir = Deno.makeTempDirSync();
  const path = `${dir}/numbers.db`;
  await t.step("refuses a missing file", () => {
    assert.throws(
      () => NumbersDb.open(path, { readOnly: true, busyTimeoutMs: 0 }),
      /^Error: Cannot open numbers.db at .*: unable to open database file$/,
    );
  });
  await t.step("reads a file a writer created, and cannot write it", () => {
    const w = NumbersDb.open(path, { readOnly: false, busyTimeoutMs: 0, scrypt: CHEAP });
    w.addNumber({ e164: "13105550101", kind: "local", maySendUpstream: false });
    const r = NumbersDb.open(path, { readOnly: true, busyTimeoutMs: 0 });
    assert.equal(r.lookupNumber("13105550101")?.kind, "local");
    assert.throws(() => r.addNumber({ e164: "1", kind: "gsm", maySendUpstream: false }));
    r.close();
    w.close();
  });
  await t.step("refuses a file that needs an upgrade", () => {
    const raw = new DatabaseSync(`${dir}/old.db`);
    raw.exec("CREATE TABLE t (x); PRAGMA user_version = 0");
    raw.close();
    assert.throws(
      () => NumbersDb.open(`${dir}/old.db`, { readOnly: true, busyTimeoutMs: 0 }),
      new RegExp(`read-only: schema version 0 is not ${SCHEMA_VERSION}`),
    );
  });
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("NumbersDb.open() refuses what it does not understand", async (t) => {
  const dir = Deno.makeTempDirSync();
  await t.step("a newer schema", () => {
    const raw = new DatabaseSync(`${dir}/new.db`);
    raw.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    assert.throws(
      () => NumbersDb.open(`${dir}/new.db`, { readOnly: false, busyTimeoutMs: 0 }),
      new RegExp(
        `Cannot open numbers.db: schema version ${SCHEMA_VERSION + 1} is newer than this ` +
          `program's ${SCHEMA_VERSION}`,
      ),
    );
  });
  await t.step("tables without a version (not our file)", () => {
    const raw = new DatabaseSync(`${dir}/other.db`);
    raw.exec("CREATE TABLE t (x)");
    raw.close();
    assert.throws(
      () => NumbersDb.open(`${dir}/other.db`, { readOnly: false, busyTimeoutMs: 0 }),
      /it has tables but no schema version/,
    );
  });
  Deno.removeSync(dir, { recursive: true });
});
