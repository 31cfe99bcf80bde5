/**
 * The only writer of `pms.bin` (core). Opening repairs a torn tail; `append`
 * and `update` are group-committed. Reading, scanning and the binary search
 * come from `PmsReader` (`pms_reader.ts`). The contract is `docs/pms-format.md`.
 *
 * Lifecycle notes:
 * - `append` gives the record its index at once, in call order, and resolves
 *   only after a write and an `fdatasync` (`FsFile.syncData`) covering it have
 *   completed. Operations that arrive while a sync runs wait and share the next
 *   write+sync (group commit), so one sync serves a whole batch.
 * - A failed write or sync makes the store sticky-failed (SQLite's pager ERROR
 *   state): that batch, everything queued and every later call reject, and no
 *   sync is ever retried, because after a failed `fsync` the kernel may have
 *   dropped the dirty pages and a later success would lie. Core then exits and
 *   start-up recovery runs from what the disk really holds.
 * - Space is written ahead: when less than half of `freeBytesAhead` of free
 *   records (`PMS_FREE_BYTE`) lie after the records written, another
 *   `freeBytesAhead` is written and synced through the io's second
 *   descriptor, beside the group commits. Appends then overwrite space the
 *   file already has, and their fdatasync has no size change to commit to the
 *   file system's journal: about a third cheaper on ext4 (docs/pms-format.md).
 *   Readers skip free space at the tail (`inspectTail`). A record write never
 *   overlaps free space being written: it waits for that write first.
 * - `close` waits for the queue to drain; the caller stops appending first.
 *
 * @module
 */

import { assert, AssertionError } from "../lib/errors.ts";
import { Logger } from "../lib/log.ts";
import {
  decodePmsRecord,
  encodePmsRecord,
  peekEntryTimeMs,
  PMS_AHEAD_RECORDS_MAX,
  PMS_FREE_BYTE,
  PMS_RECORD_BYTES,
  PMS_RECORDS_PER_MB,
  type PmsRecord,
} from "../codec/pms/mod.ts";
import {
  inspectTail,
  openPositionalIo,
  type PmsIo,
  type PmsOpenReport,
  PmsReader,
} from "./pms_reader.ts";

const log = new Logger("store.pms");

/**
 * The largest free space written ahead at once: 1 MiB, so that what lies
 * after the records (less than half of this, plus this) stays within the
 * `PMS_FREE_RECORDS_MAX` (2 MiB) that readers accept.
 */
const FREE_BYTES_AHEAD_MAX = PMS_AHEAD_RECORDS_MAX * PMS_RECORD_BYTES;

/** The default, as `store.pms_write_ahead_kib`: large enough that few commits meet a write ahead. */
const FREE_BYTES_AHEAD_DEFAULT = 256 * 1024;

/** How many recent write+sync cycles `syncLatency` summarises. */
const SYNC_TIMES = 1024;

/** Options of `PmsFile.open`. */
export interface PmsFileOptions {
  /** Largest batch of one write+sync, in records; also bounds a torn tail. Default 4096. */
  batchRecordsMax?: number;
  /**
   * Free space to keep written ahead of the records, in bytes: a multiple of
   * 256, at most 1 MiB; 0 writes none. Default 256 KiB. Needs an io with
   * `writeAhead` and `syncAhead`.
   */
  freeBytesAhead?: number;
  /** File operations to use instead of opening `path` (tests). */
  io?: PmsIo;
}

/** Free space being written ahead: from `start`; `written` once the write is done, `synced` once synced too. */
interface WriteAhead {
  start: number;
  /** True until `written` settles. */
  writing: boolean;
  written: Promise<void>;
  synced: Promise<void>;
}

interface PendingWrite {
  index: number;
  bytes: Uint8Array;
  resolve: () => void;
  reject: (e: Error) => void;
}

/** The read-write store. */
export class PmsFile extends PmsReader {
  readonly #batchRecordsMax: number;
  /** `freeBytesAhead` of free records, written from whenever space runs short; null: none. */
  readonly #freeSpace: Uint8Array | null;
  /** End of what this store has written or is writing: records or free space, bytes. */
  #writtenEnd: number;
  /** End of the records written, bytes. */
  #recordsEnd: number;
  #ahead: WriteAhead | null = null;
  #queue: PendingWrite[] = [];
  /** Latest bytes of records written but not yet synced, by index. */
  readonly #unsynced = new Map<number, Uint8Array>();
  /**
   * Entry times of the records this store wrote as active and has not yet
   * made historical: what `update` must check, known without reading the
   * file. Bounded by the number of active records.
   */
  readonly #activeEntryTimes = new Map<number, number>();
  #flushing: Promise<void> | null = null;
  #failure: Error | null = null;
  #closed = false;
  #lastEntryTimeMs: number;
  #syncCount = 0;
  /** Milliseconds of the last `SYNC_TIMES` write+sync cycles, a ring. */
  readonly #syncMs = new Float64Array(SYNC_TIMES);
  /** The last queued update of each record with one in progress, by index. */
  readonly #updates = new Map<number, Promise<unknown>>();

