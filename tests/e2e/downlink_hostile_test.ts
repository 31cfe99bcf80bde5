/**
 * `smsc downlink` against hostile ESMEs (issue #5, "Bad input"): a bounded
 * fuzz of random, mutated, truncated and misplaced PDUs at a real listener;
 * broken submit_sm fields after a good bind; repeated bad passwords; a
 * connection that never binds; one bind too many; a burst past the throttle;
 * a bound ESME that stops reading. Real `smsc core` and `smsc downlink`
 * processes; raw TCP sockets for the hostile side and npm:smpp ESMEs for the
 * well-behaved one.
 *
 * Every PDU of the fuzz must get a spec answer (its own response or
 * generic_nack, with the same sequence_number) or see the connection closed;
 * a PDU with the response bit set gets no answer. An enquire_link sent right
 * behind each PDU shows that the connection is still served.
 */

import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { Buffer } from "node:buffer";
import {
  decodeSmppHeader,
  encodeSmppPdu,
  frameSmppStream,
  SMPP_COMMAND_IDS,
  SMPP_RESPONSE_BIT,
  SMPP_STATUS,
  type SmppCommandName,
  type SmppFields,
  type SmppHeader,
  type SmppTlv,
} from "../../src/codec/smpp/mod.ts";
import { encodePmsRecord } from "../../src/codec/pms/mod.ts";
import { PmsReader } from "../../src/store/pms_reader.ts";
import { CoreClient } from "../../src/transport/core_client.ts";
import { prng } from "../support/codec_harness.ts";
import type { Daemon } from "../support/daemon.ts";
import { type Site, withDownlinkSite } from "../support/downlink_site.ts";
import { NpmEsme, shortMessageOf } from "../support/npm_esme.ts";
import { cliRecord } from "../support/records.ts";

const S = SMPP_STATUS;
const ID = SMPP_COMMAND_IDS;
const RESP = SMPP_RESPONSE_BIT;
const SUBSCRIBER = "12125550101"; // a demo GSM subscriber: messages to it stay active
const ascii = (s: string) => new TextEncoder().encode(s);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hex = (b: Uint8Array) =>
  [...b.subarray(0, 48)].map((x) => x.toString(16).padStart(2, "0")).join("");

/**
 * BUG (reported, not fixed here): a decodable outbind or alert_notification
 * kills `smsc downlink`. `respOf()` (src/transport/smpp_session.ts:607) names
 * "outbind_resp" / "alert_notification_resp", which have no command_id, so
 * `encodeSmppPdu` throws in `SmppSession.#sendResponse`; its fallback encode
 * (line 593) throws again out of `#answer`'s catch, an unhandled rejection
 * that ends the process. The fuzz leaves these two command ids out until
 * that is fixed; the ignored test at the end checks the fix.
 */
// Commands whose answer once crashed the downlink (now fixed); kept empty as a hook.
const ANSWER_CRASHES = new Set<number>([]);

// ---------------------------------------------------------------------------
// PDUs

const bindFields = (system_id: string, password: string): SmppFields => ({
  system_id,
  password,
  system_type: "",
  interface_version: 0x34,
  addr_ton: 0,
  addr_npi: 0,
  address_range: "",
});

const source = { source_addr_ton: 1, source_addr_npi: 1, source_addr: "13035550100" };
const dest = { dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: SUBSCRIBER };
const smTail = {
  esm_class: 0,
  protocol_id: 0,
  priority_flag: 0,
  schedule_delivery_time: "",
  validity_period: "",
  registered_delivery: 0,
  replace_if_present_flag: 0,
  data_coding: 0,
  sm_default_msg_id: 0,
  short_message: ascii("fuzz me"),
};
const submitFields: SmppFields = { service_type: "", ...source, ...dest, ...smTail };

/** A valid body for every command of SMPP 3.4 §5.1.2.1. */
const FIELDS: Record<SmppCommandName, SmppFields> = {
  generic_nack: {},
  bind_receiver: bindFields("acme01", "s3cret"),
  bind_receiver_resp: { system_id: "esme" },
  bind_transmitter: bindFields("acme01", "s3cret"),
  bind_transmitter_resp: { system_id: "esme" },
  query_sm: { message_id: "1", ...source },
  query_sm_resp: { message_id: "1", final_date: "", message_state: 1, error_code: 0 },
  submit_sm: submitFields,
  submit_sm_resp: { message_id: "1" },
  deliver_sm: submitFields,
  deliver_sm_resp: { message_id: "" },
  unbind: {},
  unbind_resp: {},
  replace_sm: {
    message_id: "1",
    ...source,
    schedule_delivery_time: "",
    validity_period: "",
    registered_delivery: 0,
    sm_default_msg_id: 0,
    short_message: ascii("replaced"),
  },
  replace_sm_resp: {},
  cancel_sm: { service_type: "", message_id: "1", ...source, ...dest },
  cancel_sm_resp: {},
  bind_transceiver: bindFields("acme01", "s3cret"),
  bind_transceiver_resp: { system_id: "esme" },
  outbind: { system_id: "acme01", password: "s3cret" },
  enquire_link: {},
  enquire_link_resp: {},
  submit_multi: {
    service_type: "",
    ...source,
    dest_address: [
      { dest_flag: 1, dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: SUBSCRIBER },
      { dest_flag: 2, dl_name: "friends" },
    ],
    ...smTail,
  },
  submit_multi_resp: { message_id: "1", unsuccess_sme: [] },
  alert_notification: { ...source, esme_addr_ton: 1, esme_addr_npi: 1, esme_addr: "13035550101" },
  data_sm: {
    service_type: "",
    ...source,
    ...dest,
    esm_class: 0,
    registered_delivery: 0,
    data_coding: 0,
  },
  data_sm_resp: { message_id: "1" },
};

