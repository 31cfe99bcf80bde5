import { rejects } from "node:assert/strict";
import { lockStateDir, StateLockedError } from "./state_lock.ts";

Deno.test("lockStateDir() refuses a lock held by another process", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/core.lock`;
  const holder = new Deno.Command("flock", {
    args: [path, "sleep", "30"],
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    // Wait until flock(1) has created and locked the file.
    for (let i = 0; i < 200; i++) {
      if (await Deno.stat(path).then(() => true, () => false)) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await new Promise((r) => setTimeout(r, 100));
    await rejects(() => lockStateDir(path, 100), StateLockedError);
  } finally {
    holder.kill("SIGKILL");
    await holder.status;
  }
  await Deno.remove(dir, { recursive: true });
});
