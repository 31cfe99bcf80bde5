import assert from "node:assert/strict";
import { UsageError } from "../lib/errors.ts";
import { parseConfig } from "../config/load.ts";
import { FIXTURE_USER, writeFixture } from "./dump_fixture.ts";
import {
  runUserShell,
  splitCommand,
  USER_COMMANDS_HELP,
  USER_SHELL_HELP,
  userDumpPlan,
  type UserSendRequest,
  userSendRequest,
} from "./user_shell.ts";

const enc = (s: string) => new TextEncoder().encode(s);

Deno.test("splitCommand splits words with quotes and escapes, expanding nothing", () => {
  const cases: [string, string[]][] = [
    ["", []],
    ["  dump   --count 3 ", ["dump", "--count", "3"]],
    [`dump --from "2026-11-23 10:00"`, ["dump", "--from", "2026-11-23 10:00"]],
    [`dump --from '2026-11-23 10:00'`, ["dump", "--from", "2026-11-23 10:00"]],
    [`a"b c"'d e'f`, ["ab cd ef"]],
    [`"" x`, ["", "x"]],
    [`"a\\"b\\\\c\\n"`, ['a"b\\c\\n']],
    ["a\\ b", ["a b"]],
    ["send 1; rm -rf / $(id) `id` | cat > f &", [
      "send",
      "1;",
      "rm",
      "-rf",
      "/",
      "$(id)",
      "`id`",
      "|",
      "cat",
      ">",
      "f",
      "&",
    ]],
  ];
  for (const [line, words] of cases) assert.deepEqual(splitCommand(line), words, line);
  for (const bad of [`"open`, `'open`, "end\\"]) assert.throws(() => splitCommand(bad), UsageError);
});

Deno.test("userSendRequest fixes the source to the user's number and checks DEST and body", () => {
  assert.deepEqual(userSendRequest("12125550100", ["+1-212-555-0101"], enc("hi there\n")), {
    source: "+12125550100",
    dest: "+12125550101",
    text: "hi there",
  });
  assert.equal(userSendRequest("1", ["5000"], enc("two\n\n")).text, "two\n", "one newline removed");
  assert.equal(userSendRequest("1", ["5000"], enc("crlf\r\n")).text, "crlf");
  const refused: [string[], Uint8Array, RegExp][] = [
    [[], enc("x"), /exactly one destination/],
    [["1", "2"], enc("x"), /exactly one destination/],
    [["--from", "12125550199", "2"], enc("x"), /unknown option "--from"/],
    [["--source=12125550199", "2"], enc("x"), /unknown option "--source"/],
    [["-s", "2"], enc("x"), /unknown option "-s"/],
    [["2;id"], enc("x"), /destination "2;id"/],
    [["alice"], enc("x"), /destination "alice"/],
    [["2"], enc(""), /empty/],
    [["2"], enc("\n"), /empty/],
    [["2"], Uint8Array.of(0xff, 0xfe), /not UTF-8/],
    [["2"], new Uint8Array(17), /longer than 16 bytes/],
  ];
  for (const [args, body, why] of refused) {
    assert.throws(() => userSendRequest("12125550100", args, body, 16), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.match(e.message, why, args.join(" "));
      return true;
    });
  }
});

Deno.test("userDumpPlan forces the owner filter and refuses every other option", () => {
  const p = userDumpPlan("12125550100", ["--from", "2026-11-23", "--count", "2", "--json"], 3);
  assert.deepEqual(p.filter, { owner: "12125550100" });
  assert.deepEqual([p.count, p.json, p.showText, p.reportDamage, p.archivedMb], [
    2,
    true,
    false,
    false,
    3,
  ]);
  const refused = [
    ["--number", "12125550101"],
    ["--number=12125550101"],
    ["--from-number", "1"],
    ["--to-number", "1"],
    ["--peer", "acme"],
    ["--index", "0"],
    ["--class", "gsm"],
    ["--state", "active"],
    ["--file", "/etc/passwd"],
    ["--config", "/tmp/other.toml"],
    ["-c", "/tmp/other.toml"],
    ["12125550101"],
    ["--count", "2", "--", "--number", "1"],
  ];
  for (const args of refused) {
    assert.throws(() => userDumpPlan("12125550100", args, 0), UsageError, args.join(" "));
  }
});

