/**
 * One ESME connection of the downlink: from accept, through bind, to close.
 *
 * States: OPEN (accepted, not bound; only bind_* and enquire_link are
 * answered, anything else gets ESME_RINVBNDSTS) → BOUND as transmitter,
 * receiver or transceiver → CLOSED. A connection that has not bound within
 * `bind_timeout_ms` is closed. A second bind on a bound session gets
 * ESME_RALYBND.
 *
 * While bound, what the ESME sends goes to `PeerRequests` (requests.ts);
 * what core hands the peer leaves through `deliver()` on a receiver or
 * transceiver bind.
 *
 * @module
 */

import { SMPP_STATUS, type SmppCommandName, type SmppPdu } from "../../codec/smpp/mod.ts";
import type { Clock, Timer } from "../../lib/clock.ts";
import type { Logger } from "../../lib/log.ts";
import {
  type SmppReply,
  SmppSession,
  type SmppSessionOptions,
} from "../../transport/smpp_session.ts";
import type { BindGuard } from "./auth.ts";

/** How an ESME is bound (SMPP 3.4 §2.2). */
export type BindMode = "transmitter" | "receiver" | "transceiver";

const MODE_OF: Partial<Record<SmppCommandName, BindMode>> = {
  bind_transmitter: "transmitter",
  bind_receiver: "receiver",
  bind_transceiver: "transceiver",
};

/** Commands an ESME may send while bound, by the modes that allow them (§2.3). */
const SUBMITS = new Set<SmppCommandName>([
  "submit_sm",
  "data_sm",
  "submit_multi",
  "query_sm",
  "cancel_sm",
  "replace_sm",
]);

/** What the bind needs from the downlink around it. */
export interface BindDeps {
  /** The peer's name (logs) and the system_id answered in bind_resp. */
  peer: string;
  systemId: string;
  guard: BindGuard;
  /** Binds of the peer established now (for max_binds). */
  bindCount(): number;
  /** A bind succeeded / a bound session ended. */
  onBound(bind: EsmeBind): void;
  onUnbound(bind: EsmeBind): void;
  /** Answers a bound ESME's submit_sm, data_sm, submit_multi, query_sm, cancel_sm, replace_sm. */
  handle(pdu: SmppPdu, bind: EsmeBind): Promise<SmppReply>;
  session: Omit<SmppSessionOptions, "logger">;
  bindTimeoutMs: number;
  clock: Clock;
  logger: Logger;
}

let nextBindId = 1;

/** One accepted ESME connection. */
export class EsmeBind {
  readonly id = nextBindId++;
  readonly address: string;
  readonly session: SmppSession;
  readonly logger: Logger;
  #mode: BindMode | undefined;
  #binding = false;
  readonly #d: BindDeps;
  #bindTimer: Timer | undefined;

  constructor(conn: Deno.Conn, address: string, deps: BindDeps) {
    this.#d = deps;
    this.address = address;
    this.logger = deps.logger.with(`bind${this.id}`);
    this.session = new SmppSession(conn, (pdu) => this.#open(pdu), {
      ...deps.session,
      logger: this.logger,
    });
    this.#bindTimer = deps.clock.setTimer(deps.bindTimeoutMs, () => {
      if (this.#mode === undefined) {
        this.logger.notice("Closing connection: no bind in time", {
          address,
          ms: deps.bindTimeoutMs,
        });
        this.session.close({ reason: "inactivity", detail: "no bind" });
      }
    });
    this.session.closed.then((info) => {
      this.#bindTimer?.cancel();
      if (this.#mode !== undefined) {
        this.logger.info("ESME unbound", {
          peer: deps.peer,
          reason: info.reason,
          detail: info.detail,
        });
        deps.onUnbound(this);
      }
    });
  }

  /** The bind mode, or undefined before the bind. */
  get mode(): BindMode | undefined {
    return this.#mode;
  }

  /** Whether core's messages may be delivered on this bind. */
  get receives(): boolean {
    return (this.#mode === "receiver" || this.#mode === "transceiver") && !this.session.isClosed;
  }

  async #open(pdu: SmppPdu): Promise<SmppReply> {
    const mode = MODE_OF[pdu.command];
    if (mode === undefined) {
      // §2.3: anything but a bind before the bind.
      return { status: SMPP_STATUS.ESME_RINVBNDSTS };
    }
    if (this.#binding) return { status: SMPP_STATUS.ESME_RINVBNDSTS };
    this.#binding = true;
    try {
      return await this.#bind(pdu, mode);
    } finally {
      this.#binding = false;
    }
  }

  #bind(pdu: SmppPdu, mode: BindMode): Promise<SmppReply> {
    return this.#d.guard.exclusive(this.address, () => this.#bindNow(pdu, mode));
  }

  async #bindNow(pdu: SmppPdu, mode: BindMode): Promise<SmppReply> {
    const d = this.#d;
    if (this.session.isClosed) return { status: SMPP_STATUS.ESME_RBINDFAIL };
    const delay = d.guard.delayMs(this.address, d.clock.now());
    if (delay > 0) await new Promise<void>((resolve) => d.clock.setTimer(delay, resolve));
    const verdict = await d.guard.check(
      this.address,
      String(pdu.fields.system_id ?? ""),
      String(pdu.fields.password ?? ""),
      d.bindCount(),
      d.clock.now(),
    );
    if (!verdict.ok) {
      this.logger.notice("Bind refused", {
        peer: d.peer,
        address: this.address,
        mode,
        reason: verdict.reason,
      });
      // The refusal goes out first; then the session ends.
      const closeAfter = verdict.close
        ? { reason: "local", detail: verdict.reason } as const
        : undefined;
      return { status: verdict.status, closeAfter };
    }
    if (this.session.isClosed) return { status: SMPP_STATUS.ESME_RBINDFAIL };
    // Binds from other addresses may have completed during the password check: count again,
    // and take the slot in the same step (no await in between).
    if (d.bindCount() >= verdict.maxBinds) {
      this.logger.notice("Bind refused", {
        peer: d.peer,
        address: this.address,
        mode,
        reason: "max_binds",
      });
      return { status: SMPP_STATUS.ESME_RBINDFAIL };
    }
    this.#mode = mode;
    this.#bindTimer?.cancel();
    this.session.setHandler((p) => this.#bound(p));
    this.logger.info("ESME bound", {
      peer: d.peer,
      address: this.address,
      mode,
      interface_version: `0x${Number(pdu.fields.interface_version ?? 0).toString(16)}`,
    });
    d.onBound(this);
    // §4.1.2: sc_interface_version only to an ESME that speaks 3.4 or later.
    const tlvs = Number(pdu.fields.interface_version ?? 0) >= 0x34
      ? [{ tag: 0x0210, name: "sc_interface_version", value: 0x34 }]
      : [];
    return { status: 0, fields: { system_id: d.systemId }, tlvs };
  }

  #bound(pdu: SmppPdu): SmppReply | Promise<SmppReply> {
    if (MODE_OF[pdu.command] !== undefined) return { status: SMPP_STATUS.ESME_RALYBND };
    if (SUBMITS.has(pdu.command)) {
      if (this.#mode === "receiver") return { status: SMPP_STATUS.ESME_RINVBNDSTS };
      return this.#d.handle(pdu, this);
    }
    // deliver_sm, outbind, alert_notification and the like do not come from an ESME.
    return { status: SMPP_STATUS.ESME_RINVCMDID };
  }
}
