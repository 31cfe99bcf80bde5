import assert from "node:assert/strict";
import fc from "fast-check";
import { AssertionError, ConfigError } from "../lib/errors.ts";
import type { Disposition } from "../codec/pms/types.ts";
import {
  addAttempt,
  ATTEMPTS_MAX,
  type DeliveryResult,
  type DischargeDisposition,
  jitterFor,
  nextAttempt,
  type Outcome,
  outcomeOf,
  parseRetrySchedule,
  RETRY_DELAY_MS_MAX,
  RETRY_DELAY_MS_MIN,
  RETRY_DELAYS_MAX,
  RETRY_JITTER_FRACTION,
  RETRY_SCHEDULE_DEFAULT_TEXT,
  retryDelayMs,
  type RetrySchedule,
  serializeRetrySchedule,
} from "./retry.ts";

const KEY = "core.retry_delays";
const S = 1_000;
const M = 60_000;
const H = 3_600_000;
const DEFAULT: RetrySchedule = parseRetrySchedule(RETRY_SCHEDULE_DEFAULT_TEXT, KEY);

// Compile-time check: every discharge disposition is a record disposition.
const _dispositionsMatch: Disposition = "expired" as DischargeDisposition;

Deno.test("parseRetrySchedule() reads valid texts", async (t) => {
  const cases: [string, number[]][] = [
    [RETRY_SCHEDULE_DEFAULT_TEXT, [30 * S, M, 2 * M, 5 * M, 10 * M, 30 * M, H]],
    ["1s", [S]],
    ["24h", [24 * H]],
    ["1440m", [24 * H]],
    [" 30s , 90s,2m ", [30 * S, 90 * S, 2 * M]],
    ["5m,5m,5m", [5 * M, 5 * M, 5 * M]],
    ["60s,1m", [M, M]],
  ];
  for (const [text, delaysMs] of cases) {
    await t.step(JSON.stringify(text), () => {
      assert.deepEqual(parseRetrySchedule(text, KEY), { delaysMs });
    });
  }
});

Deno.test("parseRetrySchedule() rejects bad texts with a ConfigError naming the key", async (t) => {
  const many = Array(RETRY_DELAYS_MAX + 1).fill("1m").join(",");
  const cases: [string, string][] = [
    ["", '"" is not one'],
    ["30", '"30" is not one'],
    ["30 s", '"30 s" is not one'],
    ["0s", '"0s" is not one'],
    ["030s", '"030s" is not one'],
    ["1.5m", '"1.5m" is not one'],
    ["-1m", '"-1m" is not one'],
    ["1d", '"1d" is not one'],
    ["1M", '"1M" is not one'],
    ["500ms", '"500ms" is not one'],
    ["30s,,1m", '"" is not one'],
    ["30s,1m,", '"" is not one'],
    ["25h", 'must have delays from 1s to 24h: current value has "25h"'],
    ["86401s", 'must have delays from 1s to 24h: current value has "86401s"'],
    ["1m,30s", 'must not have a delay shorter than the one before it: "30s" follows a longer one'],
    [many, `must list at most ${RETRY_DELAYS_MAX} delays: current value has 33`],
  ];
  for (const [text, tail] of cases) {
    await t.step(JSON.stringify(text.slice(0, 20)), () => {
      assert.throws(() => parseRetrySchedule(text, KEY), (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.equal(e.key, KEY);
        assert.ok(e.message.startsWith(`Cannot load config: key "${KEY}" `), e.message);
        assert.ok(e.message.endsWith(tail), e.message);
        return true;
      });
    });
  }
});

Deno.test("serializeRetrySchedule() writes each delay in its largest whole unit", () => {
  assert.equal(serializeRetrySchedule(DEFAULT), RETRY_SCHEDULE_DEFAULT_TEXT);
  assert.equal(
    serializeRetrySchedule({ delaysMs: [S, 90 * S, 120 * S, 90 * M, 24 * H] }),
    "1s,90s,2m,90m,24h",
  );
  assert.throws(() => serializeRetrySchedule({ delaysMs: [1500] }), AssertionError);
});

Deno.test("retryDelayMs() walks the schedule and repeats its last delay", async (t) => {
  const cases: [number, number, number][] = [
    // [attempts, jitter, expected delay]
    [0, 0, 30 * S],
    [1, 0, 30 * S],
    [2, 0, M],
    [7, 0, H],
    [8, 0, H],
    [ATTEMPTS_MAX, 0, H],
    [1000, 0, H],
    [1, 0.5, 30 * S + 3_750],
    [7, 0.5, H + 450_000],
    [7, 0.999999, H + 899_999],
  ];
  for (const [attempts, jitter, want] of cases) {
    await t.step(`attempts ${attempts} jitter ${jitter}`, () => {
      assert.equal(retryDelayMs(DEFAULT, attempts, jitter), want);
    });
  }
});

