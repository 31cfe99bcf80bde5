/**
 * Delivery to SMPP peers (seed 003 §2.6.1.1, issue #4): one queue per peer
 * ("" is the upstream), drained by DELIVER_TO_PEER toward the role handler
 * that holds the peer's role and has declared its service up, with at most
 * `window` transfers outstanding (the seed's one-at-a-time is window 1).
 *
 * Outcomes (src/proto/retry.ts): success and permanent failure discharge the
 * record at once; a temporary failure counts an attempt and retries after
 * the schedule's wait, or expires when no retry fits before the expiry time.
 *
 * Lifecycle notes:
 * - A message is in one place: the ready queue, the outstanding set, the
 *   settling set (answered, outcome being written) or the retry set. A
 *   transfer whose connection closes or times out before an answer comes
 *   back returns to the head of its queue without counting an attempt:
 *   custody was never handed over, so it is delivered again (at-least-once;
 *   the handler's answer was lost, docs/delivery.md).
 * - Ordering: messages to one peer leave in arrival order; a message that
 *   failed temporarily leaves the queue for its wait, so later messages may
 *   overtake it.
 * - Expiry runs from the tick: every message not outstanding whose expiry
 *   time has passed is discharged as expired.
 * - Discharges are written durably before the record leaves the active set;
 *   a failed write is fatal (the store's sticky error).
 *
 * @module
 */

import type { PmsRecord } from "../codec/pms/mod.ts";
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../lib/log.ts";
import { addAttempt, jitterFor, outcomeOf, type RetrySchedule } from "../proto/retry.ts";
import type { FrameConnection } from "../transport/unix_socket.ts";
import type { ActiveSet } from "./active_set.ts";
import { IdQueue } from "../lib/id_queue.ts";

const UTF8 = new TextDecoder();

/** The largest message id the record keeps for the upstream (the dest_info field). */
const MESSAGE_ID_CHARS_MAX = 28;

interface PeerQueue {
  ready: IdQueue;
  outstanding: Set<number>;
  handler: FrameConnection | undefined;
}

/** What peer delivery works with. */
export interface PeerDeliveryDeps {
  active: ActiveSet;
  clock: Clock;
  logger: Logger;
  schedule: RetrySchedule;
  /** Transfers outstanding per peer. */
  window: number;
  requestTimeoutMs: number;
  /** Writes a new version of an active record durably (position = id − base). */
  rewrite(id: number, rec: PmsRecord): Promise<boolean>;
  /** Writes the discharge durably and drops the record from the active set. */
  discharge(
    id: number,
    rec: PmsRecord,
    disposition: PmsRecord["disposition"],
    cause: number,
  ): Promise<void>;
}

/** Peer queues and their draining. */
export class PeerDelivery {
  readonly #d: PeerDeliveryDeps;
  readonly #queues = new Map<string, PeerQueue>();
  /** Messages waiting to be sent again: when (Infinity: at expiry), and to which peer. */
  readonly #retryAt = new Map<number, { at: number; peer: string }>();
  /** Answered transfers whose outcome is being written. */
  readonly #settling = new Set<number>();

  constructor(deps: PeerDeliveryDeps) {
    this.#d = deps;
  }

