import assert from "node:assert/strict";
import { encodePmsRecord, examplePmsRecord } from "../codec/pms/mod.ts";
import { prng } from "../../tests/support/codec_harness.ts";
import {
  ArchivedIndexError,
  type DumpPlan,
  DumpReader,
  startPosition,
  walkDump,
} from "./dump_reader.ts";

const SEED = 20261123;
const RECORDS = 6000;

/** A file of RECORDS records with non-decreasing random entry times (many ties), some damaged. */
async function bigFile(
  dir: string,
  damaged: number,
): Promise<{ path: string; times: number[]; bad: Set<number> }> {
  const rnd = prng(SEED + damaged);
  const times: number[] = [];
  const bytes = new Uint8Array(RECORDS * 256);
  let t = 1_800_000_000_000;
  for (let i = 0; i < RECORDS; i++) {
    // One step in three is 0 so that runs of equal times exercise the search.
    t += rnd() < 0.33 ? 0 : Math.floor(rnd() * 5_000);
    times.push(t);
    bytes.set(encodePmsRecord({ ...examplePmsRecord(t), mr: i & 0xff }), i * 256);
  }
  const bad = new Set<number>();
  while (bad.size < damaged) bad.add(1 + Math.floor(rnd() * (RECORDS - 2)));
  for (const i of bad) bytes[i * 256 + 40] ^= 0xff;
  const path = `${dir}/pms.bin`;
  await Deno.writeFile(path, bytes);
  return { path, times, bad };
}

function plan(fields: Partial<DumpPlan>): DumpPlan {
  return {
    start: { kind: "begin" },
    filter: {},
    showText: false,
    json: true,
    reportDamage: true,
    archivedMb: 0,
    ...fields,
  };
}

function linearFirst(times: number[], bad: Set<number>, ms: number): number {
  for (let i = 0; i < times.length; i++) if (!bad.has(i) && times[i] >= ms) return i;
  return times.length;
}

for (const damaged of [0, 60]) {
  Deno.test(`--from by binary search equals a linear scan (${RECORDS} records, ${damaged} damaged)`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "dump_search_" });
    const { path, times, bad } = await bigFile(dir, damaged);
    const reader = await DumpReader.open(path);
    const rnd = prng(SEED * 7 + damaged);
    const queries = [0, times[0], times[0] + 1, times.at(-1)!, times.at(-1)! + 1];
    for (let q = 0; q < 300; q++) {
      const i = Math.floor(rnd() * RECORDS);
      queries.push(times[i], times[i] + 1, times[i] - 1);
    }
    for (const ms of queries) {
      const got = await startPosition(reader, plan({ start: { kind: "time", ms } }));
      assert.equal(got, linearFirst(times, bad, ms), `time ${ms}`);
    }
    await reader.close();
    await Deno.remove(dir, { recursive: true });
  });
}

Deno.test("walkDump with --from, --until and --count prints the same records as a linear filter", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dump_walk_" });
  const { path, times, bad } = await bigFile(dir, 20);
  const reader = await DumpReader.open(path);
  const rnd = prng(SEED + 99);
  for (let q = 0; q < 40; q++) {
    const from = times[Math.floor(rnd() * RECORDS)];
    const until = from + Math.floor(rnd() * 200_000);
    const count = Math.floor(rnd() * 50);
    const lines: string[] = [];
    const printed = await walkDump(
      reader,
      plan({ start: { kind: "time", ms: from }, untilMs: until, count, reportDamage: false }),
      (l) => lines.push(...l),
    );
    const want: number[] = [];
    for (let i = 0; i < RECORDS && want.length < count; i++) {
      if (bad.has(i) || times[i] < from) continue;
      if (times[i] >= until) break;
      want.push(i);
    }
    assert.deepEqual(lines.map((l) => JSON.parse(l).id), want);
    assert.equal(printed, want.length);
  }
  await reader.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("walkDump numbers records from archived-mb and refuses an archived --index", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dump_index_" });
  const path = `${dir}/pms.bin`;
  const bytes = new Uint8Array(3 * 256);
  for (let i = 0; i < 3; i++) bytes.set(encodePmsRecord(examplePmsRecord(1000 + i)), i * 256);
  await Deno.writeFile(path, bytes);
  const reader = await DumpReader.open(path);
  const ids = async (p: DumpPlan) => {
    const lines: string[] = [];
    await walkDump(reader, p, (l) => lines.push(...l));
    return lines.map((l) => JSON.parse(l).id);
  };
  assert.deepEqual(await ids(plan({ archivedMb: 2 })), [8192, 8193, 8194]);
  assert.deepEqual(await ids(plan({ archivedMb: 2, start: { kind: "index", id: 8193 } })), [
    8193,
    8194,
  ]);
  assert.deepEqual(await ids(plan({ archivedMb: 2, start: { kind: "index", id: 9000 } })), []);
  assert.deepEqual(await ids(plan({ count: 0 })), []);
  await assert.rejects(
    () => ids(plan({ archivedMb: 2, start: { kind: "index", id: 8191 } })),
    ArchivedIndexError,
  );
  await reader.close();
  await Deno.remove(dir, { recursive: true });
});
