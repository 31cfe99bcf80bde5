import assert from "node:assert/strict";
import { AssertionError } from "../lib/errors.ts";
import { setLogSink } from "../lib/log.ts";
import { encodePmsRecord, examplePmsRecord, type PmsRecord } from "../codec/pms/mod.ts";
import { denoFileIo, type PmsIo, PmsReader } from "./pms_reader.ts";
import { PmsFile } from "./pms_file.ts";

const lines: string[] = [];
setLogSink({ write: (l) => lines.push(l) });

async function tmpPath(): Promise<string> {
  return `${await Deno.makeTempDir({ prefix: "pms_file_test_" })}/pms.bin`;
}

/** A real file whose syncs, once `held` is set, wait for `release()` and are counted. */
async function gatedIo(path: string) {
  const inner = denoFileIo(await Deno.open(path, { read: true, write: true, create: true }));
  let gate = Promise.withResolvers<void>();
  const io: PmsIo & { held: boolean; syncs: number; writes: number; release(): void } = {
    ...inner,
    held: false,
    syncs: 0,
    writes: 0,
    writeAt(d, p) {
      io.writes++;
      return inner.writeAt(d, p);
    },
    async syncData() {
      if (!io.held) return inner.syncData();
      io.syncs++;
      await gate.promise;
      gate = Promise.withResolvers<void>();
      return inner.syncData();
    },
    release() {
      gate.resolve();
    },
  };
  return io;
}

const rec = (t: number, mr = 0): PmsRecord => ({ ...examplePmsRecord(t), mr });

/** Waits for `cond`, a bounded number of turns (a ceiling, not a timing assertion). */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 2));
}

Deno.test("PmsFile.open() creates a missing file and append() returns indices in call order", async () => {
  const path = await tmpPath();
  const store = await PmsFile.open(path);
  assert.equal(store.recordCount, 0);
  assert.equal(store.openReport.tornTail, null);
  const got = await Promise.all([1, 2, 3].map((t) => store.append(rec(t, t))));
  assert.deepEqual(got, [0, 1, 2]);
  assert.equal((await store.readRecord(1)).mr, 2);
  await store.close();
  const reader = await PmsReader.openReadOnly(path);
  assert.equal(reader.recordCount, 3);
  assert.equal(reader.openReport.tornTail, null);
  assert.equal((await Deno.stat(path)).size, (3 + reader.openReport.freeRecords) * 256);
  await reader.close();
});

Deno.test("PmsFile.open() syncs the file before anything is appended, though nothing was cut", async () => {
  const path = await tmpPath();
  const first = await PmsFile.open(path);
  await first.append(rec(1));
  await first.close();
  const inner = denoFileIo(await Deno.open(path, { read: true, write: true }));
  const calls: string[] = [];
  const io: PmsIo = {
    ...inner,
    truncate: (n) => (calls.push("truncate"), inner.truncate(n)),
    writeAt: (d, p) => (calls.push("write"), inner.writeAt(d, p)),
    syncData: () => (calls.push("sync"), inner.syncData()),
  };
  const store = await PmsFile.open(path, { io });
  assert.equal(store.openReport.tornTail, null);
  assert.deepEqual(calls, ["sync"], "one sync at open: what the last run left is made durable");
  await store.append(rec(2));
  assert.deepEqual(calls, ["sync", "write", "sync"]);
  await store.close();
});

Deno.test("PmsFile group commit batches appends that arrive during a sync into one write and sync", async () => {
  const path = await tmpPath();
  const io = await gatedIo(path);
  const store = await PmsFile.open(path, { io });
  io.held = true;
  const resolved: number[] = [];
  const first = store.append(rec(1)).then((i) => resolved.push(i));
  // The write is real I/O: wait (bounded) until the sync it precedes has begun.
  await until(() => io.syncs === 1);
  assert.equal(io.syncs, 1, "the first append is being synced");
  const rest = Array.from(
    { length: 99 },
    (_, k) => store.append(rec(2 + k)).then((i) => resolved.push(i)),
  );
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(resolved, [], "nothing resolves before its sync completes");
  io.release();
  await first;
  assert.deepEqual(resolved, [0]);
  await until(() => io.syncs === 2);
  assert.equal(io.syncs, 2, "the 99 waiting appends share the second sync");
  assert.equal(resolved.length, 1);
  io.release();
  await Promise.all(rest);
  assert.equal(io.syncs, 2);
  assert.equal(io.writes, 2, "one write per run of consecutive records");
  assert.equal(store.syncCount, 2);
  assert.equal(resolved.length, 100);
  await store.close();
});

Deno.test("PmsFile append() in one turn shares the first sync", async () => {
  const store = await PmsFile.open(await tmpPath());
  await Promise.all(Array.from({ length: 50 }, (_, k) => store.append(rec(k))));
  assert.equal(store.syncCount, 1);
  await store.close();
});

Deno.test("PmsFile append() refuses an entry time before the last one", async () => {
  const store = await PmsFile.open(await tmpPath());
  await store.append(rec(10));
  await assert.rejects(() => store.append(rec(9)), AssertionError);
  assert.equal(await store.append(rec(10)), 1);
  await store.close();
});