async function user(
  dir: string,
  argv: string[],
  command: string | undefined,
  stdin = "",
) {
  const config = parseConfig(`[core]\nstate_dir = ${JSON.stringify(dir)}\n`, "test");
  let out = "";
  const err: string[] = [];
  const sent: UserSendRequest[] = [];
  const code = await runUserShell(argv, {
    config,
    out: (t) => (out += t),
    err: (l) => err.push(l),
    env: (name) => (name === "SSH_ORIGINAL_COMMAND" ? command : undefined),
    readStdin: () => Promise.resolve(enc(stdin)),
    send: (r) => {
      sent.push(r);
      return Promise.resolve(0);
    },
  });
  return { code, out, err, sent };
}

Deno.test("runUserShell: dump shows only the user's messages, without damage reports", async () => {
  const dir = await Deno.makeTempDir({ prefix: "user_shell_" });
  await writeFixture(dir);
  const r = await user(dir, [FIXTURE_USER, "--config", "/etc/smsc.toml"], "dump --json");
  assert.equal(r.code, 0);
  assert.deepEqual(r.err, []);
  const lines = r.out.trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((o) => o.id), [0, 3, 4, 7, 9]);
  for (const o of lines) {
    assert.ok(o.oa.digits === FIXTURE_USER || o.routedDa.digits === FIXTURE_USER);
    assert.equal(o.text, undefined, "text hidden without --show-text");
  }
  // The same request from the command line (testing mode) gives the same output.
  const direct = await user(dir, ["--config", "x", FIXTURE_USER, "dump", "--json"], undefined);
  assert.equal(direct.out, r.out);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("runUserShell: refuses other commands and any attempt to change the number", async () => {
  const dir = await Deno.makeTempDir({ prefix: "user_shell_" });
  await writeFixture(dir);
  const refused = [
    "",
    "bash",
    "sh -c id",
    "numbers list",
    "submit 12125550199 12125550101",
    "dump --number 12125550101",
    "dump --peer acme",
    "dump --index 0",
    "dump --file /var/sms/pms.bin",
    "dump 12125550101",
    "user 12125550101 dump",
    "send --source 12125550101 12125550102",
    "send 12125550102 12125550103",
    'dump --from "2026',
    "help me",
  ];
  for (const command of refused) {
    const r = await user(dir, [FIXTURE_USER], command, "hello");
    assert.equal(r.code, 2, command);
    assert.equal(r.out, "", command);
    assert.match(r.err[0], /^smsc user: /, command);
    assert.equal(r.err[1], USER_COMMANDS_HELP);
    assert.deepEqual(r.sent, [], command);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("runUserShell: send hands the policy's request to the callback", async () => {
  const dir = await Deno.makeTempDir({ prefix: "user_shell_" });
  const r = await user(dir, [FIXTURE_USER], "send '+1 212 555 0101'", "Hi from afar\n");
  assert.equal(r.code, 0);
  assert.deepEqual(r.sent, [{
    source: `+${FIXTURE_USER}`,
    dest: "+12125550101",
    text: "Hi from afar",
  }]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("runUserShell: help, the operator's usage and a bad NUMBER", async () => {
  let r = await user("/nonexistent", [FIXTURE_USER], "help");
  assert.deepEqual([r.code, r.out], [0, USER_COMMANDS_HELP + "\n"]);
  r = await user("/nonexistent", ["--help"], undefined);
  assert.deepEqual([r.code, r.out], [0, USER_SHELL_HELP + "\n"]);
  r = await user("/nonexistent", [], undefined);
  assert.deepEqual([r.code, r.err], [2, [USER_SHELL_HELP]]);
  r = await user("/nonexistent", ["alice"], "dump");
  assert.equal(r.code, 2);
  assert.match(r.err[0], /^smsc user: NUMBER "alice": .*authorized_keys/);
  r = await user("/nonexistent", [FIXTURE_USER], "dump");
  assert.equal(r.code, 66);
  assert.match(r.err[0], /^smsc user: Cannot open \/nonexistent\/pms\.bin/);
});
