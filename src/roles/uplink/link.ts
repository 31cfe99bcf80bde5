/**
 * The supervised link to the upstream SMSC (seed 003 §1.2.1;
 * docs/uplink.md).
 *
 * Lifecycle: DOWN → connect (TCP or TLS) → bind_transceiver → UP → the
 * session ends (refused connection, bind refused, response or enquire_link
 * timeout, unbind from the far end, I/O error) → DOWN → wait → connect … A
 * wait is `reconnect_delay_ms_min × 2^failures`, at most the maximum, with
 * ±25 % jitter; it starts again at the minimum after a link that stayed up
 * for a minute. Core hears "up" only while bound, so messages wait in core
 * while the link is down.
 *
 * Outbound: each DELIVER_TO_PEER becomes one submit_sm (mapping in
 * src/proto/smpp_sm_out.ts), paced to `submit_rate_max` and held during a
 * throttle pause; the upstream's message_id goes back to core to be kept
 * for receipt matching.
 *
 * @module
 */

import { answerForStatus, type DeliverAnswer, permanent, temporary } from "../peer_answer.ts";
import { decodePmsRecord } from "../../codec/pms/mod.ts";
import { commandStatusName, SMPP_STATUS } from "../../codec/smpp/mod.ts";
import type { ResolvedConfig } from "../../config/schema.ts";
import type { Clock } from "../../lib/clock.ts";
import type { Logger } from "../../lib/log.ts";
import { recordToSmpp } from "../../proto/smpp_sm.ts";
import { SmppNackError, SmppSession, SmppTimeoutError } from "../../transport/smpp_session.ts";
import type { UplinkInbound } from "./inbound.ts";

type Settings = ResolvedConfig["uplink"];

const STABLE_MS = 60_000;

/** The link and its outbound side. */
export class UpstreamLink {
  readonly #s: Settings;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #inbound: UplinkInbound;
  readonly #onState: (up: boolean) => void;
  readonly #random: () => number;
  #session: SmppSession | undefined;
  #bound = false;
  #stopped = false;
  #wake: (() => void) | undefined;
  /** Earliest time the next submit_sm may leave (pacing and throttle pauses). */
  #nextSendAt = 0;
  #throttles = 0;
  readonly #done: Promise<void>;
  #running = false;
  #abortConnect: (() => void) | undefined;
  /** Until when sending pauses after ESME_RTHROTTLED / ESME_RMSGQFUL. */
  #pauseUntil = 0;

  constructor(options: {
    settings: Settings;
    clock: Clock;
    logger: Logger;
    inbound: UplinkInbound;
    onState: (up: boolean) => void;
    /** The link opens once this resolves (core registered), so MO has somewhere to go. */
    startWhen: Promise<void>;
    random?: () => number;
  }) {
    this.#s = options.settings;
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#inbound = options.inbound;
    this.#onState = options.onState;
    this.#random = options.random ?? Math.random;
    this.#done = options.startWhen.then(() => this.#stopped ? undefined : this.#run());
    this.#done.catch(() => {});
  }

  /** Whether the link is bound now. */
  get up(): boolean {
    return this.#bound && this.#session !== undefined && !this.#session.isClosed;
  }

