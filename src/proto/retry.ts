/**
 * The retry and expiry policy of core: after a temporary delivery failure, when
 * to try again, and when to give up because the validity period runs out
 * (seed §2.4.4, ARCHITECTURE §5). Pure: time and jitter are parameters, so the
 * same inputs always give the same answer, before and after a restart.
 *
 * The schedule is a list of delays, the last one repeated for every further
 * attempt. One config key holds it as text (`"30s,1m,2m,5m,10m,30m,1h"`);
 * `parseRetrySchedule` and `serializeRetrySchedule` convert. Each delay is
 * stretched by up to `RETRY_JITTER_FRACTION` of itself, never shortened, so
 * that messages failing together do not retry in lockstep. See docs/retry.md.
 *
 * Limits: delays are whole seconds, minutes or hours from 1 s to 24 h, at most
 * `RETRY_DELAYS_MAX` of them, never decreasing. A retry is never scheduled at
 * or after the expiry time: the message expires instead.
 *
 * @module
 */

import { assert, ConfigError } from "../lib/errors.ts";

/** Delays between attempts, in order; the last one repeats. Non-empty, non-decreasing. */
export interface RetrySchedule {
  readonly delaysMs: readonly number[];
}

/** Most entries a schedule may list; beyond a few the last delay repeats anyway. */
export const RETRY_DELAYS_MAX = 32;
/** Shortest delay: a retry sooner than this only adds load to a failing peer. */
export const RETRY_DELAY_MS_MIN = 1_000;
/** Longest delay: 24 h, half the default validity period, so one retry still fits. */
export const RETRY_DELAY_MS_MAX = 86_400_000;
/** A delay `d` becomes `d + floor(d * RETRY_JITTER_FRACTION * jitter)`: within [d, 1.25 d). */
export const RETRY_JITTER_FRACTION = 0.25;
/** The record's attempt counter is one byte (docs/pms-format.md); it saturates here. */
export const ATTEMPTS_MAX = 255;
/** The schedule of `config.toml` when the operator sets none. */
export const RETRY_SCHEDULE_DEFAULT_TEXT = "30s,1m,2m,5m,10m,30m,1h";

const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1_000 };
const DURATION = /^([1-9][0-9]{0,5})([smh])$/;

/**
 * Parses the text of the retry schedule key: durations such as `30s`, `5m` or
 * `1h` separated by commas (spaces around them allowed), non-decreasing, the
 * last one repeated for every further attempt.
 *
 * @param text the key's value, e.g. `"30s,1m,2m,5m,10m,30m,1h"`
 * @param key the dotted key name for the error, e.g. `"core.retry_delays"`
 * @returns the schedule in milliseconds
 * @throws {ConfigError} naming `key` when the text is empty, has a bad duration,
 *   a delay outside 1 s-24 h, more than `RETRY_DELAYS_MAX` entries, or a delay
 *   shorter than the one before it
 */
export function parseRetrySchedule(text: string, key: string): RetrySchedule {
  const fail = (what: string): never => {
    throw new ConfigError(key, `Cannot load config: key "${key}" ${what}`);
  };
  const parts = text.split(",").map((p) => p.trim());
  if (parts.length > RETRY_DELAYS_MAX) {
    fail(`must list at most ${RETRY_DELAYS_MAX} delays: current value has ${parts.length}`);
  }
  const delaysMs: number[] = [];
  for (const part of parts) {
    const m = DURATION.exec(part);
    if (m === null) {
      fail(`must be a comma list of durations such as "30s,5m,1h": "${part}" is not one`);
    }
    const ms = Number(m![1]) * UNIT_MS[m![2]];
    if (ms < RETRY_DELAY_MS_MIN || ms > RETRY_DELAY_MS_MAX) {
      fail(`must have delays from 1s to 24h: current value has "${part}"`);
    }
    const previous = delaysMs.at(-1);
    if (previous !== undefined && ms < previous) {
      fail(`must not have a delay shorter than the one before it: "${part}" follows a longer one`);
    }
    delaysMs.push(ms);
  }
  return { delaysMs };
}

/**
 * Writes a schedule back as the key's text, each delay in the largest unit
 * that divides it, so that `parseRetrySchedule(serializeRetrySchedule(s))`
 * gives `s` back.
 *
 * @param schedule a schedule as `parseRetrySchedule` returns it
 * @returns the canonical text, e.g. `"30s,1m,90s,1h"`
 * @throws {AssertionError} when a delay is not a whole number of seconds in bounds
 */
