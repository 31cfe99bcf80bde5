/**
 * SIP digest authentication on the server side: RFC 7616 (HTTP Digest,
 * September 2015) with SHA-256 and MD5, as SIP uses it (RFC 3261 §22.4;
 * RFC 8760 adds SHA-256 to SIP), and RFC 2617 §3.2.2 for MD5 responses.
 *
 * - `challenge()` gives the WWW-Authenticate values of a 401, one per
 *   algorithm, SHA-256 first (RFC 7616 §3.7: "the server SHOULD send the
 *   challenges in order of preference").
 * - `verify()` checks an Authorization value against a credential that holds
 *   HA1 = H(username ":" realm ":" password) for each algorithm, so that the
 *   password itself is never stored.
 *
 * Nonces are stateless: base64url of an 8-byte issue time and an HMAC-SHA-256
 * of it under `secret`. Any nonce this process issued with the same secret
 * verifies until `nonceTtlMs` after its issue time; after that a correct
 * response is answered with `stale: true`, so that the client retries with a
 * fresh nonce without asking its user (RFC 7616 §3.3, "stale"). A new secret
 * (a restart) makes every earlier nonce unknown: the client then gets a plain
 * challenge.
 *
 * Replay: within a nonce's lifetime, each (nonce, cnonce, nc) triple is
 * accepted once (RFC 7616 §3.4: "the server can detect request replays by
 * watching for the same nc-value"). A sliding window of 32 counts per
 * (nonce, cnonce) tolerates requests that overtake each other. The table is
 * bounded by `maxTracked`; when full, the oldest entries are forgotten and
 * nonces issued up to then are answered stale when next seen.
 *
 * Limits (what it rejects, each with a reason for the log): schemes other
 * than Digest, qop other than "auth" (no auth-int, no RFC 2069 responses
 * without qop), the -sess algorithms, SHA-512-256, userhash and `username*`,
 * a realm other than ours, a response whose length does not fit its
 * algorithm, a `uri` other than the Request-URI when one is given.
 *
 * Pure: time is a parameter; only node:crypto hashes are used.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/** The algorithms offered and accepted, RFC 7616 §3.3 (names as on the wire). */
export type DigestAlgorithm = "MD5" | "SHA-256";

/** Offered in this order: the stronger first (RFC 7616 §3.7). */
export const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ["SHA-256", "MD5"];

/** A subscriber's stored digest secret: HA1 per algorithm, lower-case hex. */
export interface DigestCredential {
  username: string;
  realm: string;
  /** H(username ":" realm ":" password) for each algorithm, RFC 7616 §3.4.2. */
  ha1: Record<DigestAlgorithm, string>;
}

/** Options of `DigestAuth`. */
export interface DigestAuthOptions {
  /** The realm challenged and required, usually `gsmif.domain`. */
  realm: string;
  /** HMAC key of the nonces; 16 random bytes or more, kept for the process lifetime. */
  secret: Uint8Array;
  /** How long a nonce stays fresh after it was issued. */
  nonceTtlMs: number;
  /** Most (nonce, cnonce) pairs remembered for replay detection (default 10000). */
  maxTracked?: number;
  /** Algorithms offered, in this order (default SHA-256 then MD5); others are refused. */
  algorithms?: readonly DigestAlgorithm[];
}

/** What `verify` answers. */
export type DigestResult =
  | { ok: true; username: string }
  | { ok: false; stale: boolean; reason: string };

const NODE_HASH: Record<DigestAlgorithm, string> = { "MD5": "md5", "SHA-256": "sha256" };
const HEX_LENGTH: Record<DigestAlgorithm, number> = { "MD5": 32, "SHA-256": 64 };
const TIME_BYTES = 8;
const MAC_BYTES = 32;
const NC_WINDOW = 32;
const DEFAULT_MAX_TRACKED = 10_000;

function hash(algorithm: DigestAlgorithm, text: string): string {
  return createHash(NODE_HASH[algorithm]).update(text, "utf8").digest("hex");
}

/**
 * HA1 of RFC 7616 §3.4.2 (and RFC 2617 §3.2.2.2) for a non-session algorithm.
 *
 * @param algorithm MD5 or SHA-256
 * @param username the digest username
 * @param realm the realm
 * @param password the plain password (UTF-8)
 * @returns lower-case hex
 */
export function ha1(
  algorithm: DigestAlgorithm,
  username: string,
  realm: string,
  password: string,
): string {
  return hash(algorithm, `${username}:${realm}:${password}`);
}

