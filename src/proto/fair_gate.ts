/**
 * A fair gate: at most `limit` tasks run at once, at most `perKeyLimit` of
 * them for one key (e.g. one SMPP bind), and waiting tasks start round robin
 * over their keys. So one key with a deep queue cannot crowd out the others:
 * it never holds more than `perKeyLimit` slots, and when slots are short each
 * waiting key gets its turn. Tasks of one key start in submission order.
 *
 * No I/O and no timers; the tasks are the caller's.
 *
 * @module
 */

/** Round-robin admission of async tasks under a total and a per-key limit. */
export class FairGate {
  readonly #limit: number;
  readonly #perKey: number;
  #running = 0;
  readonly #runningByKey = new Map<unknown, number>();
  /** Keys with waiting tasks, in round-robin order; each with its FIFO. */
  readonly #queues = new Map<unknown, (() => void)[]>();

  /**
   * @param limit tasks running at once (>= 1)
   * @param perKeyLimit tasks of one key running at once (>= 1)
   */
  constructor(limit: number, perKeyLimit: number = limit) {
    if (!(limit >= 1) || !(perKeyLimit >= 1)) {
      throw new RangeError("Cannot make a fair gate: limits must be >= 1");
    }
    this.#limit = limit;
    this.#perKey = perKeyLimit;
  }

  /** Tasks running now. */
  get running(): number {
    return this.#running;
  }

  /** Tasks waiting for a slot. */
  get waiting(): number {
    let n = 0;
    for (const q of this.#queues.values()) n += q.length;
    return n;
  }

  /**
   * Runs `task` once a slot is free and it is `key`'s turn.
   *
   * @returns what the task returns (or throws)
   */
  run<T>(key: unknown, task: () => Promise<T>): Promise<T> {
    const q = this.#queues.get(key);
    if (q === undefined && this.#mayStart(key)) {
      this.#started(key);
      return this.#execute(key, task);
    }
    return new Promise<void>((start) => {
      if (q) q.push(start);
      else this.#queues.set(key, [start]);
    }).then(() => this.#execute(key, task));
  }

  // Runs a task that holds a slot, and frees the slot however the task ends.
  async #execute<T>(key: unknown, task: () => Promise<T>): Promise<T> {
    try {
      return await task();
    } finally {
      this.#finished(key);
    }
  }

  #mayStart(key: unknown): boolean {
    return this.#running < this.#limit && (this.#runningByKey.get(key) ?? 0) < this.#perKey;
  }

  #started(key: unknown): void {
    this.#running++;
    this.#runningByKey.set(key, (this.#runningByKey.get(key) ?? 0) + 1);
  }

  #finished(key: unknown): void {
    this.#running--;
    const n = this.#runningByKey.get(key)! - 1;
    if (n === 0) this.#runningByKey.delete(key);
    else this.#runningByKey.set(key, n);
    this.#admit();
  }

  // Starts waiting tasks in round-robin key order while slots allow.
  #admit(): void {
    let progress = true;
    while (progress && this.#running < this.#limit && this.#queues.size > 0) {
      progress = false;
      for (const [key, q] of [...this.#queues]) {
        if (this.#running >= this.#limit) break;
        if (!this.#mayStart(key)) continue;
        const start = q.shift()!;
        // The key goes to the back of the round, or leaves it when empty.
        this.#queues.delete(key);
        if (q.length > 0) this.#queues.set(key, q);
        this.#started(key);
        start();
        progress = true;
        break;
      }
    }
  }
}