export function serializeRetrySchedule(schedule: RetrySchedule): string {
  return schedule.delaysMs.map((ms) => {
    checkDelay(ms);
    for (const [unit, size] of Object.entries(UNIT_MS)) {
      if (ms % size === 0) return `${ms / size}${unit}`;
    }
    return ""; // Unreachable: checkDelay requires whole seconds.
  }).join(",");
}

/**
 * Adds one delivery attempt to the record's counter, saturating at
 * `ATTEMPTS_MAX` because the counter is one byte on disk.
 *
 * @param attempts attempts made so far, 0-255
 * @returns `attempts + 1`, at most `ATTEMPTS_MAX`
 * @throws {AssertionError} when `attempts` is not an integer in 0-255
 */
export function addAttempt(attempts: number): number {
  checkAttempts(attempts);
  assert(attempts <= ATTEMPTS_MAX, `Cannot count attempts: ${attempts} exceeds ${ATTEMPTS_MAX}`);
  return Math.min(attempts + 1, ATTEMPTS_MAX);
}

/**
 * The delay before the next attempt after `attempts` attempts have failed:
 * the schedule's entry `attempts - 1` (its last entry once past the end),
 * stretched by jitter. For a fixed jitter it never decreases as attempts grow.
 *
 * @param schedule the retry schedule
 * @param attempts attempts made so far, including the one that just failed; 0 counts as 1,
 *   and any count past the schedule's end gets its last delay
 * @param jitter a number in [0, 1) chosen by the caller, fixed per message (see `jitterFor`)
 * @returns the delay in milliseconds, in [d, d * (1 + RETRY_JITTER_FRACTION))
 * @throws {AssertionError} when an argument is out of its range
 */
export function retryDelayMs(schedule: RetrySchedule, attempts: number, jitter: number): number {
  checkSchedule(schedule);
  checkAttempts(attempts);
  assert(jitter >= 0 && jitter < 1, `Cannot schedule a retry: jitter ${jitter} is not in [0, 1)`);
  const delays = schedule.delaysMs;
  const base = delays[Math.min(Math.max(attempts, 1), delays.length) - 1];
  return base + Math.floor(base * RETRY_JITTER_FRACTION * jitter);
}

/** What to do with a message after a temporary failure. */
export type NextAttempt =
  | { kind: "retry"; atMs: number }
  | { kind: "expire"; atMs: number };

/** The inputs of `nextAttempt`, all plain values taken from the record and config. */
export interface NextAttemptInput {
  /** Attempts made so far, including the one that just failed (the record's `attempts`). */
  attempts: number;
  /** When the last attempt failed, ms since the epoch. */
  lastFailureMs: number;
  /** The record's `expiryTimeMs`. */
  expiryMs: number;
  schedule: RetrySchedule;
  /** In [0, 1), fixed per message; see `jitterFor`. */
  jitter: number;
}

/**
 * Decides when to try a temporarily failed message again. A retry that would
 * fall at or after the expiry time is not scheduled: the message expires at
 * its expiry time instead, which may already be past (expire now).
 *
 * @param input attempts, time of the failure, expiry time, schedule and jitter
 * @returns `{ kind: "retry", atMs }` with `atMs < expiryMs`, or `{ kind: "expire", atMs: expiryMs }`
 * @throws {AssertionError} when an argument is out of its range
 */
export function nextAttempt(input: NextAttemptInput): NextAttempt {
  const { attempts, lastFailureMs, expiryMs, schedule, jitter } = input;
  assert(
    Number.isSafeInteger(lastFailureMs) && Number.isSafeInteger(expiryMs),
    `Cannot schedule a retry: times ${lastFailureMs} and ${expiryMs} are not integers`,
  );
  const atMs = lastFailureMs + retryDelayMs(schedule, attempts, jitter);
  if (atMs >= expiryMs) return { kind: "expire", atMs: expiryMs };
  return { kind: "retry", atMs };
}

/**
 * A jitter in [0, 1) derived from the record index alone, so that a message
 * keeps the same jitter across attempts and restarts while neighbouring
 * records spread out. The hash is the finaliser of MurmurHash3 (fmix32).
 *
 * @param recordIndex the record's index in `pms.bin`, a non-negative integer
 * @returns a number in [0, 1)
 * @throws {AssertionError} when `recordIndex` is not a non-negative safe integer
 */