/** The fields of a qop=auth response computation, RFC 7616 §3.4.1. */
export interface DigestInput {
  algorithm: DigestAlgorithm;
  /** HA1, lower-case hex. */
  ha1: string;
  nonce: string;
  /** nc-value, 8 hex digits as sent. */
  nc: string;
  cnonce: string;
  method: string;
  /** digest-uri as sent. */
  uri: string;
}

/**
 * The expected `response` for qop=auth: KD(HA1, nonce ":" nc ":" cnonce ":"
 * "auth" ":" H(method ":" uri)), RFC 7616 §3.4.1, RFC 2617 §3.2.2.1.
 *
 * @param input the fields
 * @returns lower-case hex
 */
export function digestResponse(input: DigestInput): string {
  const ha2 = hash(input.algorithm, `${input.method}:${input.uri}`);
  return hash(
    input.algorithm,
    `${input.ha1}:${input.nonce}:${input.nc}:${input.cnonce}:auth:${ha2}`,
  );
}

/**
 * Splits the auth-params of a credentials or challenge value, RFC 7616 §3.4
 * and RFC 7235 §2.1: `scheme 1*SP auth-param *(OWS "," OWS auth-param)`,
 * auth-param = token BWS "=" BWS ( token / quoted-string ). Names are
 * lower-cased; quoted values are unescaped. Some clients quote tokens (qop,
 * nc, algorithm) or leave them bare where quotes are due; both are accepted.
 *
 * @param value the header value
 * @returns the scheme and the parameters, or a reason
 */
