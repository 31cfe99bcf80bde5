import assert from "node:assert/strict";
import { NUMBERS_HELP, runNumbers } from "./admin.ts";

const CHEAP = { ln: 4, r: 8, p: 1 };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function harness() {
  const dir = Deno.makeTempDirSync();
  const dbPath = `${dir}/numbers.db`;
  async function run(argv: string[], stdin = ""): Promise<Run> {
    let stdout = "";
    let stderr = "";
    const code = await runNumbers(argv, {
      dbPath,
      scrypt: CHEAP,
      readStdin: () => Promise.resolve(stdin),
      out: (t) => (stdout += t),
      err: (l) => (stderr += l + "\n"),
    });
    return { code, stdout, stderr };
  }
  return { dir, dbPath, run, done: () => Deno.removeSync(dir, { recursive: true }) };
}

Deno.test("smsc numbers: owned numbers and short numbers", async () => {
  const h = harness();
  assert.deepEqual(await h.run(["add", "+1-310-555-0101", "--kind", "gsm", "--upstream"]), {
    code: 0,
    stdout: "",
    stderr: "",
  });
  assert.equal((await h.run(["add", "13105550102", "--kind", "local"])).code, 0);
  assert.equal((await h.run(["short", "add", "0101", "--number", "+13105550101"])).code, 0);
  assert.equal((await h.run(["short", "add", "4000", "--kind", "nosms"])).code, 0);
  assert.deepEqual(await h.run(["list"]), {
    code: 0,
    stdout: "+13105550101      gsm   upstream\n+13105550102      local\n" +
      "0101  -> +13105550101\n4000  nosms\n",
    stderr: "",
  });
  const json = (await h.run(["list", "--json"])).stdout.trim().split("\n").map((l) =>
    JSON.parse(l)
  );
  assert.deepEqual(json[0], { e164: "13105550101", kind: "gsm", maySendUpstream: true });
  assert.deepEqual(json[2], { code: "0101", e164: "13105550101" });
  assert.deepEqual(await h.run(["add", "+13105550101", "--kind", "gsm"]), {
    code: 65,
    stdout: "",
    stderr: "smsc numbers: Cannot add number 13105550101: it is already there\n",
  });
  assert.equal((await h.run(["add", "+13105550101", "--kind", "nosms", "--replace"])).code, 0);
  assert.equal((await h.run(["remove", "+13105550101"])).code, 0);
  assert.deepEqual(await h.run(["remove", "+13105550101"]), {
    code: 65,
    stdout: "",
    stderr: "smsc numbers: Cannot remove number +13105550101: it is not there\n",
  });
  assert.equal((await h.run(["short", "remove", "4000"])).code, 0);
  assert.equal((await h.run(["list"])).stdout, "+13105550102      local\n");
  h.done();
});

Deno.test("smsc numbers: peers, passwords and pools", async () => {
  const h = harness();
  const add = await h.run(
    [
      "peer",
      "add",
      "acme",
      "--system-id",
      "acme01",
      "--password-stdin",
      "--allow",
      "192.0.2.0/24",
      "--max-binds",
      "2",
      "--upstream",
    ],
    "s3cret\n",
  );
  assert.deepEqual(add, { code: 0, stdout: "", stderr: "" });
  assert.deepEqual(await h.run(["peer", "list"]), {
    code: 0,
    stdout:
      "acme system_id=acme01 max_binds=2 upstream=yes enabled=yes password=set allow=192.0.2.0/24\n",
    stderr: "",
  });
  const listed = JSON.parse((await h.run(["peer", "list", "--json"])).stdout);
  assert.equal(listed.hasPassword, true);
  assert.ok(!JSON.stringify(listed).includes("s3cret"));
  assert.equal((await h.run(["peer", "passwd", "acme"], "n3w\r\n")).code, 0);
  assert.equal((await h.run(["peer", "disable", "acme"])).code, 0);
  assert.match((await h.run(["peer", "list"])).stdout, /enabled=no/);
  assert.equal((await h.run(["peer", "enable", "acme"])).code, 0);
  assert.equal((await h.run(["pool", "add", "acme", "+1310556*"])).code, 0);
  assert.equal((await h.run(["pool", "add", "acme", "+13105570000"])).code, 0);
  assert.deepEqual(await h.run(["pool", "list"]), {
    code: 0,
    stdout: "acme +1310556*\nacme +13105570000\n",
    stderr: "",
  });
  assert.equal((await h.run(["pool", "remove", "acme", "+1310556*"])).code, 0);
  assert.equal((await h.run(["pool", "list", "acme"])).stdout, "acme +13105570000\n");
  assert.equal((await h.run(["peer", "passwd", "acme"], "toolongpw\n")).code, 65);
  assert.equal((await h.run(["peer", "remove", "acme"])).code, 0);
  assert.equal((await h.run(["pool", "list"])).stdout, "");
  h.done();
});

