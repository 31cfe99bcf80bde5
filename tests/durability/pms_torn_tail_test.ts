// The truncation loop of STYLE.md §5 applied to pms.bin: a crash during the
// last batch's write leaves a partial record, or a whole record whose later
// bytes never reached the disk. Start-up must report and drop exactly that
// record and keep everything before it.
import assert from "node:assert/strict";
import { setLogSink } from "../../src/lib/log.ts";
import {
  encodePmsRecord,
  examplePmsRecord,
  PMS_AHEAD_RECORDS_MAX,
  type PmsRecord,
} from "../../src/codec/pms/mod.ts";
import { PmsFile } from "../../src/store/pms_file.ts";
import { PmsReader, PmsRecoveryError } from "../../src/store/pms_reader.ts";

const logLines: string[] = [];
setLogSink({ write: (l) => logLines.push(l) });

function records(): PmsRecord[] {
  return [0, 1, 2, 3, 4].map((k) => {
    const r = { ...examplePmsRecord(1_000 + k), mr: k };
    return k % 2 === 0
      ? r
      : { ...r, state: "historical", disposition: "delivered", dischargeTimeMs: 2_000 };
  });
}

function fileOf(recs: PmsRecord[]): Uint8Array {
  const b = new Uint8Array(recs.length * 256);
  recs.forEach((r, k) => b.set(encodePmsRecord(r), k * 256));
  return b;
}

/** The good records of `path`, after checking that nothing but free space follows them. */
async function recovered(path: string): Promise<Map<number, PmsRecord>> {
  const reader = await PmsReader.openReadOnly(path);
  assert.equal(reader.openReport.tornTail, null);
  const got = new Map<number, PmsRecord>();
  const s = await reader.scan(0, {
    record: (i, r) => got.set(i, r),
    corrupt: (i) => assert.fail(`record ${i} reported corrupt`),
  }, { historical: "decode" });
  assert.deepEqual(s.corrupt, []);
  await reader.close();
  return got;
}

Deno.test("PmsFile.open() drops a last record truncated at every byte offset and keeps the rest", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pms_torn_" });
  const path = `${dir}/pms.bin`;
  const recs = records();
  const whole = fileOf(recs);
  for (let cut = 0; cut < 256; cut++) {
    await Deno.writeFile(path, whole.subarray(0, 4 * 256 + cut));
    const ro = await PmsReader.openReadOnly(path);
    assert.equal(ro.recordCount, 4);
    assert.deepEqual(
      ro.openReport.tornTail,
      cut === 0 ? null : { firstIndex: 4, records: 0, bytes: cut },
    );
    await ro.close();
    assert.equal((await Deno.stat(path)).size, 4 * 256 + cut, "read-only open never truncates");
    const store = await PmsFile.open(path);
    assert.equal(store.recordCount, 4, `cut ${cut}`);
    assert.equal(await store.append(recs[4]), 4, "the next append takes the torn record's index");
    await store.close();
    const got = await recovered(path);
    assert.deepEqual([...got.keys()], [0, 1, 2, 3, 4]);
    recs.forEach((r, k) => assert.deepEqual(got.get(k), r, `record ${k} after cut ${cut}`));
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("PmsFile.open() drops a last record whose bytes after every offset never reached the disk", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pms_torn_" });
  const path = `${dir}/pms.bin`;
  const recs = records();
  let tested = 0;
  for (let kept = 0; kept < 256; kept++) {
    const b = fileOf(recs);
    const before = b.slice(4 * 256);
    b.fill(0, 4 * 256 + kept);
    if (before.every((v, i) => v === b[4 * 256 + i])) continue; // the lost bytes were zeros anyway
    tested++;
    await Deno.writeFile(path, b);
    logLines.length = 0;
    const store = await PmsFile.open(path);
    assert.deepEqual(
      store.openReport.tornTail,
      { firstIndex: 4, records: 1, bytes: 256 },
      `kept ${kept}`,
    );
    assert.equal(store.recordCount, 4);
    assert.ok(logLines.some((l) => l.startsWith("warn store.pms Truncating torn tail")));
    await store.close();
    const got = await recovered(path);
    assert.deepEqual([...got.values()], recs.slice(0, 4));
  }
  assert.ok(tested > 200);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("PmsFile.open() drops a torn batch of several records and a partial one after it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pms_torn_" });
  const path = `${dir}/pms.bin`;
  const b = fileOf(records());
  b.fill(0, 2 * 256 + 17);
  await Deno.writeFile(path, new Uint8Array([...b, 1, 2, 3]));
  const store = await PmsFile.open(path, { batchRecordsMax: 3 });
  assert.deepEqual(store.openReport.tornTail, { firstIndex: 2, records: 3, bytes: 3 * 256 + 3 });
  assert.equal(store.lastEntryTimeMs, 1_001);
  await store.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("PmsFile.open() stops when the bad tail is longer than one batch could be", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pms_torn_" });
  const path = `${dir}/pms.bin`;
  const b = fileOf(records());
  for (let k = 1; k < 5; k++) b[k * 256 + 40] ^= 0x01; // 4 damaged records, batches of 3
  await Deno.writeFile(path, b);
  await assert.rejects(() => PmsFile.open(path, { batchRecordsMax: 3 }), PmsRecoveryError);
  assert.equal((await Deno.stat(path)).size, 5 * 256, "nothing was truncated");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("PmsFile.open() takes zeros after the last record for a batch and a write ahead that never reached the disk, up to their size", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pms_torn_" });
  const path = `${dir}/pms.bin`;
  const good = fileOf(records()).subarray(0, 256);
  // A file system that extends the size before the data: a batch of 3 and a
  // whole write ahead (PMS_AHEAD_RECORDS_MAX) read back as zeros.
  const zeros = (n: number) => new Uint8Array(n * 256);
  await Deno.writeFile(path, new Uint8Array([...good, ...zeros(3 + PMS_AHEAD_RECORDS_MAX)]));
  const store = await PmsFile.open(path, { batchRecordsMax: 3, freeBytesAhead: 0 });
  assert.equal(store.recordCount, 1);
  assert.equal(store.openReport.tornTail?.records, 3 + PMS_AHEAD_RECORDS_MAX);
  await store.close();
  assert.equal((await Deno.stat(path)).size, 256, "cut back to the last good record");
  // One zeroed record more cannot be that.
  await Deno.writeFile(path, new Uint8Array([...good, ...zeros(4 + PMS_AHEAD_RECORDS_MAX)]));
  await assert.rejects(
    () => PmsFile.open(path, { batchRecordsMax: 3, freeBytesAhead: 0 }),
    PmsRecoveryError,
  );
  await Deno.remove(dir, { recursive: true });
});
