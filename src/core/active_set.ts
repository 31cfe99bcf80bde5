/**
 * Core's in-memory view of the active records (seed 003 §2.3): every record
 * some component must still act on, by message id, with the duplicate index
 * and the oldest active position that drives historical-mb.
 *
 * Lifecycle: filled by the start-up scan, grown by admission (before the
 * append is durable, so that a concurrent duplicate sees it), shrunk when a
 * record is discharged. Delivery queues (issue #4) will hang off this set.
 *
 * @module
 */

import {
  CLASS_CODES,
  decodePmsRecord,
  DEST_CLASSES,
  encodePmsRecord,
  peekExpiryTimeMs,
  PMS_FIELD,
  PMS_RECORD_BYTES,
  type PmsRecord,
} from "../codec/pms/mod.ts";
import type { SmAddress } from "../codec/frame/mod.ts";
import { DuplicateIndex, duplicateKey } from "./duplicates.ts";

function addressValue(a: { digits?: string; text?: string } | null): string | undefined {
  return a === null ? undefined : a.digits ?? a.text;
}

/** Records per slab: 1 MiB of record bytes. */
const SLAB_RECORDS = 4096;
const AT_MR = PMS_FIELD.tp_mr.offset;
const AT_DEST_CLASS = PMS_FIELD.dest_class.offset;

/**
 * Active records by message id.
 *
 * The records are kept as their 256 encoded bytes in 1 MiB slabs, outside
 * the JavaScript heap, and decoded when asked for: a store-and-forward SMSC
 * may hold hundreds of thousands of active messages, and as objects they
 * made every young-generation collection copy them (measured: about 1 KiB
 * of heap per active message, collections of 10-15 ms at 100 k). `get`
 * returns a fresh copy each time; a change takes effect through `set`.
 */
export class ActiveSet {
  /** Slot of each active id, in insertion order (the order of `entries`). */
  readonly #slotOf = new Map<number, number>();
  readonly #slabs: Uint8Array[] = [];
  readonly #freeSlots: number[] = [];
  #slotsUsed = 0;
  /** Active records by their dest_class code (read from the stored bytes). */
  readonly #countByClassCode = new Uint32Array(256);
  #oldestHint = 0;
  #newest = -1;
  /** No active record expires before this (a lower bound; see `mayHaveExpired`). */
  #expiryBound = Infinity;
  readonly duplicates = new DuplicateIndex();

  /** How many records are active. */
  get size(): number {
    return this.#slotOf.size;
  }

  /** Whether the id is active. */
  has(id: number): boolean {
    return this.#slotOf.has(id);
  }

