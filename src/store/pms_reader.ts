/**
 * Reading `pms.bin`: the `PmsIo` file abstraction, the tail inspection that
 * finds a torn last batch, the start-up scan and the binary search by entry
 * time. `PmsReader` never writes; `dump` uses it directly and `PmsFile`
 * (`pms_file.ts`, the only writer) extends it. The rules enacted here are the
 * recovery decision table of `docs/pms-format.md`.
 *
 * Every file access goes through one serial `PmsIo`, so that a read never
 * interleaves with a positioned write (seek and read/write share the file
 * position).
 *
 * @module
 */

import { DecodeError } from "../lib/errors.ts";
import {
  checkPmsRecord,
  decodePmsRecord,
  isFreePmsRecord,
  peekEntryTimeMs,
  PMS_AHEAD_RECORDS_MAX,
  PMS_FREE_RECORDS_MAX,
  PMS_RECORD_BYTES,
  PMS_RECORDS_PER_MB,
  PMS_STATE_OFFSET,
  type PmsRecord,
  STATE_CODES,
} from "../codec/pms/mod.ts";

import { type FileHandle, open as openFileHandle } from "node:fs/promises";
import { constants as fsConstants } from "node:fs";

/** The file operations the store needs; tests inject counting or failing ones. */
export interface PmsIo {
  size(): Promise<number>;
  /** Reads up to `buf.length` bytes at `position`; returns the count read. */
  readAt(buf: Uint8Array, position: number): Promise<number>;
  writeAt(data: Uint8Array, position: number): Promise<void>;
  /** fdatasync(2). */
  syncData(): Promise<void>;
  truncate(length: number): Promise<void>;
  /**
   * Writes `data` at `position` through a descriptor of its own, for the
   * space written ahead; `syncAhead` is fdatasync(2) on that descriptor.
   * Linux reports a writeback error once per open file description, so with
   * two descriptors both `syncAhead` and a concurrent `syncData` see it.
   * Optional: a store over an io without them writes no space ahead.
   */
  writeAhead?(data: Uint8Array, position: number): Promise<void>;
  syncAhead?(): Promise<void>;
  close(): void;
}

/**
 * Adapts a `Deno.FsFile` to `PmsIo`, running one operation at a time because
 * seek+read and seek+write share the file position.
 *
 * @param file an open file
 * @returns the adapter; `close` closes `file`
 */
export function denoFileIo(file: Deno.FsFile): PmsIo {
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => {});
    return run;
  };
  return {
    size: () => serial(async () => (await file.stat()).size),
    readAt: (buf, position) =>
      serial(async () => {
        await file.seek(position, Deno.SeekMode.Start);
        let got = 0;
        while (got < buf.length) {
          const n = await file.read(buf.subarray(got));
          if (n === null) break;
          got += n;
        }
        return got;
      }),
    writeAt: (data, position) =>
      serial(async () => {
        await file.seek(position, Deno.SeekMode.Start);
        let put = 0;
        while (put < data.length) put += await file.write(data.subarray(put));
      }),
    syncData: () => serial(() => file.syncData()),
    truncate: (length) => serial(() => file.truncate(length)),
    close: () => file.close(),
  };
}

/**
 * Opens `path` for `PmsIo` with positional reads and writes (pread/pwrite
 * through `node:fs/promises`), which need no shared file position, so
 * operations run concurrently; about ten times cheaper per record write than
 * a seek followed by a write on a `Deno.FsFile`.
 *
 * @param path the file
 * @param writable open read-write, creating the file when missing, with a
 *   second descriptor for `writeAhead`
 * @returns the adapter; `close` closes the file
 */
