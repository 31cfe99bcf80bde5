/**
 * `smsc up` through the real executable: restarts with backoff when core
 * cannot start, and a clean stop on SIGTERM or SIGINT that leaves no child
 * behind (docs/up.md). No timing assertions: the backoff is read from the
 * log lines, and waits are bounded only so that a hang fails the test.
 */

import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { type Daemon, startDaemon } from "../support/daemon.ts";

async function inTemp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "smsc-up-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The child PIDs `up` logged (`info up[NAME] child running pid=N …`). */
function childPids(output: string): number[] {
  return [...output.matchAll(/^info up\[[^\]]+\] child running pid=(\d+)/gm)].map((m) => +m[1]);
}

/**
 * True while `pid` is a live (not zombie) process. Asks ps(1): Deno grants
 * reading /proc/PID only with --allow-all, and the suite runs with explicit flags.
 */
async function alive(pid: number): Promise<boolean> {
  const out = await new Deno.Command("ps", {
    args: ["-o", "stat=", "-p", String(pid)],
    stdout: "piped",
    stderr: "null",
  })
    .output();
  const stat = new TextDecoder().decode(out.stdout).trim();
  return out.code === 0 && stat !== "" && !stat.startsWith("Z");
}

/** Runs `fn` on `smsc up`, printing its output when the test fails. */
async function withUp(
  dir: string,
  configText: string,
  fn: (d: Daemon) => Promise<void>,
): Promise<void> {
  await Deno.writeTextFile(`${dir}/config.toml`, configText);
  const d = await startDaemon(["up", "--config", "config.toml"], { cwd: dir });
  let passed = false;
  try {
    await fn(d);
    passed = true;
  } finally {
    if (!passed) {
      await d.kill();
      // deno-lint-ignore no-console
      console.error(`--- output of smsc up ---\n${d.output()}`);
    }
  }
}

Deno.test("smsc up restarts a core that cannot start, waiting 1, 2, then 4 s", async () => {
  await inTemp(async (dir) => {
    // A state directory that is a file: core fails at start-up every time.
    await Deno.writeTextFile(`${dir}/not-a-dir`, "");
    await withUp(dir, '[core]\nstate_dir = "not-a-dir"\n', async (d) => {
      await d.waitFor(/child backoff restart_in_ms=4000 restarts=3/, 60_000);
      const backoffs = d.output().split("\n").filter((l) =>
        l.startsWith("info up[core] child backoff")
      );
      deepStrictEqual(backoffs.slice(0, 3), [
        "info up[core] child backoff restart_in_ms=1000 restarts=1",
        "info up[core] child backoff restart_in_ms=2000 restarts=2",
        "info up[core] child backoff restart_in_ms=4000 restarts=3",
      ]);
      match(d.output(), /^warn up\[core\] child exited pid=\d+ code=[1-9]\d* uptime_ms=\d+$/m);
      const status = await d.stop();
      strictEqual(status.code, 0);
      match(d.output(), /^notice up stopped$/m);
      const pids = childPids(d.output());
      ok(pids.length >= 3, `three starts of core at least: ${pids}`);
      for (const pid of pids) strictEqual(await alive(pid), false, `child ${pid} is gone`);
    });
  });
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  Deno.test(`smsc up stops core on ${signal} and exits 0 with no child left`, async () => {
    await inTemp(async (dir) => {
      await withUp(dir, '[core]\nstate_dir = "state"\n', async (d) => {
        // Core's own ready line, forwarded unchanged.
        await d.waitFor(/^notice core .*core ready( |$)/);
        await d.waitFor(/^notice up\[core\] child ready pid=\d+$/);
        const [pid] = childPids(d.output());
        strictEqual(await alive(pid), true);
        d.child.kill(signal);
        const status = await d.exited;
        strictEqual(status.code, 0);
        const out = d.output();
        match(out, new RegExp(`^notice up stopping signal=${signal}$`, "m"));
        match(out, new RegExp(`^info up\\[core\\] child stopped pid=${pid} code=0$`, "m"));
        match(out, /^notice up stopped$/m);
        deepStrictEqual(childPids(out), [pid], "core never restarted");
        strictEqual(await alive(pid), false);
      });
    });
  });
}
