import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { NumbersDb, NumbersDbError } from "./numbers_db.ts";
import { DigestAuth, digestResponse, ha1 } from "../proto/sip_digest.ts";

const REALM = "smsc.local";

function memory(): NumbersDb {
  const db = NumbersDb.open(":memory:", { readOnly: false, busyTimeoutMs: 0 });
  db.addNumber({ e164: "12125550100", kind: "gsm", maySendUpstream: false });
  db.addNumber({ e164: "12125550101", kind: "gsm", maySendUpstream: false });
  db.addNumber({ e164: "12125550102", kind: "local", maySendUpstream: false });
  return db;
}

function refused(fn: () => unknown, code: string, message?: RegExp): void {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof NumbersDbError, String(e));
    assert.equal(e.code, code);
    if (message) assert.match(e.message, message);
    return true;
  });
}

Deno.test("NumbersDb SIP users: set, look up by username, list, remove", () => {
  const db = memory();
  db.setSipUser("12125550100", "pässword 1", REALM);
  db.setSipUser("12125550101", "other", "ims.example", "alice@ims.example");
  assert.deepEqual(db.getSipCredential("12125550100"), {
    e164: "12125550100",
    credential: {
      username: "12125550100",
      realm: REALM,
      ha1: {
        "MD5": ha1("MD5", "12125550100", REALM, "pässword 1"),
        "SHA-256": ha1("SHA-256", "12125550100", REALM, "pässword 1"),
      },
    },
  });
  assert.equal(db.getSipCredential("alice@ims.example")?.e164, "12125550101");
  assert.equal(db.getSipCredential("nobody"), undefined);
  assert.deepEqual(db.listSipUsers(), [
    { e164: "12125550100", username: "12125550100", realm: REALM },
    { e164: "12125550101", username: "alice@ims.example", realm: "ims.example" },
  ]);
  assert.equal(db.removeSipUser("12125550101"), true);
  assert.equal(db.removeSipUser("12125550101"), false);
  assert.equal(db.getSipCredential("alice@ims.example"), undefined);
  db.close();
});

Deno.test("NumbersDb SIP users: setting again replaces password, realm and username", () => {
  const db = memory();
  db.setSipUser("12125550100", "one", REALM);
  const before = db.getSipCredential("12125550100")!.credential.ha1;
  db.setSipUser("12125550100", "two", REALM);
  assert.notDeepEqual(db.getSipCredential("12125550100")!.credential.ha1, before);
  db.setSipUser("12125550100", "two", "other.example", "bob");
  assert.equal(db.getSipCredential("12125550100"), undefined);
  assert.equal(db.getSipCredential("bob")?.credential.realm, "other.example");
  assert.equal(db.listSipUsers().length, 1);
  db.close();
});

Deno.test("NumbersDb SIP users: refusals", async (t) => {
  const db = memory();
  db.setSipUser("12125550100", "pw", REALM);
  const cases: [string, () => void, string, RegExp][] = [
    ["not owned", () => db.setSipUser("12125550199", "pw", REALM), "not-found", /not a local/],
    ["kind local", () => db.setSipUser("12125550102", "pw", REALM), "invalid", /kind is local/],
    ["bad number", () => db.setSipUser("+1212", "pw", REALM), "invalid", /1-15 digits/],
    ["taken", () => db.setSipUser("12125550101", "pw", REALM, "12125550100"), "exists", /belongs/],
    ["colon", () => db.setSipUser("12125550101", "pw", REALM, "a:b"), "invalid", /username/],
    ["quote", () => db.setSipUser("12125550101", "pw", REALM, 'a"b'), "invalid", /username/],
    ["space", () => db.setSipUser("12125550101", "pw", REALM, "a b"), "invalid", /username/],
    ["empty name", () => db.setSipUser("12125550101", "pw", REALM, ""), "invalid", /username/],
    [
      "long name",
      () => db.setSipUser("12125550101", "pw", REALM, "a".repeat(129)),
      "invalid",
      /username/,
    ],
    ["realm", () => db.setSipUser("12125550101", "pw", "a realm"), "invalid", /realm/],
    ["empty password", () => db.setSipUser("12125550101", "", REALM), "invalid", /1-128/],
    [
      "long password",
      () => db.setSipUser("12125550101", "p".repeat(129), REALM),
      "invalid",
      /1-128/,
    ],
    ["control", () => db.setSipUser("12125550101", "p\nw", REALM), "invalid", /control/],
  ];
  for (const [name, fn, code, message] of cases) {
    await t.step(name, () => refused(fn, code, message));
  }
  assert.deepEqual(db.listSipUsers().map((u) => u.e164), ["12125550100"]);
  db.close();
});

