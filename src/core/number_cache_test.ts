import { strictEqual } from "node:assert/strict";
import { NumberCache } from "./number_cache.ts";
import { NumbersDb } from "../store/numbers_db.ts";

Deno.test("NumberCache answers from memory and forgets after another connection commits", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/numbers.db`;
  const core = NumbersDb.open(path, { readOnly: false, busyTimeoutMs: 1000 });
  const admin = NumbersDb.open(path, { readOnly: false, busyTimeoutMs: 1000 });
  let now = 0;
  const cache = new NumberCache(core, { now: () => now, setTimer: () => ({ cancel() {} }) }, 100);
  try {
    strictEqual(cache.lookupNumber("12125550100"), undefined);
    admin.addNumber({ e164: "12125550100", kind: "gsm", maySendUpstream: false });
    // Within the check interval the cached answer stands.
    now = 50;
    strictEqual(cache.lookupNumber("12125550100"), undefined);
    // After it, data_version shows the admin's commit and the cache reloads.
    now = 150;
    strictEqual(cache.lookupNumber("12125550100")?.kind, "gsm");
    admin.removeNumber("12125550100");
    now = 300;
    strictEqual(cache.lookupNumber("12125550100"), undefined);
  } finally {
    core.close();
    admin.close();
    await Deno.remove(dir, { recursive: true });
  }
});
