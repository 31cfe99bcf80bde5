/**
 * Non-INVITE transactions on reliable transports, RFC 3261 §17.1.2 (client)
 * and §17.2.2 (server). Private to this folder; the endpoint owns both
 * tables and does the I/O.
 *
 * Client transaction (a request we sent):
 *
 * ```
 *            start()                 1xx                   2xx-6xx
 *   (none) ----------> Trying ----------------> Proceeding ---------> (gone, resolved)
 *                        |   \------------------------------------/
 *                        |  Timer F (transactionTimeoutMs): gone, SipTransactionTimeout
 *                        |  connection closed: gone, SipConnectionClosed
 * ```
 *
 * Simplifications on reliable transports, as §17.1.2.2 allows: Timer E
 * (retransmission) is never set, and Timer K is zero ("the client
 * transaction SHOULD ... enter the 'Terminated' state ... immediately" on a
 * final response over a reliable transport), so the entry goes at once.
 *
 * Server transaction (a request we received):
 *
 * ```
 *            receive()            respond 1xx              respond 2xx-6xx
 *   (none) ----------> Trying --------------> Proceeding -------------------> Completed
 *                        \----------------------------------------------------/   |
 *                                                              Timer J (32 s): gone
 * ```
 *
 * A retransmission (same key) is discarded in Trying and answered with the
 * last response in Proceeding and Completed (§17.2.2). §17.2.2 sets Timer J
 * to zero on reliable transports; we keep Completed entries 64*T1 = 32 s
 * anyway, because a stateless proxy in front of us may relay a UDP
 * retransmission over its TCP connection. A transaction whose TU never
 * answers is dropped after the transaction timeout (the client has given up
 * by then) and logged as our own failure.
 *
 * Transition → function: Trying/Proceeding → `ServerTransactions.responded`;
 * Completed → gone by its timer; client entries by `ClientTransactions.response`,
 * their timer, or `connectionClosed`.
 *
 * @module
 */

import type { SipResponse } from "../../codec/sip/mod.ts";
import type { Clock, Timer } from "../../lib/clock.ts";
import type { Logger } from "../../lib/log.ts";
import { SipConnectionClosed, SipTransactionTimeout } from "./errors.ts";

/** RFC 3261 §17.2.2 Timer J for unreliable transports, 64*T1 with T1 = 500 ms. */
export const TIMER_J_MS = 32_000;

/** A server transaction's state, §17.2.2. */
export type ServerState = "trying" | "proceeding" | "completed";

/** One server transaction. */
export interface ServerTx {
  readonly key: string;
  state: ServerState;
  /** The last response sent, re-sent on retransmissions. */
  last?: Uint8Array;
  timer?: Timer;
}

/** What `ServerTransactions.receive` found. */
export type Received =
  | { kind: "new"; tx: ServerTx }
  | { kind: "retransmission"; tx: ServerTx };

/** The server transactions of one endpoint, by key (§17.2.3). */
/**
 * Server transactions held at most (running and lingering); a hostile client
 * sending fresh branches cannot grow the table past it.
 */
export const SERVER_TRANSACTIONS_MAX = 10_000;

export class ServerTransactions {
  readonly #byKey = new Map<string, ServerTx>();
  readonly #clock: Clock;
  readonly #lingerMs: number;
  readonly #answerTimeoutMs: number;
  readonly #log: Logger;

  constructor(clock: Clock, lingerMs: number, answerTimeoutMs: number, log: Logger) {
    this.#clock = clock;
    this.#lingerMs = lingerMs;
    this.#answerTimeoutMs = answerTimeoutMs;
    this.#log = log;
  }

  /** Transactions held. */
  get size(): number {
    return this.#byKey.size;
  }

