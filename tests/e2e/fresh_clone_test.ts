/**
 * The README's two commands, run from a clean clone of this repository with
 * no Deno on PATH: the bootstrap must install the pinned Deno from the npm
 * registry, `scripts/smsc` must run the CLI, and `scripts/test` must run tests
 * and print the closing line CI reads. Only committed files are cloned.
 */

import { match, strictEqual } from "node:assert/strict";
import { ROOT_PATH } from "../support/spawn.ts";

const nested = Deno.env.get("SMSC_IN_CLONE_TEST") === "1";

async function sh(cmd: string[], cwd: string, env: Record<string, string>) {
  const out = await new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    cwd,
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test({
  name: "a clean clone bootstraps Deno from npm and runs scripts/smsc and scripts/test",
  ignore: nested,
  async fn() {
    const tmp = await Deno.makeTempDir({ prefix: "smsc-clone-" });
    try {
      const clone = `${tmp}/smsc`;
      const git = await sh(["git", "clone", "--quiet", ROOT_PATH, clone], tmp, {
        PATH: "/usr/bin:/bin",
      });
      strictEqual(git.code, 0, git.stderr);
      // No Deno on PATH: only the system directories, where npm lives.
      const env = {
        PATH: "/usr/bin:/bin",
        HOME: Deno.env.get("HOME") ?? tmp,
        NO_COLOR: "1",
        SMSC_IN_CLONE_TEST: "1",
      };
      const help = await sh(["scripts/smsc", "--help"], clone, env);
      strictEqual(help.code, 0, help.stderr);
      match(help.stdout, /^ {2}decode +decode a PDU/m);
      match(help.stderr, /installing deno@\d+\.\d+\.\d+ from the npm registry/);
      // The README's first command: an SMSC on the embedded defaults, until SIGTERM.
      const up = new Deno.Command("scripts/smsc", {
        args: ["up"],
        cwd: clone,
        env,
        clearEnv: true,
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const errText = new Response(up.stderr).text();
      let seen = "";
      let ready!: () => void;
      const isReady = new Promise<void>((resolve) => (ready = resolve));
      // Keep reading stdout to the end, so that up never writes to a closed pipe.
      const outText = (async () => {
        const decoder = new TextDecoder();
        for await (const chunk of up.stdout) {
          seen += decoder.decode(chunk, { stream: true });
          if (/ core ready /.test(seen)) ready();
        }
        ready();
      })();
      await isReady;
      if (!/ core ready /.test(seen)) {
        throw new Error(`up ended before core was ready:\n${seen}${await errText}`);
      }
      up.kill("SIGTERM");
      strictEqual((await up.status).code, 0, await errText);
      await outText;
      await Deno.stat(`${clone}/state/pms.bin`);
      const test = await sh(["scripts/test", "src/lib", "tests/e2e/cli_test.ts"], clone, env);
      strictEqual(test.code, 0, test.stdout + test.stderr);
      match(test.stdout, /^tests: [1-9]\d* passed, 0 failed$/m);
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
