// The space PmsFile writes ahead of its records (docs/pms-format.md, "Space
// written ahead"): appends land in it, readers skip it at the tail, a torn
// batch among it is still found, it stays within the bound readers accept,
// a record write never races the free space written over it, and a failure
// writing it stops the store like a failed commit.
import assert from "node:assert/strict";
import { setLogSink } from "../lib/log.ts";
import {
  encodePmsRecord,
  examplePmsRecord,
  PMS_FREE_BYTE,
  PMS_FREE_RECORDS_MAX,
  type PmsRecord,
} from "../codec/pms/mod.ts";
import { openPositionalIo, type PmsIo, PmsReader, PmsRecoveryError } from "./pms_reader.ts";
import { PmsFile } from "./pms_file.ts";

const lines: string[] = [];
setLogSink({ write: (l) => lines.push(l) });

const rec = (t: number, mr = 0): PmsRecord => ({ ...examplePmsRecord(t), mr });

async function tmpPath(): Promise<string> {
  return `${await Deno.makeTempDir({ prefix: "pms_free_test_" })}/pms.bin`;
}

/** What a read-only open of `path` reports, and the file's size in records. */
async function tail(path: string) {
  const reader = await PmsReader.openReadOnly(path);
  await reader.close();
  return {
    records: reader.recordCount,
    free: reader.openReport.freeRecords,
    torn: reader.openReport.tornTail,
    sizeRecords: (await Deno.stat(path)).size / 256,
  };
}

function free(records: number): Uint8Array {
  return new Uint8Array(records * 256).fill(PMS_FREE_BYTE);
}

Deno.test("PmsFile writes free space ahead, appends land in it and readers count only the records", async () => {
  const path = await tmpPath();
  const store = await PmsFile.open(path);
  await Promise.all([1, 2, 3].map((t) => store.append(rec(t, t))));
  await store.close();
  const t = await tail(path);
  assert.equal(t.records, 3);
  assert.equal(t.torn, null);
  assert.ok(t.free >= 512, `free records after the records: ${t.free}`);
  assert.equal(t.sizeRecords, 3 + t.free);

  // Reopened: the free space is kept (nothing truncated), appends continue after the records.
  const again = await PmsFile.open(path);
  assert.equal(again.recordCount, 3);
  assert.equal(again.openReport.freeRecords, t.free);
  assert.equal(await again.append(rec(4, 4)), 3);
  assert.equal((await again.readRecord(3)).mr, 4);
  await again.close();
  const t2 = await tail(path);
  assert.equal(t2.records, 4);
  assert.equal(t2.sizeRecords, t.sizeRecords, "the append did not grow the file");
});

Deno.test("PmsFile keeps writing space ahead as records fill it, within the bound readers accept", async () => {
  const path = await tmpPath();
  // 4 KiB ahead: a new 16 free records whenever fewer than 8 are left.
  const store = await PmsFile.open(path, { freeBytesAhead: 4096, batchRecordsMax: 5 });
  const recs: PmsRecord[] = [];
  for (let i = 0; i < 200; i++) {
    const r = rec(i, i % 256);
    recs.push(r);
    // Bursts of several appends per turn make batches that run past the free space.
    if (i % 7 === 6) await store.append(r);
    else void store.append(r);
  }
  await store.append(rec(200));
  await store.close();
  const t = await tail(path);
  assert.equal(t.records, 201);
  assert.equal(t.torn, null);
  assert.ok(t.free > 0 && t.free <= 16 + 8, `free records after the records: ${t.free}`);
  const reader = await PmsReader.openReadOnly(path);
  for (let i = 0; i < 200; i++) {
    assert.deepEqual(await reader.readRecord(i), recs[i], `record ${i}`);
  }
  await reader.close();
});