export function jitterFor(recordIndex: number): number {
  assert(
    Number.isSafeInteger(recordIndex) && recordIndex >= 0,
    `Cannot derive jitter: record index ${recordIndex} is not a non-negative integer`,
  );
  // Fold the high bits in so that indexes beyond 2^32 still differ.
  let h = (recordIndex ^ Math.floor(recordIndex / 0x1_0000_0000)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h = (h ^ (h >>> 16)) >>> 0;
  return h / 0x1_0000_0000;
}

/** How one delivery attempt ended, as the role handler reported it. */
export type DeliveryResult =
  | { kind: "ok" }
  /** May succeed later: peer down, subscriber absent, memory full, throttled. */
  | { kind: "temporary"; cause: number }
  /** Would fail the same way again: unknown subscriber, rejected destination. */
  | { kind: "permanent"; cause: number }
  /** The handler itself gave up at the validity end (MT_DISCHARGE, seed §2.5.4.3). */
  | { kind: "expired"; cause: number };

/** The dispositions a delivery can end in; the same names as `Disposition` in codec/pms. */
export type DischargeDisposition = "delivered" | "failed-permanent" | "expired";

/**
 * What core does next with the record. `discharge` is now: write the disposition,
 * the discharge time and `cause`, and make the record historical. `retry` and
 * `expire` keep it active until `atMs`: then try again, or discharge as expired.
 */
export type Outcome =
  | { next: "discharge"; disposition: DischargeDisposition; cause: number }
  | { next: "retry"; atMs: number; cause: number }
  | { next: "expire"; atMs: number; cause: number };

/** The record and config values `outcomeOf` needs besides the result. */
export interface OutcomeContext {
  /** Attempts made so far, including the one that just ended (after `addAttempt`). */
  attempts: number;
  /** When the attempt ended, ms since the epoch. */
  nowMs: number;
  /** The record's `expiryTimeMs`. */
  expiryMs: number;
  schedule: RetrySchedule;
  /** In [0, 1), fixed per message; see `jitterFor`. */
  jitter: number;
}

/**
 * Classifies the end of one delivery attempt. Success and permanent failure
 * discharge at once, even past the expiry time (the message did reach, or
 * can never reach, its destination). A temporary failure retries per
 * `nextAttempt`; when no retry fits before the expiry time it expires there,
 * or at once when that time has passed. A handler's own expiry discharges at once.
 *
 * @param result how the attempt ended
 * @param context attempts, current time, expiry time, schedule and jitter
 * @returns the next step, with the cause to record (0 for success)
 * @throws {AssertionError} when a context value is out of its range
 */
export function outcomeOf(result: DeliveryResult, context: OutcomeContext): Outcome {
  switch (result.kind) {
    case "ok":
      return { next: "discharge", disposition: "delivered", cause: 0 };
    case "permanent":
      return { next: "discharge", disposition: "failed-permanent", cause: result.cause };
    case "expired":
      return { next: "discharge", disposition: "expired", cause: result.cause };
    case "temporary": {
      const { attempts, nowMs, expiryMs, schedule, jitter } = context;
      const n = nextAttempt({ attempts, lastFailureMs: nowMs, expiryMs, schedule, jitter });
      if (n.kind === "retry") return { next: "retry", atMs: n.atMs, cause: result.cause };
      if (n.atMs <= nowMs) {
        return { next: "discharge", disposition: "expired", cause: result.cause };
      }
      return { next: "expire", atMs: n.atMs, cause: result.cause };
    }
  }
}

function checkDelay(ms: number): void {
  assert(
    Number.isSafeInteger(ms) && ms % 1_000 === 0 && ms >= RETRY_DELAY_MS_MIN &&
      ms <= RETRY_DELAY_MS_MAX,
    `Cannot use retry schedule: delay ${ms} ms is not whole seconds from 1 s to 24 h`,
  );
}

function checkSchedule(schedule: RetrySchedule): void {
  const d = schedule.delaysMs;
  assert(
    d.length >= 1 && d.length <= RETRY_DELAYS_MAX,
    `Cannot use retry schedule: it has ${d.length} delays`,
  );
  for (let i = 1; i < d.length; i++) {
    assert(
      d[i] >= d[i - 1],
      `Cannot use retry schedule: delay ${i} is shorter than delay ${i - 1}`,
    );
  }
}

function checkAttempts(attempts: number): void {
  assert(
    Number.isSafeInteger(attempts) && attempts >= 0,
    `Cannot count attempts: ${attempts} is not a non-negative integer`,
  );
}
