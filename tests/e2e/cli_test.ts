/**
 * The CLI contract: exit codes, stdout and stderr of the real executable
 * (STYLE.md §5, deployctl's help_test.ts).
 */

import { match, strictEqual } from "node:assert/strict";
import { runSmsc } from "../support/spawn.ts";

const SUBCOMMANDS = [
  "core",
  "uplink",
  "downlink",
  "gsmif",
  "submit",
  "dump",
  "up",
  "decode",
  "version",
];

Deno.test("smsc --help lists every subcommand and exits 0", async () => {
  const r = await runSmsc(["--help"]);
  strictEqual(r.code, 0);
  strictEqual(r.stderr, "");
  for (const name of SUBCOMMANDS) match(r.stdout, new RegExp(`^  ${name} +\\S`, "m"));
});

Deno.test("smsc without a subcommand prints the usage and exits 2", async () => {
  const r = await runSmsc([]);
  strictEqual(r.code, 2);
  match(r.stdout, /^Usage: smsc <subcommand>/);
});

Deno.test("smsc with an unknown subcommand prints one line and the usage, exit 2", async () => {
  const r = await runSmsc(["frobnicate"]);
  strictEqual(r.code, 2);
  strictEqual(r.stdout, "");
  const [first, second] = r.stderr.split("\n");
  strictEqual(first, 'smsc: unknown subcommand "frobnicate"');
  match(second, /^Usage: smsc <subcommand>/);
});

Deno.test("every subcommand answers --help with its own usage", async () => {
  for (const name of SUBCOMMANDS) {
    const r = await runSmsc([name, "--help"]);
    strictEqual(r.code, 0, name);
    match(r.stdout, new RegExp(`^Usage: smsc ${name} `), name);
  }
});

Deno.test("an unknown option prints one line and the subcommand usage, exit 2", async () => {
  const r = await runSmsc(["dump", "--frobnicate"]);
  strictEqual(r.code, 2);
  const [first, second] = r.stderr.split("\n");
  strictEqual(first, 'smsc dump: unknown option "--frobnicate"');
  match(second, /^Usage: smsc dump /);
});

Deno.test("a missing positional argument is a usage error", async () => {
  const r = await runSmsc(["decode", "rp"]);
  strictEqual(r.code, 2);
  match(r.stderr, /^smsc decode: missing argument: expected KIND HEX\|-\n/);
});

Deno.test("role handlers without their part of the config say so in one line and exit 78", async () => {
  const r = await runSmsc(["gsmif"]);
  strictEqual(r.code, 78);
  strictEqual(
    r.stderr,
    "smsc gsmif: Cannot start gsmif: no listener ([gsmif] listen_tcp or listen_ws)\n",
  );
  const up = await runSmsc(["uplink"]);
  strictEqual(up.code, 78);
  match(up.stderr, /^smsc uplink: Cannot start uplink: no upstream configured/);
  const down = await runSmsc(["downlink", "acme"]);
  strictEqual(down.code, 78);
  match(
    down.stderr,
    /^smsc downlink: Cannot start downlink: config has no listener for peer "acme"/,
  );
  const tmp = await Deno.makeTempFile({ suffix: ".toml" });
  try {
    await Deno.writeTextFile(tmp, '[log]\nlevel = "loud"\n');
    const bad = await runSmsc(["gsmif", "--config", tmp]);
    strictEqual(bad.code, 78);
    strictEqual(
      bad.stderr,
      'smsc gsmif: Cannot load config: key "log.level" must be one of error, warn, notice, info, debug: current value is "loud"\n',
    );
    const env = await runSmsc(["core"], { env: { SMSC_CONFIG: tmp } });
    strictEqual(env.code, 78);
  } finally {
    await Deno.remove(tmp);
  }
});

Deno.test("a missing config file is reported in one line with exit 78", async () => {
  const r = await runSmsc(["core", "--config", "/nonexistent/smsc.toml"]);
  strictEqual(r.code, 78);
  match(r.stderr, /^smsc core: Cannot load config: cannot read \/nonexistent\/smsc.toml: .*\n$/);
});

Deno.test("smsc version prints one line", async () => {
  const r = await runSmsc(["version"]);
  strictEqual(r.code, 0);
  match(r.stdout, /^smsc \d+\.\d+\.\d+ \(deno \d+\.\d+\.\d+, v8 .+, typescript .+\)\n$/);
});