Deno.test("PmsFile.open() finds a torn batch among the free space and truncates both", async () => {
  const path = await tmpPath();
  const good = [1, 2, 3].map((t) => encodePmsRecord(rec(t)));
  const torn = encodePmsRecord(rec(4)).slice();
  torn.fill(PMS_FREE_BYTE, 100); // written only up to byte 100 before the crash
  const file = new Uint8Array([...good.flatMap((b) => [...b]), ...torn, ...free(40)]);
  await Deno.writeFile(path, file);

  const ro = await tail(path);
  assert.deepEqual(ro.torn, { firstIndex: 3, records: 41, bytes: 41 * 256 });
  assert.equal(ro.free, 0);

  lines.length = 0;
  const store = await PmsFile.open(path, { freeBytesAhead: 0 });
  assert.equal(store.recordCount, 3);
  assert.ok(lines.some((l) => l.startsWith("warn store.pms Truncating torn tail")));
  await store.close();
  assert.equal(
    (await Deno.stat(path)).size,
    3 * 256,
    "the torn record and the free space after it are gone",
  );
});

Deno.test("PmsFile.open() takes free space at the tail as space, but stops on a longer free run", async () => {
  const path = await tmpPath();
  const good = encodePmsRecord(rec(1));
  await Deno.writeFile(path, new Uint8Array([...good, ...free(PMS_FREE_RECORDS_MAX)]));
  lines.length = 0;
  const store = await PmsFile.open(path, { freeBytesAhead: 0, batchRecordsMax: 3 });
  assert.equal(store.recordCount, 1);
  assert.equal(store.openReport.tornTail, null);
  assert.equal(store.openReport.freeRecords, PMS_FREE_RECORDS_MAX);
  assert.ok(!lines.some((l) => l.startsWith("warn")), "free space is not a torn tail");
  await store.close();

  // The records of a batch (3 here) that never reached the disk read back as
  // the free space under them: still a crash of ours.
  await Deno.writeFile(path, new Uint8Array([...good, ...free(PMS_FREE_RECORDS_MAX + 3)]));
  const after = await PmsFile.open(path, { freeBytesAhead: 0, batchRecordsMax: 3 });
  assert.equal(after.openReport.freeRecords, PMS_FREE_RECORDS_MAX + 3);
  await after.close();

  // More free space than a writer keeps plus a batch: not ours.
  await Deno.writeFile(path, new Uint8Array([...good, ...free(PMS_FREE_RECORDS_MAX + 4)]));
  await assert.rejects(
    () => PmsFile.open(path, { freeBytesAhead: 0, batchRecordsMax: 3 }),
    PmsRecoveryError,
  );
  await assert.rejects(
    () => PmsReader.openReadOnly(path, { batchRecordsMax: 3 }),
    PmsRecoveryError,
  );

  // A torn record among more than a batch plus the most free space: not one torn write either.
  const bad = encodePmsRecord(rec(2)).slice();
  bad[40] ^= 1;
  await Deno.writeFile(
    path,
    new Uint8Array([...good, ...bad, ...free(PMS_FREE_RECORDS_MAX + 3)]),
  );
  await assert.rejects(
    () => PmsFile.open(path, { freeBytesAhead: 0, batchRecordsMax: 3 }),
    PmsRecoveryError,
  );
  assert.equal((await Deno.stat(path)).size, (PMS_FREE_RECORDS_MAX + 5) * 256, "nothing was cut");
});

/** The real positional io, with the write of space ahead held until `release()`. */
async function heldAheadIo(path: string) {
  const inner = await openPositionalIo(path, true);
  const gate = Promise.withResolvers<void>();
  const order: string[] = [];
  const io: PmsIo & { order: string[]; release(): void } = {
    ...inner,
    order,
    async writeAt(d, p) {
      order.push(`record ${p / 256}`);
      await inner.writeAt(d, p);
    },
    async writeAhead(d, p) {
      await gate.promise;
      order.push(`free ${p / 256}`);
      await inner.writeAhead!(d, p);
    },
    release: () => gate.resolve(),
  };
  return io;
}