  #queue(peer: string): PeerQueue {
    let q = this.#queues.get(peer);
    if (!q) {
      q = { ready: new IdQueue(), outstanding: new Set(), handler: undefined };
      this.#queues.set(peer, q);
    }
    return q;
  }

  /** The peer a record goes to, or undefined when it is not for a peer. */
  static peerOf(rec: PmsRecord): string | undefined {
    if (rec.destClass === "upstream") return "";
    if (rec.destClass === "downstream") return rec.destPeer;
    return undefined;
  }

  /** Queues an active record for its peer (admission, or the start-up scan). */
  enqueue(id: number, rec: PmsRecord): void {
    const peer = PeerDelivery.peerOf(rec);
    if (peer === undefined) return;
    this.#queue(peer).ready.push(id);
    this.#pump(peer);
  }

  /** A handler holding `peer`'s role declared its service up (or down: `conn` undefined). */
  setHandler(peer: string, conn: FrameConnection | undefined): void {
    const q = this.#queue(peer);
    q.handler = conn;
    this.#d.logger.info(conn ? "Peer handler up" : "Peer handler down", {
      peer,
      queued: q.ready.length,
    });
    this.#pump(peer);
  }

  /**
   * Whether a transfer of this message awaits its answer, or the write of
   * its outcome: the peer may have it, and the outcome is written from the
   * version that was sent, so REPLACE must leave it alone.
   */
  isOutstanding(id: number): boolean {
    if (this.#settling.has(id)) return true;
    for (const q of this.#queues.values()) if (q.outstanding.has(id)) return true;
    return false;
  }

  /** Counts for STATUS: queued, outstanding and waiting-to-retry messages per peer. */
  counts(): Record<string, string> {
    const out: Record<string, string> = {};
    const retryingByPeer = new Map<string, number>();
    for (const { peer } of this.#retryAt.values()) {
      retryingByPeer.set(peer, (retryingByPeer.get(peer) ?? 0) + 1);
    }
    for (const [peer, q] of this.#queues) {
      const retrying = retryingByPeer.get(peer) ?? 0;
      out[`queue.peer:${peer}`] =
        `ready=${q.ready.length} outstanding=${q.outstanding.size} retrying=${retrying}`;
    }
    return out;
  }

  #pump(peer: string): void {
    const q = this.#queue(peer);
    while (
      q.handler && !q.handler.isClosed && q.outstanding.size < this.#d.window && q.ready.length > 0
    ) {
      const id = q.ready.shift()!;
      const bytes = this.#d.active.bytes(id);
      if (bytes === undefined) continue; // cancelled or discharged meanwhile
      q.outstanding.add(id);
      void this.#deliver(peer, q, q.handler, id, bytes);
    }
  }

  async #deliver(
    peer: string,
    q: PeerQueue,
    conn: FrameConnection,
    id: number,
    record: Uint8Array,
  ): Promise<void> {
    let response;
    try {
      // The record's bytes are copied into the frame here, before any await.
      const sent = conn.request(
        { type: "DELIVER_TO_PEER", index: id, record },
        this.#d.requestTimeoutMs,
      );
      response = await sent;
    } catch (e) {
      // No answer: custody was never handed over. Back to the head, no attempt counted.
      q.outstanding.delete(id);
      q.ready.unshift(id);
      this.#d.logger.notice("Transfer to peer not answered; requeued", {
        peer,
        id,
        error: String(e),
      });
      if (q.handler === conn && conn.isClosed) q.handler = undefined;
      this.#pump(peer);
      return;
    }
    q.outstanding.delete(id);
    this.#settling.add(id);
    // Refill the window before this outcome is written: the next transfers
    // need not wait for its fdatasync. The id is in no queue now, so nothing
    // sends it again meanwhile.
    this.#pump(peer);
    const now = this.#d.clock.now();
    const current = this.#d.active.get(id);
    try {
      if (current !== undefined) {
        if (response.result === "ok") {
          const messageId = peer === "" ? UTF8.decode(response.extraInfo) : "";
          await this.#discharge(id, current, "delivered", 0, messageId);
        } else {
          const result = { kind: response.result, cause: response.cause } as const;
          await this.#settle(id, current, result, now);
        }
      }
    } finally {
      this.#settling.delete(id);
    }
    this.#pump(peer);
  }

  async #settle(
    id: number,
    rec: PmsRecord,
    result: { kind: "temporary" | "permanent"; cause: number },
    now: number,
  ): Promise<void> {
    const attempts = addAttempt(rec.attempts);
    const outcome = outcomeOf(result, {
      attempts,
      nowMs: now,
      expiryMs: rec.expiryTimeMs,
      schedule: this.#d.schedule,
      jitter: jitterFor(id),
    });
    if (outcome.next === "discharge") {
      await this.#discharge(id, { ...rec, attempts }, outcome.disposition, outcome.cause, "");
      return;
    }
    const next = { ...rec, attempts, cause: outcome.cause };
    if (!(await this.#d.rewrite(id, next))) return;
    this.#d.active.set(id, next);
    // "expire" waits for the tick at the expiry time; "retry" at its time.
    this.#retryAt.set(id, {
      at: outcome.next === "retry" ? outcome.atMs : Infinity,
      peer: PeerDelivery.peerOf(next) ?? "",
    });
    this.#d.logger.info("Temporary failure; will retry", {
      id,
      attempts,
      cause: outcome.cause,
      in_ms: outcome.next === "retry" ? outcome.atMs - now : undefined,
    });
  }

  async #discharge(
    id: number,
    rec: PmsRecord,
    disposition: "delivered" | "failed-permanent" | "expired",
    cause: number,
    messageId: string,
  ): Promise<void> {
    const kept = /^[\x20-\x7e]*$/.test(messageId) && messageId.length <= MESSAGE_ID_CHARS_MAX
      ? messageId
      : "";
    if (kept !== messageId) {
      this.#d.logger.notice(
        "Upstream message id does not fit the record; receipts for it cannot be matched",
        {
          id,
          length: messageId.length,
        },
      );
    }
    const withId = rec.destClass === "upstream" ? { ...rec, destMessageId: kept } : rec;
    this.#retryAt.delete(id);
    await this.#d.discharge(id, withId, disposition, cause);
  }

  /**
   * Requeues messages whose retry time has come and expires overdue ones; call about once a second.
   *
   * @param expire whether to look for expired messages in the ready queues
   *   (false when the active set says none can have expired)
   */
  async tick(expire = true): Promise<void> {
    const now = this.#d.clock.now();
    for (const [id, { at }] of [...this.#retryAt]) {
      const expiry = this.#d.active.expiryOf(id);
      if (expiry === undefined) {
        this.#retryAt.delete(id);
        continue;
      }
      if (expiry <= now) {
        const rec = this.#d.active.get(id)!;
        await this.#discharge(id, rec, "expired", rec.cause, "");
      } else if (at <= now) {
        this.#retryAt.delete(id);
        this.enqueue(id, this.#d.active.get(id)!);
      }
    }
    for (const [peer, q] of this.#queues) {
      if (!expire) {
        this.#pump(peer);
        continue;
      }
      for (const id of q.ready.toArray()) {
        const expiry = this.#d.active.expiryOf(id);
        if (expiry !== undefined && expiry <= now) {
          const rec = this.#d.active.get(id)!;
          q.ready.remove(id);
          await this.#discharge(id, rec, "expired", rec.cause, "");
        }
      }
      this.#pump(peer);
    }
  }
}