Deno.test("NumbersDb SIP users: removing the number removes its SIP user", () => {
  const db = memory();
  db.setSipUser("12125550100", "pw", REALM);
  db.removeNumber("12125550100");
  assert.deepEqual(db.listSipUsers(), []);
  db.close();
});

Deno.test("NumbersDb SIP users: the file holds HA1 values, never the password", () => {
  const dir = Deno.makeTempDirSync();
  const path = `${dir}/numbers.db`;
  const db = NumbersDb.open(path, { readOnly: false, busyTimeoutMs: 0 });
  db.addNumber({ e164: "12125550100", kind: "gsm", maySendUpstream: false });
  db.setSipUser("12125550100", "Tr0ub4dor&3", REALM);
  db.close();
  const raw = new DatabaseSync(path);
  const dump = JSON.stringify(raw.prepare("SELECT * FROM sip_user").all());
  assert.ok(!dump.includes("Tr0ub4dor"));
  // The table itself refuses malformed HA1 values and usernames.
  for (
    const row of [
      ["12125550100", "x", REALM, "abc", "0".repeat(64)],
      ["12125550100", "x", REALM, "0".repeat(32), "G".repeat(64)],
      ["12125550100", "a:b", REALM, "0".repeat(32), "0".repeat(64)],
    ]
  ) {
    assert.throws(() =>
      raw.prepare("INSERT OR REPLACE INTO sip_user VALUES (?, ?, ?, ?, ?)").run(...row)
    );
  }
  raw.close();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("NumbersDb SIP users: a stored credential verifies a digest response", () => {
  const db = memory();
  db.setSipUser("12125550100", "s3cret", REALM);
  const auth = new DigestAuth({
    realm: REALM,
    secret: new Uint8Array(16).fill(7),
    nonceTtlMs: 1000,
  });
  const nonce = /nonce="([^"]+)"/.exec(auth.challenge(0)[0])![1];
  const response = digestResponse({
    algorithm: "SHA-256",
    ha1: ha1("SHA-256", "12125550100", REALM, "s3cret"),
    nonce,
    nc: "00000001",
    cnonce: "abc",
    method: "REGISTER",
    uri: "sip:smsc.local",
  });
  const header = `Digest username="12125550100", realm="${REALM}", nonce="${nonce}", ` +
    `uri="sip:smsc.local", response="${response}", algorithm=SHA-256, qop=auth, ` +
    `nc=00000001, cnonce="abc"`;
  const r = auth.verify(header, "REGISTER", (u) => db.getSipCredential(u)?.credential, 10);
  assert.deepEqual(r, { ok: true, username: "12125550100" });
  db.close();
});

Deno.test("NumbersDb SIP users: a number no longer of kind gsm cannot log in", () => {
  const db = memory();
  db.setSipUser("12125550100", "pw", REALM);
  assert.equal(db.getSipCredential("12125550100")?.e164, "12125550100");
  db.addNumber({ e164: "12125550100", kind: "nosms", maySendUpstream: false }, true);
  assert.equal(db.getSipCredential("12125550100"), undefined);
  db.addNumber({ e164: "12125550100", kind: "gsm", maySendUpstream: false }, true);
  assert.equal(db.getSipCredential("12125550100")?.e164, "12125550100");
  db.close();
});