  /** The active record with this id (a fresh copy). */
  get(id: number): PmsRecord | undefined {
    const slot = this.#slotOf.get(id);
    if (slot === undefined) return undefined;
    return decodePmsRecord(this.#slabOf(slot), offsetOf(slot));
  }

  /**
   * The stored bytes of an active record, as a view that is valid until the
   * next `set` or `delete`: for copying into a frame at once.
   */
  bytes(id: number): Uint8Array | undefined {
    const slot = this.#slotOf.get(id);
    if (slot === undefined) return undefined;
    const at = offsetOf(slot);
    return this.#slabOf(slot).subarray(at, at + PMS_RECORD_BYTES);
  }

  /** The expiry time of an active record, without decoding it. */
  expiryOf(id: number): number | undefined {
    const slot = this.#slotOf.get(id);
    if (slot === undefined) return undefined;
    return peekExpiryTimeMs(this.#slabOf(slot), offsetOf(slot));
  }

  /**
   * Adds (or replaces) an active record.
   *
   * @param id its message id
   * @param rec the record
   * @param key its duplicate key (computed when not given)
   * @param encoded `rec` already encoded, to save encoding it again
   */
  set(id: number, rec: PmsRecord, key = duplicateKey(rec), encoded?: Uint8Array): void {
    const bytes = encoded ?? encodePmsRecord(rec);
    let slot = this.#slotOf.get(id);
    if (slot === undefined) {
      slot = this.#allocate();
      this.#slotOf.set(id, slot);
      if (this.#slotOf.size === 1 || id < this.#oldestHint) this.#oldestHint = id;
      if (id > this.#newest) this.#newest = id;
    } else this.#countByClassCode[this.#byteAt(slot, AT_DEST_CLASS)]--;
    this.#slabOf(slot).set(bytes, offsetOf(slot));
    this.#countByClassCode[bytes[AT_DEST_CLASS]]++;
    if (rec.expiryTimeMs < this.#expiryBound) this.#expiryBound = rec.expiryTimeMs;
    if (key !== undefined) this.duplicates.add(key, id);
  }

  /**
   * Whether some active record may have expired by `nowMs`: false means none
   * has, so the once-a-second expiry scans of the queues can be skipped
   * (they cost time per queued message). After a scan, `refreshExpiryBound`.
   */
  mayHaveExpired(nowMs: number): boolean {
    return nowMs >= this.#expiryBound;
  }

  /** Recomputes the expiry bound from the active records' bytes (after an expiry scan). */
  refreshExpiryBound(): void {
    let bound = Infinity;
    for (const slot of this.#slotOf.values()) {
      const expiry = peekExpiryTimeMs(this.#slabOf(slot), offsetOf(slot));
      if (expiry < bound) bound = expiry;
    }
    this.#expiryBound = bound;
  }

  /** Removes a record that became historical. */
  delete(id: number): void {
    const slot = this.#slotOf.get(id);
    if (slot === undefined) return;
    this.#slotOf.delete(id);
    this.#countByClassCode[this.#byteAt(slot, AT_DEST_CLASS)]--;
    this.#freeSlots.push(slot);
    this.duplicates.remove(id);
  }

  /** Every active record, in the order they were added (id order), decoded one by one. */
  *entries(): IterableIterator<[number, PmsRecord]> {
    for (const id of [...this.#slotOf.keys()]) {
      const rec = this.get(id);
      if (rec !== undefined) yield [id, rec];
    }
  }

  /** The smallest active id, or undefined when none is active. */
  oldest(): number | undefined {
    if (this.#slotOf.size === 0) return undefined;
    // Ids only grow (start-up scan, then appends), so the oldest only moves
    // forward: walk from the last answer. Iterating the Map from its start
    // instead costs time for every deleted entry V8 has not compacted yet.
    let id = this.#oldestHint;
    while (id <= this.#newest && !this.#slotOf.has(id)) id++;
    this.#oldestHint = id;
    return id <= this.#newest ? id : undefined;
  }

  /**
   * The newest active record sent from `oa` to `da` with TP-MR `mr` (seed
   * §2.5.1.2, the SMS-COMMAND form of CANCEL). The destination matches as
   * submitted or as routed.
   *
   * @param accept further condition on a matching record (whose messages the asker may see)
   */
  findByOaDaMr(
    oa: SmAddress,
    da: SmAddress,
    mr: number,
    accept: (rec: PmsRecord) => boolean = () => true,
  ): number | undefined {
    let found: number | undefined;
    for (const [id, slot] of this.#slotOf) {
      // TP-MR first, from the bytes: most records are never decoded.
      if (this.#byteAt(slot, AT_MR) !== mr) continue;
      const rec = this.get(id)!;
      if (!accept(rec) || addressValue(rec.oa) !== oa.value) continue;
      if (addressValue(rec.da) !== da.value && rec.routedDa?.digits !== da.value) continue;
      found = id;
    }
    return found;
  }

  /** Counts of active records by destination class, for STATUS. */
  countByDestClass(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const cls of DEST_CLASSES) out[cls] = this.#countByClassCode[CLASS_CODES[cls]];
    return out;
  }

  #allocate(): number {
    const reused = this.#freeSlots.pop();
    if (reused !== undefined) return reused;
    const slot = this.#slotsUsed++;
    if (slot / SLAB_RECORDS >= this.#slabs.length) {
      this.#slabs.push(new Uint8Array(SLAB_RECORDS * PMS_RECORD_BYTES));
    }
    return slot;
  }

  /** The slab that holds `slot`. */
  #slabOf(slot: number): Uint8Array {
    return this.#slabs[Math.floor(slot / SLAB_RECORDS)];
  }

  /** One octet of the record stored in `slot`. */
  #byteAt(slot: number, at: number): number {
    return this.#slabOf(slot)[offsetOf(slot) + at];
  }
}

function offsetOf(slot: number): number {
  return (slot % SLAB_RECORDS) * PMS_RECORD_BYTES;
}
