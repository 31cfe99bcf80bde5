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

import type { PmsRecord } from "../codec/pms/mod.ts";
import type { SmAddress } from "../codec/frame/mod.ts";
import { DuplicateIndex, duplicateKey } from "./duplicates.ts";

function addressValue(a: { digits?: string; text?: string } | null): string | undefined {
  return a === null ? undefined : a.digits ?? a.text;
}

/** Active records by message id. */
export class ActiveSet {
  readonly #records = new Map<number, PmsRecord>();
  #oldestHint = 0;
  #newest = -1;
  readonly duplicates = new DuplicateIndex();

  /** How many records are active. */
  get size(): number {
    return this.#records.size;
  }

  /** The active record with this id. */
  get(id: number): PmsRecord | undefined {
    return this.#records.get(id);
  }

  /** Adds (or replaces) an active record. */
  set(id: number, rec: PmsRecord, key = duplicateKey(rec)): void {
    if (this.#records.size === 0 || id < this.#oldestHint) this.#oldestHint = id;
    if (id > this.#newest) this.#newest = id;
    this.#records.set(id, rec);
    if (key !== undefined) this.duplicates.add(key, id);
  }

  /** Removes a record that became historical. */
  delete(id: number): void {
    this.#records.delete(id);
    this.duplicates.remove(id);
  }

  /** Every active record, in id order. */
  entries(): IterableIterator<[number, PmsRecord]> {
    return this.#records.entries();
  }

  /** The smallest active id, or undefined when none is active. */
  oldest(): number | undefined {
    if (this.#records.size === 0) return undefined;
    // Ids only grow (start-up scan, then appends), so the oldest only moves
    // forward: walk from the last answer. Iterating the Map from its start
    // instead costs time for every deleted entry V8 has not compacted yet.
    let id = this.#oldestHint;
    while (id <= this.#newest && !this.#records.has(id)) id++;
    this.#oldestHint = id;
    return id <= this.#newest ? id : undefined;
  }

  /**
   * The newest active record sent from `oa` to `da` with TP-MR `mr` (seed
   * §2.5.1.2, the SMS-COMMAND form of CANCEL). The destination matches as
   * submitted or as routed.
   */
  findByOaDaMr(oa: SmAddress, da: SmAddress, mr: number): number | undefined {
    let found: number | undefined;
    for (const [id, rec] of this.#records) {
      if (rec.mr !== mr || addressValue(rec.oa) !== oa.value) continue;
      if (addressValue(rec.da) !== da.value && rec.routedDa?.digits !== da.value) continue;
      found = id;
    }
    return found;
  }

  /** Counts of active records by destination class, for STATUS. */
  countByDestClass(): Record<string, number> {
    const out: Record<string, number> = { local: 0, gsm: 0, downstream: 0, upstream: 0 };
    for (const rec of this.#records.values()) out[rec.destClass]++;
    return out;
  }
}
