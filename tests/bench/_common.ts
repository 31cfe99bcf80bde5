/**
 * Small helpers the process-level benchmarks share: waiting, timing, CPU
 * time from /proc and percentiles. No `Deno.bench` here.
 *
 * @module
 */

/** USER_HZ is 100 on Linux x86: /proc CPU times count 10 ms ticks. */
export const TICK_MS = 10;

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Epoch time in ms with a fraction, on the clock other processes' stamps use. */
export const epochMs = (): number => performance.timeOrigin + performance.now();

/** `fn()` every 10 ms until it is true; throws after `ms`. */
export async function until(
  what: string,
  fn: () => Promise<boolean>,
  ms = 180_000,
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`Cannot finish ${what} within ${ms} ms`);
    await sleep(10);
  }
}

/** CPU time (user + system) of a process so far, in ms. */
export async function cpuMs(pid: number): Promise<number> {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(rest[11]) + Number(rest[12])) * TICK_MS;
}

/** The `p` quantile of ascending `sorted` (NaN when empty). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}
