// The command-line contract of runDump: exit codes and the one-line errors.
import assert from "node:assert/strict";
import { parseConfig } from "../config/load.ts";
import { encodePmsRecord, examplePmsRecord, sealPmsRecord } from "../codec/pms/mod.ts";
import { DUMP_HELP, runDump } from "./dump.ts";
import { writeFixture } from "./dump_fixture.ts";

async function dump(dir: string, args: string[]) {
  const config = parseConfig(`[core]\nstate_dir = ${JSON.stringify(dir)}\n`, "test");
  let out = "";
  const err: string[] = [];
  const code = await runDump(args, {
    config,
    out: (t) => (out += t),
    err: (l) => err.push(l),
  });
  return { code, out, err };
}

Deno.test("runDump: --help prints the usage on stdout and exits 0", async () => {
  const r = await dump("/nonexistent", ["--help"]);
  assert.equal(r.code, 0);
  assert.equal(r.out, DUMP_HELP + "\n");
  assert.match(DUMP_HELP, /^Usage: smsc dump /);
});

Deno.test("runDump: usage errors exit 2 with one line and the usage", async () => {
  const cases: [string[], string][] = [
    [["--frobnicate"], 'smsc dump: unknown option "--frobnicate"'],
    [["--count"], 'smsc dump: option "--count" needs a value'],
    [
      ["--count", "-1"],
      'smsc dump: option "--count": give a value starting with "-" as --count=VALUE',
    ],
    [["--count=-1"], 'smsc dump: --count "-1": expected a whole number'],
    [["--count", "ten"], 'smsc dump: --count "ten": expected a whole number'],
    [["--from", "soon"], 'smsc dump: --from "soon": not a time;'],
    [
      ["--from", "2026-01-01", "--index", "3"],
      "smsc dump: --from and --index cannot be used together",
    ],
    [
      ["--class", "mars"],
      'smsc dump: --class "mars": expected one of local, gsm, downstream, upstream',
    ],
    [["--state", "gone"], 'smsc dump: --state "gone": expected one of active, historical'],
    [["--number", "abc"], 'smsc dump: --number "abc": expected a number like +12125550100'],
    [["extra"], 'smsc dump: unexpected argument "extra"'],
  ];
  for (const [args, first] of cases) {
    const r = await dump("/nonexistent", args);
    assert.equal(r.code, 2, args.join(" "));
    assert.equal(r.out, "");
    assert.ok(r.err[0].startsWith(first), `${args.join(" ")}: ${r.err[0]}`);
    assert.equal(r.err[1], DUMP_HELP);
  }
});

Deno.test("runDump: a missing pms.bin is one line and exit 66", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dump_cli_" });
  const r = await dump(dir, []);
  assert.equal(r.code, 66);
  assert.deepEqual(r.err, [
    `smsc dump: Cannot open ${dir}/pms.bin: no such file (no message was ever stored?)`,
  ]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("runDump: a store that cannot be read exits 65, an I/O error 74", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dump_cli_" });
  const newer = encodePmsRecord(examplePmsRecord());
  newer[4] = 2;
  sealPmsRecord(newer);
  await Deno.writeFile(`${dir}/pms.bin`, newer);
  let r = await dump(dir, []);
  assert.equal(r.code, 65);
  assert.match(r.err[0], /^smsc dump: Cannot open pms\.bin: record 0: .*version 2/);
  await Deno.writeTextFile(`${dir}/pms.bin`, "");
  await Deno.writeTextFile(`${dir}/archived-mb`, "two\n");
  r = await dump(dir, []);
  assert.equal(r.code, 65);
  assert.match(r.err[0], /^smsc dump: Cannot decode archived-mb/);
  await Deno.remove(`${dir}/archived-mb`);
  await Deno.remove(`${dir}/pms.bin`);
  await Deno.mkdir(`${dir}/pms.bin`);
  r = await dump(dir, []);
  assert.equal(r.code, 74);
  assert.match(r.err[0], /^smsc dump: Cannot read the message store: /);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("runDump: an empty store prints nothing; --index before the file exits 66", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dump_cli_" });
  await Deno.writeFile(`${dir}/pms.bin`, new Uint8Array(0));
  let r = await dump(dir, ["--json"]);
  assert.deepEqual([r.code, r.out, r.err], [0, "", []]);
  await writeFixture(dir);
  await Deno.writeTextFile(`${dir}/archived-mb`, "1\n");
  r = await dump(dir, ["--index", "4095"]);
  assert.equal(r.code, 66);
  assert.deepEqual(r.err, [
    "smsc dump: Cannot start at index 4095: records before 4096 were archived (archived-mb 1)",
  ]);
  r = await dump(dir, ["--index", "4096", "--count", "1"]);
  assert.equal(r.code, 0);
  assert.match(r.out, /^id=4096 entry=2026-11-23T10:00:00\.000Z /);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("runDump: --file reads an archived part, numbered from its name", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dump_cli_" });
  const path = await writeFixture(dir);
  await Deno.rename(path, `${dir}/pms-000008192.bin`);
  const r = await dump(dir, ["--file", `${dir}/pms-000008192.bin`, "--count", "1"]);
  assert.equal(r.code, 0);
  assert.match(r.out, /^id=8192 /);
  await Deno.remove(dir, { recursive: true });
});
