/**
 * A scriptable upstream SMSC on npm:smpp (a server nobody here wrote), for
 * tests of `smsc uplink` against an upstream that misbehaves (issue #6), and
 * a site around it: a real `smsc core` with the demo subscribers and a real
 * `smsc uplink` bound to the scripted server.
 *
 * The test decides, per bind attempt and per submit_sm, what the server does:
 * refuse the bind with a status, answer a submit_sm with a status (at once or
 * after a delay), leave it unanswered, or drop the connection on receiving it.
 * enquire_link can be left unanswered too. The server records every bind
 * attempt and every submit_sm with its text and what became of it: whether a
 * response was written to the socket before the connection ended, with which
 * status and message id. A dropped session ends with a TCP FIN after what was
 * already written (`socket.end()`), so an answer the server counts as written
 * reached the client; PDUs that arrive after the drop are recorded as
 * unanswered.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import smpp from "smpp";
import type { PmsRecord } from "../../src/codec/pms/mod.ts";
import { PmsReader } from "../../src/store/pms_reader.ts";
import { CoreClient } from "../../src/transport/core_client.ts";
import { type Daemon, startDaemon } from "./daemon.ts";
import { cliRecordBytes } from "./records.ts";
import { type RunResult, runSmsc } from "./spawn.ts";

// deno-lint-ignore no-explicit-any
type Session = any;
// deno-lint-ignore no-explicit-any
type LibPdu = any;

/** SMPP 3.4 §5.1.3 command_status values the scripts use. */
export const STATUS = {
  ESME_ROK: 0x00,
  ESME_RINVDSTADR: 0x0b,
  ESME_RBINDFAIL: 0x0d,
  ESME_RINVPASWD: 0x0e,
  ESME_RMSGQFUL: 0x14,
  ESME_RTHROTTLED: 0x58,
} as const;

/** One bind attempt the server saw. */
export interface BindAttempt {
  /** 1 for the first connection's bind, and so on. */
  n: number;
  command: string;
  systemId: string;
  password: string;
  /** The status the server answered. */
  status: number;
}

/** One submit_sm the server saw. */
export interface ReceivedSubmit {
  /** 1 for the first submit_sm over all sessions, and so on. */
  n: number;
  /** The bind attempt of its session. */
  bind: number;
  sequence: number;
  /** short_message as npm:smpp decodes it (GSM 7-bit default alphabet for data_coding 0). */
  text: string;
  source: string;
  destination: string;
  registeredDelivery: number;
  /** performance.now() when it arrived. */
  atMs: number;
  /** Set once a response was written: its status and message id. */
  answer?: { status: number; messageId: string };
  /** Set when the session ended (or had been dropped) before a response was written. */
  unanswered?: boolean;
}

/** What to do with one submit_sm. */
export type SubmitAction =
  | { answer: number; delayMs?: number }
  | { silent: true }
  | { drop: true };

/** The behaviour of the server; every hook may change between PDUs. */
export interface Script {
  /** The bind's status; accepts every bind when absent. */
  bind?(attempt: Omit<BindAttempt, "status">): number;
  /** What to do with a submit_sm; answers 0 at once when absent. */
  submit?(s: ReceivedSubmit): SubmitAction;
  /** Whether enquire_link is answered; true when absent. */
  answerEnquireLink?(): boolean;
}

/** A running scripted upstream. */
export interface ScriptedSmsc {
  port: number;
  /** Replace to change the behaviour from now on. */
  script: Script;
  readonly binds: BindAttempt[];
  readonly submits: ReceivedSubmit[];
  /** Requests and responses received, by npm:smpp command name. */
  counts(): Record<string, number>;
  /** Bound sessions now. */
  bound(): number;
  /** Sends a deliver_sm to the last bound session and resolves with the response's status. */
  sendDeliver(fields: Record<string, unknown>, timeoutMs?: number): Promise<number>;
  /** Sends an alert_notification (it has no response) to the last bound session. */
  sendAlert(fields: Record<string, unknown>): void;
  /** Ends every session (FIN after what was written). */
  dropAll(): void;
  close(): Promise<void>;
}

const DELIVER_DEFAULTS = {
  service_type: "",
  source_addr_ton: 1,
  source_addr_npi: 1,
  source_addr: "",
  dest_addr_ton: 1,
  dest_addr_npi: 1,
  destination_addr: "",
  esm_class: 0,
  protocol_id: 0,
  priority_flag: 0,
  schedule_delivery_time: "",
  validity_period: "",
  registered_delivery: 0,
  replace_if_present_flag: 0,
  data_coding: 0,
  sm_default_msg_id: 0,
  short_message: Buffer.alloc(0),
};

function textOf(pdu: LibPdu): string {
  const sm = pdu.short_message;
  if (sm && typeof sm.message === "string") return sm.message;
  if (sm && sm.message instanceof Uint8Array) return new TextDecoder().decode(sm.message);
  if (sm instanceof Uint8Array) return new TextDecoder().decode(sm);
  return "";
}