const TLVS: Partial<Record<SmppCommandName, SmppTlv[]>> = {
  data_sm: [{ tag: 0x0424, name: "message_payload", value: ascii("payload of data_sm") }],
  submit_sm: [{ tag: 0x0204, name: "user_message_reference", value: 7 }],
};

function encode(
  command: SmppCommandName,
  seq: number,
  fields = FIELDS[command],
  tlvs = TLVS[command] ?? [],
) {
  return encodeSmppPdu({
    command,
    command_id: ID[command],
    command_status: 0,
    sequence_number: seq,
    fields,
    tlvs,
  });
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A PDU from raw body octets, with command_length set (nothing checked). */
function rawPdu(commandId: number, seq: number, ...body: Uint8Array[]): Uint8Array {
  const out = concat(new Uint8Array(16), ...body);
  const v = new DataView(out.buffer);
  v.setUint32(0, out.length);
  v.setUint32(4, commandId);
  v.setUint32(12, seq);
  return out;
}

const cstr = (s: string) => concat(ascii(s), new Uint8Array([0]));
const u8s = (...v: number[]) => new Uint8Array(v);
const tlv = (tag: number, value: Uint8Array, length = value.length) =>
  concat(u8s(tag >> 8, tag & 0xff, length >> 8, length & 0xff), value);

/** A submit_sm body from parts, any of them replaced by raw octets. */
function rawSubmit(
  over: Partial<Record<string, Uint8Array>> = {},
  tlvs: Uint8Array[] = [],
): Uint8Array[] {
  const sm = over.short_message ?? ascii("hello");
  return [
    over.service_type ?? cstr(""),
    over.source_tonnpi ?? u8s(1, 1),
    over.source_addr ?? cstr("13035550100"),
    over.dest_tonnpi ?? u8s(1, 1),
    over.destination_addr ?? cstr(SUBSCRIBER),
    over.esm_pid_prio ?? u8s(0, 0, 0),
    over.schedule_delivery_time ?? cstr(""),
    over.validity_period ?? cstr(""),
    over.rd_rip_dc_dmid ?? u8s(0, 0, 0, 0),
    over.sm_length ?? u8s(sm.length),
    sm,
    ...tlvs,
  ];
}

// ---------------------------------------------------------------------------
// A raw ESME: one TCP connection, PDUs in and out as octets

interface Received {
  header: SmppHeader;
  bytes: Uint8Array;
}

class RawEsme {
  readonly conn: Deno.TcpConn;
  /** Responses received and not yet taken. */
  readonly inbox: Received[] = [];
  ended = false;
  /** Set when the SMSC sent octets that are no SMPP PDU. */
  garbage: string | undefined;
  readonly reading: Promise<void>;
  #seq = 1;
  #wake: (() => void)[] = [];
  #writes: Promise<unknown> = Promise.resolve();
  readonly #stallAfterBind: boolean;

  private constructor(conn: Deno.TcpConn, stallAfterBind: boolean) {
    this.conn = conn;
    this.#stallAfterBind = stallAfterBind;
    this.reading = this.#read();
  }

  /** Connects; with `stallAfterBind` it never reads again once a bind response came. */
  static async connect(port: number, options: { stallAfterBind?: boolean } = {}): Promise<RawEsme> {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    return new RawEsme(conn, options.stallAfterBind ?? false);
  }

  nextSeq(): number {
    return this.#seq++;
  }

  async #read(): Promise<void> {
    let buf = new Uint8Array(0);
    const chunk = new Uint8Array(65536);
    try {
      for (;;) {
        const n = await this.conn.read(chunk);
        if (n === null) break;
        buf = concat(buf, chunk.subarray(0, n));
        for (;;) {
          const f = frameSmppStream(buf, { maxPduBytes: 1 << 20 });
          if ("need" in f) break;
          buf = buf.slice(f.consumed);
          const r = { header: decodeSmppHeader(f.pdu), bytes: f.pdu };
          if ((r.header.command_id & RESP) === 0) this.#answer(r);
          else this.inbox.push(r);
          this.#notify();
          if (this.#stallAfterBind && isBindResp(r.header.command_id)) return;
        }
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.ConnectionReset || e instanceof Deno.errors.BadResource)) {
        this.garbage = String(e);
      }
    }
    this.ended = true;
    this.#notify();
  }

  // Requests of the SMSC: deliver_sm, enquire_link and unbind are acknowledged, others refused.
  #answer(r: Received): void {
    const command = (Object.keys(ID) as SmppCommandName[]).find((k) =>
      ID[k] === r.header.command_id
    );
    const reply = command === "deliver_sm"
      ? "deliver_sm_resp"
      : command === "enquire_link"
      ? "enquire_link_resp"
      : command === "unbind"
      ? "unbind_resp"
      : "generic_nack";
    const fields: SmppFields = reply === "deliver_sm_resp" ? { message_id: "" } : {};
    const status = reply === "generic_nack" ? S.ESME_RINVCMDID : 0;
    this.write(encodeSmppPdu({
      command: reply,
      command_id: ID[reply],
      command_status: status,
      sequence_number: r.header.sequence_number,
      fields,
      tlvs: [],
    }));
  }

  #notify(): void {
    for (const w of this.#wake.splice(0)) w();
  }

  /** Writes all octets (serialised); false when the connection is gone. */
  write(bytes: Uint8Array): Promise<boolean> {
    const done = this.#writes.then(async () => {
      try {
        for (let off = 0; off < bytes.length;) off += await this.conn.write(bytes.subarray(off));
        return true;
      } catch {
        return false;
      }
    });
    this.#writes = done;
    return done;
  }

  /** Takes the first response matching `pred`; "ended" once none can come, "timeout" after `timeoutMs`. */
  async take(
    pred: (r: Received) => boolean,
    timeoutMs = 5000,
  ): Promise<Received | "ended" | "timeout"> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.inbox.findIndex(pred);
      if (i >= 0) return this.inbox.splice(i, 1)[0];
      if (this.ended) return "ended";
      const left = deadline - Date.now();
      if (left <= 0) return "timeout";
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.#wake.push(resolve);
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
    }
  }

  /** Sends a request and waits for the response with its sequence_number. */
  async request(command: SmppCommandName, fields = FIELDS[command], timeoutMs = 10_000) {
    const seq = this.nextSeq();
    await this.write(encode(command, seq, fields, []));
    return await this.take((r) => r.header.sequence_number === seq, timeoutMs);
  }

  /** bind_transceiver; the command_status, or -1 when no answer came. */
  async bind(systemId: string, password: string): Promise<number> {
    const r = await this.request("bind_transceiver", bindFields(systemId, password));
    return typeof r === "string" ? -1 : r.header.command_status;
  }

  /** Waits until the SMSC has closed the connection; false on timeout. */
  async waitEnded(timeoutMs = 5000): Promise<boolean> {
    const r = await this.take(() => false, timeoutMs);
    return r === "ended";
  }

  closeWrite(): Promise<void> {
    return this.#writes.then(() => this.conn.closeWrite()).catch(() => {});
  }

  async close(): Promise<void> {
    try {
      this.conn.close();
    } catch { /* already closed */ }
    await this.reading;
  }
}

