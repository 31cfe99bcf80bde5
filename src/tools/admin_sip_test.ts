import assert from "node:assert/strict";
import { runNumbers } from "./admin.ts";
import { NumbersDb } from "../store/numbers_db.ts";
import { ha1 } from "../proto/sip_digest.ts";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function harness(sipRealm?: string) {
  const dir = Deno.makeTempDirSync();
  const dbPath = `${dir}/numbers.db`;
  async function run(argv: string[], stdin = ""): Promise<Run> {
    let stdout = "";
    let stderr = "";
    const code = await runNumbers(argv, {
      dbPath,
      sipRealm,
      readStdin: () => Promise.resolve(stdin),
      out: (t) => (stdout += t),
      err: (l) => (stderr += l + "\n"),
    });
    return { code, stdout, stderr };
  }
  function credential(username: string) {
    const db = NumbersDb.open(dbPath, { readOnly: true, busyTimeoutMs: 0 });
    try {
      return db.getSipCredential(username);
    } finally {
      db.close();
    }
  }
  return { run, credential, done: () => Deno.removeSync(dir, { recursive: true }) };
}

const OK = { code: 0, stdout: "", stderr: "" };

Deno.test("smsc numbers sip-user: set, list, replace, remove", async () => {
  const h = harness();
  assert.equal((await h.run(["add", "+1-212-555-0100", "--kind", "gsm"])).code, 0);
  assert.equal((await h.run(["add", "+12125550101", "--kind", "gsm"])).code, 0);
  assert.deepEqual(
    await h.run(["sip-user", "set", "+1-212-555-0100", "--password-stdin"], "s3cret\n"),
    OK,
  );
  assert.deepEqual(
    await h.run(
      [
        "sip-user",
        "set",
        "+12125550101",
        "--password-stdin",
        "--username",
        "alice",
        "--realm",
        "ims.example",
      ],
      "pw2",
    ),
    OK,
  );
  assert.deepEqual(await h.run(["sip-user", "list"]), {
    code: 0,
    stdout: "+12125550100 username=12125550100 realm=smsc.local\n" +
      "+12125550101 username=alice realm=ims.example\n",
    stderr: "",
  });
  const json = (await h.run(["sip-user", "list", "--json"])).stdout.trim().split("\n")
    .map((l) => JSON.parse(l));
  assert.deepEqual(json[1], { e164: "12125550101", username: "alice", realm: "ims.example" });
  // The trailing newline is not part of the password.
  assert.equal(
    h.credential("12125550100")?.credential.ha1["SHA-256"],
    ha1("SHA-256", "12125550100", "smsc.local", "s3cret"),
  );
  assert.equal(
    h.credential("alice")?.credential.ha1.MD5,
    ha1("MD5", "alice", "ims.example", "pw2"),
  );
  // Setting again replaces.
  assert.deepEqual(
    await h.run(["sip-user", "set", "12125550100", "--password-stdin"], "n3w\r\n"),
    OK,
  );
  assert.equal(
    h.credential("12125550100")?.credential.ha1.MD5,
    ha1("MD5", "12125550100", "smsc.local", "n3w"),
  );
  assert.deepEqual(await h.run(["sip-user", "remove", "+12125550101"]), OK);
  assert.deepEqual(await h.run(["sip-user", "remove", "+12125550101"]), {
    code: 65,
    stdout: "",
    stderr: "smsc numbers: Cannot remove SIP user of +12125550101: it is not there\n",
  });
  assert.equal((await h.run(["sip-user", "list"])).stdout.split("\n").length, 2);
  h.done();
});

Deno.test("smsc numbers sip-user: the realm default comes from the caller (gsmif.domain)", async () => {
  const h = harness("sip.example.org");
  await h.run(["add", "+12125550100", "--kind", "gsm"]);
  assert.deepEqual(await h.run(["sip-user", "set", "+12125550100", "--password-stdin"], "pw"), OK);
  assert.equal(h.credential("12125550100")?.credential.realm, "sip.example.org");
  h.done();
});

Deno.test("smsc numbers sip-user: refusals", async (t) => {
  const h = harness();
  await h.run(["add", "+12125550100", "--kind", "gsm"]);
  await h.run(["add", "+12125550101", "--kind", "local"]);
  await h.run(["sip-user", "set", "+12125550100", "--password-stdin"], "pw");
  const cases: [string, string[], string, number, RegExp][] = [
    ["no --password-stdin", ["sip-user", "set", "+12125550100"], "pw", 2, /needs --password-stdin/],
    [
      "password on the command line",
      ["sip-user", "set", "+1", "--password", "x"],
      "",
      2,
      /password/,
    ],
    ["no number", ["sip-user", "set", "--password-stdin"], "pw", 2, /wrong number of arguments/],
    ["not owned", ["sip-user", "set", "+12125550199", "--password-stdin"], "pw", 65, /not a local/],
    [
      "kind local",
      ["sip-user", "set", "+12125550101", "--password-stdin"],
      "pw",
      65,
      /kind is local/,
    ],
    ["empty password", ["sip-user", "set", "+12125550100", "--password-stdin"], "\n", 65, /1-128/],
    ["bad number", ["sip-user", "remove", "12ab"], "", 65, /expected E.164/],
    ["unknown", ["sip-user", "frob"], "", 2, /unknown command "sip-user frob"/],
  ];
  for (const [name, argv, stdin, code, message] of cases) {
    await t.step(name, async () => {
      const r = await h.run(argv, stdin);
      assert.equal(r.code, code, r.stderr);
      assert.equal(r.stdout, "");
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\bpw\b/);
    });
  }
  await t.step("a username taken by another number", async () => {
    await h.run(["add", "+12125550102", "--kind", "gsm"]);
    const r = await h.run(
      ["sip-user", "set", "+12125550102", "--password-stdin", "--username", "12125550100"],
      "pw",
    );
    assert.equal(r.code, 65);
    assert.match(r.stderr, /belongs to 12125550100/);
  });
  h.done();
});