  /** Unbinds and stops reconnecting. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    this.#abortConnect?.();
    await this.#session?.unbind();
    // Not `#done` itself: before core is registered the loop has not started and may never.
    if (this.#running) await this.#done;
  }

  async #run(): Promise<void> {
    this.#running = true;
    let failures = 0;
    while (!this.#stopped) {
      const started = this.#clock.now();
      const reason = await this.#once();
      if (this.#stopped) break;
      if (this.#clock.now() - started >= STABLE_MS) failures = 0;
      const delay = this.#delayMs(failures++);
      this.#logger.notice("Upstream link down; reconnecting", { reason, retry_ms: delay });
      await new Promise<void>((resolve) => {
        const t = this.#clock.setTimer(delay, resolve);
        this.#wake = () => {
          t.cancel();
          resolve();
        };
      });
      this.#wake = undefined;
    }
  }

  #delayMs(failures: number): number {
    const s = this.#s;
    const base = Math.min(
      s.reconnect_delay_ms_max,
      s.reconnect_delay_ms_min * 2 ** Math.min(failures, 30),
    );
    return Math.max(1, Math.round(base * (0.75 + 0.5 * this.#random())));
  }

  // One connection: connect, bind, serve until it ends; returns why it ended.
  async #once(): Promise<string> {
    const s = this.#s;
    let conn: Deno.Conn;
    try {
      const connecting = s.tls
        ? Deno.connectTls({
          hostname: s.host,
          port: s.port,
          caCerts: s.tls_ca ? [await Deno.readTextFile(s.tls_ca)] : undefined,
        })
        : Deno.connect({ hostname: s.host, port: s.port });
      // A host that drops packets would hold the connect for minutes: bound it, and let
      // stop() end it.
      let timer: { cancel(): void } | undefined;
      const given = await Promise.race([
        connecting,
        new Promise<"timeout" | "stopped">((resolve) => {
          timer = this.#clock.setTimer(s.response_timeout_ms, () => resolve("timeout"));
          this.#abortConnect = () => resolve("stopped");
        }),
      ]);
      timer?.cancel();
      this.#abortConnect = undefined;
      if (given === "timeout" || given === "stopped") {
        connecting.then((c) => c.close(), () => {});
        return `connect: ${given === "timeout" ? "no answer in time" : "stopped"}`;
      }
      conn = given;
      if ("setNoDelay" in conn) (conn as Deno.TcpConn).setNoDelay(true);
    } catch (e) {
      return `connect: ${(e as Error).message}`;
    }
    const session = new SmppSession(conn, (pdu) => this.#inbound.handle(pdu), {
      maxPduBytes: 70_000,
      window: s.window,
      responseTimeoutMs: s.response_timeout_ms,
      enquireLinkMs: s.enquire_link_ms,
      inactivityMs: s.inactivity_ms,
      inFlightMax: 100,
      writeHighWaterBytes: 1 << 20,
      logger: this.#logger,
      clock: this.#clock,
    });
    this.#session = session;
    try {
      const resp = await session.request("bind_transceiver", {
        system_id: s.system_id,
        password: s.password,
        system_type: s.system_type,
        interface_version: 0x34,
        addr_ton: 0,
        addr_npi: 0,
        address_range: "",
      });
      if (resp.command_status !== 0) {
        session.close({ reason: "local", detail: "bind refused" });
        return `bind refused: ${commandStatusName(resp.command_status)}`;
      }
    } catch (e) {
      session.close();
      return `bind: ${(e as Error).message}`;
    }
    if (this.#stopped) {
      await session.unbind();
      return "stopped";
    }
    this.#bound = true;
    this.#throttles = 0;
    this.#logger.notice("Upstream link up", { host: s.host, port: s.port, system_id: s.system_id });
    this.#onState(true);
    const info = await session.closed;
    this.#bound = false;
    this.#onState(false);
    return info.detail ? `${info.reason}: ${info.detail}` : info.reason;
  }

  /**
   * Sends one message upstream; never throws.
   *
   * @param index our message id
   * @param record the 256-byte record
   */
  async deliver(
    index: number,
    record: Uint8Array,
    stillHeld: () => boolean = () => true,
  ): Promise<DeliverAnswer> {
    let rec;
    try {
      rec = decodePmsRecord(record);
    } catch (e) {
      return permanent(SMPP_STATUS.ESME_RSYSERR, `undecodable record: ${(e as Error).message}`);
    }
    const out = recordToSmpp(rec, index, "submit_sm");
    if (!out.ok) {
      this.#logger.warn("Cannot render message as submit_sm", { id: index, reason: out.reason });
      return permanent(SMPP_STATUS.ESME_RSYSERR, out.reason);
    }
    await this.#pace();
    const session = this.#session;
    if (!this.up || session === undefined) return temporary(0, "upstream link down");
    // Core's connection dropped while we waited: core has the message back (custody, §5).
    if (!stillHeld()) return temporary(0, "core connection lost");
    try {
      const resp = await session.request("submit_sm", out.fields, out.tlvs);
      const status = resp.command_status;
      if (status === SMPP_STATUS.ESME_RTHROTTLED || status === SMPP_STATUS.ESME_RMSGQFUL) {
        this.#throttled(status);
      } else if (status === 0) {
        this.#throttles = 0;
      }
      const id = String(resp.fields.message_id ?? "");
      const answer = answerForStatus(status, id);
      if (answer.result !== "ok") {
        this.#logger.info("Upstream refused submit_sm", { id: index, status: answer.text });
      } else if (id === "") {
        this.#logger.notice("Upstream gave no message_id; its receipt cannot be matched", {
          id: index,
        });
      }
      return answer;
    } catch (e) {
      if (e instanceof SmppNackError) return answerForStatus(e.commandStatus, "", "generic_nack");
      if (e instanceof SmppTimeoutError && !session.isClosed) {
        // A link that leaves a submit_sm unanswered cannot be trusted with the next ones:
        // drop it and start afresh (a late answer on it would be lost anyway).
        this.#logger.notice("submit_sm unanswered; dropping the upstream link", { id: index });
        session.close({ reason: "local", detail: "submit_sm response timeout" });
      }
      // No answer: the upstream may have taken it (at-least-once; docs/uplink.md).
      return temporary(0, (e as Error).message);
    }
  }

  // Waits for the pacing slot: evenly spaced at submit_rate_max, and after a throttle pause.
  async #pace(): Promise<void> {
    const rate = this.#s.submit_rate_max;
    const now = this.#clock.now();
    const at = Math.max(now, this.#nextSendAt, this.#pauseUntil);
    this.#nextSendAt = rate > 0 ? at + 1000 / rate : at;
    const wait = at - now;
    if (wait >= 1) await new Promise<void>((resolve) => this.#clock.setTimer(wait, resolve));
  }

  #throttled(status: number): void {
    // The answers of one window arrive together: only a refusal after the pause escalates.
    if (this.#clock.now() < this.#pauseUntil) return;
    const pause = this.#s.throttle_pause_ms * 2 ** Math.min(this.#throttles, 4);
    this.#throttles++;
    const jittered = Math.round(pause * (0.75 + 0.5 * this.#random()));
    this.#pauseUntil = this.#clock.now() + jittered;
    this.#logger.info("Upstream asks us to slow down", {
      status: commandStatusName(status),
      pause_ms: jittered,
    });
  }
}
