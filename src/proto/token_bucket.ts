/**
 * A token bucket for rate limits (e.g. submit_sm per second of one SMPP
 * bind). Pure: the caller passes the time. Holds at most `burst` tokens and
 * gains `ratePerS` per second.
 *
 * @module
 */

/** A token bucket; `take()` says whether one more event fits the rate. */
export class TokenBucket {
  readonly #ratePerMs: number;
  readonly #burst: number;
  #tokens: number;
  #at: number;

  /**
   * @param ratePerS tokens gained per second (> 0)
   * @param burst bucket size (>= 1); starts full
   * @param nowMs the current time
   */
  constructor(ratePerS: number, burst: number, nowMs: number) {
    if (!(ratePerS > 0) || !(burst >= 1)) {
      throw new RangeError("Cannot make a token bucket: rate must be > 0 and burst >= 1");
    }
    this.#ratePerMs = ratePerS / 1000;
    this.#burst = burst;
    this.#tokens = burst;
    this.#at = nowMs;
  }

  /** Takes one token if there is one; false means "over the rate". */
  take(nowMs: number): boolean {
    if (nowMs > this.#at) {
      this.#tokens = Math.min(this.#burst, this.#tokens + (nowMs - this.#at) * this.#ratePerMs);
      this.#at = nowMs;
    }
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
