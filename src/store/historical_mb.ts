/**
 * `historical-mb` (seed 2.2.1): one ASCII line, the number of leading MiB of
 * `pms.bin` (4096 records each) known to hold historical records only. Core
 * starts its scan after them and advances the count as the oldest active
 * record moves on. The same one-line format serves `archived-mb`, the count of
 * MiB split off the front of the file for offline storage (seed 2.2.2), which
 * makes record indices absolute across splits (see `docs/pms-format.md`).
 *
 * Writes are atomic: a temporary file is written and synced, renamed over the
 * old one, and the directory is synced, so a crash leaves either the old or
 * the new count, never a torn line.
 *
 * @module
 */

import { DecodeError } from "../lib/errors.ts";
import { PMS_RECORDS_PER_MB } from "../codec/pms/mod.ts";

/** The file name of the historical count inside the state directory. */
export const HISTORICAL_MB_FILE = "historical-mb";
/** The file name of the archived count inside the state directory. */
export const ARCHIVED_MB_FILE = "archived-mb";

/**
 * Parses the text of a one-line count file: decimal digits and an optional
 * final newline, as `echo 3 > historical-mb` writes it.
 *
 * @param text the file content
 * @param name the file name, for the error
 * @returns the count
 * @throws {DecodeError} on anything else
 */
export function parseMbCount(text: string, name = HISTORICAL_MB_FILE): number {
  const m = /^(\d{1,15})\r?\n?$/.exec(text);
  if (m === null) {
    throw new DecodeError(
      `Cannot decode ${name}: ${JSON.stringify(text.slice(0, 40))} is not one decimal count`,
      {
        protocol: name,
        field: name,
        offset: 0,
      },
    );
  }
  return Number(m[1]);
}

/**
 * Reads a one-line count file; a missing file counts 0 (a new state directory).
 *
 * @param path the file
 * @returns the count
 * @throws {DecodeError} when the content is not one decimal count
 * @throws {Deno.errors.PermissionDenied} and other I/O errors but NotFound
 */
export async function readMbCount(path: string): Promise<number> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return 0;
    throw e;
  }
  return parseMbCount(text, path.split("/").pop());
}

/**
 * Writes a one-line count file atomically and durably: temp file, fsync,
 * rename, fsync of the directory.
 *
 * @param path the file
 * @param count the new count
 * @throws {RangeError} when `count` is not a non-negative safe integer
 * @throws {Deno.errors.PermissionDenied} and other I/O errors
 */
export async function writeMbCount(path: string, count: number): Promise<void> {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`Cannot write ${path}: count ${count} is not a non-negative integer`);
  }
  const tmp = `${path}.tmp`;
  const file = await Deno.open(tmp, { write: true, create: true, truncate: true });
  try {
    await file.write(new TextEncoder().encode(`${count}\n`));
    await file.sync();
  } finally {
    file.close();
  }
  await Deno.rename(tmp, path);
  const slash = path.lastIndexOf("/");
  const dir = await Deno.open(slash > 0 ? path.slice(0, slash) : slash === 0 ? "/" : ".", {
    read: true,
  });
  try {
    // The rename is durable only once the directory entry is.
    await dir.sync();
  } finally {
    dir.close();
  }
}

/**
 * The rule that advances `historical-mb`: every whole MiB before the oldest
 * active record is historical. Never moves backwards. The caller passes the
 * oldest active index only after every discharge before it is durable.
 *
 * @param currentMb the count now in the file
 * @param oldestActiveIndex the index of the oldest active record, or the
 *   record count when no record is active
 * @returns the count to write (equal to `currentMb` when nothing changes)
 */
export function advanceHistoricalMb(currentMb: number, oldestActiveIndex: number): number {
  return Math.max(currentMb, Math.floor(oldestActiveIndex / PMS_RECORDS_PER_MB));
}

/**
 * The absolute index (message id) of the record at `position` in the current
 * `pms.bin` after `archivedMb` MiB were split off its front.
 *
 * @param archivedMb the `archived-mb` count
 * @param position 0-based record position in the current file
 * @returns archivedMb × 4096 + position
 */
export function absoluteIndex(archivedMb: number, position: number): number {
  return archivedMb * PMS_RECORDS_PER_MB + position;
}

/**
 * The position in the current `pms.bin` of an absolute index, or null when
 * the record was archived away.
 *
 * @param archivedMb the `archived-mb` count
 * @param index the absolute index
 * @returns the position, or null
 */
export function positionOf(archivedMb: number, index: number): number | null {
  const position = index - archivedMb * PMS_RECORDS_PER_MB;
  return position < 0 ? null : position;
}