export async function openPositionalIo(path: string, writable: boolean): Promise<PmsIo> {
  const flags = writable ? fsConstants.O_RDWR | fsConstants.O_CREAT : fsConstants.O_RDONLY;
  let handle;
  try {
    handle = await openFileHandle(path, flags, 0o640);
  } catch (e) {
    // Keep Deno's error classes (NotFound …) that callers and the CLI map.
    if ((e as { code?: string }).code === "ENOENT") {
      throw new Deno.errors.NotFound(`No such file: ${path}`, { cause: e });
    }
    throw e;
  }
  const h = handle;
  let ahead: FileHandle | undefined;
  try {
    if (writable) ahead = await openFileHandle(path, fsConstants.O_RDWR);
  } catch (e) {
    await h.close();
    throw e;
  }
  const writeAll = async (fh: FileHandle, data: Uint8Array, position: number) => {
    let put = 0;
    while (put < data.length) {
      const { bytesWritten } = await fh.write(data, put, data.length - put, position + put);
      put += bytesWritten;
    }
  };
  return {
    size: async () => (await h.stat()).size,
    async readAt(buf, position) {
      let got = 0;
      while (got < buf.length) {
        const { bytesRead } = await h.read(buf, got, buf.length - got, position + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return got;
    },
    writeAt: (data, position) => writeAll(h, data, position),
    syncData: () => h.datasync(),
    truncate: (length) => h.truncate(length),
    writeAhead: ahead && ((data, position) => writeAll(ahead!, data, position)),
    syncAhead: ahead && (() => ahead!.datasync()),
    close: () => {
      void h.close();
      void ahead?.close();
    },
  };
}

/** What opening found at the end of the file. */
export interface PmsOpenReport {
  /**
   * Whole records before the tail repair: up to the last good one, plus the
   * torn tail when there is one. Free space alone is not counted.
   */
  recordCount: number;
  /** The torn tail, or null when the file ended on a good record. */
  tornTail: null | {
    /** Index of the first record of the torn tail. */
    firstIndex: number;
    /** Whole records in it: the bad ones, and free ones among or after them. */
    records: number;
    /** Bytes removed (read-only: that would be removed). */
    bytes: number;
  };
  /** Free records (space written ahead) after the last good record; 0 with a torn tail. */
  freeRecords: number;
}

/** Called by `scan` for each record it reads. */
export interface PmsScanHandler {
  /** A good record; historical ones only when `historical` is "decode". */
  record?(index: number, rec: PmsRecord): void;
  /** A record that must not be used: bad checksum or invalid field. */
  corrupt?(index: number, error: DecodeError): void;
}

/** Counts from one scan. */
export interface PmsScanSummary {
  fromIndex: number;
  endIndex: number;
  active: number;
  historical: number;
  corrupt: number[];
}

/** Raised when start-up must stop rather than guess (see the decision table). */
export class PmsRecoveryError extends Error {
  override name = "PmsRecoveryError";
}

/** Reads `pms.bin` without ever writing it. */
export class PmsReader {
  protected readonly io: PmsIo;
  protected count: number;
  /** What the open found at the tail. */
  readonly openReport: PmsOpenReport;

  protected constructor(io: PmsIo, count: number, report: PmsOpenReport) {
    this.io = io;
    this.count = count;
    this.openReport = report;
  }

  /**
   * Opens `path` read-only (dump). A torn tail is reported in `openReport` and
   * left in place; its records read as `DecodeError`.
   *
   * @param path the file
   * @param options `batchRecordsMax` of the writer (default 4096)
   * @returns the reader
   * @throws {Deno.errors.NotFound} when the file does not exist
   * @throws {PmsRecoveryError} when the tail cannot be a torn write
   */
  static async openReadOnly(
    path: string,
    options: { batchRecordsMax?: number } = {},
  ): Promise<PmsReader> {
    const io = await openPositionalIo(path, false);
    try {
      const report = await inspectTail(io, options.batchRecordsMax ?? PMS_RECORDS_PER_MB);
      return new PmsReader(io, report.recordCount, report);
    } catch (e) {
      io.close();
      throw e;
    }
  }

  /** Records in the file, torn or not; indices run 0 to `recordCount - 1`. */
  get recordCount(): number {
    return this.count;
  }

  /**
   * Reads and decodes record `index`.
   *
   * @param index 0-based position in this file
   * @returns the record
   * @throws {DecodeError} when the record is torn or corrupt
   * @throws {RangeError} when `index` is outside 0-`recordCount - 1`
   */
  async readRecord(index: number): Promise<PmsRecord> {
    return decodePmsRecord(await this.readBytes(index));
  }

  /** Reads the 256 bytes of record `index`. */
  protected async readBytes(index: number): Promise<Uint8Array> {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) {
      throw new RangeError(`Cannot read PMS record ${index}: the file holds ${this.count}`);
    }
    const buf = new Uint8Array(PMS_RECORD_BYTES);
    const got = await this.io.readAt(buf, index * PMS_RECORD_BYTES);
    return got === PMS_RECORD_BYTES ? buf : buf.subarray(0, got);
  }

  /**
   * Finds the first good record whose entry time is at or after `timeMs`, by
   * binary search: sound because `append` keeps entry times non-decreasing.
   * Records that fail their check are stepped over.
   *
   * @param timeMs ms since the epoch
   * @returns its index, or `recordCount` when there is none
   */
  async findByEntryTime(timeMs: number): Promise<number> {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = lo + Math.floor((hi - lo) / 2);
      const j = await this.#nextGood(mid, hi);
      if (j === hi || (await this.#entryTime(j)) >= timeMs) hi = mid;
      else lo = j + 1;
    }
    return await this.#nextGood(lo, this.count);
  }

  async #nextGood(from: number, end: number): Promise<number> {
    let i = from;
    while (i < end && checkPmsRecord(await this.readBytes(i)) !== null) i++;
    return i;
  }

  async #entryTime(index: number): Promise<number> {
    return peekEntryTimeMs(await this.readBytes(index));
  }

  /**
   * Reads records `fromIndex` to the end in 1 MiB chunks. Good records go to
   * `handler.record` (historical ones only when `historical` is "decode");
   * torn or invalid ones go to `handler.corrupt` and are never decoded further.
   *
   * @param fromIndex first index, normally historical-mb × 4096
   * @param handler callbacks
   * @param options `historical`: "count" (default; check and count only) or "decode"
   * @returns the counts and the indices of corrupt records
   * @throws {PmsRecoveryError} when `fromIndex` is beyond the end, or a record
   *   with a good checksum has a version this code does not know
   */
  async scan(
    fromIndex: number,
    handler: PmsScanHandler,
    options: { historical?: "count" | "decode" } = {},
  ): Promise<PmsScanSummary> {
    if (!Number.isInteger(fromIndex) || fromIndex < 0 || fromIndex > this.count) {
      throw new PmsRecoveryError(
        `Cannot scan pms.bin: start index ${fromIndex} is beyond its ${this.count} records (historical-mb too large?)`,
      );
    }
    const summary: PmsScanSummary = {
      fromIndex,
      endIndex: this.count,
      active: 0,
      historical: 0,
      corrupt: [],
    };
    const decodeHistorical = options.historical === "decode";
    const chunk = new Uint8Array(PMS_RECORDS_PER_MB * PMS_RECORD_BYTES);
    for (let first = fromIndex; first < this.count; first += PMS_RECORDS_PER_MB) {
      const n = Math.min(PMS_RECORDS_PER_MB, this.count - first);
      const got = await this.io.readAt(
        chunk.subarray(0, n * PMS_RECORD_BYTES),
        first * PMS_RECORD_BYTES,
      );
      for (let k = 0; k < n; k++) {
        const at = k * PMS_RECORD_BYTES;
        const index = first + k;
        const fault = checkPmsRecord(chunk.subarray(0, got), at);
        if (fault !== null) {
          if (fault.field === "version") {
            throw new PmsRecoveryError(`Cannot scan pms.bin: record ${index}: ${fault.message}`);
          }
          summary.corrupt.push(index);
          handler.corrupt?.(index, fault);
          continue;
        }
        const historical = chunk[at + PMS_STATE_OFFSET] === STATE_CODES.historical;
        if (historical && !decodeHistorical) {
          summary.historical++;
          continue;
        }
        let rec: PmsRecord;
        try {
          rec = decodePmsRecord(chunk, at);
        } catch (e) {
          if (!(e instanceof DecodeError)) throw e;
          summary.corrupt.push(index);
          handler.corrupt?.(index, e);
          continue;
        }
        if (historical) summary.historical++;
        else summary.active++;
        handler.record?.(index, rec);
      }
    }
    return summary;
  }

  /** Closes the file. */
  close(): Promise<void> {
    this.io.close();
    return Promise.resolve();
  }
}

