/**
 * A cheap SMPP 3.4 load generator for the downlink benchmarks: one ESME per
 * TCP connection (Deno.connect), PDUs encoded once with our own codec
 * (src/codec/smpp) and copied with a new sequence_number, pipelined up to a
 * window, responses matched by sequence_number from the 16-octet header
 * alone. Per PDU it costs a copy, a Map entry and a header read; writes and
 * reads are batched (one write per read chunk), so the client takes as
 * little as possible of the CPU it shares with downlink and core.
 *
 * It answers what an SMSC may send an ESME: deliver_sm (deliver_sm_resp 0
 * with an empty message_id, counted), enquire_link and unbind.
 *
 * A load runs closed loop (the window kept full, for the most the server
 * takes) or paced (an open-loop schedule, for the latency at a given rate).
 * Paced, each submit_sm has a scheduled time and its latency runs from that
 * time, not from its send: a server that stalls the window is charged for
 * the wait (no coordinated omission). The ESME wakes on each read and on
 * one timer at the next due time, and sends everything due in one write.
 * On the bench machine a Deno timer fires about 1.1 ms after the time
 * asked for and never sooner than 2 ms after it is armed, so a submit_sm
 * that no read comes to send leaves that late, and the lateness counts in
 * its latency. That is the client's floor: against a responder that answers
 * at once (TCP_NODELAY), 10 binds at 1,000-40,000/s in all measured p50
 * 0.9-1.2 ms and p99 2.7-5.1 ms (2026-11-23).
 *
 * Why not npm:smpp as the client: against the bare npm:smpp server, 10
 * binds x window 10, 40,000 submit_sm, three rounds on the 2-core bench
 * machine, this client spent 10-14 µs of CPU per submit_sm and reached
 * 44,000-66,000 msg/s; an npm:smpp client (one `submit_sm` call per message,
 * same binds and window) spent 18-32 µs and reached 30,000-49,000 msg/s. On
 * two cores shared with downlink and core, the client's CPU is taken from
 * the system under test, so the cheaper one is used.
 *
 * @module
 */

import {
  encodeSmppPdu,
  SMPP_COMMAND_IDS,
  SMPP_INTERFACE_VERSION_34,
  SMPP_RESPONSE_BIT,
  type SmppCommandName,
  type SmppFields,
} from "../../src/codec/smpp/mod.ts";
import { concatBytes } from "../../src/lib/bytes.ts";
import { smFields } from "../../src/proto/smpp_sm_fixtures.ts";

/** Messages left to send, shared by every ESME of one scenario. */
export interface SmppBudget {
  left: number;
}

/** An open-loop schedule for `submitLoad`. */
export interface SmppPace {
  /** submit_sm per second from this ESME. */
  ratePerS: number;
  /** `performance.now()` time of the first one; now when left out. */
  startMs?: number;
}

/** What one `submitLoad` measured. */
export interface SmppLoadResult {
  /** Request-to-response times of the answered submit_sm, ms (paced: from the scheduled time). */
  latencies: number[];
  /** submit_sm answered with a command_status other than 0. */
  failed: number;
  /** The first failing command_status, for the error message. */
  firstFailure?: number;
}

const ID = SMPP_COMMAND_IDS;
const HEADER = 16;
const READ_BYTES = 256 * 1024;

/**
 * Encodes one request PDU with sequence_number 0; `withSequence` stamps copies.
 *
 * @param command a request command name
 * @param fields every mandatory parameter of the command
 * @returns the PDU octets
 * @throws {EncodeError} when a parameter is missing or too long
 */
export function encodeRequest(command: SmppCommandName, fields: SmppFields): Uint8Array {
  return encodeSmppPdu({
    command,
    command_id: ID[command],
    command_status: 0,
    sequence_number: 0,
    fields,
    tlvs: [],
  });
}

/**
 * A submit_sm template: international source and destination, GSM 7-bit
 * default data_coding, `text` as ASCII octets (the GSM 7-bit default
 * alphabet agrees with ASCII on letters, digits and space).
 */
export function submitSmTemplate(source: string, destination: string, text: string): Uint8Array {
  return encodeRequest(
    "submit_sm",
    smFields({
      source_addr: source,
      destination_addr: destination,
      short_message: new TextEncoder().encode(text),
    }),
  );
}

function setU32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value >>> 24;
  bytes[at + 1] = (value >>> 16) & 0xff;
  bytes[at + 2] = (value >>> 8) & 0xff;
  bytes[at + 3] = value & 0xff;
}

function u32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}

/** A response without body (deliver_sm_resp gets an empty message_id). */
function response(commandId: number, sequence: number): Uint8Array {
  const withId = commandId === ID.deliver_sm;
  const out = new Uint8Array(HEADER + (withId ? 1 : 0));
  setU32(out, 0, out.length);
  setU32(out, 4, (commandId | SMPP_RESPONSE_BIT) >>> 0);
  setU32(out, 12, sequence);
  return out;
}