/**
 * Starts the scripted upstream on 127.0.0.1.
 *
 * @param options port (0 or absent for any) and the first script
 * @returns the running server
 */
export function startScriptedSmsc(
  options: { port?: number; script?: Script } = {},
): Promise<ScriptedSmsc> {
  const binds: BindAttempt[] = [];
  const submits: ReceivedSubmit[] = [];
  const counts: Record<string, number> = {};
  const sessions = new Set<Session>();
  const bound: Session[] = [];
  // Per session: its bind number, whether it was dropped, its submits without a response yet.
  const state = new Map<Session, { bind: number; dropped: boolean; open: Set<ReceivedSubmit> }>();
  let nextMessageId = 700001;
  let connections = 0;

  const drop = (session: Session) => {
    const st = state.get(session);
    if (!st || st.dropped) return;
    st.dropped = true;
    session.close();
  };

  const respond = (session: Session, s: ReceivedSubmit, pdu: LibPdu, status: number) => {
    const st = state.get(session)!;
    if (st.dropped || !session.socket.writable) return;
    const messageId = status === 0 ? String(nextMessageId++) : "";
    if (!session.send(pdu.response({ command_status: status, message_id: messageId }))) return;
    st.open.delete(s);
    s.answer = { status, messageId };
  };

  const onSubmit = (session: Session, pdu: LibPdu) => {
    const st = state.get(session)!;
    const s: ReceivedSubmit = {
      n: submits.length + 1,
      bind: st.bind,
      sequence: pdu.sequence_number,
      text: textOf(pdu),
      source: String(pdu.source_addr),
      destination: String(pdu.destination_addr),
      registeredDelivery: Number(pdu.registered_delivery ?? 0),
      atMs: performance.now(),
    };
    submits.push(s);
    if (st.dropped) {
      s.unanswered = true;
      return;
    }
    st.open.add(s);
    const action = server.script.submit?.(s) ?? { answer: 0 };
    if ("drop" in action) return drop(session);
    if ("silent" in action) return;
    if (action.delayMs) {
      setTimeout(() => respond(session, s, pdu, action.answer), action.delayMs);
    } else {
      respond(session, s, pdu, action.answer);
    }
  };

  const onPdu = (session: Session, pdu: LibPdu) => {
    counts[pdu.command] = (counts[pdu.command] ?? 0) + 1;
    const st = state.get(session)!;
    if (st.dropped && pdu.command !== "submit_sm") return;
    switch (pdu.command) {
      case "bind_transceiver":
      case "bind_transmitter":
      case "bind_receiver": {
        const attempt = {
          n: ++connections,
          command: pdu.command,
          systemId: String(pdu.system_id),
          password: String(pdu.password),
        };
        const status = server.script.bind?.(attempt) ?? 0;
        binds.push({ ...attempt, status });
        st.bind = attempt.n;
        session.send(pdu.response({ command_status: status, system_id: "scripted" }));
        if (status === 0) bound.push(session);
        return;
      }
      case "submit_sm":
        return onSubmit(session, pdu);
      case "enquire_link":
        if (server.script.answerEnquireLink?.() ?? true) session.send(pdu.response());
        return;
      case "unbind":
        session.send(pdu.response());
        return drop(session);
      default:
        return; // responses to our deliver_sm are matched by npm:smpp's callbacks
    }
  };

  const lib = smpp.createServer({}, (session: Session) => {
    sessions.add(session);
    state.set(session, { bind: 0, dropped: false, open: new Set() });
    session.on("pdu", (pdu: LibPdu) => onPdu(session, pdu));
    session.on("error", () => session.destroy());
    session.on("close", () => {
      sessions.delete(session);
      const i = bound.indexOf(session);
      if (i >= 0) bound.splice(i, 1);
      for (const s of state.get(session)!.open) s.unanswered = true;
    });
  });

  const lastBound = () => {
    const s = bound.findLast((x) => !state.get(x)!.dropped);
    if (!s) throw new Error("Cannot send to the uplink: no session is bound");
    return s;
  };

  const server: ScriptedSmsc = {
    port: 0,
    script: options.script ?? {},
    binds,
    submits,
    counts: () => ({ ...counts }),
    bound: () => bound.filter((s) => !state.get(s)!.dropped).length,
    sendDeliver(fields, timeoutMs = 5000) {
      const session = lastBound();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`Cannot read deliver_sm_resp: none within ${timeoutMs} ms`)),
          timeoutMs,
        );
        const pdu = new smpp.PDU("deliver_sm", { ...DELIVER_DEFAULTS, ...fields });
        session.send(pdu, (resp: LibPdu) => {
          clearTimeout(timer);
          resolve(resp.command_status);
        });
      });
    },
    sendAlert(fields) {
      lastBound().send(new smpp.PDU("alert_notification", fields));
    },
    dropAll() {
      for (const s of sessions) drop(s);
    },
    close() {
      return new Promise<void>((resolve) => {
        for (const s of sessions) s.destroy();
        lib.close(() => resolve());
      });
    },
  };

  return new Promise((resolve, reject) => {
    lib.once("error", reject);
    lib.listen(options.port ?? 0, "127.0.0.1", () => {
      lib.off("error", reject);
      server.port = lib.address().port;
      resolve(server);
    });
  });
}