Deno.test("retryDelayMs() asserts its arguments", () => {
  assert.throws(() => retryDelayMs(DEFAULT, 1, 1), AssertionError);
  assert.throws(() => retryDelayMs(DEFAULT, 1, -0.1), AssertionError);
  assert.throws(() => retryDelayMs(DEFAULT, 1, NaN), AssertionError);
  assert.throws(() => retryDelayMs(DEFAULT, -1, 0), AssertionError);
  assert.throws(() => retryDelayMs(DEFAULT, 1.5, 0), AssertionError);
  assert.throws(() => retryDelayMs({ delaysMs: [] }, 1, 0), AssertionError);
  assert.throws(() => retryDelayMs({ delaysMs: [M, S] }, 1, 0), AssertionError);
});

Deno.test("addAttempt() counts and saturates at one byte", () => {
  assert.equal(addAttempt(0), 1);
  assert.equal(addAttempt(254), 255);
  assert.equal(addAttempt(255), 255);
  assert.throws(() => addAttempt(256), AssertionError);
  assert.throws(() => addAttempt(-1), AssertionError);
});

Deno.test("nextAttempt() retries before expiry and expires otherwise", async (t) => {
  const t0 = 1_700_000_000_000;
  const cases: [string, number, number, number, object][] = [
    // [name, attempts, lastFailureMs, expiryMs, expected]
    ["first retry", 1, t0, t0 + H, { kind: "retry", atMs: t0 + 30 * S }],
    ["last delay repeats", 50, t0, t0 + 2 * H, { kind: "retry", atMs: t0 + H }],
    ["retry 1 ms before expiry", 1, t0, t0 + 30 * S + 1, { kind: "retry", atMs: t0 + 30 * S }],
    ["retry exactly at expiry expires", 1, t0, t0 + 30 * S, { kind: "expire", atMs: t0 + 30 * S }],
    ["retry past expiry expires", 7, t0, t0 + 10 * M, { kind: "expire", atMs: t0 + 10 * M }],
    ["expiry already past", 1, t0, t0 - 5, { kind: "expire", atMs: t0 - 5 }],
  ];
  for (const [name, attempts, lastFailureMs, expiryMs, want] of cases) {
    await t.step(name, () => {
      const got = nextAttempt({ attempts, lastFailureMs, expiryMs, schedule: DEFAULT, jitter: 0 });
      assert.deepEqual(got, want);
    });
  }
  await t.step("jitter can push a retry past expiry", () => {
    const input = { attempts: 1, lastFailureMs: t0, expiryMs: t0 + 35 * S, schedule: DEFAULT };
    assert.deepEqual(nextAttempt({ ...input, jitter: 0 }), { kind: "retry", atMs: t0 + 30 * S });
    assert.deepEqual(nextAttempt({ ...input, jitter: 0.9 }), { kind: "expire", atMs: t0 + 35 * S });
  });
});

Deno.test("outcomeOf() maps each delivery result to the next step", async (t) => {
  const t0 = 1_700_000_000_000;
  const context = { attempts: 1, nowMs: t0, expiryMs: t0 + H, schedule: DEFAULT, jitter: 0 };
  const cases: [string, DeliveryResult, Partial<typeof context>, Outcome][] = [
    ["ok", { kind: "ok" }, {}, { next: "discharge", disposition: "delivered", cause: 0 }],
    ["ok after expiry", { kind: "ok" }, { expiryMs: t0 - 1 }, {
      next: "discharge",
      disposition: "delivered",
      cause: 0,
    }],
    ["permanent", { kind: "permanent", cause: 30 }, {}, {
      next: "discharge",
      disposition: "failed-permanent",
      cause: 30,
    }],
    ["handler expired", { kind: "expired", cause: 0 }, {}, {
      next: "discharge",
      disposition: "expired",
      cause: 0,
    }],
    ["temporary", { kind: "temporary", cause: 27 }, {}, {
      next: "retry",
      atMs: t0 + 30 * S,
      cause: 27,
    }],
    ["temporary, no retry fits", { kind: "temporary", cause: 27 }, { expiryMs: t0 + 10 * S }, {
      next: "expire",
      atMs: t0 + 10 * S,
      cause: 27,
    }],
    ["temporary at expiry", { kind: "temporary", cause: 0x58 }, { expiryMs: t0 }, {
      next: "discharge",
      disposition: "expired",
      cause: 0x58,
    }],
    ["temporary after expiry", { kind: "temporary", cause: 22 }, { expiryMs: t0 - H }, {
      next: "discharge",
      disposition: "expired",
      cause: 22,
    }],
  ];
  for (const [name, result, over, want] of cases) {
    await t.step(name, () => {
      assert.deepEqual(outcomeOf(result, { ...context, ...over }), want);
    });
  }
});

