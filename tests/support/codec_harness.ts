/**
 * Shared loops for codec tests (STYLE.md §5): vectors from JSON files, and the
 * hostile-input sweep of every truncation, every byte × 256 values and a
 * fixed-seed batch of random buffers. The only allowed outcomes of a decoder
 * are a value or a `DecodeError`.
 *
 * @module
 */

import { DecodeError } from "../../src/lib/errors.ts";
import { bytesEqual, fromHex, toHex } from "../../src/lib/bytes.ts";

/** One case of a `tests/vectors/<protocol>/*.json` file. */
export interface Vector {
  name: string;
  /** Where the bytes come from: a spec clause, or "captured from …". */
  source: string;
  hex: string;
  /** Expected decoded value (partial match: only the keys given are compared). */
  expect?: unknown;
  /** When present, decoding must throw `DecodeError` with these properties. */
  error?: { field?: string; code?: number };
  /** Extra decoder options for this case. */
  options?: Record<string, unknown>;
}

/** Counts of a fuzz sweep, for reports. */
export interface FuzzCounts {
  calls: number;
  decoded: number;
  rejected: number;
}

/** A small deterministic PRNG (mulberry32) so fuzz runs are repeatable. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function attempt(decode: (b: Uint8Array) => unknown, input: Uint8Array, counts: FuzzCounts) {
  counts.calls++;
  try {
    decode(input);
    counts.decoded++;
  } catch (e) {
    if (e instanceof DecodeError) {
      counts.rejected++;
      return;
    }
    throw new Error(`decoder threw ${(e as Error)?.name} on input ${toHex(input)}: ${e}`, {
      cause: e,
    });
  }
}

/**
 * Feeds `decode` every prefix of every seed, every single-byte mutation of
 * every seed, and `randomCount` random buffers (lengths 0-`randomMaxBytes`)
 * from a fixed `seed`. Fails on anything thrown that is not a `DecodeError`.
 */
export function fuzzDecoder(
  decode: (b: Uint8Array) => unknown,
  seeds: Uint8Array[],
  options: { randomCount?: number; randomMaxBytes?: number; seed?: number } = {},
): FuzzCounts {
  const counts: FuzzCounts = { calls: 0, decoded: 0, rejected: 0 };
  for (const s of seeds) {
    for (let n = 0; n < s.length; n++) attempt(decode, s.slice(0, n), counts);
    for (let i = 0; i < s.length; i++) {
      const m = s.slice();
      for (let v = 0; v < 256; v++) {
        if (v === s[i]) continue;
        m[i] = v;
        attempt(decode, m, counts);
      }
    }
  }
  const rand = prng(options.seed ?? 0x5e5c);
  const max = options.randomMaxBytes ?? 200;
  for (let k = 0; k < (options.randomCount ?? 2000); k++) {
    const b = new Uint8Array(Math.floor(rand() * (max + 1)));
    for (let i = 0; i < b.length; i++) b[i] = Math.floor(rand() * 256);
    attempt(decode, b, counts);
  }
  return counts;
}

/** Deep partial match: every key in `expected` must equal the same key in `actual`. */
export function partialMatch(actual: unknown, expected: unknown, path = "$"): string | null {
  if (expected === null || typeof expected !== "object") {
    if (actual instanceof Uint8Array && typeof expected === "string") {
      return toHex(actual) === expected.toLowerCase()
        ? null
        : `${path}: ${toHex(actual)} != ${expected}`;
    }
    return Object.is(actual, expected)
      ? null
      : `${path}: ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`;
  }
  if (actual === null || typeof actual !== "object") return `${path}: missing object`;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      return `${path}: array length ${
        Array.isArray(actual) ? actual.length : "-"
      } != ${expected.length}`;
    }
  }
  for (const [k, v] of Object.entries(expected as Record<string, unknown>)) {
    const r = partialMatch((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
    if (r) return r;
  }
  return null;
}

/**
 * Runs each vector as a `t.step`: decode, compare with `expect` (partial), and
 * when `encode` is given, require a byte-identical re-encoding. Error vectors
 * must throw `DecodeError` with the given field/code.
 */
export async function runVectors<T>(
  t: Deno.TestContext,
  vectors: Vector[],
  decode: (b: Uint8Array, options?: Record<string, unknown>) => T,
  encode?: (v: T, options?: Record<string, unknown>) => Uint8Array,
): Promise<void> {
  for (const v of vectors) {
    await t.step(`${v.name} [${v.source}]`, () => {
      const input = fromHex(v.hex);
      if (v.error) {
        let caught: unknown;
        try {
          decode(input, v.options);
        } catch (e) {
          caught = e;
        }
        if (!(caught instanceof DecodeError)) {
          throw new Error(`expected DecodeError, got ${caught}`);
        }
        if (v.error.field !== undefined && caught.field !== v.error.field) {
          throw new Error(
            `expected field ${v.error.field}, got ${caught.field}: ${caught.message}`,
          );
        }
        if (v.error.code !== undefined && caught.code !== v.error.code) {
          throw new Error(`expected code ${v.error.code}, got ${caught.code}`);
        }
        return;
      }
      const value = decode(input, v.options);
      if (v.expect !== undefined) {
        const diff = partialMatch(value, v.expect);
        if (diff) throw new Error(`decoded value differs at ${diff}`);
      }
      if (encode) {
        const again = encode(value, v.options);
        if (!bytesEqual(again, input)) {
          throw new Error(`re-encoding differs: ${toHex(again)} != ${toHex(input)}`);
        }
      }
    });
  }
}