interface Load {
  template: Uint8Array;
  budget: SmppBudget;
  window: number;
  result: SmppLoadResult;
  done: () => void;
  /** Paced only: time between two scheduled submit_sm, ms (0: closed loop). */
  intervalMs: number;
  /** Paced only: scheduled time of the first. */
  t0: number;
  /** Paced only: submit_sm sent so far. */
  issued: number;
  /** Paced only: the armed wake-up. */
  timer?: ReturnType<typeof setTimeout>;
}

/** One ESME connection, bound by `RawEsme.bind`. */
export class RawEsme {
  readonly #conn: Deno.TcpConn;
  readonly #calls = new Map<number, (status: number) => void>();
  readonly #sent = new Map<number, number>();
  #sequence = 0;
  #writing: Promise<void> = Promise.resolve();
  #load?: Load;
  #deliverWaiters: { count: number; resolve: () => void }[] = [];
  /** deliver_sm received (and answered with status 0). */
  delivered = 0;
  /** Resolves when the connection has ended. */
  readonly closed: Promise<void>;

  private constructor(conn: Deno.TcpConn) {
    this.#conn = conn;
    this.closed = this.#readLoop();
  }

  /**
   * Connects to 127.0.0.1:`port` and binds.
   *
   * @returns the bound ESME
   * @throws {Error} when the bind is refused or the connection fails
   */
  static async bind(
    port: number,
    systemId: string,
    password: string,
    command: "bind_transceiver" | "bind_transmitter" | "bind_receiver" = "bind_transceiver",
  ): Promise<RawEsme> {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.setNoDelay(true);
    const esme = new RawEsme(conn);
    const status = await esme.#call(encodeRequest(command, {
      system_id: systemId,
      password,
      system_type: "",
      interface_version: SMPP_INTERFACE_VERSION_34,
      addr_ton: 0,
      addr_npi: 0,
      address_range: "",
    }));
    if (status !== 0) {
      esme.#conn.close();
      throw new Error(`Cannot bind as "${systemId}": command_status 0x${status.toString(16)}`);
    }
    return esme;
  }

  /**
   * Sends copies of `template` while `budget.left` > 0, at most `window`
   * outstanding, and resolves when every one sent is answered. Without
   * `pace` each answer is replaced at once (closed loop); with it the i-th
   * submit_sm of this ESME is due at `startMs + i / ratePerS` and leaves then,
   * or as soon as the window has room.
   *
   * @param template a request PDU, e.g. from `submitSmTemplate`
   * @param budget shared count of messages still to send
   * @param window requests outstanding at once
   * @param pace the open-loop schedule, if any
   * @returns the latencies and failures of this ESME
   */
  submitLoad(
    template: Uint8Array,
    budget: SmppBudget,
    window: number,
    pace?: SmppPace,
  ): Promise<SmppLoadResult> {
    if (this.#load) throw new Error("Cannot start a load: one is running on this ESME");
    if (pace && !(pace.ratePerS > 0)) throw new Error(`Cannot pace at ${pace.ratePerS}/s`);
    return new Promise((resolve) => {
      const result: SmppLoadResult = { latencies: [], failed: 0 };
      const now = performance.now();
      const load: Load = {
        template,
        budget,
        window,
        result,
        done: () => {
          clearTimeout(load.timer);
          this.#load = undefined;
          resolve(result);
        },
        intervalMs: pace ? 1000 / pace.ratePerS : 0,
        t0: pace?.startMs ?? now,
        issued: 0,
      };
      this.#load = load;
      this.#fill(now);
    });
  }

  /** Resolves once `count` deliver_sm have arrived in all. */
  waitDelivered(count: number): Promise<void> {
    if (this.delivered >= count) return Promise.resolve();
    return new Promise((resolve) => this.#deliverWaiters.push({ count, resolve }));
  }

  /** Sends unbind, waits for unbind_resp (at most 5 s), closes. */
  async unbind(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((r) => timer = setTimeout(r, 5000));
    try {
      await Promise.race([this.#call(encodeRequest("unbind", {})), timeout, this.closed]);
    } catch {
      // The SMSC may close first; the unbind is done either way.
    } finally {
      clearTimeout(timer);
      this.close();
    }
    await this.closed;
  }

  /** Closes the connection at once. */
  close(): void {
    try {
      this.#conn.close();
    } catch {
      // Already closed.
    }
  }

  #nextSequence(): number {
    this.#sequence = this.#sequence >= 0x7fffffff ? 1 : this.#sequence + 1;
    return this.#sequence;
  }

  #call(pdu: Uint8Array): Promise<number> {
    const copy = pdu.slice();
    const seq = this.#nextSequence();
    setU32(copy, 12, seq);
    return new Promise((resolve, reject) => {
      this.#calls.set(seq, resolve);
      this.#write(copy).catch(reject);
    });
  }

  #write(bytes: Uint8Array): Promise<void> {
    this.#writing = this.#writing.then(async () => {
      let off = 0;
      while (off < bytes.length) off += await this.#conn.write(bytes.subarray(off));
    });
    return this.#writing;
  }

  /** Sends as many requests of the load as the window and the budget allow, in one write. */
  #fill(now: number): void {
    const load = this.#load;
    if (!load) return;
    if (load.intervalMs > 0) return this.#fillPaced(load, now);
    const n = Math.min(load.window - this.#sent.size, load.budget.left);
    if (n <= 0) {
      if (this.#sent.size === 0) load.done();
      return;
    }
    this.#send(load, n, now, 0);
  }

  /** Sends `n` requests of the load in one write, the i-th stamped `first + i * stepMs`. */
  #send(load: Load, n: number, first: number, stepMs: number): void {
    load.budget.left -= n;
    const size = load.template.length;
    const batch = new Uint8Array(n * size);
    for (let i = 0; i < n; i++) {
      const seq = this.#nextSequence();
      batch.set(load.template, i * size);
      setU32(batch, i * size + 12, seq);
      this.#sent.set(seq, first + i * stepMs);
    }
    this.#write(batch).catch(() => {});
  }

  /**
   * Sends the requests that are due, as far as the window and the budget
   * allow, in one write, each stamped with its scheduled time; arms a wake-up
   * for the next one when only the schedule holds it back.
   */
  #fillPaced(load: Load, now: number): void {
    const room = load.window - this.#sent.size;
    const due = Math.floor((now - load.t0) / load.intervalMs) + 1 - load.issued;
    const n = Math.min(room, load.budget.left, due);
    if (n > 0) {
      this.#send(load, n, load.t0 + load.issued * load.intervalMs, load.intervalMs);
      load.issued += n;
    }
    if (load.budget.left <= 0) {
      if (this.#sent.size === 0) load.done();
    } else if (this.#sent.size < load.window && load.timer === undefined) {
      const next = load.t0 + load.issued * load.intervalMs;
      load.timer = setTimeout(() => {
        load.timer = undefined;
        this.#fill(performance.now());
      }, Math.max(0, next - now));
    }
  }

  async #readLoop(): Promise<void> {
    const buf = new Uint8Array(READ_BYTES);
    let have = 0;
    try {
      for (;;) {
        if (have === buf.length) throw new Error("Cannot read: PDU larger than the read buffer");
        const n = await this.#conn.read(buf.subarray(have));
        if (n === null) break;
        have += n;
        const now = performance.now();
        const replies: Uint8Array[] = [];
        let at = 0;
        while (have - at >= HEADER) {
          const length = u32(buf, at);
          if (length < HEADER) throw new Error(`Cannot read: command_length ${length}`);
          if (have - at < length) break;
          this.#onPdu(buf, at, now, replies);
          at += length;
        }
        buf.copyWithin(0, at, have);
        have -= at;
        if (replies.length > 0) this.#writeReplies(replies);
        this.#fill(now);
      }
    } catch {
      // Closed locally or by the SMSC: the loop ends either way.
    } finally {
      this.close();
      // A load cut short by the close ends with what was answered.
      this.#load?.done();
    }
  }

  #onPdu(buf: Uint8Array, at: number, now: number, replies: Uint8Array[]): void {
    const commandId = u32(buf, at + 4);
    const status = u32(buf, at + 8);
    const seq = u32(buf, at + 12);
    if ((commandId & SMPP_RESPONSE_BIT) !== 0) {
      const sentAt = this.#sent.get(seq);
      if (sentAt !== undefined && this.#load) {
        this.#sent.delete(seq);
        if (status === 0) this.#load.result.latencies.push(now - sentAt);
        else {
          this.#load.result.failed++;
          this.#load.result.firstFailure ??= status;
        }
        return;
      }
      const call = this.#calls.get(seq);
      if (call) {
        this.#calls.delete(seq);
        call(status);
      }
      return;
    }
    if (commandId === ID.deliver_sm) {
      replies.push(response(commandId, seq));
      this.delivered++;
      this.#deliverWaiters = this.#deliverWaiters.filter((w) => {
        if (this.delivered < w.count) return true;
        w.resolve();
        return false;
      });
    } else if (commandId === ID.enquire_link || commandId === ID.unbind) {
      replies.push(response(commandId, seq));
    }
  }

  #writeReplies(replies: Uint8Array[]): void {
    this.#write(concatBytes(replies)).catch(() => {});
  }
}