Deno.test("jitterFor() is stable, in [0, 1), and spreads neighbouring records", () => {
  assert.equal(jitterFor(12345), jitterFor(12345));
  assert.throws(() => jitterFor(-1), AssertionError);
  assert.throws(() => jitterFor(1.5), AssertionError);
  // 1,000 consecutive indexes fall into all ten tenths of [0, 1), none empty or crowded.
  const buckets = Array(10).fill(0);
  for (let i = 0; i < 1000; i++) {
    const j = jitterFor(i);
    assert.ok(j >= 0 && j < 1);
    buckets[Math.floor(j * 10)]++;
  }
  for (const b of buckets) assert.ok(b > 50 && b < 150, `bucket counts ${buckets}`);
});

// Properties. Seeds are fixed so that a failure reproduces; fast-check prints the seed.
const FC = { seed: 4, numRuns: 500 };

const delayMs = fc.integer({ min: RETRY_DELAY_MS_MIN / S, max: RETRY_DELAY_MS_MAX / S })
  .map((s) => s * S);
const schedule: fc.Arbitrary<RetrySchedule> = fc
  .array(delayMs, { minLength: 1, maxLength: RETRY_DELAYS_MAX })
  .map((d) => ({ delaysMs: d.sort((a, b) => a - b) }));
const jitter = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const timeMs = fc.integer({ min: 0, max: 4_102_444_800_000 }); // up to 2100

Deno.test("parseRetrySchedule() reads back what serializeRetrySchedule() writes", () => {
  fc.assert(
    fc.property(schedule, (s) => {
      assert.deepEqual(parseRetrySchedule(serializeRetrySchedule(s), KEY), s);
    }),
    FC,
  );
});

Deno.test("nextAttempt() never schedules a retry at or past expiry", () => {
  fc.assert(
    fc.property(
      schedule,
      fc.integer({ min: 0, max: 1000 }),
      timeMs,
      timeMs,
      jitter,
      (s, attempts, lastFailureMs, expiryMs, j) => {
        const n = nextAttempt({ attempts, lastFailureMs, expiryMs, schedule: s, jitter: j });
        if (n.kind === "retry") {
          assert.ok(n.atMs < expiryMs);
          assert.ok(n.atMs >= lastFailureMs + RETRY_DELAY_MS_MIN);
        } else {
          assert.equal(n.atMs, expiryMs);
          assert.ok(lastFailureMs + retryDelayMs(s, attempts, j) >= expiryMs);
        }
      },
    ),
    FC,
  );
});

Deno.test("retryDelayMs() is non-decreasing in attempts and bounded by the jitter fraction", () => {
  fc.assert(
    fc.property(schedule, fc.integer({ min: 0, max: 300 }), jitter, (s, attempts, j) => {
      const d = retryDelayMs(s, attempts, j);
      assert.ok(d <= retryDelayMs(s, attempts + 1, j));
      const base = retryDelayMs(s, attempts, 0);
      assert.ok(d >= base && d < base * (1 + RETRY_JITTER_FRACTION));
      assert.ok(Number.isSafeInteger(d));
    }),
    FC,
  );
});

Deno.test("outcomeOf() never leaves a temporary failure past expiry", () => {
  fc.assert(
    fc.property(
      schedule,
      fc.integer({ min: 1, max: ATTEMPTS_MAX }),
      timeMs,
      timeMs,
      jitter,
      fc.integer({ min: 0, max: 0xffff }),
      (s, attempts, nowMs, expiryMs, j, cause) => {
        const context = { attempts, nowMs, expiryMs, schedule: s, jitter: j };
        const o = outcomeOf({ kind: "temporary", cause }, context);
        assert.equal(o.cause, cause);
        if (o.next === "retry") assert.ok(o.atMs > nowMs && o.atMs < expiryMs);
        if (o.next === "expire") assert.ok(o.atMs === expiryMs && o.atMs > nowMs);
        if (o.next === "discharge") {
          assert.equal(o.disposition, "expired");
          assert.ok(expiryMs <= nowMs);
        }
      },
    ),
    FC,
  );
});
