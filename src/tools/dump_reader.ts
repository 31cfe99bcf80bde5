/**
 * The range walk of `smsc dump`: open `pms.bin` read-only, find the first
 * record (start of file, a time by binary search, or an index), read forward
 * in 1 MiB chunks, stop at a count or a time, filter, and hand each line to
 * a sink. Never writes and never talks to core (seed §2.2.3).
 *
 * The walk reads the file while core may be appending to it: records
 * appended after the open are not seen, and a last record that is being
 * written shows as a torn tail.
 *
 * @module
 */

import { DecodeError } from "../lib/errors.ts";
import {
  checkPmsRecord,
  decodePmsRecord,
  peekEntryTimeMs,
  PMS_RECORD_BYTES,
  PMS_RECORDS_PER_MB,
} from "../codec/pms/mod.ts";
import { denoFileIo, inspectTail, PmsReader } from "../store/pms_reader.ts";
import { type DumpFilter, matchRecord } from "./dump_filter.ts";
import { formatCorrupt, formatRecordJson, formatRecordText, formatTorn } from "./dump_format.ts";
import { showUserData } from "./dump_text.ts";

/** Where the walk starts. */
export type DumpStart =
  | { kind: "begin" }
  | { kind: "time"; ms: number }
  | { kind: "index"; id: number };

/** Everything one walk needs, already validated. */
export interface DumpPlan {
  start: DumpStart;
  /** Stop before the first good record entered at or after this time. */
  untilMs?: number;
  /** Stop after this many matching records. */
  count?: number;
  filter: DumpFilter;
  showText: boolean;
  json: boolean;
  /** Print corrupt records and the torn tail (false in the end-user mode). */
  reportDamage: boolean;
  /** `archived-mb`: the absolute id of position p is archivedMb × 4096 + p. */
  archivedMb: number;
}

/** Raised when `--index` names a record that was archived off the front of the file. */
export class ArchivedIndexError extends Error {
  override name = "ArchivedIndexError";
}

/** `PmsReader` with the chunked raw reads the walk needs. */
export class DumpReader extends PmsReader {
  /**
   * Opens `path` read-only, as `PmsReader.openReadOnly` does.
   *
   * @param path the file
   * @param batchRecordsMax the writer's largest batch, bounding a torn tail
   * @returns the reader
   * @throws {Deno.errors.NotFound} when the file does not exist
   * @throws {PmsRecoveryError} when the tail cannot be a torn write
   */
  static async open(path: string, batchRecordsMax = PMS_RECORDS_PER_MB): Promise<DumpReader> {
    const io = denoFileIo(await Deno.open(path, { read: true }));
    try {
      const report = await inspectTail(io, batchRecordsMax);
      return new DumpReader(io, report.recordCount, report);
    } catch (e) {
      io.close();
      throw e;
    }
  }

  /**
   * Reads `n` whole records from position `first`.
   *
   * @param first the first position
   * @param n how many
   * @param buf a buffer of at least n × 256 bytes
   * @returns the bytes read (fewer if the file shrank)
   */
  async readChunk(first: number, n: number, buf: Uint8Array): Promise<Uint8Array> {
    const got = await this.io.readAt(
      buf.subarray(0, n * PMS_RECORD_BYTES),
      first * PMS_RECORD_BYTES,
    );
    return buf.subarray(0, got);
  }
}

/**
 * The first position the walk reads.
 *
 * @param reader the open file
 * @param plan the plan
 * @returns a position, `recordCount` when nothing is at or after the start
 * @throws {ArchivedIndexError} when a start index lies before the file
 */
export async function startPosition(reader: PmsReader, plan: DumpPlan): Promise<number> {
  const base = plan.archivedMb * PMS_RECORDS_PER_MB;
  switch (plan.start.kind) {
    case "begin":
      return 0;
    case "time":
      return await reader.findByEntryTime(plan.start.ms);
    case "index":
      if (plan.start.id < base) {
        throw new ArchivedIndexError(
          `Cannot start at index ${plan.start.id}: records before ${base} were archived (archived-mb ${plan.archivedMb})`,
        );
      }
      return Math.min(plan.start.id - base, reader.recordCount);
  }
}

/**
 * Walks the planned range and hands every output line (without newline) to
 * `emit`, one call per chunk of lines, so that a large dump is written in
 * large pieces.
 *
 * @param reader the open file
 * @param plan the plan
 * @param emit receives the lines of each chunk, in file order
 * @returns the number of matching records printed
 * @throws {ArchivedIndexError} when a start index lies before the file
 */
export async function walkDump(
  reader: DumpReader,
  plan: DumpPlan,
  emit: (lines: string[]) => void,
): Promise<number> {
  const torn = reader.openReport.tornTail;
  const end = torn === null ? reader.recordCount : torn.firstIndex;
  const base = plan.archivedMb * PMS_RECORDS_PER_MB;
  const buf = new Uint8Array(PMS_RECORDS_PER_MB * PMS_RECORD_BYTES);
  let printed = 0;
  let stopped = plan.count === 0;
  for (let first = await startPosition(reader, plan); first < end && !stopped;) {
    const n = Math.min(PMS_RECORDS_PER_MB, end - first);
    const chunk = await reader.readChunk(first, n, buf);
    const lines: string[] = [];
    for (let k = 0; k < n && !stopped; k++) {
      const at = k * PMS_RECORD_BYTES;
      const id = base + first + k;
      const fault = checkPmsRecord(chunk, at);
      if (fault !== null) {
        if (plan.reportDamage) lines.push(formatCorrupt(id, fault, plan.json));
        continue;
      }
      if (plan.untilMs !== undefined && peekEntryTimeMs(chunk, at) >= plan.untilMs) {
        stopped = true;
        break;
      }
      const out = recordLine(id, chunk, at, plan);
      if (out === null) continue;
      lines.push(out.line);
      if (!out.matched) continue;
      printed++;
      if (plan.count !== undefined && printed >= plan.count) stopped = true;
    }
    emit(lines);
    first += n;
  }
  if (!stopped && torn !== null && plan.reportDamage) {
    emit([
      formatTorn(
        { id: base + torn.firstIndex, records: torn.records, bytes: torn.bytes },
        plan.json,
      ),
    ]);
  }
  return printed;
}

/**
 * The line of the good-checksum record at `at`: `matched` when it is a record
 * the filter selected, not when it is a report of an invalid field; null when
 * there is nothing to print.
 */
function recordLine(
  id: number,
  chunk: Uint8Array,
  at: number,
  plan: DumpPlan,
): { line: string; matched: boolean } | null {
  let rec;
  try {
    rec = decodePmsRecord(chunk, at);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return plan.reportDamage ? { line: formatCorrupt(id, e, plan.json), matched: false } : null;
  }
  if (!matchRecord(rec, plan.filter)) return null;
  const shown = plan.showText ? showUserData(rec) : undefined;
  const line = plan.json ? formatRecordJson(id, rec, shown) : formatRecordText(id, rec, shown);
  return { line, matched: true };
}