Deno.test("smsc numbers: MSISDN-to-IMSI map", async () => {
  const h = harness();
  assert.equal((await h.run(["imsi", "set", "+13105550101", "001010000000001"])).code, 0);
  assert.equal((await h.run(["imsi", "set", "0101", "001010000000002"])).code, 0);
  assert.equal(
    (await h.run(["imsi", "list"])).stdout,
    "0101 001010000000002\n+13105550101 001010000000001\n",
  );
  assert.equal((await h.run(["imsi", "remove", "0101"])).code, 0);
  assert.equal((await h.run(["imsi", "remove", "0101"])).code, 65);
  h.done();
});

Deno.test("smsc numbers: usage errors exit 2 with one line", async (t) => {
  const h = harness();
  const cases: [string[], string][] = [
    [[], "missing command: see smsc numbers --help"],
    [["frob"], 'unknown command "frob": see smsc numbers --help'],
    [["peer"], 'unknown command "peer": see smsc numbers --help'],
    [["add", "+13105550101"], "--kind must be gsm, local or nosms"],
    [["add", "+13105550101", "--kind", "sip"], "--kind must be gsm, local or nosms"],
    [["short", "add", "0101"], "give either --kind or --number"],
    [["peer", "add", "acme"], "peer add needs --system-id"],
    [["list", "extra"], "wrong number of arguments: expected list [--json]"],
  ];
  for (const [argv, message] of cases) {
    await t.step(argv.join(" ") || "(none)", async () => {
      assert.deepEqual(await h.run(argv), {
        code: 2,
        stdout: "",
        stderr: `smsc numbers: ${message}\n`,
      });
    });
  }
  await t.step("unknown option", async () => {
    const r = await h.run(["list", "--frob"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^smsc numbers: .*--frob.*: expected list \[--json\]\n$/);
  });
  h.done();
});

Deno.test("smsc numbers: bad data exits 65, a missing database 74", async () => {
  const h = harness();
  assert.deepEqual(await h.run(["list"]), {
    code: 74,
    stdout: "",
    stderr: `smsc numbers: Cannot open numbers.db at ${h.dbPath}: unable to open database file\n`,
  });
  assert.equal((await h.run(["add", "+0123", "--kind", "gsm"])).code, 65);
  assert.equal((await h.run(["add", "12", "--kind", "gsm"])).code, 0);
  assert.equal((await h.run(["short", "add", "12345", "--kind", "gsm"])).code, 65);
  assert.equal((await h.run(["import", "themwi", `${h.dir}/missing`])).code, 66);
  h.done();
});

Deno.test("smsc numbers --help prints the help", async () => {
  const h = harness();
  assert.deepEqual(await h.run(["--help"]), { code: 0, stdout: NUMBERS_HELP + "\n", stderr: "" });
  h.done();
});

const THEMWI = `# A ThemWi number-db2 file
prefix 310-555 allow-abbrev
0101 sms
0102
prefix 213-555
0199 sms e911-via=0101
818-555-0123
itn 4000
test-sink 4100 some-tone
`;

Deno.test("smsc numbers import themwi", async () => {
  const h = harness();
  const file = `${h.dir}/number-db2`;
  Deno.writeTextFileSync(file, THEMWI);
  assert.deepEqual(await h.run(["import", "themwi", file, "--dry-run"]), {
    code: 0,
    stdout: "would import 4 numbers (2 with sms), 3 short numbers\n" +
      "ignored flag e911-via=0101 on 1 lines\nskipped 1 test-sink lines\n",
    stderr: "",
  });
  assert.equal((await h.run(["list"])).stdout, "");
  assert.equal((await h.run(["import", "themwi", file, "--kind", "local"])).code, 0);
  assert.equal(
    (await h.run(["list"])).stdout,
    [
      "+12135550199      local upstream",
      "+13105550101      local upstream",
      "+13105550102      local",
      "+18185550123      local",
      "0101  -> +13105550101",
      "0102  -> +13105550102",
      "4000  gsm",
      "",
    ].join("\n"),
  );
  // Importing again updates in place.
  assert.equal((await h.run(["import", "themwi", file])).code, 0);
  assert.match((await h.run(["list"])).stdout, /^\+12135550199 {6}gsm {3}upstream\n/);
  // A bad line refuses the whole file and names the line.
  Deno.writeTextFileSync(file, "prefix 310-555\n0103\nprefix 310-111\n0104\n");
  assert.deepEqual(await h.run(["import", "themwi", file]), {
    code: 65,
    stdout: "",
    stderr: 'smsc numbers: line 3: Cannot use NXX "111": it is not a NANP exchange\n',
  });
  assert.doesNotMatch((await h.run(["list"])).stdout, /13105550103/);
  h.done();
});