  private constructor(
    io: PmsIo,
    count: number,
    report: PmsOpenReport,
    batchRecordsMax: number,
    freeBytesAhead: number,
    writtenEnd: number,
  ) {
    super(io, count, report);
    this.#lastEntryTimeMs = 0;
    this.#batchRecordsMax = batchRecordsMax;
    this.#freeSpace = freeBytesAhead > 0 && io.writeAhead && io.syncAhead
      ? new Uint8Array(freeBytesAhead).fill(PMS_FREE_BYTE)
      : null;
    this.#recordsEnd = count * PMS_RECORD_BYTES;
    this.#writtenEnd = writtenEnd;
  }

  /**
   * Opens `path` for writing, creating it when missing. A torn tail (a partial
   * record, or bad records at the end within the limits of `inspectTail`) is
   * reported in `openReport`, logged, and truncated away. Then the file is
   * synced, torn or not, before anything is appended.
   *
   * @param path the file, usually `<state_dir>/pms.bin`
   * @param options batch size and an injected `PmsIo`
   * @returns the store, with `recordCount` after the repair
   * @throws {PmsRecoveryError} when the tail cannot be a torn write, or holds a newer version
   * @throws {Deno.errors.PermissionDenied} and other I/O errors from opening
   */
  static async open(path: string, options: PmsFileOptions = {}): Promise<PmsFile> {
    const batchRecordsMax = options.batchRecordsMax ?? PMS_RECORDS_PER_MB;
    assert(batchRecordsMax >= 1, "Cannot open pms.bin: batchRecordsMax must be at least 1");
    const freeBytesAhead = options.freeBytesAhead ?? FREE_BYTES_AHEAD_DEFAULT;
    assert(
      Number.isInteger(freeBytesAhead / PMS_RECORD_BYTES) && freeBytesAhead >= 0 &&
        freeBytesAhead <= FREE_BYTES_AHEAD_MAX,
      `Cannot open pms.bin: freeBytesAhead must be a multiple of ${PMS_RECORD_BYTES} from 0 to ${FREE_BYTES_AHEAD_MAX}`,
    );
    const io = options.io ??
      await openPositionalIo(path, true);
    try {
      const report = await inspectTail(io, batchRecordsMax);
      const torn = report.tornTail;
      let count = report.recordCount;
      let writtenEnd = (count + report.freeRecords) * PMS_RECORD_BYTES;
      if (torn !== null) {
        log.warn("Truncating torn tail of pms.bin", {
          first_index: torn.firstIndex,
          records: torn.records,
          bytes: torn.bytes,
        });
        await io.truncate(torn.firstIndex * PMS_RECORD_BYTES);
        count = torn.firstIndex;
        writtenEnd = count * PMS_RECORD_BYTES;
      }
      // Make what the last run left durable before building on it, even when
      // nothing was cut: a killed core's last batch may still be only in the
      // page cache, and a power loss after this run's first writes must not
      // find two runs' unsynced writes at the tail (the start-up limits count
      // one crash's).
      await io.syncData();
      const store = new PmsFile(io, count, report, batchRecordsMax, freeBytesAhead, writtenEnd);
      store.#writeAheadIfShort();
      // The tail inspection left a good record last, so its entry time is sound.
      if (count > 0) store.#lastEntryTimeMs = peekEntryTimeMs(await store.readBytes(count - 1));
      return store;
    } catch (e) {
      io.close();
      throw e;
    }
  }

  /** Entry time of the last record; `append` refuses anything earlier. */
  get lastEntryTimeMs(): number {
    return this.#lastEntryTimeMs;
  }

  /** Group commits (write + fdatasync) completed so far (metrics, and the group commit test). */
  get syncCount(): number {
    return this.#syncCount;
  }

