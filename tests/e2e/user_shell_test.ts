/**
 * `smsc user NUMBER` as an ssh forced command runs it: the request arrives
 * in SSH_ORIGINAL_COMMAND. Ignored (and saying so) while the subcommand
 * table does not yet route `user` to runUserShell.
 */

import assert from "node:assert/strict";
import { runSmsc } from "../support/spawn.ts";
import { FIXTURE_USER, GOLDEN_CASES, writeFixture } from "../../src/tools/dump_fixture.ts";

const wired = (await runSmsc(["user", "--help"])).stdout.includes("SSH_ORIGINAL_COMMAND");
const GOLDEN = new URL("../golden/", import.meta.url);

async function stateDir(): Promise<{ dir: string; config: string }> {
  const dir = await Deno.makeTempDir({ prefix: "user_e2e_" });
  const config = `${dir}/smsc.toml`;
  await Deno.writeTextFile(config, `[core]\nstate_dir = ${JSON.stringify(dir)}\n`);
  await writeFixture(dir);
  return { dir, config };
}

Deno.test({
  name: "smsc user NUMBER runs the dump in SSH_ORIGINAL_COMMAND, restricted to NUMBER",
  ignore: !wired,
  async fn(t) {
    const { dir, config } = await stateDir();
    for (const c of GOLDEN_CASES.filter((c) => c.mode === "user")) {
      await t.step(c.args.join(" "), async () => {
        const r = await runSmsc(["user", FIXTURE_USER, "--config", config], {
          env: { SSH_ORIGINAL_COMMAND: c.args.join(" ") },
        });
        assert.equal(r.stderr, "");
        assert.equal(r.code, 0);
        assert.equal(r.stdout, await Deno.readTextFile(new URL(c.file, GOLDEN)));
      });
    }
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name: "smsc user NUMBER refuses other commands and other numbers",
  ignore: !wired,
  async fn() {
    const { dir, config } = await stateDir();
    for (
      const command of [
        "bash -i",
        "dump --number 12125550101",
        "dump --config /etc/other.toml",
        "send --source 12125550101 12125550102",
        "dump; cat /etc/passwd",
      ]
    ) {
      const r = await runSmsc(["user", FIXTURE_USER, "--config", config], {
        env: { SSH_ORIGINAL_COMMAND: command },
        stdin: "hello",
      });
      assert.equal(r.code, 2, command);
      assert.equal(r.stdout, "", command);
      assert.match(r.stderr, /^smsc user: /, command);
    }
    await Deno.remove(dir, { recursive: true });
  },
});