export function parseDigestParams(
  value: string,
): { scheme: string; params: Map<string, string> } | { error: string } {
  const m = /^[ \t]*([A-Za-z0-9!#$%&'*+.^_`|~-]+)(?:[ \t]+|$)/.exec(value);
  if (!m) return { error: "no scheme" };
  const params = new Map<string, string>();
  let i = m[0].length;
  const ws = () => {
    while (value[i] === " " || value[i] === "\t") i++;
  };
  while (i < value.length) {
    ws();
    const name = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+/.exec(value.slice(i))?.[0];
    if (!name) return { error: `expected a parameter name at offset ${i}` };
    i += name.length;
    ws();
    if (value[i++] !== "=") return { error: `expected "=" after ${name}` };
    ws();
    let v = "";
    if (value[i] === '"') {
      for (i++;; i++) {
        if (i >= value.length) return { error: `unterminated quoted value of ${name}` };
        if (value[i] === '"') break;
        if (value[i] === "\\") i++;
        v += value[i] ?? "";
      }
      i++;
    } else {
      v = /^[^\s,"]*/.exec(value.slice(i))![0];
      if (v === "") return { error: `empty value of ${name}` };
      i += v.length;
    }
    const key = name.toLowerCase();
    if (params.has(key)) return { error: `parameter ${key} repeated` };
    params.set(key, v);
    ws();
    if (i < value.length && value[i++] !== ",") return { error: `expected "," after ${name}` };
  }
  return { scheme: m[1], params };
}

/**
 * Picks, among the Authorization (or Proxy-Authorization) values of a
 * request, the Digest one for `realm` (RFC 3261 §22.4: a request may carry
 * one per realm it passed).
 *
 * @param values every value, in order
 * @param realm our realm
 * @returns the first matching value, else the first value, else undefined
 */
export function findAuthorization(values: string[], realm: string): string | undefined {
  for (const v of values) {
    const p = parseDigestParams(v);
    if ("params" in p && p.scheme.toLowerCase() === "digest" && p.params.get("realm") === realm) {
      return v;
    }
  }
  return values[0];
}

function quote(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function algorithmOf(text: string | undefined): DigestAlgorithm | undefined {
  // RFC 7616 §3.3: "If this is not present, it is assumed to be 'MD5'."
  if (text === undefined) return "MD5";
  const upper = text.toUpperCase();
  return DIGEST_ALGORITHMS.find((a) => a === upper);
}

function fail(reason: string, stale = false): DigestResult {
  return { ok: false, stale, reason };
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, "latin1");
  const y = Buffer.from(b, "latin1");
  return x.length === y.length && timingSafeEqual(x, y);
}

interface Tracked {
  /** Issue time of the nonce. */
  issuedMs: number;
  /** Highest nc seen. */
  top: number;
  /** Bit k set: nc `top - k` seen (k < NC_WINDOW). */
  mask: number;
}

/** The fields `verify` needs, checked for presence and form. */
interface Fields {
  username: string;
  nonce: string;
  uri: string;
  response: string;
  nc: string;
  cnonce: string;
  algorithm: DigestAlgorithm;
}

/** A digest authenticator for one realm. See the module doc. */
export class DigestAuth {
  readonly realm: string;
  readonly #secret: Uint8Array;
  readonly #ttlMs: number;
  readonly #maxTracked: number;
  readonly #algorithms: readonly DigestAlgorithm[];
  readonly #tracked = new Map<string, Tracked>();
  /** Nonces issued up to here may have lost their replay entry. */
  #forgottenUpToMs = -Infinity;

  /**
   * @param options realm, nonce secret and lifetime
   * @throws {RangeError} for an empty secret or a lifetime that is not positive
   */
  constructor(options: DigestAuthOptions) {
    if (options.secret.length === 0) throw new RangeError("Cannot use an empty nonce secret");
    if (!(options.nonceTtlMs > 0)) {
      throw new RangeError(`Cannot use nonce lifetime ${options.nonceTtlMs} ms`);
    }
    this.realm = options.realm;
    this.#secret = options.secret;
    this.#ttlMs = options.nonceTtlMs;
    this.#maxTracked = options.maxTracked ?? DEFAULT_MAX_TRACKED;
    this.#algorithms = options.algorithms ?? DIGEST_ALGORITHMS;
    if (this.#algorithms.length === 0) throw new RangeError("Cannot offer no digest algorithm");
  }

  #mac(time: Uint8Array): Buffer {
    return createHmac("sha256", this.#secret).update(time).digest();
  }

  /**
   * A fresh nonce: base64url of the issue time and its HMAC.
   *
   * @param nowMs the current time
   */
  nonce(nowMs: number): string {
    const time = new Uint8Array(TIME_BYTES);
    new DataView(time.buffer).setBigInt64(0, BigInt(Math.trunc(nowMs)));
    return Buffer.concat([time, this.#mac(time)]).toString("base64url");
  }

  /** The issue time of a nonce this authenticator made, else undefined. */
  #issuedAt(nonce: string): number | undefined {
    if (!/^[A-Za-z0-9_-]+$/.test(nonce)) return undefined;
    const bytes = Buffer.from(nonce, "base64url");
    // Only the canonical spelling: other spellings of the same bytes would
    // be other keys in the replay table.
    if (bytes.length !== TIME_BYTES + MAC_BYTES || bytes.toString("base64url") !== nonce) {
      return undefined;
    }
    const time = bytes.subarray(0, TIME_BYTES);
    if (!timingSafeEqual(this.#mac(time), bytes.subarray(TIME_BYTES))) return undefined;
    return Number(new DataView(time.buffer, time.byteOffset, TIME_BYTES).getBigInt64(0));
  }

  /**
   * WWW-Authenticate values for a 401: SHA-256 first, then MD5, qop="auth",
   * one nonce for both.
   *
   * @param nowMs the current time
   * @param stale true after a correct response with an expired nonce
   * @returns one header value per algorithm
   */
  challenge(nowMs: number, stale = false): string[] {
    const nonce = this.nonce(nowMs);
    return this.#algorithms.map((algorithm) =>
      `Digest realm=${quote(this.realm)}, nonce="${nonce}", algorithm=${algorithm}, ` +
      `qop="auth"${stale ? ", stale=true" : ""}`
    );
  }

  /**
   * Checks an Authorization value for a request.
   *
   * @param authorization the header value (see `findAuthorization`), or undefined
   * @param method the request's method, which the response covers
   * @param lookup finds the credential of a username
   * @param nowMs the current time
   * @param requestUri when given, the digest `uri` must equal it (ignoring
   *   letter case), RFC 7616 §3.4.6
   * @returns ok with the username, or why not; `stale` asks for a
   *   re-challenge with stale=true
   */
  verify(
    authorization: string | undefined,
    method: string,
    lookup: (username: string) => DigestCredential | undefined,
    nowMs: number,
    requestUri?: string,
  ): DigestResult {
    if (authorization === undefined) return fail("no Authorization header");
    const fields = this.#fields(authorization);
    if ("error" in fields) return fail(fields.error);
    const issuedMs = this.#issuedAt(fields.nonce);
    if (issuedMs === undefined) return fail("nonce not issued here (or before a restart)");
    const credential = lookup(fields.username);
    const known = credential !== undefined && credential.realm === this.realm;
    const expected = digestResponse({
      ...fields,
      method,
      // An unknown user costs the same hashing as a known one.
      ha1: known ? credential.ha1[fields.algorithm] : "0".repeat(HEX_LENGTH[fields.algorithm]),
    });
    const good = sameHex(expected, fields.response.toLowerCase());
    if (credential === undefined) return fail("unknown username");
    if (!known) return fail(`credential of username is for realm "${credential.realm}"`);
    if (!good) return fail("wrong response (password or method differs)");
    if (requestUri !== undefined && fields.uri.toLowerCase() !== requestUri.toLowerCase()) {
      return fail("digest uri is not the Request-URI");
    }
    if (Math.abs(nowMs - issuedMs) > this.#ttlMs) return fail("nonce expired", true);
    const replay = this.#seen(
      fields.nonce,
      fields.cnonce,
      fields.username,
      parseInt(fields.nc, 16),
      issuedMs,
      nowMs,
    );
    if (replay) return fail(replay, true);
    return { ok: true, username: fields.username };
  }

  #fields(authorization: string): Fields | { error: string } {
    const parsed = parseDigestParams(authorization);
    if ("error" in parsed) return { error: `malformed Authorization: ${parsed.error}` };
    if (parsed.scheme.toLowerCase() !== "digest") {
      return { error: `scheme ${parsed.scheme} is not Digest` };
    }
    const p = parsed.params;
    if (p.has("username*")) return { error: "username* (RFC 7616 §3.4.4) not supported" };
    if ((p.get("userhash") ?? "false").toLowerCase() !== "false") {
      return { error: "userhash not supported" };
    }
    for (const name of ["username", "realm", "nonce", "uri", "response"]) {
      if (!p.get(name)) return { error: `${name} missing` };
    }
    // Replay entries are keyed by cnonce: bound what one client can make us keep.
    if ((p.get("cnonce") ?? "").length > 256 || (p.get("username") ?? "").length > 256) {
      return { error: "cnonce or username longer than 256 characters" };
    }
    if (p.get("realm") !== this.realm) return { error: `wrong realm "${p.get("realm")}"` };
    const algorithm = algorithmOf(p.get("algorithm"));
    if (!algorithm || !this.#algorithms.includes(algorithm)) {
      return { error: `algorithm ${p.get("algorithm")} not offered` };
    }
    const response = p.get("response")!;
    if (!new RegExp(`^[0-9a-fA-F]{${HEX_LENGTH[algorithm]}}$`).test(response)) {
      return { error: `response does not fit algorithm ${algorithm}` };
    }
    const qop = p.get("qop");
    if (qop === undefined) return { error: "qop missing (only qop=auth is offered)" };
    if (qop.toLowerCase() !== "auth") return { error: `qop ${qop} not offered` };
    const nc = p.get("nc");
    if (nc === undefined || !/^[0-9a-fA-F]{8}$/.test(nc)) {
      return { error: "nc missing or malformed" };
    }
    if (parseInt(nc, 16) === 0) return { error: "nc is zero" };
    const cnonce = p.get("cnonce");
    if (!cnonce) return { error: "cnonce missing" };
    return {
      username: p.get("username")!,
      nonce: p.get("nonce")!,
      uri: p.get("uri")!,
      response,
      nc,
      cnonce,
      algorithm,
    };
  }

  /** Records an nc; returns why it is refused, or undefined when it is new. */
  #seen(
    nonce: string,
    cnonce: string,
    username: string,
    nc: number,
    issuedMs: number,
    nowMs: number,
  ) {
    // Per user too: clients challenged in the same millisecond share a nonce, and some
    // (sipp) always send the same cnonce.
    const key = `${nonce} ${cnonce} ${username}`;
    const entry = this.#tracked.get(key);
    if (!entry) {
      if (issuedMs <= this.#forgottenUpToMs) return "nonce too old to check for replay";
      this.#makeRoom(nowMs);
      this.#tracked.set(key, { issuedMs, top: nc, mask: 1 });
      return undefined;
    }
    if (nc > entry.top) {
      const shift = nc - entry.top;
      entry.mask = shift >= NC_WINDOW ? 1 : ((entry.mask << shift) | 1) >>> 0;
      entry.top = nc;
      return undefined;
    }
    const back = entry.top - nc;
    if (back >= NC_WINDOW) return "nc too far behind";
    const bit = (1 << back) >>> 0;
    if (entry.mask & bit) return "nc replayed";
    entry.mask = (entry.mask | bit) >>> 0;
    return undefined;
  }

  #makeRoom(nowMs: number): void {
    if (this.#tracked.size < this.#maxTracked) return;
    for (const [key, e] of this.#tracked) {
      if (Math.abs(nowMs - e.issuedMs) > this.#ttlMs) this.#tracked.delete(key);
    }
    // Still full: forget the oldest entries (Map keeps insertion order).
    for (const [key, e] of this.#tracked) {
      if (this.#tracked.size < this.#maxTracked) break;
      this.#forgottenUpToMs = Math.max(this.#forgottenUpToMs, e.issuedMs);
      this.#tracked.delete(key);
    }
  }

  /** How many (nonce, cnonce) pairs are remembered (for tests and metrics). */
  get trackedCount(): number {
    return this.#tracked.size;
  }
}