function isBindResp(id: number): boolean {
  return id === ID.bind_transceiver_resp || id === ID.bind_transmitter_resp ||
    id === ID.bind_receiver_resp;
}

// ---------------------------------------------------------------------------
// Fuzz cases

/**
 * How one case is judged. "framed": a whole PDU (command_length true), sent
 * with an enquire_link behind it on a kept connection. "stream": octets that
 * break the framing, on a connection of their own, then our write side is
 * closed: only responses may come back, then the end of the stream.
 */
interface FuzzCase {
  kind: string;
  bytes: Uint8Array;
  mode: "framed" | "stream";
  /**
   * A strict expectation: the answer's command_id and status (and whether the SMSC then
   * closes); "silent": no answer, the connection stays; "nack-close": generic_nack
   * ESME_RINVCMDLEN, then the close; "no-answer": closed without any answer.
   */
  expect?:
    | { command: number; status: number; closes?: boolean }
    | "silent"
    | "nack-close"
    | "no-answer";
}

const COMMANDS = Object.keys(ID) as SmppCommandName[];
const REQUESTS = COMMANDS.filter((c) => (ID[c] & RESP) === 0);
const ALL_IDS = new Set<number>(Object.values(ID));

function respId(id: number): number {
  return (id | RESP) >>> 0;
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}

function randomBytes(rand: () => number, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
}

function commandIdOf(bytes: Uint8Array): number {
  return bytes.length >= 8 ? new DataView(bytes.buffer, bytes.byteOffset).getUint32(4) : -1;
}

/** The unbound fuzz: random octets, random headers, mutations, truncations, absurd lengths, unknown ids. */
function unboundCases(rand: () => number): FuzzCase[] {
  const out: FuzzCase[] = [];
  const seq = () => Math.floor(rand() * 0x7fffffff) + 1;
  const templates = REQUESTS.filter((c) => !ANSWER_CRASHES.has(ID[c]))
    .concat(["deliver_sm_resp", "generic_nack", "submit_sm_resp"]);
  for (let i = 0; i < 300; i++) {
    out.push({
      kind: "random",
      bytes: randomBytes(rand, 1 + Math.floor(rand() * 400)),
      mode: "stream",
    });
  }
  for (let i = 0; i < 400; i++) {
    const length = 16 + Math.floor(rand() * 120);
    const b = randomBytes(rand, length);
    const v = new DataView(b.buffer);
    v.setUint32(0, length);
    v.setUint32(4, rand() < 0.6 ? pick(rand, [...ALL_IDS]) : Math.floor(rand() * 2 ** 32));
    if (ANSWER_CRASHES.has(v.getUint32(4))) continue;
    out.push({ kind: "random-header", bytes: b, mode: "framed" });
  }
  for (let i = 0; i < 1200; i++) {
    const b = encode(pick(rand, templates), seq()).slice();
    const changes = 1 + Math.floor(rand() * 3);
    let header = false;
    for (let k = 0; k < changes; k++) {
      const at = Math.floor(rand() * b.length);
      header ||= at < 4;
      b[at] = Math.floor(rand() * 256);
    }
    if (ANSWER_CRASHES.has(commandIdOf(b))) continue;
    out.push({ kind: "mutated", bytes: b, mode: header ? "stream" : "framed" });
  }
  for (let i = 0; i < 300; i++) {
    const whole = encode(pick(rand, templates), seq());
    const cut = whole.slice(0, 1 + Math.floor(rand() * (whole.length - 1)));
    out.push({ kind: "cut", bytes: cut, mode: "stream", expect: "no-answer" });
    if (whole.length > 17) {
      const short = whole.slice(0, 16 + Math.floor(rand() * (whole.length - 16)));
      new DataView(short.buffer).setUint32(0, short.length);
      out.push({ kind: "short-body", bytes: short, mode: "framed" });
    }
  }
  for (const length of [0, 1, 8, 15, 70_001, 1_000_000, 0x80000000, 0xffffffff]) {
    const b = encode("submit_sm", seq()).slice(0, 16);
    new DataView(b.buffer).setUint32(0, length);
    out.push({ kind: `command_length ${length}`, bytes: b, mode: "stream", expect: "nack-close" });
  }
  for (let i = 0; i < 100; i++) {
    let id: number;
    do id = Math.floor(rand() * 2 ** 32); while (ALL_IDS.has(id));
    const b = rawPdu(id, seq(), randomBytes(rand, Math.floor(rand() * 40)));
    const expect = (id & RESP) === 0
      ? { command: ID.generic_nack, status: S.ESME_RINVCMDID }
      : "silent" as const;
    out.push({ kind: `unknown command_id 0x${id.toString(16)}`, bytes: b, mode: "framed", expect });
  }
  return out;
}

