// Golden tests of `smsc dump` and `smsc user NUMBER dump` (STYLE.md §5,
// libosmocore .ok files): the fixed fixture file, several option sets, and
// stdout compared byte for byte with tests/golden/. Run with
// UPDATE_GOLDEN=1 to rewrite the files after an intended change, then review
// the diff.
import assert from "node:assert/strict";
import { parseConfig } from "../config/load.ts";
import { runDump } from "./dump.ts";
import { runUserShell } from "./user_shell.ts";
import { FIXTURE_USER, GOLDEN_CASES, type GoldenCase, writeFixture } from "./dump_fixture.ts";

const GOLDEN = new URL("../../tests/golden/", import.meta.url);

async function run(
  dir: string,
  c: GoldenCase,
): Promise<{ code: number; out: string; err: string }> {
  const config = parseConfig(`[core]\nstate_dir = ${JSON.stringify(dir)}\n`, "golden");
  let out = "";
  let err = "";
  const io = { out: (t: string) => (out += t), err: (l: string) => (err += l + "\n") };
  const code = c.mode === "dump"
    ? await runDump(c.args, { config, ...io })
    : await runUserShell([FIXTURE_USER], {
      config,
      ...io,
      env: (name) => (name === "SSH_ORIGINAL_COMMAND" ? c.args.join(" ") : undefined),
      send: () => Promise.reject(new Error("no send in a dump test")),
    });
  return { code, out, err };
}

Deno.test("dump output matches tests/golden byte for byte", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "dump_golden_" });
  await writeFixture(dir);
  const update = Deno.env.get("UPDATE_GOLDEN") === "1";
  for (const c of GOLDEN_CASES) {
    await t.step(`${c.mode} ${c.args.join(" ")} -> ${c.file}`, async () => {
      const r = await run(dir, c);
      assert.equal(r.err, "");
      assert.equal(r.code, 0);
      const url = new URL(c.file, GOLDEN);
      if (update) await Deno.writeTextFile(url, r.out);
      assert.equal(r.out, await Deno.readTextFile(url));
    });
  }
  await Deno.remove(dir, { recursive: true });
});