/** The demo subscriber the test messages come from, and an address abroad they go to. */
export const FROM = "+12125550100";
export const ABROAD = "+442071234567";

/** A core with demo numbers, an uplink, and the scripted upstream it binds to. */
export interface UplinkSite {
  dir: string;
  core: Daemon;
  /** The uplink now running (replaced by `startUplink`). */
  uplink: Daemon;
  server: ScriptedSmsc;
  /** SUBMITs one message per text from FROM to ABROAD and returns their ids. */
  submit(texts: string[], fields?: Partial<PmsRecord>): Promise<number[]>;
  /** Runs `smsc ARGS` in the site, with its config. */
  smsc(args: string[], stdin?: string): Promise<RunResult>;
  /** Every record of pms.bin, read-only. */
  records(): Promise<PmsRecord[]>;
  /** Starts an uplink (after a kill); resolves once it wrote `ready`. */
  startUplink(ready?: RegExp): Promise<Daemon>;
}

/** Polls `fn` until it returns a value. */
export async function until<T>(
  what: string,
  fn: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function readAll(path: string): Promise<PmsRecord[]> {
  const r = await PmsReader.openReadOnly(path);
  try {
    const out: PmsRecord[] = [];
    for (let i = 0; i < r.recordCount; i++) out.push(await r.readRecord(i));
    return out;
  } finally {
    await r.close();
  }
}

/**
 * Runs `fn` with a fresh core (demo numbers on, `retry_delays = "1s"`), the
 * scripted upstream and an uplink bound to it, then stops everything. The
 * uplink counts as started once it wrote `uplinkReady` (default: "Upstream
 * link up") and registered with core. `core` and `uplink` are extra lines of
 * those tables; they may not repeat the keys set here (retry_delays,
 * peer_window; host, port, system_id, password, window, reconnect delays,
 * throttle_pause_ms). Every daemon's output is printed when `fn` fails.
 */
export async function withUplinkSite<T>(
  options: {
    script?: Script;
    core?: string;
    uplink?: string;
    uplinkReady?: RegExp;
    /** core.peer_window and uplink.window; 10 unless given. */
    window?: number;
  },
  fn: (site: UplinkSite) => Promise<T>,
): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "smsc-uplink-" });
  const server = await startScriptedSmsc({ script: options.script });
  const window = options.window ?? 10;
  const config = `[log]\nlevel = "info"\n` +
    `[core]\nretry_delays = "1s"\npeer_window = ${window}\n${options.core ?? ""}\n` +
    `[core_client]\nreconnect_delay_ms_max = 300\n` +
    `[uplink]\nhost = "127.0.0.1"\nport = ${server.port}\nsystem_id = "smscb"\n` +
    `password = "up-pw"\nwindow = ${window}\nreconnect_delay_ms_min = 100\n` +
    `reconnect_delay_ms_max = 400\nthrottle_pause_ms = 200\n${options.uplink ?? ""}\n`;
  await Deno.writeTextFile(`${dir}/config.toml`, config);
  const env = { SMSC_CONFIG: "config.toml" };
  const daemons: Daemon[] = [];
  let core: Daemon | undefined;
  let client: CoreClient | undefined;
  let ok = false;
  try {
    core = await startDaemon(["core"], { cwd: dir, env, ready: / core ready / });
    daemons.push(core);
    const startUplink = async (ready = options.uplinkReady ?? / Upstream link up /) => {
      const d = await startDaemon(["uplink"], { cwd: dir, env, ready });
      daemons.push(d);
      // The link may come up before the core connection does; MO would meet ESME_RX_T_APPN.
      await d.waitFor(/ uplink registered with core/);
      site.uplink = d;
      return d;
    };
    client = await CoreClient.connect(`${dir}/state/core.sock`);
    const c = client;
    const site: UplinkSite = {
      dir,
      core,
      uplink: undefined as unknown as Daemon,
      server,
      async submit(texts, fields = {}) {
        return await Promise.all(texts.map(async (text) => {
          const r = await c.submit(cliRecordBytes(FROM, ABROAD, text, fields));
          if (r.result !== "ok") throw new Error(`SUBMIT refused: ${r.reason.text}`);
          return r.index;
        }));
      },
      smsc: (args, stdin) => runSmsc(args, { cwd: dir, env, stdin }),
      records: () => readAll(`${dir}/state/pms.bin`),
      startUplink,
    };
    await startUplink();
    const result = await fn(site);
    ok = true;
    return result;
  } finally {
    await client?.close().catch(() => {});
    for (const d of [...daemons].reverse()) await d.stop();
    await server.close();
    if (!ok) {
      for (const d of daemons) {
        // deno-lint-ignore no-console
        console.error(`--- ${d === core ? "core" : "uplink"} ---\n${d.output()}`);
      }
    }
    await Deno.remove(dir, { recursive: true });
  }
}
