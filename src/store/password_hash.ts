/**
 * Password hashes of downstream peers: scrypt (RFC 7914) with a random
 * per-peer salt, stored with its parameters in a PHC-style string
 * `$scrypt$ln=14,r=8,p=1$<salt>$<hash>` (base64 without padding), so that the
 * cost can be raised later without invalidating stored hashes. Comparison is
 * constant-time. Passwords are never logged or stored in plain text.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from "node:crypto";

/** scrypt cost parameters. */
export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  ln: number;
  /** Block size r. */
  r: number;
  /** Parallelism p. */
  p: number;
}

/** N = 2^14, r = 8, p = 1: about 16 MiB and tens of milliseconds per check. */
export const SCRYPT_DEFAULT: Readonly<ScryptParams> = { ln: 14, r: 8, p: 1 };

const KEY_BYTES = 32;
const SALT_BYTES = 16;
// Bounds on what a stored string may ask for, so that a damaged row cannot
// make a bind attempt allocate gigabytes.
const LN_MAX = 20;
const R_MAX = 16;
const P_MAX = 4;

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64").replace(/=+$/, "");
}

function derive(password: string, salt: Uint8Array, params: ScryptParams): Buffer {
  const N = 2 ** params.ln;
  return scryptSync(password, salt, KEY_BYTES, {
    N,
    r: params.r,
    p: params.p,
    maxmem: 256 * N * params.r * params.p,
  });
}

/**
 * Hashes a password with a fresh random salt.
 *
 * @param password the plain password
 * @param params scrypt cost (tests pass a cheap one)
 * @returns the PHC-style string to store
 */
export function hashPassword(password: string, params: ScryptParams = SCRYPT_DEFAULT): string {
  const salt = randomBytes(SALT_BYTES);
  const hash = derive(password, salt, params);
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${b64(salt)}$${b64(hash)}`;
}

function parse(stored: string): { params: ScryptParams; salt: Buffer; hash: Buffer } | undefined {
  const m = stored.match(
    /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/,
  );
  if (!m) return undefined;
  const params = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (params.ln < 1 || params.ln > LN_MAX || params.r < 1 || params.r > R_MAX) return undefined;
  if (params.p < 1 || params.p > P_MAX) return undefined;
  const hash = Buffer.from(m[5], "base64");
  if (hash.length !== KEY_BYTES) return undefined;
  return { params, salt: Buffer.from(m[4], "base64"), hash };
}

/**
 * A well-formed stored string with the given cost that no password matches
 * in practice: checked when a system_id is unknown, so that the answer takes
 * as long as for a known one.
 *
 * @param params the cost of real hashes
 * @returns a PHC-style string with an all-zero salt and hash
 */
export function dummyHash(params: ScryptParams = SCRYPT_DEFAULT): string {
  const zeros = b64(new Uint8Array(KEY_BYTES));
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${
    b64(new Uint8Array(SALT_BYTES))
  }$${zeros}`;
}

/**
 * Checks a password against a stored hash in constant time (for a given
 * hash). A malformed stored string never matches.
 *
 * @param password the password offered
 * @param stored the string `hashPassword` returned
 * @returns whether they match
 */
export function verifyPassword(password: string, stored: string): boolean {
  const parsed = parse(stored);
  if (!parsed) return false;
  return timingSafeEqual(derive(password, parsed.salt, parsed.params), parsed.hash);
}

/**
 * `verifyPassword` without blocking the event loop: the key derivation runs
 * on the runtime's thread pool, so that a bind attempt does not stall the
 * other sessions of the process.
 *
 * @param password the password offered
 * @param stored the string `hashPassword` returned
 * @returns whether they match
 */
export function verifyPasswordAsync(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return Promise.resolve(false);
  const { params, salt, hash } = parsed;
  const N = 2 ** params.ln;
  return new Promise((resolve, reject) => {
    scrypt(
      password,
      salt,
      KEY_BYTES,
      { N, r: params.r, p: params.p, maxmem: 256 * N * params.r * params.p },
      (err, derived) => err ? reject(err) : resolve(timingSafeEqual(derived, hash)),
    );
  });
}
