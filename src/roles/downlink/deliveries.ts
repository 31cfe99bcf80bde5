/**
 * Core → ESME: each DELIVER_TO_PEER becomes one deliver_sm on a bound
 * receiver or transceiver of the peer, and its deliver_sm_resp becomes the
 * answer to core (docs/downlink.md, "Messages to the peer").
 *
 * Choice of bind: round robin over the binds whose window has room; when
 * every window is full, the bind with the shortest queue (its session queues
 * the PDU until a slot frees). Core's own `peer_window` bounds the total.
 *
 * Outcomes: status 0 → ok (the ESME's message_id, if any, goes to core as
 * extra info); otherwise `respOutcome` decides temporary or permanent. No
 * bind, a closed session or a response timer that runs out → temporary:
 * the message stays with core, which retries (the ESME may have received
 * it, so this can duplicate; SMPP gives no way to tell).
 *
 * @module
 */

import { answerForStatus, type DeliverAnswer, permanent, temporary } from "../peer_answer.ts";
import { decodePmsRecord } from "../../codec/pms/mod.ts";
import { SMPP_STATUS } from "../../codec/smpp/mod.ts";
import type { Logger } from "../../lib/log.ts";
import { recordToSmpp } from "../../proto/smpp_sm.ts";
import { SmppNackError } from "../../transport/smpp_session.ts";
import type { EsmeBind } from "./bind.ts";

/** The receiving binds of one peer and delivery over them. */
export class PeerDeliveries {
  readonly #binds: EsmeBind[] = [];
  readonly #logger: Logger;
  #next = 0;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Whether some bind can take deliveries (the peer role's service state). */
  get up(): boolean {
    return this.#binds.some((b) => b.receives);
  }

  add(bind: EsmeBind): void {
    if (bind.receives && !this.#binds.includes(bind)) this.#binds.push(bind);
  }

  remove(bind: EsmeBind): void {
    const i = this.#binds.indexOf(bind);
    if (i >= 0) this.#binds.splice(i, 1);
  }

  /**
   * Delivers one message; never throws.
   *
   * @param index our message id
   * @param record the 256-byte record
   */
  async deliver(index: number, record: Uint8Array): Promise<DeliverAnswer> {
    let rec;
    try {
      rec = decodePmsRecord(record);
    } catch (e) {
      return permanent(SMPP_STATUS.ESME_RSYSERR, `undecodable record: ${(e as Error).message}`);
    }
    const out = recordToSmpp(rec, index, "deliver_sm");
    if (!out.ok) {
      this.#logger.warn("Cannot render message as deliver_sm", { id: index, reason: out.reason });
      return permanent(SMPP_STATUS.ESME_RSYSERR, out.reason);
    }
    const bind = this.#pick();
    if (bind === undefined) return temporary(0, "no ESME bound as receiver");
    try {
      const resp = await bind.session.request("deliver_sm", out.fields, out.tlvs);
      const answer = answerForStatus(resp.command_status, String(resp.fields.message_id ?? ""));
      if (answer.result !== "ok") {
        this.#logger.info("ESME refused deliver_sm", { id: index, status: answer.text });
      }
      return answer;
    } catch (e) {
      if (e instanceof SmppNackError) return answerForStatus(e.commandStatus, "", "generic_nack");
      return temporary(0, (e as Error).message);
    }
  }

  #pick(): EsmeBind | undefined {
    const live = this.#binds.filter((b) => b.receives);
    if (live.length === 0) return undefined;
    for (let i = 0; i < live.length; i++) {
      const b = live[(this.#next + i) % live.length];
      if (b.session.hasRoom) {
        this.#next = (this.#next + i + 1) % live.length;
        return b;
      }
    }
    return live.reduce((a, b) => (b.session.queued < a.session.queued ? b : a));
  }
}