  /**
   * Matches a request: a new transaction in Trying, or the existing one
   * for a retransmission.
   */
  /**
   * Whether a request with this key can be taken: a retransmission always,
   * a new one while the table has room (the oldest finished transaction is
   * forgotten to make some).
   */
  hasRoomFor(key: string): boolean {
    if (this.#byKey.has(key) || this.#byKey.size < SERVER_TRANSACTIONS_MAX) return true;
    for (const [k, t] of this.#byKey) {
      if (t.state !== "completed") continue;
      t.timer?.cancel();
      this.#byKey.delete(k);
      return true;
    }
    return false;
  }

  receive(key: string): Received {
    const found = this.#byKey.get(key);
    if (found !== undefined) return { kind: "retransmission", tx: found };
    const tx: ServerTx = { key, state: "trying" };
    this.#byKey.set(key, tx);
    tx.timer = this.#clock.setTimer(this.#answerTimeoutMs, () => {
      if (this.#byKey.get(key) !== tx || tx.state === "completed") return;
      this.#byKey.delete(key);
      this.#log.error("Dropping SIP server transaction: no final response from the TU", {
        state: tx.state,
      });
    });
    return { kind: "new", tx };
  }

  /**
   * Records a response sent by the TU: 1xx moves to Proceeding, a final
   * one to Completed with the linger timer.
   *
   * @returns false when the transaction was already Completed (the response must not go out)
   */
  responded(tx: ServerTx, status: number, bytes: Uint8Array): boolean {
    if (tx.state === "completed") return false;
    tx.last = bytes;
    const next: ServerState = status < 200 ? "proceeding" : "completed";
    if (next !== tx.state) {
      this.#log.debug("SIP server transaction", { from: tx.state, to: next, status });
      tx.state = next;
    }
    if (next === "completed") {
      tx.timer?.cancel();
      tx.timer = this.#clock.setTimer(this.#lingerMs, () => {
        if (this.#byKey.get(tx.key) === tx) this.#byKey.delete(tx.key);
      });
    }
    return true;
  }

  /** Cancels every timer and forgets every transaction. */
  clear(): void {
    for (const tx of this.#byKey.values()) tx.timer?.cancel();
    this.#byKey.clear();
  }
}

interface ClientTx {
  readonly connId: number;
  readonly resolve: (r: SipResponse) => void;
  readonly reject: (e: Error) => void;
  readonly timer: Timer;
  proceeding: boolean;
}

/** The client transactions of one endpoint, by branch and method (§17.1.3). */
export class ClientTransactions {
  readonly #byKey = new Map<string, ClientTx>();
  readonly #clock: Clock;
  readonly #log: Logger;

  constructor(clock: Clock, log: Logger) {
    this.#clock = clock;
    this.#log = log;
  }

  /** Transactions waiting for a final response. */
  get size(): number {
    return this.#byKey.size;
  }

  /**
   * Starts a transaction in Trying with Timer F. Call before the request
   * is written, so that a fast response finds it.
   *
   * @returns the final response
   */
  start(key: string, connId: number, timeoutMs: number): Promise<SipResponse> {
    return new Promise<SipResponse>((resolve, reject) => {
      // RFC 3261 §17.1.2.2: "If Timer F fires while the client transaction is
      // still in the 'Trying' state, the client transaction SHOULD inform the
      // TU about the timeout, and then it SHOULD enter the 'Terminated' state."
      const timer = this.#clock.setTimer(timeoutMs, () => {
        if (!this.#byKey.delete(key)) return;
        this.#log.debug("SIP client transaction", { to: "terminated", why: "timer-f" });
        reject(new SipTransactionTimeout(`No final response in ${timeoutMs} ms`));
      });
      this.#byKey.set(key, { connId, resolve, reject, timer, proceeding: false });
    });
  }

  /**
   * Passes a response to its transaction: 1xx moves to Proceeding, a final
   * response ends it.
   *
   * @returns false when no transaction matches (a stray response)
   */
  response(key: string, response: SipResponse): boolean {
    const tx = this.#byKey.get(key);
    if (tx === undefined) return false;
    if (response.status < 200) {
      if (!tx.proceeding) this.#log.debug("SIP client transaction", { to: "proceeding" });
      tx.proceeding = true;
      return true;
    }
    this.#byKey.delete(key);
    tx.timer.cancel();
    this.#log.debug("SIP client transaction", { to: "terminated", status: response.status });
    tx.resolve(response);
    return true;
  }

  /** Fails a transaction whose request could not be sent. */
  fail(key: string, error: Error): void {
    const tx = this.#byKey.get(key);
    if (tx === undefined) return;
    this.#byKey.delete(key);
    tx.timer.cancel();
    tx.reject(error);
  }

  /** Fails every transaction sent on `connId`. */
  connectionClosed(connId: number): void {
    for (const [key, tx] of this.#byKey) {
      if (tx.connId !== connId) continue;
      this.fail(
        key,
        new SipConnectionClosed(`Connection ${connId} closed before a final response`),
      );
    }
  }

  /** Fails every transaction (endpoint closing). */
  clear(): void {
    for (const key of [...this.#byKey.keys()]) {
      this.fail(key, new SipConnectionClosed("SIP endpoint closed"));
    }
  }
}