/** Every command of SMPP 3.4 once, valid, before any bind. */
function beforeBindCases(): FuzzCase[] {
  const out: FuzzCase[] = [];
  let seq = 1000;
  for (const command of COMMANDS) {
    const id = ID[command];
    // Binds before a bind are the subject of the next test.
    if (ANSWER_CRASHES.has(id) || /^bind_[a-z]+$/.test(command)) continue;
    let expect: FuzzCase["expect"];
    if ((id & RESP) !== 0) expect = "silent";
    else if (command === "enquire_link") expect = { command: respId(id), status: 0 };
    else if (command === "unbind") expect = { command: respId(id), status: 0, closes: true };
    else if (command === "outbind" || command === "alert_notification") {
      // No response PDU of their own (§4.1.7, §4.12): generic_nack.
      expect = { command: ID.generic_nack, status: S.ESME_RINVBNDSTS };
    } else expect = { command: respId(id), status: S.ESME_RINVBNDSTS };
    out.push({
      kind: `${command} before bind`,
      bytes: encode(command, seq++),
      mode: "framed",
      expect,
    });
  }
  return out;
}

/** Mutated requests on a bound connection: what reaches the request handlers and core. */
function boundCases(rand: () => number): FuzzCase[] {
  const out: FuzzCase[] = [];
  const templates: SmppCommandName[] = [
    "submit_sm",
    "submit_sm",
    "data_sm",
    "submit_multi",
    "query_sm",
    "cancel_sm",
    "replace_sm",
    "enquire_link",
  ];
  for (let i = 0; i < 600; i++) {
    const b = encode(pick(rand, templates), 1 + Math.floor(rand() * 0x7fffffff)).slice();
    const changes = 1 + Math.floor(rand() * 3);
    for (let k = 0; k < changes; k++) {
      b[4 + Math.floor(rand() * (b.length - 4))] = Math.floor(rand() * 256);
    }
    if (ANSWER_CRASHES.has(commandIdOf(b)) || commandIdOf(b) === ID.unbind) continue;
    out.push({ kind: "bound mutated", bytes: b, mode: "framed" });
  }
  return out;
}

/** submit_sm with broken fields after a good bind, each with the status SMPP 3.4 and docs/smpp-mapping.md give. */
function brokenSubmits(): FuzzCase[] {
  const sub = ID.submit_sm;
  const cases: [string, Uint8Array[], number][] = [
    [
      "service_type of 10 octets",
      rawSubmit({ service_type: cstr("TOOLONG123") }),
      S.ESME_RINVSERTYP,
    ],
    [
      "source_addr of 25 digits",
      rawSubmit({ source_addr: cstr("1".repeat(25)) }),
      S.ESME_RINVSRCADR,
    ],
    [
      "destination_addr of 25 digits",
      rawSubmit({ destination_addr: cstr("1".repeat(25)) }),
      S.ESME_RINVDSTADR,
    ],
    [
      "schedule_delivery_time of 20 octets",
      rawSubmit({ schedule_delivery_time: cstr("0".repeat(20)) }),
      S.ESME_RINVSCHED,
    ],
    [
      "schedule_delivery_time set",
      rawSubmit({ schedule_delivery_time: cstr("000000000100000R") }),
      S.ESME_RINVSCHED,
    ],
    [
      "validity_period malformed",
      rawSubmit({ validity_period: cstr("garbage") }),
      S.ESME_RINVEXPIRY,
    ],
    ["sm_length beyond the body", rawSubmit({ sm_length: u8s(200) }), S.ESME_RINVMSGLEN],
    [
      "sm_length 255",
      rawSubmit({ short_message: new Uint8Array(255).fill(0x41) }),
      S.ESME_RINVMSGLEN,
    ],
    [
      "body ends inside destination_addr",
      rawSubmit().slice(0, 4).concat([ascii("1212")]),
      S.ESME_RINVCMDLEN,
    ],
    ["TLV header cut short", rawSubmit({}, [u8s(0x02, 0x04, 0x00)]), S.ESME_RINVOPTPARSTREAM],
    [
      "TLV length beyond the body",
      rawSubmit({}, [tlv(0x0204, u8s(0, 1), 40)]),
      S.ESME_RINVOPTPARSTREAM,
    ],
    ["sar_msg_ref_num of 1 octet", rawSubmit({}, [tlv(0x020c, u8s(1))]), S.ESME_RINVPARLEN],
    [
      "short_message and message_payload",
      rawSubmit({}, [tlv(0x0424, ascii("payload too"))]),
      S.ESME_RINVOPTPARAMVAL,
    ],
    ["one sar_* TLV alone", rawSubmit({}, [tlv(0x020c, u8s(0, 1))]), S.ESME_RMISSINGOPTPARAM],
    [
      "GSM 7-bit octet above 0x7F",
      rawSubmit({ short_message: u8s(0x41, 0x80) }),
      S.ESME_RSUBMITFAIL,
    ],
    [
      "UDHI without a UDH",
      rawSubmit({ esm_pid_prio: u8s(0x40, 0, 0), short_message: u8s(50, 0, 3) }),
      S.ESME_RINVESMCLASS,
    ],
    ["esm_class of a receipt", rawSubmit({ esm_pid_prio: u8s(0x04, 0, 0) }), S.ESME_RINVESMCLASS],
    ["source TON 7", rawSubmit({ source_tonnpi: u8s(7, 1) }), S.ESME_RINVSRCTON],
    ["destination NPI 16", rawSubmit({ dest_tonnpi: u8s(1, 16) }), S.ESME_RINVDSTNPI],
    ["sm_default_msg_id 1", rawSubmit({ rd_rip_dc_dmid: u8s(0, 0, 0, 1) }), S.ESME_RINVDFTMSGID],
    [
      "UCS-2 of odd length",
      rawSubmit({ rd_rip_dc_dmid: u8s(0, 0, 8, 0), short_message: u8s(0, 0x41, 0) }),
      S.ESME_RINVMSGLEN,
    ],
    ["source outside the pool", rawSubmit({ source_addr: cstr("12125550100") }), S.ESME_RINVSRCADR],
    ["source not digits", rawSubmit({ source_addr: cstr("1303555abc") }), S.ESME_RINVSRCADR],
    ["empty source", rawSubmit({ source_addr: cstr("") }), S.ESME_RINVSRCADR],
    [
      "unroutable destination",
      rawSubmit({ destination_addr: cstr("19995550100") }),
      S.ESME_RINVDSTADR,
    ],
    ["empty destination", rawSubmit({ destination_addr: cstr("") }), S.ESME_RINVDSTADR],
  ];
  let seq = 5000;
  return cases.map(([kind, body, status]) => ({
    kind: `submit_sm: ${kind}`,
    bytes: rawPdu(sub, seq++, ...body),
    mode: "framed" as const,
    expect: { command: respId(sub), status },
  }));
}

