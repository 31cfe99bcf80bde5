/**
 * The client requests that name one message (seed 003 §2.5.1.2-2.5.1.3;
 * docs/socket-protocol.md §4.2, §4.11, §4.12): CANCEL, CHANGE_SRR, QUERY
 * and REPLACE, each answered only for a message the asking connection owns
 * (queries.ts, socket-protocol §5).
 *
 * Lifecycle notes:
 * - A new version of an active record (CHANGE_SRR, REPLACE) enters the
 *   active set before its write, so that the next change or delivery builds
 *   on it, and the active set and pms.bin see the versions in one order (the
 *   store writes updates of one record in call order).
 * - Nothing is changed while the message's discharge is being written: the
 *   request waits for that write and answers "historical". A second write
 *   after the historical one would be refused by the store, and core would
 *   stop.
 * - REPLACE leaves a message alone while it is on its way (a transfer
 *   awaiting its answer or its outcome's write, an IMSI being written,
 *   gsmif's custody): what the far side may already have cannot change, and
 *   those writes are built from the version that was current before.
 * - Every change reads the current record right after its last await: other
 *   requests and deliveries run during an await.
 *
 * @module
 */

import { DISPOSITION_CODES, type PmsRecord } from "../codec/pms/mod.ts";
import type { ResponseOf, Target, TargetResult } from "../codec/frame/mod.ts";
import type { Logger } from "../lib/log.ts";
import {
  findMessage,
  type Found,
  messageInfo,
  type MessageSource,
  type Owner,
  replacement,
} from "./queries.ts";
import type { ValidityPolicy } from "./validity.ts";

/** What the requests work with; the callbacks are core's (service.ts). */
export interface MessageRequestsDeps extends MessageSource {
  validity: ValidityPolicy;
  logger: Logger;
  /** The discharge of `id` being written, settled once the record has left the active set. */
  discharging(id: number): Promise<void> | undefined;
  /** Writes a discharge durably and drops the record from the active set. */
  discharge(
    id: number,
    rec: PmsRecord,
    disposition: PmsRecord["disposition"],
    cause: number,
  ): Promise<void>;
  /** Writes a new version of an active record durably; false after a failed write (fatal). */
  rewrite(id: number, rec: PmsRecord): Promise<boolean>;
  /** Whether the message is on its way toward a peer or gsmif. */
  inTransit(id: number): boolean;
  /** Whether gsmif holds the message. */
  isHeld(id: number): boolean;
  /** Takes a message back from gsmif (MT_CANCEL). */
  cancelHeld(id: number): Promise<void>;
}

/** CANCEL, CHANGE_SRR, QUERY and REPLACE. */
export class MessageRequests {
  readonly #d: MessageRequestsDeps;

  constructor(deps: MessageRequestsDeps) {
    this.#d = deps;
  }

  /**
   * CANCEL: discharges an active message as cancelled, after taking it back
   * from gsmif when gsmif holds it (seed §2.5.4.2).
   */
  async cancel(target: Target, owner: Owner): Promise<ResponseOf<"CANCEL">> {
    const found = await this.#find(target, owner);
    if (found?.rec.state !== "active") {
      return { type: "CANCEL", ...await this.#notActive(found, owner) };
    }
    const { id } = found;
    if (this.#d.isHeld(id)) await this.#d.cancelHeld(id);
    const current = this.#current(id);
    if (current === undefined) return { type: "CANCEL", ...await this.#notActive(found, owner) };
    await this.#d.discharge(id, current, "cancelled", current.cause);
    return { type: "CANCEL", result: "ok", index: id };
  }

  /** CHANGE_SRR: sets the status report request of an active message. */
  async changeSrr(target: Target, srr: boolean, owner: Owner): Promise<ResponseOf<"CHANGE_SRR">> {
    const found = await this.#find(target, owner);
    const current = found && this.#current(found.id);
    if (found === undefined || current === undefined) {
      return { type: "CHANGE_SRR", ...await this.#notActive(found, owner) };
    }
    if (!(await this.#update(found.id, { ...current, srr }))) {
      return { type: "CHANGE_SRR", result: "not-found" };
    }
    return { type: "CHANGE_SRR", result: "ok", index: found.id };
  }

  /** QUERY: what the message's record says, active or historical. */
  async query(target: Target, owner: Owner): Promise<ResponseOf<"QUERY">> {
    const found = await this.#find(target, owner);
    if (found === undefined) return { type: "QUERY", result: "not-found" };
    return { type: "QUERY", result: "ok", ...messageInfo(found.id, found.rec) };
  }

  /**
   * REPLACE: a new text for an active message that is not on its way. The
   * new version is durable before the answer, and the next delivery attempt
   * sends it.
   */
  async replace(id: number, bytes: Uint8Array, owner: Owner): Promise<ResponseOf<"REPLACE">> {
    const found = await this.#find({ by: "index", index: id }, owner);
    const current = found && this.#current(id);
    if (current === undefined) return { type: "REPLACE", ...await this.#notActive(found, owner) };
    const next = replacement(current, bytes, this.#d.validity);
    if (!next.ok) {
      this.#d.logger.debug("REPLACE refused", { id, reason: next.detail });
      return { type: "REPLACE", result: "mismatch" };
    }
    if (this.#d.inTransit(id)) return { type: "REPLACE", result: "in-transit" };
    if (!(await this.#update(id, next.record))) return { type: "REPLACE", result: "in-transit" };
    this.#d.logger.debug("Message replaced", { id });
    return { type: "REPLACE", result: "ok", index: id };
  }

  /**
   * The message `target` names as `owner` sees it. One whose discharge is
   * being written is waited for, and then found historical.
   */
  async #find(target: Target, owner: Owner): Promise<Found | undefined> {
    for (;;) {
      const found = await findMessage(target, owner, this.#d);
      const writing = found && this.#d.discharging(found.id);
      if (!writing) return found;
      await writing;
      target = { by: "index", index: found.id };
    }
  }

  /** The active record `id` as it is now; undefined once it has left the active set or is leaving it. */
  #current(id: number): PmsRecord | undefined {
    return this.#d.discharging(id) ? undefined : this.#d.active.get(id);
  }

  /** The answer for a message that is not, or no longer, active: historical or not-found. */
  async #notActive(found: Found | undefined, owner: Owner): Promise<TargetResult> {
    // Found active, gone since: look again, by index.
    if (found?.rec.state === "active") {
      found = await this.#find({ by: "index", index: found.id }, owner);
    }
    if (found?.rec.state !== "historical") return { result: "not-found" };
    return {
      result: "historical",
      index: found.id,
      disposition: DISPOSITION_CODES[found.rec.disposition],
    };
  }

  /**
   * Puts a new version of an active record into the active set at once,
   * under the duplicate key of its content (duplicates.ts: the key covers
   * the text, which REPLACE changes), then writes it durably.
   */
  #update(id: number, next: PmsRecord): Promise<boolean> {
    this.#d.active.duplicates.remove(id);
    this.#d.active.set(id, next);
    return this.#d.rewrite(id, next);
  }
}