/** Records read per step of the walk back from the end (64 KiB). */
const TAIL_STEP_RECORDS = 256;

/** Whether the 256 bytes at `at` are all zero: a hole, or data that never reached the disk. */
function isZeroRecord(bytes: Uint8Array, at: number): boolean {
  for (let i = at; i < at + PMS_RECORD_BYTES; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * Walks back from the end of the file to the last good record. What lies
 * after it is either free space only (records of `PMS_FREE_BYTE`) or a torn
 * tail. Only the last batch can be torn, because a batch is written only
 * after the one before it was synced, only one write ahead is unsynced at a
 * time, and `PmsFile.open` syncs the file before appending (so one run's
 * writes at most are unsynced). So after the last good record a crash leaves
 * at most:
 * - `batchRecordsMax` damaged records (neither free nor all zero): the batch;
 * - `batchRecordsMax + PMS_AHEAD_RECORDS_MAX` that are damaged or all zero:
 *   the batch, and a write ahead whose data never reached the disk on a file
 *   system that extends the size first;
 * - `batchRecordsMax + PMS_FREE_RECORDS_MAX` in all, free ones included: the
 *   records of the batch that never reached the disk read back as the free
 *   space under them.
 * More than any of these is not a crash of ours, and start-up stops.
 *
 * @param io the file
 * @param batchRecordsMax the writer's largest batch
 * @returns the record count and the torn tail, if any
 * @throws {PmsRecoveryError} on a good-checksum record of an unknown version
 *   at the tail, or a tail beyond one of the bounds above
 */
export async function inspectTail(io: PmsIo, batchRecordsMax: number): Promise<PmsOpenReport> {
  const size = await io.size();
  const whole = Math.floor(size / PMS_RECORD_BYTES);
  const runMax = batchRecordsMax + PMS_FREE_RECORDS_MAX;
  const unwrittenMax = batchRecordsMax + PMS_AHEAD_RECORDS_MAX;
  const chunk = new Uint8Array(TAIL_STEP_RECORDS * PMS_RECORD_BYTES);
  let good = whole;
  let damaged = 0;
  let zero = 0;
  walk: while (good > 0) {
    const first = Math.max(0, good - TAIL_STEP_RECORDS);
    const got = await io.readAt(
      chunk.subarray(0, (good - first) * PMS_RECORD_BYTES),
      first * PMS_RECORD_BYTES,
    );
    const bytes = chunk.subarray(0, got);
    for (let k = good - first - 1; k >= 0; k--) {
      const at = k * PMS_RECORD_BYTES;
      if (!isFreePmsRecord(bytes, at)) {
        const fault = checkPmsRecord(bytes, at);
        if (fault === null) break walk;
        if (fault.field === "version") {
          throw new PmsRecoveryError(`Cannot open pms.bin: record ${first + k}: ${fault.message}`);
        }
        if (isZeroRecord(bytes, at)) zero++;
        else damaged++;
      }
      good--;
      if (damaged > batchRecordsMax) {
        throw new PmsRecoveryError(
          `Cannot open pms.bin: more than ${batchRecordsMax} bad records at the tail cannot be one torn batch`,
        );
      }
      if (damaged + zero > unwrittenMax) {
        throw new PmsRecoveryError(
          `Cannot open pms.bin: more than ${unwrittenMax} bad or zeroed records at the tail cannot be one torn batch and one write ahead`,
        );
      }
      if (whole - good > runMax) {
        throw new PmsRecoveryError(
          `Cannot open pms.bin: more than ${runMax} records after the last good one cannot be one torn batch and the space written ahead`,
        );
      }
    }
  }
  const torn = damaged + zero > 0 || size % PMS_RECORD_BYTES !== 0;
  if (!torn) return { recordCount: good, tornTail: null, freeRecords: whole - good };
  return {
    recordCount: whole,
    tornTail: { firstIndex: good, records: whole - good, bytes: size - good * PMS_RECORD_BYTES },
    freeRecords: 0,
  };
}
