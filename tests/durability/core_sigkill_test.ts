/**
 * Durability under SIGKILL (ARCHITECTURE §2, DEVELOPERS.md): several
 * submitters stream SUBMITs while core is killed at moments drawn from a
 * fixed seed, restarted, and killed again. Afterwards every SUBMIT that got
 * an OK is in pms.bin exactly once, at the index it was told, and the file
 * reads back without a corrupt record. Run with the default space written
 * ahead of the records (256 KiB, a few writes ahead per round), and with 1 KiB,
 * so that space is written ahead every few records, beside nearly every group
 * commit, when the kill comes.
 */

import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { startDaemon } from "../support/daemon.ts";
import { cliRecord } from "../support/records.ts";
import { prng } from "../support/codec_harness.ts";
import { CoreClient } from "../../src/transport/core_client.ts";
import { encodePmsRecord } from "../../src/codec/pms/mod.ts";
import { PmsReader } from "../../src/store/pms_reader.ts";
import { toHex } from "../../src/lib/bytes.ts";
import { runSmsc } from "../support/spawn.ts";

const ROUNDS = 6;
const SUBMITTERS = 4;
const WINDOW = 16;

/** One submitter: keeps WINDOW SUBMITs outstanding until the connection dies. */
async function submitter(sock: string, tag: string, acked: Map<string, number>): Promise<number> {
  let client: CoreClient;
  try {
    client = await CoreClient.connect(sock);
  } catch {
    return 0;
  }
  let n = 0;
  let sent = 0;
  const one = async (): Promise<void> => {
    while (true) {
      const rec = cliRecord("+12125550100", "+12125550101", `${tag}-${n++}`);
      const r = await client.submit(encodePmsRecord(rec));
      sent++;
      if (r.result !== "ok") throw new Error(`rejected: ${r.reason.text}`);
      acked.set(toHex(rec.ud), r.index);
    }
  };
  await Promise.allSettled(Array.from({ length: WINDOW }, one));
  await client.close().catch(() => {});
  return sent;
}

/** Kills core ROUNDS times under load, then checks every acknowledged SUBMIT; `config` is config.toml's text. */
async function killRounds(config: string): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "smsc-kill-" });
  const sock = `${dir}/state/core.sock`;
  const rand = prng(20261123);
  const acked = new Map<string, number>();
  await Deno.writeTextFile(`${dir}/config.toml`, config);
  const args = ["core", "--config", "config.toml"];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const core = await startDaemon(args, { cwd: dir, ready: / core ready / });
      const work = Array.from(
        { length: SUBMITTERS },
        (_, k) => submitter(sock, `r${round}s${k}`, acked),
      );
      await new Promise((r) => setTimeout(r, 100 + Math.floor(rand() * 400)));
      await core.kill();
      await Promise.all(work);
    }
    // A clean start recovers the file (cutting a torn tail), then stops.
    const last = await startDaemon(args, { cwd: dir, ready: / core ready / });
    strictEqual((await last.stop()).code, 0);

    strictEqual(acked.size > 0, true, "some SUBMITs were acknowledged");
    const reader = await PmsReader.openReadOnly(`${dir}/state/pms.bin`);
    const seen = new Map<string, number[]>();
    const summary = await reader.scan(0, {
      record: (i, rec) => seen.set(toHex(rec.ud), [...(seen.get(toHex(rec.ud)) ?? []), i]),
    }, { historical: "decode" });
    await reader.close();
    deepStrictEqual(summary.corrupt, [], "no corrupt record after recovery");
    for (const [ud, index] of acked) deepStrictEqual(seen.get(ud), [index], `acknowledged ${ud}`);
    for (const [ud, indices] of seen) strictEqual(indices.length, 1, `stored once: ${ud}`);
    // dump reads every record back, none of them corrupt.
    const dump = await runSmsc(["dump", "--json", "--config", "config.toml"], { cwd: dir });
    strictEqual(dump.code, 0, dump.stderr);
    const lines = dump.stdout.trim().split("\n").map((l) => JSON.parse(l));
    strictEqual(lines.length, reader.recordCount);
    strictEqual(lines.some((l) => l.corrupt), false);
    // deno-lint-ignore no-console
    console.log(`acknowledged ${acked.size}, stored ${reader.recordCount} over ${ROUNDS} kills`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name: "every acknowledged SUBMIT survives SIGKILL of core, exactly once",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: () => killRounds(""),
});

Deno.test({
  name:
    "every acknowledged SUBMIT survives SIGKILL of core while space is written ahead every few records",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: () => killRounds("[store]\npms_write_ahead_kib = 1\n"),
});