  /**
   * Milliseconds a group commit (write and fdatasync of one batch) took over
   * the last 1024 of them: the floor under every SUBMIT's latency, and the
   * first thing to look at when acknowledgements are slow.
   */
  syncLatency(): { p50: number; p99: number; max: number } {
    const n = Math.min(this.#syncCount, SYNC_TIMES);
    if (n === 0) return { p50: 0, p99: 0, max: 0 };
    const sorted = this.#syncMs.slice(0, n).sort();
    return {
      p50: sorted[Math.floor(n / 2)],
      p99: sorted[Math.floor(n * 0.99)],
      max: sorted[n - 1],
    };
  }

  /** The error that made the store fail, or null. */
  get failure(): Error | null {
    return this.#failure;
  }

  /**
   * Appends a record. Its index is fixed at call time; the promise resolves
   * with it only once the record is on stable storage.
   *
   * @param rec the record; `entryTimeMs` must not be before `lastEntryTimeMs`
   * @param bytes `rec` already encoded (`encodePmsRecord`), to save encoding it again;
   *   not to be changed afterwards
   * @returns the record's index (its message id in this file)
   * @throws {EncodeError} when the record does not encode
   * @throws {AssertionError} when entry time goes backwards or the store is closed
   * @throws {Error} when the store has failed (sticky), with the failure as `cause`
   */
  append(rec: PmsRecord, bytes?: Uint8Array): Promise<number> {
    try {
      this.#usable("append to");
      assert(
        rec.entryTimeMs >= this.#lastEntryTimeMs,
        `Cannot append to pms.bin: entry time ${rec.entryTimeMs} is before the last one ${this.#lastEntryTimeMs}`,
      );
      const encoded = bytes ?? encodePmsRecord(rec);
      const index = this.count++;
      this.#lastEntryTimeMs = rec.entryTimeMs;
      if (rec.state === "active") this.#activeEntryTimes.set(index, rec.entryTimeMs);
      return this.#enqueue(index, encoded).then(() => index);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Rewrites an active record in place (IMSI found, discharge, extra info),
   * durably. Historical records are immutable; the entry time may not change.
   *
   * @param index the record
   * @param rec its new content
   * @throws {AssertionError} when the record is historical or its entry time differs
   * @throws {DecodeError} when the stored record is corrupt
   * @throws {Error} when the store has failed (sticky)
   */
  update(index: number, rec: PmsRecord): Promise<void> {
    // Updates of one record are checked one after another, so that each sees
    // the content the previous one queued; different records go ahead at
    // once, and all writes join the group commit, so many updates share one
    // fdatasync.
    const previous = this.#updates.get(index);
    const knownEntryTimeMs = this.#activeEntryTimes.get(index);
    if (previous === undefined && knownEntryTimeMs !== undefined) {
      // The common case, checked at once: nothing queued for this record and
      // its entry time known from memory.
      try {
        this.#usable("update");
        return this.#enqueue(index, this.#checkedUpdate(index, rec, knownEntryTimeMs));
      } catch (e) {
        return Promise.reject(e);
      }
    }
    const queued = (previous ?? Promise.resolve()).then(() => this.#queueUpdate(index, rec));
    const settled = queued.then(() => {}, () => {});
    this.#updates.set(index, settled);
    settled.then(() => {
      if (this.#updates.get(index) === settled) this.#updates.delete(index);
    });
    return queued.then((q) => q.durable);
  }

  async #queueUpdate(index: number, rec: PmsRecord): Promise<{ durable: Promise<void> }> {
    this.#usable("update");
    // A record written active by this store is checked from memory; any other
    // (written before this start) from its bytes.
    let oldEntryTimeMs = this.#activeEntryTimes.get(index);
    if (oldEntryTimeMs === undefined) {
      const old = decodePmsRecord(this.#unsynced.get(index) ?? (await this.readBytes(index)));
      assert(old.state === "active", `Cannot update PMS record ${index}: it is historical`);
      oldEntryTimeMs = old.entryTimeMs;
    }
    // Wrapped, so that awaiting this function does not wait for durability.
    return { durable: this.#enqueue(index, this.#checkedUpdate(index, rec, oldEntryTimeMs)) };
  }

  /** Checks an update against the record's entry time, notes it, and encodes it. */
  #checkedUpdate(index: number, rec: PmsRecord, oldEntryTimeMs: number): Uint8Array {
    assert(
      oldEntryTimeMs === rec.entryTimeMs,
      `Cannot update PMS record ${index}: entry time ${rec.entryTimeMs} differs from ${oldEntryTimeMs}`,
    );
    const bytes = encodePmsRecord(rec);
    if (rec.state === "active") this.#activeEntryTimes.set(index, rec.entryTimeMs);
    else this.#activeEntryTimes.delete(index);
    return bytes;
  }

  /** Reads a record, including one not yet synced. */
  override async readRecord(index: number): Promise<PmsRecord> {
    const pending = this.#unsynced.get(index);
    return pending ? decodePmsRecord(pending) : await super.readRecord(index);
  }

  /** Waits for queued writes and the space being written ahead, then closes the file. */
  override async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#updates.values());
    while (this.#flushing) await this.#flushing;
    await this.#ahead?.synced.catch(() => {});
    this.io.close();
  }

  #usable(action: string): void {
    if (this.#failure !== null) {
      throw new Error(`Cannot ${action} pms.bin: the store failed earlier`, {
        cause: this.#failure,
      });
    }
    if (this.#closed) throw new AssertionError(`Cannot ${action} pms.bin: the store is closed`);
  }

  #enqueue(index: number, bytes: Uint8Array): Promise<void> {
    this.#unsynced.set(index, bytes);
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ index, bytes, resolve, reject });
      if (this.#flushing === null) this.#flushing = this.#flush();
    });
  }

  async #flush(): Promise<void> {
    // Let the operations of the current turn join the first batch.
    await Promise.resolve();
    while (this.#queue.length > 0 && this.#failure === null) {
      const batch = this.#queue.splice(0, this.#batchRecordsMax);
      try {
        const started = performance.now();
        await this.#writeBatch(batch);
        this.#writeAheadIfShort();
        await this.io.syncData();
        this.#syncMs[this.#syncCount++ % SYNC_TIMES] = performance.now() - started;
      } catch (e) {
        this.#fail(e, batch);
        break;
      }
      if (this.#failure !== null) {
        // The space written ahead failed while this batch was synced: with
        // the store stopped, promise nothing more.
        this.#reject(batch);
        break;
      }
      for (const w of batch) {
        if (this.#unsynced.get(w.index) === w.bytes) this.#unsynced.delete(w.index);
        w.resolve();
      }
    }
    this.#flushing = null;
  }

  /**
   * Writes the batch: one positional write per run of consecutive records,
   * all at once. When a record appears twice in a batch (appended, then
   * updated before the sync) only its last version is written: both belong
   * to the same sync, so nothing in between can be observed.
   */
  async #writeBatch(batch: PendingWrite[]): Promise<void> {
    const latest = new Map<number, Uint8Array>();
    for (const w of batch) latest.set(w.index, w.bytes);
    const indices = [...latest.keys()].sort((a, b) => a - b);
    const runs: [Uint8Array, number][] = [];
    let i = 0;
    while (i < indices.length) {
      let j = i + 1;
      while (j < indices.length && indices[j] === indices[j - 1] + 1) j++;
      const run = new Uint8Array((j - i) * PMS_RECORD_BYTES);
      for (let k = i; k < j; k++) run.set(latest.get(indices[k])!, (k - i) * PMS_RECORD_BYTES);
      runs.push([run, indices[i] * PMS_RECORD_BYTES]);
      i = j;
    }
    const end = (indices[indices.length - 1] + 1) * PMS_RECORD_BYTES;
    // Never write records while free space is being written over them.
    while (this.#ahead?.writing && end > this.#ahead.start) await this.#ahead.written;
    // Claim the range before writing, so that no space ahead starts inside it
    // while the records are on their way.
    if (end > this.#recordsEnd) this.#recordsEnd = end;
    if (end > this.#writtenEnd) this.#writtenEnd = end;
    await Promise.all(runs.map(([run, position]) => this.io.writeAt(run, position)));
  }

  /**
   * Starts writing `freeBytesAhead` of free space after everything written,
   * when less than half of that is left after the records and none is being
   * written. Written and synced through the io's own descriptor for it,
   * beside the group commits; a failure stops the store like a failed commit.
   */
  #writeAheadIfShort(): void {
    const free = this.#freeSpace;
    if (free === null || this.#ahead !== null || this.#failure !== null || this.#closed) return;
    if (this.#writtenEnd - this.#recordsEnd >= free.length / 2) return;
    const start = this.#writtenEnd;
    this.#writtenEnd += free.length;
    const written = this.io.writeAhead!(free, start);
    const ahead: WriteAhead = {
      start,
      writing: true,
      written,
      synced: written.then(() => this.io.syncAhead!()).then(
        () => {
          if (this.#ahead === ahead) this.#ahead = null;
          // Records may have run into it meanwhile.
          this.#writeAheadIfShort();
        },
        (e) => {
          this.#fail(e, []);
          throw e;
        },
      ),
    };
    this.#ahead = ahead;
    written.then(() => ahead.writing = false, () => ahead.writing = false);
    ahead.synced.catch(() => {});
  }

  #fail(cause: unknown, batch: PendingWrite[]): void {
    if (this.#failure === null) {
      this.#failure = cause instanceof Error ? cause : new Error(String(cause));
      log.error("Cannot write pms.bin: write or sync failed, store stopped", {
        error: this.#failure.message,
      });
    }
    this.#reject([...batch, ...this.#queue.splice(0)]);
  }

  #reject(writes: PendingWrite[]): void {
    const error = new Error("Cannot append to pms.bin: write or sync failed", {
      cause: this.#failure,
    });
    for (const w of writes) w.reject(error);
  }
}
