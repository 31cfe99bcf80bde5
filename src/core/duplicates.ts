/**
 * Duplicate detection among still-active messages (seed 003 §2.4.5; the
 * decision is written down in docs/decisions/002-duplicates.md).
 *
 * The key is (source class, source peer, TP-OA, routed destination, TP-MR,
 * TP-UD). TS 23.040 §9.2.3.25 names the first three and TP-MR; the user data
 * is added because TP-MR wraps at 256, so that two different messages that
 * happen to reuse a reference are never taken for one another. The index
 * only holds active messages: a discharged message no longer suppresses
 * anything.
 *
 * @module
 */

import { toHex } from "../lib/bytes.ts";
import type { PmsRecord } from "../codec/pms/mod.ts";

/**
 * The duplicate key of a record, or undefined when the record takes no part
 * in detection: only handsets (source "gsm") retransmit with the same TP-MR,
 * so other sources take part only when they set TP-RD themselves.
 *
 * @param rec the record as admission has routed it
 * @returns the key, or undefined
 */
export function duplicateKey(rec: PmsRecord): string | undefined {
  if (rec.sourceClass !== "gsm" && !rec.rd) return undefined;
  const oa = rec.oa.digits ?? `alpha:${rec.oa.text ?? ""}`;
  const da = rec.routedDa?.digits ?? `imsi:${rec.destImsi}`;
  return [
    rec.sourceClass,
    rec.sourcePeer,
    rec.oa.ton,
    oa,
    da,
    rec.mr,
    rec.dcs,
    rec.udl,
    toHex(rec.ud),
  ].join("|");
}

/** The keys of active messages and the record index each belongs to. */
export class DuplicateIndex {
  #byKey = new Map<string, number>();
  #byIndex = new Map<number, string>();

  /** The index of the active message with this key, if any. */
  find(key: string): number | undefined {
    return this.#byKey.get(key);
  }

  /** Remembers an active message. */
  add(key: string, index: number): void {
    this.#byKey.set(key, index);
    this.#byIndex.set(index, key);
  }

  /** Forgets a message that became historical. */
  remove(index: number): void {
    const key = this.#byIndex.get(index);
    if (key === undefined) return;
    this.#byIndex.delete(index);
    if (this.#byKey.get(key) === index) this.#byKey.delete(key);
  }

  /** How many active messages are indexed. */
  get size(): number {
    return this.#byIndex.size;
  }
}