Deno.test("PmsFile never writes a record into free space that is still being written", async () => {
  const path = await tmpPath();
  const io = await heldAheadIo(path);
  const store = await PmsFile.open(path, { io, freeBytesAhead: 1024 });
  const appended = store.append(rec(1, 7));
  for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 1));
  assert.deepEqual(io.order, [], "the record waits for the free space under it");
  io.release();
  assert.equal(await appended, 0);
  assert.deepEqual(io.order.slice(0, 2), ["free 0", "record 0"]);
  await store.close();
  const reader = await PmsReader.openReadOnly(path);
  assert.equal((await reader.readRecord(0)).mr, 7);
  await reader.close();
});

Deno.test("PmsFile never starts space ahead inside records still being written", async () => {
  const path = await tmpPath();
  const inner = await openPositionalIo(path, true);
  const firstSync = Promise.withResolvers<void>();
  const recordWrite = Promise.withResolvers<void>();
  const laterAhead = Promise.withResolvers<void>();
  const records: [number, number][] = [];
  const aheads: [number, number][] = [];
  let syncsAhead = 0;
  const io: PmsIo = {
    ...inner,
    async writeAt(d, p) {
      records.push([p, p + d.length]);
      if (p === 3 * 256) await recordWrite.promise; // the second batch's write is slow
      await inner.writeAt(d, p);
    },
    async writeAhead(d, p) {
      aheads.push([p, p + d.length]);
      if (aheads.length > 1) await laterAhead.promise;
      await inner.writeAhead!(d, p);
    },
    async syncAhead() {
      if (++syncsAhead === 1) await firstSync.promise;
      await inner.syncAhead!();
    },
  };
  const turns = async (n: number) => {
    for (let i = 0; i < n; i++) await new Promise((r) => setTimeout(r, 1));
  };
  // 4 free records ahead: the first batch (3 records) leaves 1, but the
  // first free space is still syncing, so no more is written yet.
  const store = await PmsFile.open(path, { io, freeBytesAhead: 1024 });
  await Promise.all([0, 1, 2].map((i) => store.append(rec(i, i))));
  // The second batch (8 records) runs past the free space; its write is held.
  const second = Promise.all([3, 4, 5, 6, 7, 8, 9, 10].map((i) => store.append(rec(i, i))));
  await turns(10);
  assert.equal(records.length, 2, "the second batch is being written");
  // The first free space is synced meanwhile: space ahead is short again.
  firstSync.resolve();
  await turns(10);
  recordWrite.resolve();
  await second;
  laterAhead.resolve();
  await store.close();
  for (const [from, to] of aheads.slice(1)) {
    for (const [rFrom, rTo] of records) {
      assert.ok(
        to <= rFrom || from >= rTo,
        `free space ${from}-${to} over records ${rFrom}-${rTo}`,
      );
    }
  }
  const reader = await PmsReader.openReadOnly(path);
  assert.equal(reader.recordCount, 11);
  for (let i = 0; i < 11; i++) assert.equal((await reader.readRecord(i)).mr, i, `record ${i}`);
  await reader.close();
});

Deno.test("PmsFile stops for good when writing space ahead fails, and acknowledges nothing synced beside it", async () => {
  const path = await tmpPath();
  const inner = await openPositionalIo(path, true);
  const failing = Promise.withResolvers<void>();
  const syncing = Promise.withResolvers<void>();
  let opened = false;
  const io: PmsIo = {
    ...inner,
    syncAhead: () => failing.promise,
    async syncData() {
      if (opened) await syncing.promise;
      await inner.syncData();
    },
  };
  lines.length = 0;
  const store = await PmsFile.open(path, { io, freeBytesAhead: 1024 });
  opened = true;
  const inFlight = store.append(rec(1));
  inFlight.catch(() => {});
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 1));
  failing.reject(new Error("EIO"));
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 1));
  syncing.resolve();
  await assert.rejects(() => inFlight, /write or sync failed/);
  await assert.rejects(() => store.append(rec(2)), /failed earlier/);
  assert.equal(store.failure?.message, "EIO");
  assert.equal(lines.filter((l) => l.startsWith("error store.pms")).length, 1);
  await store.close();
});
