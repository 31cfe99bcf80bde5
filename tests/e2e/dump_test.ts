/**
 * `smsc dump` through the real executable: the golden cases of
 * src/tools/dump_fixture.ts against tests/golden/, and the exit codes. The
 * tests are ignored (and say so) while the subcommand table does not yet
 * route `dump` to runDump.
 */

import assert from "node:assert/strict";
import { runSmsc } from "../support/spawn.ts";
import { GOLDEN_CASES, writeFixture } from "../../src/tools/dump_fixture.ts";

const wired = (await runSmsc(["dump", "--help"])).stdout.includes("--show-text");
const GOLDEN = new URL("../golden/", import.meta.url);

async function stateDir(): Promise<{ dir: string; config: string }> {
  const dir = await Deno.makeTempDir({ prefix: "dump_e2e_" });
  const config = `${dir}/smsc.toml`;
  await Deno.writeTextFile(config, `[core]\nstate_dir = ${JSON.stringify(dir)}\n`);
  return { dir, config };
}

Deno.test({
  name: "smsc dump prints the golden output for every golden case",
  ignore: !wired,
  async fn(t) {
    const { dir, config } = await stateDir();
    await writeFixture(dir);
    for (const c of GOLDEN_CASES.filter((c) => c.mode === "dump")) {
      await t.step(`dump ${c.args.join(" ")}`, async () => {
        const r = await runSmsc(["dump", "--config", config, ...c.args]);
        assert.equal(r.stderr, "");
        assert.equal(r.code, 0);
        assert.equal(r.stdout, await Deno.readTextFile(new URL(c.file, GOLDEN)));
      });
    }
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name: "smsc dump exits 66 without pms.bin and 2 on a bad option",
  ignore: !wired,
  async fn() {
    const { dir, config } = await stateDir();
    let r = await runSmsc(["dump", "--config", config]);
    assert.equal(r.code, 66);
    assert.equal(r.stdout, "");
    assert.equal(
      r.stderr,
      `smsc dump: Cannot open ${dir}/pms.bin: no such file (no message was ever stored?)\n`,
    );
    r = await runSmsc(["dump", "--config", config, "--class", "mars"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^smsc dump: --class "mars": expected one of /);
    await Deno.remove(dir, { recursive: true });
  },
});