// ---------------------------------------------------------------------------
// Running and judging cases

type Outcome = "answered" | "closed" | "silent";

interface Tally {
  /** Outcomes by case group, e.g. "mutated" → { answered: 1010, closed: 120 }. */
  groups: Map<string, Record<Outcome, number>>;
  connections: number;
  problems: string[];
}

function group(kind: string): string {
  if (kind.startsWith("command_length")) return "absurd command_length";
  if (kind.startsWith("unknown command_id")) return "unknown command_id";
  if (kind.endsWith("before bind")) return "every PDU before bind";
  if (kind.startsWith("submit_sm:")) return "broken submit_sm";
  return kind;
}

function count(t: Tally, c: FuzzCase, outcome: Outcome): void {
  const g = group(c.kind);
  const entry = t.groups.get(g) ?? { answered: 0, closed: 0, silent: 0 };
  entry[outcome]++;
  t.groups.set(g, entry);
}

function summary(t: Tally): string {
  return [...t.groups].map(([g, o]) => {
    const parts = (Object.keys(o) as Outcome[]).filter((k) => o[k] > 0).map((k) => `${k} ${o[k]}`);
    return `${g}: ${parts.join(", ")}`;
  }).join("; ");
}

function problem(t: Tally, c: FuzzCase, what: string): void {
  t.problems.push(`${c.kind}: ${what} (pdu ${hex(c.bytes)}${c.bytes.length > 48 ? "…" : ""})`);
}

async function framedCase(esme: RawEsme, c: FuzzCase, t: Tally): Promise<void> {
  const h = decodeSmppHeader(c.bytes);
  const probe = 0x70000000 + esme.nextSeq();
  await esme.write(concat(c.bytes, encode("enquire_link", probe)));
  const isRequest = (h.command_id & RESP) === 0;
  let answer: Received | "ended" | "timeout" | undefined;
  if (isRequest) answer = await esme.take((r) => r.header.sequence_number === h.sequence_number);
  const probed = await esme.take((r) => r.header.sequence_number === probe, 5000);
  if (answer === "timeout" || probed === "timeout") {
    return problem(
      t,
      c,
      `neither answered nor closed (answer ${typeof answer}, probe ${typeof probed})`,
    );
  }
  if (typeof probed !== "string" && probed.header.command_id !== ID.enquire_link_resp) {
    problem(t, c, `enquire_link answered with 0x${probed.header.command_id.toString(16)}`);
  }
  const e = c.expect;
  if (!isRequest) {
    const stray = esme.inbox.findIndex((r) => r.header.sequence_number === h.sequence_number);
    if (stray >= 0) problem(t, c, "a response to a response");
    count(t, c, probed === "ended" ? "closed" : "silent");
    return;
  }
  if (answer === "ended" || answer === undefined) {
    if (e !== undefined && e !== "no-answer") problem(t, c, "closed instead of answered");
    count(t, c, "closed");
    return;
  }
  count(t, c, "answered");
  const got = answer.header;
  const allowed = ALL_IDS.has(h.command_id)
    ? [respId(h.command_id), ID.generic_nack]
    : [ID.generic_nack];
  if (!allowed.includes(got.command_id)) {
    problem(t, c, `answered with command_id 0x${got.command_id.toString(16)}`);
  }
  if (got.command_id === ID.generic_nack && got.command_status === 0) {
    problem(t, c, "generic_nack with status 0");
  }
  if (typeof e === "object") {
    if (got.command_id !== e.command || got.command_status !== e.status) {
      problem(
        t,
        c,
        `got 0x${got.command_id.toString(16)}/0x${got.command_status.toString(16)}, ` +
          `want 0x${e.command.toString(16)}/0x${e.status.toString(16)}`,
      );
    }
    if (e.closes && !(await esme.waitEnded())) {
      problem(t, c, "connection not closed after unbind_resp");
    }
    if (!e.closes && probed === "ended") problem(t, c, "connection closed after a spec answer");
  } else if (e === "silent") {
    problem(t, c, "answered a PDU that needs no answer");
  }
}