Deno.test("PmsFile update() rewrites an active record durably and refuses a historical one", async () => {
  const path = await tmpPath();
  const store = await PmsFile.open(path);
  const i = await store.append(rec(5));
  await store.update(i, { ...rec(5), destImsi: "001010000000001" });
  const done: PmsRecord = {
    ...rec(5),
    state: "historical",
    disposition: "delivered",
    dischargeTimeMs: 6,
    destImsi: "001010000000001",
  };
  await store.update(i, done);
  await assert.rejects(() => store.update(i, done), /historical/);
  await assert.rejects(() => store.update(i, { ...rec(4) }), AssertionError);
  await store.close();
  const reader = await PmsReader.openReadOnly(path);
  assert.deepEqual(await reader.readRecord(0), done);
  await reader.close();
});

Deno.test("PmsFile update() of a record still queued checks its queued content", async () => {
  const store = await PmsFile.open(await tmpPath());
  const appended = store.append(rec(1));
  const done = {
    ...rec(1),
    state: "historical" as const,
    disposition: "expired" as const,
    dischargeTimeMs: 2,
  };
  const u1 = store.update(0, done);
  // Settled at once: the second update's check fails as soon as the first is queued.
  const u2 = store.update(0, rec(1)).then(() => "resolved", (e) => String(e));
  await appended;
  await u1;
  assert.match(await u2, /historical/);
  assert.equal((await store.readRecord(0)).disposition, "expired");
  await store.close();
});

Deno.test("PmsFile enters a sticky error state when a sync fails and never retries it", async () => {
  const path = await tmpPath();
  const inner = denoFileIo(await Deno.open(path, { read: true, write: true, create: true }));
  let syncs = 0;
  let opened = false;
  const io: PmsIo = {
    ...inner,
    syncData() {
      if (!opened) return inner.syncData();
      syncs++;
      return Promise.reject(new Error("EIO"));
    },
  };
  lines.length = 0;
  const store = await PmsFile.open(path, { io });
  opened = true;
  // Both fail in the same sync: settle them together so neither is left unhandled.
  const [a, b] = await Promise.allSettled([store.append(rec(1)), store.append(rec(2))]);
  for (const r of [a, b]) {
    assert.equal(r.status, "rejected");
    assert.match(String((r as PromiseRejectedResult).reason), /write or sync failed/);
  }
  await assert.rejects(() => store.append(rec(3)), /failed earlier/);
  await assert.rejects(() => store.update(0, rec(1)), /failed earlier/);
  assert.equal(syncs, 1);
  assert.equal(store.failure?.message, "EIO");
  assert.equal(lines.filter((l) => l.startsWith("error store.pms")).length, 1);
  await store.close();
});

Deno.test("PmsReader.findByEntryTime() finds the first record at or after a time", async () => {
  const path = await tmpPath();
  const store = await PmsFile.open(path);
  const times = [10, 10, 20, 30, 30, 30, 40];
  for (const t of times) await store.append(rec(t));
  await store.close();
  const reader = await PmsReader.openReadOnly(path);
  const cases: [number, number][] = [[0, 0], [10, 0], [11, 2], [30, 3], [31, 6], [40, 6], [41, 7]];
  for (const [t, want] of cases) assert.equal(await reader.findByEntryTime(t), want, `t=${t}`);
  await reader.close();
});

Deno.test("PmsReader.findByEntryTime() steps over corrupt records", async () => {
  const path = await tmpPath();
  const bytes = new Uint8Array(256 * 6);
  [1, 2, 3, 4, 5, 6].forEach((t, k) => bytes.set(encodePmsRecord(rec(t)), k * 256));
  bytes[3 * 256 + 100] ^= 0xff;
  bytes[4 * 256 + 100] ^= 0xff;
  await Deno.writeFile(path, bytes);
  const reader = await PmsReader.openReadOnly(path);
  assert.equal(await reader.findByEntryTime(4), 5);
  assert.equal(await reader.findByEntryTime(3), 2);
  await reader.close();
});

Deno.test("PmsReader.scan() yields active records, counts historical ones, reports corrupt ones", async () => {
  const path = await tmpPath();
  const store = await PmsFile.open(path);
  for (let k = 0; k < 10; k++) {
    const r = rec(k, k);
    await store.append(
      k % 3 === 0
        ? r
        : { ...r, state: "historical", disposition: "stored-only", dischargeTimeMs: k + 1 },
    );
  }
  await store.close();
  const b = await Deno.readFile(path);
  b[4 * 256 + 200] ^= 1;
  await Deno.writeFile(path, b);
  const reader = await PmsReader.openReadOnly(path);
  const seen: number[] = [];
  const corrupt: number[] = [];
  const s = await reader.scan(1, { record: (i) => seen.push(i), corrupt: (i) => corrupt.push(i) });
  assert.deepEqual(seen, [3, 6, 9]);
  assert.deepEqual(corrupt, [4]);
  assert.deepEqual(s, { fromIndex: 1, endIndex: 10, active: 3, historical: 5, corrupt: [4] });
  await assert.rejects(() => reader.scan(11, {}), /beyond/);
  await reader.close();
});
