/**
 * A cache in front of numbers.db for admission's lookups. Every SUBMIT asks
 * the database one to three questions; answered by SQLite they cost more
 * than the rest of admission together. The cache forgets everything when
 * SQLite's `data_version` shows that another connection (the admin tool)
 * committed, and it checks that at most every `checkEveryMs`, so an admin
 * change takes effect within that time.
 *
 * @module
 */

import type { Clock } from "../lib/clock.ts";
import type { NumberLookup } from "./routing.ts";

/** What the cache needs of the database: the lookups and its change counter. */
export interface VersionedNumbers extends NumberLookup {
  dataVersion(): number;
}

type Answer<K extends keyof NumberLookup> = ReturnType<NumberLookup[K]>;

/** The cached lookups. */
export class NumberCache implements NumberLookup {
  readonly #db: VersionedNumbers;
  readonly #clock: Clock;
  readonly #checkEveryMs: number;
  #version: number;
  #checkedMs = -Infinity;
  #numbers = new Map<string, Answer<"lookupNumber">>();
  #shorts = new Map<string, Answer<"lookupShort">>();
  #pools = new Map<string, Answer<"findPeerByNumber">>();
  #peers = new Map<string, Answer<"getPeer">>();

  /**
   * @param db the database
   * @param clock for the check interval
   * @param checkEveryMs how often `data_version` is read, at most
   */
  constructor(db: VersionedNumbers, clock: Clock, checkEveryMs = 200) {
    this.#db = db;
    this.#clock = clock;
    this.#checkEveryMs = checkEveryMs;
    this.#version = db.dataVersion();
  }

  #fresh(): void {
    const now = this.#clock.now();
    if (now - this.#checkedMs < this.#checkEveryMs) return;
    this.#checkedMs = now;
    const version = this.#db.dataVersion();
    if (version === this.#version) return;
    this.#version = version;
    this.#numbers.clear();
    this.#shorts.clear();
    this.#pools.clear();
    this.#peers.clear();
  }

  #cached<V>(map: Map<string, V>, key: string, load: () => V): V {
    this.#fresh();
    if (map.has(key)) return map.get(key) as V;
    const value = load();
    // Bounded: a flood of distinct numbers must not grow core without limit.
    if (map.size >= 100_000) map.clear();
    map.set(key, value);
    return value;
  }

  lookupNumber(e164: string): Answer<"lookupNumber"> {
    return this.#cached(this.#numbers, e164, () => this.#db.lookupNumber(e164));
  }

  lookupShort(code: string): Answer<"lookupShort"> {
    return this.#cached(this.#shorts, code, () => this.#db.lookupShort(code));
  }

  findPeerByNumber(e164: string): Answer<"findPeerByNumber"> {
    return this.#cached(this.#pools, e164, () => this.#db.findPeerByNumber(e164));
  }

  getPeer(name: string): Answer<"getPeer"> {
    return this.#cached(this.#peers, name, () => this.#db.getPeer(name));
  }
}