async function streamCase(port: number, c: FuzzCase, t: Tally): Promise<void> {
  const esme = await RawEsme.connect(port);
  t.connections++;
  await esme.write(c.bytes);
  // An absurd command_length is refused from the header alone; keep the socket open for the nack.
  if (c.expect !== "nack-close") await esme.closeWrite();
  if (!(await esme.waitEnded(5000))) {
    problem(t, c, "connection not closed");
  } else if (esme.garbage !== undefined) {
    problem(t, c, `undecodable octets from the SMSC: ${esme.garbage}`);
  } else if (c.expect === "nack-close") {
    const [first] = esme.inbox;
    if (
      first?.header.command_id !== ID.generic_nack ||
      first.header.command_status !== S.ESME_RINVCMDLEN
    ) {
      problem(
        t,
        c,
        `no generic_nack ESME_RINVCMDLEN before the close: ${JSON.stringify(first?.header)}`,
      );
    }
  } else if (c.expect === "no-answer" && esme.inbox.length > 0) {
    problem(t, c, `answered a PDU that never completed: ${JSON.stringify(esme.inbox[0].header)}`);
  }
  count(t, c, esme.inbox.length > 0 ? "answered" : "closed");
  await esme.close();
}

/** One lane: framed cases share a connection (a fresh one every few PDUs or after a close). */
async function lane(
  port: number,
  cases: FuzzCase[],
  t: Tally,
  bindAs?: [string, string],
): Promise<void> {
  let esme: RawEsme | undefined;
  let used = 0;
  for (const c of cases) {
    if (c.mode === "stream") {
      await streamCase(port, c, t);
      continue;
    }
    // A case with a strict expectation gets a connection of its own: an earlier case may
    // have bound it, or unbound it with the close still on its way.
    const own = c.expect !== undefined;
    if (own || esme === undefined || esme.ended || used >= 8) {
      await esme?.close();
      esme = await RawEsme.connect(port);
      t.connections++;
      used = 0;
      if (bindAs) {
        const status = await esme.bind(...bindAs);
        if (status !== 0) problem(t, c, `good bind before the case refused: ${status}`);
      }
    }
    used++;
    await framedCase(esme, c, t);
    if (own || commandIdOf(c.bytes) === ID.unbind) used = Infinity;
  }
  await esme?.close();
}

function split<T>(items: T[], lanes: number): T[][] {
  return Array.from({ length: lanes }, (_, k) => items.filter((_, i) => i % lanes === k));
}

async function isAlive(d: Daemon): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const alive = await Promise.race([
    d.exited.then(() => false),
    new Promise<boolean>((r) => timer = setTimeout(() => r(true), 100)),
  ]);
  clearTimeout(timer);
  return alive;
}

function errorLines(d: Daemon): string[] {
  return d.output().split("\n").filter((l) => /^error |Uncaught/.test(l));
}

/** Sends `count` MT messages from a demo subscriber to `prefix`NN, one every `everyMs`. */
async function sendMt(site: Site, prefix: string, tag: string, count: number, everyMs: number) {
  const client = await CoreClient.connect(`${site.dir}/state/core.sock`);
  const sent: { index: number; to: string; text: string }[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const to = `${prefix}${String(i).padStart(2, "0")}`;
      const text = `${tag}-${i}`;
      const r = await client.submit(encodePmsRecord(cliRecord("+12125550100", `+${to}`, text)));
      if (r.result !== "ok") throw new Error(`MT ${text} refused: ${r.reason.text}`);
      sent.push({ index: r.index, to, text });
      if (everyMs > 0) await sleep(everyMs);
    }
  } finally {
    await client.close();
  }
  return sent;
}

async function waitAll(esme: NpmEsme, sent: { to: string; text: string }[], timeoutMs = 15_000) {
  for (const m of sent) {
    const got = await esme.waitDeliver(
      (p) =>
        p.destination_addr.endsWith(m.to) && new TextDecoder().decode(shortMessageOf(p)) === m.text,
      timeoutMs,
    );
    ok(got);
  }
}

const ACME = { name: "acme", systemId: "acme01", password: "s3cret", pool: ["+1303555*"] };
const BETA = { name: "beta", systemId: "beta01", password: "b3ta", pool: ["+1720555*"] };

// ---------------------------------------------------------------------------

Deno.test("downlink: a bounded fuzz of hostile PDUs is answered or closed, and nothing else suffers", async () => {
  const started = performance.now();
  // acme without the auth delay: hundreds of mutated binds would otherwise queue behind
  // a 400 ms penalty each. The delay has its own test below.
  const acme = { ...ACME, maxBinds: 64, config: "auth_delay_ms_min = 0\n" };
  await withDownlinkSite(
    { peers: [acme, BETA], config: "bind_timeout_ms = 2000\nunbound_per_address_max = 10000\n" },
    async (site) => {
      const beta = await NpmEsme.connect(site.ports.beta);
      strictEqual(await beta.bind("beta01", "b3ta"), 0);
      const rand = prng(0x5eed_0005);
      const unbound = [...beforeBindCases(), ...unboundCases(rand)];
      const bound = [...brokenSubmits(), ...boundCases(rand)];
      const t: Tally = { groups: new Map(), connections: 0, problems: [] };
      // MT toward beta all along the fuzz: none may be lost or held up.
      const mt = sendMt(site, "172055502", "during-fuzz", 40, 100);
      await Promise.all([
        ...split(unbound, 8).map((cases) => lane(site.ports.acme, cases, t)),
        ...split(bound, 4).map((cases) => lane(site.ports.acme, cases, t, ["acme01", "s3cret"])),
      ]);
      const sent = await mt;
      await waitAll(beta, sent);

      deepStrictEqual(t.problems.slice(0, 20), [], `${t.problems.length} problems`);
      ok(await isAlive(site.downlinks.acme), "downlink acme alive");
      ok(await isAlive(site.downlinks.beta), "downlink beta alive");
      ok(await isAlive(site.core), "core alive");
      deepStrictEqual(errorLines(site.downlinks.acme), []);
      deepStrictEqual(errorLines(site.downlinks.beta), []);
      deepStrictEqual(errorLines(site.core), []);
      // Still serving: a fresh good bind and submit.
      const esme = await NpmEsme.connect(site.ports.acme);
      strictEqual(await esme.bind("acme01", "s3cret"), 0);
      const r = await esme.send("submit_sm", {
        ...source,
        ...dest,
        short_message: { message: Buffer.from(ascii("after the fuzz")) },
      });
      strictEqual(r.command_status, 0);
      await esme.close();
      await beta.close();
      const pdus = unbound.length + bound.length;
      const ms = Math.round(performance.now() - started);
      // deno-lint-ignore no-console
      console.log(`fuzz: ${pdus} cases on ${t.connections} connections in ${ms} ms: ${summary(t)}`);
      // deno-lint-ignore no-console
      console.log(`fuzz: ${sent.length} MT to beta sent during the fuzz, all delivered`);
    },
  );
});

