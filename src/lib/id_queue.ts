/**
 * A FIFO of numbers with O(1) push, shift and unshift (an array with a head
 * index, compacted when the consumed part dominates). `Array.prototype.shift`
 * moves every element, which costs whole milliseconds per call on queues of
 * tens of thousands, e.g. a peer's backlog after an outage.
 *
 * @module
 */

/** A queue of ids. */
export class IdQueue {
  #items: number[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(id: number): void {
    this.#items.push(id);
  }

  /** Removes and returns the first id, or undefined when empty. */
  shift(): number | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const id = this.#items[this.#head++];
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return id;
  }

  /** Puts an id back at the front. */
  unshift(id: number): void {
    if (this.#head > 0) this.#items[--this.#head] = id;
    else this.#items.unshift(id);
  }

  /** Removes the first occurrence of `id` (O(n)); false when absent. */
  remove(id: number): boolean {
    const i = this.#items.indexOf(id, this.#head);
    if (i < 0) return false;
    this.#items.splice(i, 1);
    return true;
  }

  /** The ids from front to back (a copy, safe to modify the queue meanwhile). */
  toArray(): number[] {
    return this.#items.slice(this.#head);
  }
}
