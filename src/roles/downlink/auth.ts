/**
 * Bind admission of the downlink: who may bind as the peer, and how failed
 * attempts from one address are slowed down.
 *
 * Checks, in order, each with the SMPP 3.4 status of its refusal (§5.1.3):
 * 1. the address is in the peer's allowed networks (when it has any):
 *    ESME_RBINDFAIL, and the connection is closed;
 * 2. system_id is the peer's: ESME_RINVSYSID (this listener serves one
 *    peer, so naming its system_id tells an attacker nothing new);
 * 3. the peer is enabled: ESME_RBINDFAIL;
 * 4. the password matches (scrypt, off the event loop): ESME_RINVPASWD;
 * 5. the peer has fewer binds than its maximum: ESME_RBINDFAIL.
 *
 * Every failure of checks 2 to 4 counts against the address: its next bind
 * is answered only after `delayMsMin × 2^(failures−1)`, at most `delayMsMax`.
 * A success clears the count. Counts are forgotten after ten minutes
 * without failures, so the table cannot grow without bound from one address;
 * at most `ADDRESSES_MAX` addresses are remembered (oldest dropped first).
 *
 * @module
 */

import { SMPP_STATUS } from "../../codec/smpp/mod.ts";
import { cidrContains } from "../../store/cidr.ts";
import type { Peer } from "../../store/numbers_db_types.ts";

const FORGET_MS = 10 * 60_000;
const ADDRESSES_MAX = 10_000;

/** What the guard needs to know about the peer at bind time. */
export interface PeerDirectory {
  /** The peer as numbers.db has it now, or undefined once it is removed. */
  peer(): Peer | undefined;
  verify(systemId: string, password: string): Promise<boolean>;
}

/** The outcome of a bind attempt. */
export type BindVerdict =
  | { ok: true; maxBinds: number }
  | { ok: false; status: number; reason: string; close: boolean };

/** Checks bind attempts and remembers failures per address. */
export class BindGuard {
  readonly #failures = new Map<string, { count: number; lastMs: number }>();
  /** The bind attempt running per address: attempts from one address go one at a time. */
  readonly #busy = new Map<string, Promise<unknown>>();
  readonly #dir: PeerDirectory;
  readonly #delayMsMin: number;
  readonly #delayMsMax: number;

  constructor(dir: PeerDirectory, delayMsMin: number, delayMsMax: number) {
    this.#dir = dir;
    this.#delayMsMin = delayMsMin;
    this.#delayMsMax = Math.max(delayMsMin, delayMsMax);
  }

  /**
   * Runs one bind attempt of `address` after the previous one from the same
   * address has finished, so that parallel connections cannot try several
   * passwords within one delay period.
   */
  exclusive<T>(address: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#busy.get(address) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => {});
    this.#busy.set(address, tail);
    tail.then(() => {
      if (this.#busy.get(address) === tail) this.#busy.delete(address);
    });
    return run;
  }

  /** How long to hold the answer to a bind from `address` (0 when it has no failures). */
  delayMs(address: string, nowMs: number): number {
    const f = this.#failures.get(address);
    if (f === undefined) return 0;
    if (nowMs - f.lastMs > FORGET_MS) {
      this.#failures.delete(address);
      return 0;
    }
    if (this.#delayMsMin === 0) return 0;
    return Math.min(this.#delayMsMax, this.#delayMsMin * 2 ** Math.min(f.count - 1, 30));
  }

  /**
   * Whether the address may connect at all (the allow-list); checked at
   * accept time so that a refused network costs no hashing.
   */
  addressAllowed(address: string): boolean {
    const peer = this.#dir.peer();
    if (peer === undefined) return false;
    return peer.allow.length === 0 || peer.allow.some((c) => cidrContains(c, address));
  }

  /**
   * Judges one bind.
   *
   * @param address the remote IP address
   * @param systemId system_id of the bind PDU
   * @param password password of the bind PDU
   * @param bindsNow binds of this peer already established
   * @param nowMs the current time, for the failure table
   */
  async check(
    address: string,
    systemId: string,
    password: string,
    bindsNow: number,
    nowMs: number,
  ): Promise<BindVerdict> {
    const peer = this.#dir.peer();
    if (peer === undefined || !this.addressAllowed(address)) {
      return {
        ok: false,
        status: SMPP_STATUS.ESME_RBINDFAIL,
        reason: "address not allowed",
        close: true,
      };
    }
    if (systemId !== peer.systemId) {
      this.#fail(address, nowMs);
      return {
        ok: false,
        status: SMPP_STATUS.ESME_RINVSYSID,
        reason: "unknown system_id",
        close: false,
      };
    }
    const passwordOk = await this.#dir.verify(systemId, password);
    if (!peer.enabled) {
      this.#fail(address, nowMs);
      return {
        ok: false,
        status: SMPP_STATUS.ESME_RBINDFAIL,
        reason: "peer disabled",
        close: false,
      };
    }
    if (!passwordOk) {
      this.#fail(address, nowMs);
      return {
        ok: false,
        status: SMPP_STATUS.ESME_RINVPASWD,
        reason: "wrong password",
        close: false,
      };
    }
    this.#failures.delete(address);
    if (bindsNow >= peer.maxBinds) {
      return {
        ok: false,
        status: SMPP_STATUS.ESME_RBINDFAIL,
        reason: `already ${bindsNow} binds (max_binds ${peer.maxBinds})`,
        close: false,
      };
    }
    return { ok: true, maxBinds: peer.maxBinds };
  }

  #fail(address: string, nowMs: number): void {
    const f = this.#failures.get(address);
    this.#failures.delete(address);
    this.#failures.set(address, { count: (f?.count ?? 0) + 1, lastMs: nowMs });
    if (this.#failures.size > ADDRESSES_MAX) {
      this.#failures.delete(this.#failures.keys().next().value!);
    }
  }
}