Deno.test("downlink: bad passwords are slowed down, unbound connections time out, max binds, throttle", async (t) => {
  const acme = { ...ACME, maxBinds: 2, config: "submit_rate_max = 5\n" };
  await withDownlinkSite({
    peers: [acme],
    config: "bind_timeout_ms = 1000\nunbound_per_address_max = 4\n",
  }, async (site) => {
    const port = site.ports.acme;

    await t.step("connections past unbound_per_address_max are closed at once", async () => {
      const held = await Promise.all([0, 1, 2, 3].map(() => RawEsme.connect(port)));
      await sleep(100);
      const extra = await RawEsme.connect(port);
      ok(await extra.waitEnded(500), "the fifth unbound connection is closed");
      ok(!held[3].ended, "the fourth stays open");
      for (const h of held) await h.close();
      await extra.close();
      await sleep(100);
    });

    await t.step(
      "repeated bad passwords from one address wait auth_delay_ms_min and more",
      async () => {
        const waits: number[] = [];
        const statuses: number[] = [];
        for (
          const [id, pw] of [["acme01", "wrong"], ["acme01", "wrong2"], ["nobody", "x"], [
            "acme01",
            "wrong3",
          ]]
        ) {
          const esme = await RawEsme.connect(port);
          const t0 = performance.now();
          statuses.push(await esme.bind(id, pw));
          waits.push(performance.now() - t0);
          await esme.close();
        }
        deepStrictEqual(statuses, [
          S.ESME_RINVPASWD,
          S.ESME_RINVPASWD,
          S.ESME_RINVSYSID,
          S.ESME_RINVPASWD,
        ]);
        // After 1 failure: 200 ms (auth_delay_ms_min); after 2 and more: 400 (doubled, capped at auth_delay_ms_max).
        ok(waits[1] >= 200, `second answer after ${waits[1]} ms`);
        ok(waits[2] >= 400, `third answer after ${waits[2]} ms`);
        ok(waits[3] >= 400, `fourth answer after ${waits[3]} ms`);
        // A good bind still works (itself still held back once).
        const good = await RawEsme.connect(port);
        const t0 = performance.now();
        strictEqual(await good.bind("acme01", "s3cret"), 0);
        ok(performance.now() - t0 >= 200);
        strictEqual((await good.request("unbind", {})) !== "timeout", true);
        await good.close();
        // deno-lint-ignore no-console
        console.log(`bind answers after failures: ${waits.map(Math.round).join(", ")} ms`);
      },
    );

    await t.step("a connection that never binds is closed after bind_timeout_ms", async () => {
      const silent = await RawEsme.connect(port);
      const chatty = await RawEsme.connect(port);
      const t0 = performance.now();
      // enquire_link is answered before a bind, but does not keep the connection.
      const keepAlive = (async () => {
        while (!chatty.ended) {
          const r = await chatty.request("enquire_link", {}, 2000);
          if (typeof r !== "string") strictEqual(r.header.command_status, 0);
          await sleep(200);
        }
      })();
      ok(await silent.waitEnded(5000), "silent connection closed");
      const silentMs = performance.now() - t0;
      ok(await chatty.waitEnded(5000), "chatty connection closed");
      await keepAlive;
      ok(silentMs >= 900, `closed after ${silentMs} ms`);
      await silent.close();
      await chatty.close();
      // deno-lint-ignore no-console
      console.log(
        `unbound connection closed after ${Math.round(silentMs)} ms (bind_timeout_ms 1000)`,
      );
    });

    await t.step("the bind past max_binds is refused with ESME_RBINDFAIL", async () => {
      const a = await NpmEsme.connect(port);
      const b = await NpmEsme.connect(port);
      const c = await NpmEsme.connect(port);
      strictEqual(await a.bind("acme01", "s3cret"), 0);
      strictEqual(await b.bind("acme01", "s3cret"), 0);
      strictEqual(await c.bind("acme01", "s3cret"), S.ESME_RBINDFAIL);
      await a.close();
      let status = -1;
      for (let i = 0; i < 20 && status !== 0; i++) {
        await sleep(50);
        status = await c.bind("acme01", "s3cret");
      }
      strictEqual(status, 0, "a freed slot can be bound again");
      await b.close();
      await c.close();
    });

    await t.step(
      "a burst of 50 submit_sm past submit_rate_max = 5 gets ESME_RTHROTTLED",
      async () => {
        const esme = await NpmEsme.connect(port);
        strictEqual(await esme.bind("acme01", "s3cret"), 0);
        const resps = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            esme.send("submit_sm", {
              ...source,
              ...dest,
              short_message: { message: Buffer.from(ascii(`burst ${i}`)) },
            })),
        );
        const okCount = resps.filter((r) => r.command_status === 0).length;
        const throttled = resps.filter((r) => r.command_status === S.ESME_RTHROTTLED).length;
        strictEqual(okCount + throttled, 50, "only ESME_ROK and ESME_RTHROTTLED");
        ok(okCount >= 5 && okCount <= 10, `${okCount} accepted`);
        await esme.close();
        // deno-lint-ignore no-console
        console.log(`throttle: ${okCount} accepted, ${throttled} ESME_RTHROTTLED of 50`);
      },
    );
  });
});

Deno.test("downlink: an ESME that stops reading holds up neither other binds nor core's messages", async () => {
  // Short timers so that the stalled bind is found out within the test.
  const acme = {
    ...ACME,
    maxBinds: 4,
    config: "response_timeout_ms = 1000\nenquire_link_ms = 1000\ninactivity_ms = 3000\n",
  };
  const config = "[core]\npeer_window = 20\n";
  await withDownlinkSite({ peers: [acme, BETA], config }, async (site) => {
    const good = await NpmEsme.connect(site.ports.acme);
    const beta = await NpmEsme.connect(site.ports.beta);
    strictEqual(await good.bind("acme01", "s3cret"), 0);
    strictEqual(await beta.bind("beta01", "b3ta"), 0);
    let keeping = true;
    const keepAlive = (async () => {
      while (keeping) {
        await good.send("enquire_link");
        await sleep(500);
      }
    })();

    const stalled = await RawEsme.connect(site.ports.acme, { stallAfterBind: true });
    strictEqual(await stalled.bind("acme01", "s3cret"), 0);
    // It never reads again, and floods enquire_link until the SMSC stops reading it too.
    let flooded = 0;
    const burst = concat(
      ...Array.from({ length: 4096 }, (_, i) => encode("enquire_link", 100 + i)),
    );
    const flood = (async () => {
      while (flooded < 32 << 20) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const wrote = await Promise.race([
          stalled.write(burst),
          new Promise<"blocked">((r) => timer = setTimeout(() => r("blocked"), 1000)),
        ]);
        clearTimeout(timer);
        if (wrote !== true) return wrote;
        flooded += burst.length;
      }
      return "done";
    })();

    const toAcme = sendMt(site, "130355503", "to-acme", 60, 0);
    const toBeta = sendMt(site, "172055504", "to-beta", 20, 0);
    const [acmeSent, betaSent] = await Promise.all([toAcme, toBeta]);
    // The other peer and the good bind are served meanwhile.
    await waitAll(beta, betaSent);
    const r = await good.send("submit_sm", {
      ...source,
      ...dest,
      short_message: { message: Buffer.from(ascii("while stalled")) },
    });
    strictEqual(r.command_status, 0);
    const floodEnd = await flood;
    // The downlink gives up on the stalled bind by itself.
    const gone = await site.downlinks.acme.waitFor(
      /ESME unbound .*reason=(inactivity|enquire-link-timeout)/,
      15_000,
    );
    // Once it is gone, the good bind gets what was not held by the stalled one.
    await sleep(1500);
    keeping = false;
    await keepAlive;
    ok(await isAlive(site.downlinks.acme));
    ok(await isAlive(site.core));
    deepStrictEqual(errorLines(site.downlinks.acme), []);
    deepStrictEqual(errorLines(site.core), []);

    // Nothing lost: every MT to acme is delivered to the good bind, or still active in core.
    const reader = await PmsReader.openReadOnly(`${site.dir}/state/pms.bin`);
    let delivered = 0;
    let active = 0;
    const lost: string[] = [];
    const goodGot = new Set(good.delivered.map((p) => new TextDecoder().decode(shortMessageOf(p))));
    try {
      for (const m of acmeSent) {
        const rec = await reader.readRecord(m.index);
        if (rec.state === "active") active++;
        else if (rec.disposition === "delivered" && goodGot.has(m.text)) delivered++;
        else lost.push(`${m.text}: ${rec.state}/${rec.disposition}, seen ${goodGot.has(m.text)}`);
      }
    } finally {
      await reader.close();
    }
    deepStrictEqual(lost, []);
    ok(delivered > 0, "the good bind received messages");
    await stalled.close().catch(() => {});
    await good.close();
    await beta.close();
    // deno-lint-ignore no-console
    console.log(
      `stalled reader: flooded ${flooded >> 20} MiB (${floodEnd}), closed by the downlink ` +
        `(${gone.match(/reason=\S+/)?.[0]}); of ${acmeSent.length} MT to acme ` +
        `${delivered} delivered to the good bind, ${active} still active`,
    );
  });
});

Deno.test({
  // A regression test: these two have no response PDU, and once ended the process.
  name: "downlink: outbind and alert_notification from an ESME are answered, before and after bind",
  async fn() {
    await withDownlinkSite({ peers: [ACME] }, async (site) => {
      for (const bound of [false, true]) {
        for (const command of ["outbind", "alert_notification"] as const) {
          const esme = await RawEsme.connect(site.ports.acme);
          if (bound) strictEqual(await esme.bind("acme01", "s3cret"), 0);
          const r = await esme.request(command, FIELDS[command], 3000);
          ok(typeof r !== "string", `${command} answered (bound ${bound}): ${r}`);
          strictEqual(r.header.command_id, ID.generic_nack);
          ok(r.header.command_status !== 0);
          await esme.close();
        }
      }
      ok(await isAlive(site.downlinks.acme));
    });
  },
});
