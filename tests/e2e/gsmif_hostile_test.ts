/**
 * `smsc gsmif` against hostile SIP input (issue #7, "Bad input"), with real
 * `smsc core` and `smsc gsmif` processes:
 *
 * - a bounded fuzz (fixed seeds) of malformed SIP at the TCP listener, on
 *   fresh and on authenticated connections, and a smaller one over WebSocket;
 * - a bounded fuzz of malformed RP and TP bodies from an authenticated
 *   subscriber, each answer predicted from our own decoders;
 * - unauthenticated and wrongly authenticated MESSAGEs (401, nothing stored),
 *   and a From header that names someone else (the sender is who
 *   authenticated);
 * - oversized messages (413 / 513, connection closed);
 * - a subscriber that never answers RP-ACK, or answers 480 (the message stays
 *   in gsmif's custody and is tried again, then delivered).
 *
 * Allowed outcomes of a malformed request: a 4xx or 5xx answer, or the
 * connection closed; never a 1xx/2xx, never a 500 from a failing handler,
 * never a connection that hangs. Only that connection is affected: every
 * test ends by checking that gsmif is still running, logged no `error` line,
 * and serves a well-behaved subscriber.
 */

import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import type { PmsRecord } from "../../src/codec/pms/mod.ts";
import { decodeRp, encodeRp } from "../../src/codec/rp/mod.ts";
import { getHeaderValue, type SipResponse } from "../../src/codec/sip/mod.ts";
import { decodeTpdu } from "../../src/codec/tpdu/mod.ts";
import { PmsReader } from "../../src/store/pms_reader.ts";
import { CoreClient } from "../../src/transport/core_client.ts";
import { prng } from "../support/codec_harness.ts";
import { type Daemon, startDaemon } from "../support/daemon.ts";
import { freePort } from "../support/downlink_site.ts";
import { until } from "../support/scripted_smsc.ts";
import { type RunResult, runSmsc } from "../support/spawn.ts";
import { deliverText, isDeliver, mtOf, rpAck, rpOf, SipUe, submitRp } from "../support/sip_ue.ts";

const A = "12125550100";
const B = "12125550101";
const C = "12125550102"; // where fuzzed MO go: nobody registers it
const PASSWORD: Record<string, string> = { [A]: "pw-a", [B]: "pw-b" };
const MAX_MESSAGE_BYTES = 2048;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ascii = (s: string) => new TextEncoder().encode(s);

// ---------------------------------------------------------------------------
// The site: core and gsmif on a fresh state directory.

interface Site {
  dir: string;
  tcp: number;
  ws: number;
  gsmif: Daemon;
  smsc(args: string[], stdin?: string): Promise<RunResult>;
  /** Records of pms.bin submitted by subscribers (source class gsm). */
  moRecords(): Promise<PmsRecord[]>;
  records(): Promise<PmsRecord[]>;
}

async function readRecords(dir: string): Promise<PmsRecord[]> {
  const r = await PmsReader.openReadOnly(`${dir}/state/pms.bin`);
  try {
    const out: PmsRecord[] = [];
    for (let i = 0; i < r.recordCount; i++) out.push(await r.readRecord(i));
    return out;
  } finally {
    await r.close();
  }
}

/**
 * Runs `fn` with core and gsmif (demo subscribers A and B with SIP
 * passwords), then checks that gsmif is still running and logged no `error`
 * line, stops both and requires exit 0.
 */
async function withSite(gsmifConfig: string, fn: (site: Site) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "smsc-gsmif-hostile-" });
  const tcp = freePort();
  const ws = freePort();
  const env = { SMSC_CONFIG: "config.toml" };
  await Deno.writeTextFile(
    `${dir}/config.toml`,
    `[log]\nlevel = "info"\n[core]\nretry_delays = "1s"\n` +
      `[gsmif]\nlisten_tcp = "127.0.0.1:${tcp}"\nlisten_ws = "127.0.0.1:${ws}"\n` +
      `max_message_bytes = ${MAX_MESSAGE_BYTES}\n${gsmifConfig}\n`,
  );
  const daemons: Daemon[] = [];
  let passed = false;
  try {
    daemons.push(await startDaemon(["core"], { cwd: dir, env, ready: / core ready / }));
    for (const n of [A, B]) {
      const r = await runSmsc(["numbers", "sip-user", "set", `+${n}`, "--password-stdin"], {
        cwd: dir,
        env,
        stdin: `${PASSWORD[n]}\n`,
      });
      strictEqual(r.code, 0, r.stderr);
    }
    const gsmif = await startDaemon(["gsmif"], {
      cwd: dir,
      env,
      ready: / gsmif registered with core/,
    });
    daemons.push(gsmif);
    let exited = false;
    gsmif.exited.then(() => exited = true);
    await fn({
      dir,
      tcp,
      ws,
      gsmif,
      smsc: (args, stdin) => runSmsc(args, { cwd: dir, env, stdin }),
      moRecords: async () => (await readRecords(dir)).filter((r) => r.sourceClass === "gsm"),
      records: () => readRecords(dir),
    });
    strictEqual(exited, false, "gsmif is still running");
    const errors = gsmif.output().split("\n").filter((l) => l.startsWith("error "));
    deepStrictEqual(errors, [], "gsmif logged no error");
    for (const d of daemons.reverse()) {
      const status = await d.stop();
      strictEqual(status.code, 0, "clean stop");
    }
    passed = true;
  } finally {
    for (const d of daemons) await d.stop();
    if (!passed) {
      // deno-lint-ignore no-console
      for (const d of daemons) console.error(`--- daemon ---\n${d.output()}`);
    }
    await Deno.remove(dir, { recursive: true });
  }
}

/** A fresh subscriber A on TCP sends to a fresh B on WebSocket, who receives and acknowledges. */
async function assertServes(site: Site, label: string): Promise<void> {
  const a = await SipUe.connect(site.tcp, A);
  const b = await SipUe.connectWs(site.ws, B);
  try {
    strictEqual((await a.register(PASSWORD[A])).status, 200, `${label}: A registers`);
    strictEqual((await b.register(PASSWORD[B])).status, 200, `${label}: B registers`);
    const text = `still served after ${label}`;
    strictEqual((await a.message(submitRp(99, B, text))).status, 202);
    const ack = rpOf(await a.next((r) => rpOf(r).type === "RP-ACK" || rpOf(r).type === "RP-ERROR"));
    deepStrictEqual([ack.type, ack.messageReference], ["RP-ACK", 99]);
    // Messages to B that the test left waiting come first, in order: acknowledge them all.
    for (let k = 0;; k++) {
      ok(k < 1000, `${label}: B got its message`);
      const mt = mtOf(await b.next((r) => isDeliver(r)))!;
      if (mt.tpdu.type !== "sms-deliver") throw new Error(mt.tpdu.type);
      strictEqual((await b.ack(mt.mr)).status, 202);
      if (deliverText(mt.tpdu).text === text) break;
    }
  } finally {
    a.close();
    b.close();
  }
}

// ---------------------------------------------------------------------------
// Malformed SIP

type Rand = () => number;
const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const int = (rand: Rand, n: number) => Math.floor(rand() * n);

interface Draft {
  lines: string[];
  body: Uint8Array;
}

function draftMessage(n: number, rand: Rand): Draft {
  const body = submitRp(n % 256, C, `fuzz ${n}`);
  return {
    lines: [
      "MESSAGE sip:smsc@smsc.local SIP/2.0",
      `Via: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bKfz${n}x${int(rand, 1e6)}`,
      "Max-Forwards: 70",
      `From: <sip:+${A}@smsc.local>;tag=fz${n}`,
      "To: <sip:smsc@smsc.local>",
      `Call-ID: fz-${n}@test`,
      "CSeq: 1 MESSAGE",
      "Content-Type: application/vnd.3gpp.sms",
      `Content-Length: ${body.length}`,
    ],
    body,
  };
}

function draftRegister(n: number, rand: Rand): Draft {
  return {
    lines: [
      "REGISTER sip:smsc.local SIP/2.0",
      `Via: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bKfz${n}x${int(rand, 1e6)}`,
      "Max-Forwards: 70",
      `From: <sip:+${A}@smsc.local>;tag=fz${n}`,
      `To: <sip:+${A}@smsc.local>`,
      `Call-ID: fz-${n}@test`,
      "CSeq: 1 REGISTER",
      `Contact: <sip:+${A}@127.0.0.1:5999;transport=tcp>;+g.3gpp.smsip`,
      "Expires: 600",
      "Content-Length: 0",
    ],
    body: new Uint8Array(),
  };
}

function bytesOf(d: Draft, eol = "\r\n"): Uint8Array {
  const head = ascii(d.lines.join(eol) + eol + eol);
  const out = new Uint8Array(head.length + d.body.length);
  out.set(head);
  out.set(d.body, head.length);
  return out;
}

const BAD_VALUES: Record<string, string[]> = {
  Via: ["", "SIP/2.0/TCP", "garbage", "SIP/2.0/TCP 127.0.0.1:5999;branch=", "SIP/9/XYZ host"],
  From: ["", "<>", "<sip:>", "nobody", `<sip:+${A}@smsc.local`, "<tel:+>;tag=1"],
  To: ["", "<>", "<sip:@>", '"unterminated <sip:x@y>', "<mailto:a@b>"],
  CSeq: ["", "x MESSAGE", "1", "99999999999999999999 MESSAGE", "1 REGISTER", "-1 MESSAGE"],
  "Call-ID": ["", " ", "a b c"],
  "Content-Length": ["-1", "abc", "99999999999999999999", "1e3", "12 12", ""],
  "Max-Forwards": ["-1", "abc", "0", "99999999999"],
  Expires: ["abc", "-1", "99999999999999"],
  Contact: ["*", "<sip:x>;expires=abc", "garbage<<", "<sip:+1@h>;q=7", ""],
  "Content-Type": ["", "application/vnd.3gpp.sms; charset", "text/plain", "/"],
  Authorization: [
    "Digest",
    "Digest username=",
    `Digest username="${A}", realm="smsc.local", nonce="zz", uri="sip:smsc.local", response="00"`,
    "Basic Zm9vOmJhcg==",
    "Digest " + "a=b,".repeat(200),
    `Digest username="${A}", username="${B}", qop=auth, nc=zz, cnonce=""`,
  ],
};

const SPICY = [0x00, 0x0a, 0x0d, 0x20, 0x3a, 0x3b, 0x3c, 0x3e, 0x22, 0x2c, 0x40, 0xff, 0x80, 0x09];

type FuzzKind =
  | "mutate"
  | "insert"
  | "drop-header"
  | "bad-value"
  | "dup-header"
  | "line-ends"
  | "garbage"
  | "foreign"
  | "truncate";

interface FuzzCase {
  kind: FuzzKind;
  bytes: Uint8Array;
  /** True when nothing should answer (an unsolicited response). */
  silent?: boolean;
}

function foreign(n: number, rand: Rand): FuzzCase {
  const d = draftMessage(n, rand);
  const choices: (() => FuzzCase)[] = [
    () => ({ kind: "foreign", bytes: ascii("GET / HTTP/1.1\r\nHost: smsc\r\n\r\n") }),
    () => ({
      kind: "foreign",
      bytes: ascii(
        "SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bKnone\r\n" +
          `From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: x${n}\r\nCSeq: 1 MESSAGE\r\n` +
          "Content-Length: 0\r\n\r\n",
      ),
      silent: true,
    }),
    () => {
      d.lines[0] = "MESSAGE sip:smsc@smsc.local SIP/3.0";
      return { kind: "foreign", bytes: bytesOf(d) };
    },
    () => {
      d.lines[0] = pick(rand, ["FOO", "INVITE", "SUBSCRIBE", "PUBLISH"]) +
        " sip:smsc@smsc.local SIP/2.0";
      return { kind: "foreign", bytes: bytesOf(d) };
    },
    () => ({ kind: "foreign", bytes: ascii("MESSAGE sip:smsc@smsc.local SIP/2.0\r\n\r\n") }),
    () => ({
      kind: "foreign",
      bytes: Uint8Array.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]),
    }),
    () => {
      d.lines.splice(1, 0, "X-Long: " + "x".repeat(1500));
      return { kind: "foreign", bytes: bytesOf(d) };
    },
    () => {
      d.lines[0] = "MESSAGE not-a-uri SIP/2.0";
      return { kind: "foreign", bytes: bytesOf(d) };
    },
  ];
  return pick(rand, choices)();
}

/** One malformed input, drawn from `rand`. */
function fuzzCase(n: number, rand: Rand): FuzzCase {
  const d = rand() < 0.6 ? draftMessage(n, rand) : draftRegister(n, rand);
  const kind = pick(
    rand,
    [
      "mutate",
      "mutate",
      "insert",
      "drop-header",
      "bad-value",
      "bad-value",
      "bad-value",
      "dup-header",
      "line-ends",
      "garbage",
      "foreign",
      "foreign",
      "truncate",
    ] as const,
  );
  switch (kind) {
    case "mutate": {
      const bytes = bytesOf(d);
      for (let k = 1 + int(rand, 4); k > 0; k--) {
        bytes[int(rand, bytes.length)] = rand() < 0.6 ? pick(rand, SPICY) : int(rand, 256);
      }
      return { kind, bytes };
    }
    case "insert": {
      const src = bytesOf(d);
      const at = int(rand, src.length);
      const extra = Uint8Array.from({ length: 1 + int(rand, 8) }, () => pick(rand, SPICY));
      const bytes = new Uint8Array(src.length + extra.length);
      bytes.set(src.subarray(0, at));
      bytes.set(extra, at);
      bytes.set(src.subarray(at), at + extra.length);
      return { kind, bytes };
    }
    case "drop-header":
      d.lines.splice(1 + int(rand, d.lines.length - 1), 1);
      return { kind, bytes: bytesOf(d) };
    case "bad-value":
    case "dup-header": {
      const name = pick(rand, Object.keys(BAD_VALUES));
      const value = pick(rand, BAD_VALUES[name]);
      const at = d.lines.findIndex((l) => l.startsWith(`${name}:`));
      if (kind === "bad-value" && at > 0) d.lines[at] = `${name}: ${value}`;
      else d.lines.splice(1 + int(rand, d.lines.length - 1), 0, `${name}: ${value}`);
      return { kind, bytes: bytesOf(d) };
    }
    case "line-ends":
      return { kind, bytes: bytesOf(d, pick(rand, ["\n", "\r", "\r\r\n", "\n\r"])) };
    case "garbage":
      return { kind, bytes: Uint8Array.from({ length: 1 + int(rand, 300) }, () => int(rand, 256)) };
    case "foreign":
      return foreign(n, rand);
    case "truncate": {
      const bytes = bytesOf(d);
      return { kind, bytes: bytes.subarray(0, 1 + int(rand, bytes.length - 2)) };
    }
  }
}

function branchOf(r: SipResponse): string {
  return /branch=([^;,\s]+)/.exec(getHeaderValue(r, "Via") ?? "")?.[1] ?? "";
}

function probe(n: number): string {
  return `OPTIONS sip:smsc.local SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bKprobe${n}\r\n` +
    `Max-Forwards: 70\r\nFrom: <sip:probe@smsc.local>;tag=p${n}\r\nTo: <sip:smsc.local>\r\n` +
    `Call-ID: probe-${n}@test\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`;
}

/** What became of one case. */
interface Outcome {
  /** Statuses of the answers to the case (not the probe). */
  answers: number[];
  closed: boolean;
  /** The probe behind it was answered 200: the connection is still served. */
  served: boolean;
  /** TCP: neither answered nor closed until we ended the stream. */
  stalled: boolean;
  /** Nothing ended the connection even after our FIN (or, on WebSocket, at all). */
  hung: boolean;
}

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) return false;
    await sleep(5);
  }
  return true;
}

/**
 * Sends one case on `ue`'s connection, then a probe (OPTIONS) behind it, and
 * watches what happens. A truncated case on TCP is followed by FIN instead.
 */
async function runCase(ue: SipUe, c: FuzzCase, n: number, ws: boolean): Promise<Outcome> {
  let closed = false;
  ue.closed.then(() => closed = true);
  const mark = ue.responses.length;
  const probeBranch = `z9hG4bKprobe${n}`;
  const answers = () =>
    ue.responses.slice(mark).filter((r) => branchOf(r) !== probeBranch).map((r) => r.status);
  const served = () => ue.responses.slice(mark).some((r) => branchOf(r) === probeBranch);
  ue.sendRaw(c.bytes);
  let stalled = false;
  if (c.kind === "truncate" && !ws) {
    ue.closeWrite();
  } else {
    ue.sendRaw(probe(n));
    await waitFor(() => closed || served(), 500);
    // The case's own answer may come after the probe's (the MESSAGE handler is asynchronous).
    if (served() && !c.silent) await waitFor(() => answers().length > 0, 200);
    stalled = !closed && !served() && !ws;
    if (stalled) ue.closeWrite();
  }
  const hung = !(await waitFor(() => closed || (served() && !stalled), 3000));
  return { answers: answers(), closed, served: served(), stalled, hung };
}

/** Why an outcome breaks the rules, or undefined. */
function violation(c: FuzzCase, o: Outcome): string | undefined {
  if (o.hung) return "connection neither served nor closed";
  const low = o.answers.filter((s) => s < 400);
  if (low.length > 0) return `answered ${low}`;
  if (o.answers.includes(500)) return "answered 500 (a handler failed)";
  if (o.answers.some((s) => s >= 500) && !o.closed) return "a 5xx, yet the connection stays";
  if (c.silent) return o.answers.length === 0 && o.served ? undefined : "an answer to a response";
  if (o.answers.length === 0 && !o.closed) return "swallowed: no answer and the connection stays";
  return undefined;
}

function hex(b: Uint8Array): string {
  return [...b.subarray(0, 64)].map((x) => x.toString(16).padStart(2, "0")).join("");
}

interface Tally {
  cases: number;
  byKind: Record<string, number>;
  answered4xx: number;
  answered5xx: number;
  closed: number;
  stalled: number;
  statuses: Record<number, number>;
}

function tally(): Tally {
  return {
    cases: 0,
    byKind: {},
    answered4xx: 0,
    answered5xx: 0,
    closed: 0,
    stalled: 0,
    statuses: {},
  };
}

function count(t: Tally, c: FuzzCase, o: Outcome): void {
  t.cases++;
  t.byKind[c.kind] = (t.byKind[c.kind] ?? 0) + 1;
  if (o.answers.some((s) => s >= 400 && s < 500)) t.answered4xx++;
  if (o.answers.some((s) => s >= 500)) t.answered5xx++;
  if (o.closed) t.closed++;
  if (o.stalled) t.stalled++;
  for (const s of o.answers) t.statuses[s] = (t.statuses[s] ?? 0) + 1;
}

const TCP_CASES = 600;
const TCP_AUTH_CASES = 200;
const WS_CASES = 100;

Deno.test({
  name:
    "gsmif: bounded fuzz of malformed SIP over TCP and WebSocket gets 4xx or a closed connection",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withSite("", async (site) => {
      const started = performance.now();
      const wrong: string[] = [];
      const tcp = tally();
      const auth = tally();
      const ws = tally();
      const rand = prng(0x5ef_0007);
      // Fresh TCP connections: the request meets the transport, then authentication.
      for (let n = 0; n < TCP_CASES; n++) {
        const c = fuzzCase(n, rand);
        const ue = await SipUe.connect(site.tcp, A);
        const o = await runCase(ue, c, n, false);
        ue.close();
        count(tcp, c, o);
        const why = violation(c, o);
        if (why) wrong.push(`tcp #${n} ${c.kind} ${hex(c.bytes)}: ${why} ${JSON.stringify(o)}`);
      }
      strictEqual((await site.moRecords()).length, 0, "nothing stored from unauthenticated input");
      // Connections where A registered with valid credentials: a MESSAGE without
      // credentials passes authentication and reaches the MESSAGE handler.
      for (let n = TCP_CASES; n < TCP_CASES + TCP_AUTH_CASES; n++) {
        const c = fuzzCase(n, rand);
        const ue = await SipUe.connect(site.tcp, A);
        strictEqual((await ue.register(PASSWORD[A])).status, 200);
        const o = await runCase(ue, c, n, false);
        ue.close();
        count(auth, c, o);
        // On such a connection a case that is still a well-formed MESSAGE may be accepted.
        const accepted = o.answers.length === 1 && o.answers[0] === 202;
        const why = accepted ? undefined : violation(c, o);
        if (why) wrong.push(`auth #${n} ${c.kind} ${hex(c.bytes)}: ${why} ${JSON.stringify(o)}`);
      }
      // WebSocket: each message is one SIP message, so nothing may stall.
      for (let n = 10_000; n < 10_000 + WS_CASES; n++) {
        const c = fuzzCase(n, rand);
        const ue = await SipUe.connectWs(site.ws, A);
        const o = await runCase(ue, c, n, true);
        ue.close();
        count(ws, c, o);
        const why = violation(c, o);
        if (why) wrong.push(`ws #${n} ${c.kind} ${hex(c.bytes)}: ${why} ${JSON.stringify(o)}`);
      }
      // A WebSocket client that does not offer the subprotocol "sip" is refused.
      const refused = await new Promise<boolean>((resolve) => {
        const plain = new WebSocket(`ws://127.0.0.1:${site.ws}/`);
        plain.onopen = () => (plain.close(), resolve(false));
        plain.onerror = () => resolve(true);
      });
      ok(refused, "a WebSocket without subprotocol sip is refused");
      deepStrictEqual(wrong.slice(0, 10), [], `${wrong.length} cases broke the rules`);
      ok(tcp.closed > 0 && tcp.answered4xx > 0 && tcp.stalled + tcp.closed < tcp.cases);
      await assertServes(site, "the SIP fuzz");
      // deno-lint-ignore no-console
      console.log(
        `SIP fuzz: ${tcp.cases} on fresh TCP connections ${JSON.stringify(tcp)}; ` +
          `${auth.cases} on registered ones ${JSON.stringify(auth)}; ` +
          `${ws.cases} over WebSocket ${JSON.stringify(ws)}; ` +
          `${Math.round(performance.now() - started)} ms`,
      );
    });
  },
});

// ---------------------------------------------------------------------------
// Malformed RP and TP bodies

function rpBody(n: number, rand: Rand): Uint8Array {
  const good = submitRp(n % 256, C, `rp fuzz ${n}`);
  const kind = int(rand, 9);
  switch (kind) {
    case 0: // a few bytes changed
    case 1: {
      const b = good.slice();
      for (let k = 1 + int(rand, 3); k > 0; k--) b[int(rand, b.length)] = int(rand, 256);
      return b;
    }
    case 2: // truncated
      return good.subarray(0, int(rand, good.length));
    case 3: // random bytes
      return Uint8Array.from({ length: int(rand, 40) }, () => int(rand, 256));
    case 4: { // a good RP-DATA header around a random TPDU
      const tpdu = Uint8Array.from({ length: 1 + int(rand, 30) }, () => int(rand, 256));
      return encodeRp({
        type: "RP-DATA",
        direction: "ms-to-network",
        messageReference: n % 256,
        destinationAddress: { ton: 1, npi: 1, digits: "12125550199" },
        userData: tpdu,
      });
    }
    case 5: { // the TPDU of a good submit with bytes changed
      const b = good.slice();
      const rp = decodeRp(good, { direction: "ms-to-network" });
      if (rp.type !== "RP-DATA") throw new Error(rp.type);
      const start = good.length - rp.userData.length; // RP-User Data ends the message
      for (let k = 1 + int(rand, 3); k > 0; k--) {
        b[start + int(rand, rp.userData.length)] = int(rand, 256);
      }
      return b;
    }
    case 6: // RP messages that answer nothing, or in the wrong direction
      return encodeRp(pick(
        rand,
        [
          { type: "RP-ACK", direction: "ms-to-network", messageReference: int(rand, 256) },
          {
            type: "RP-ERROR",
            direction: "ms-to-network",
            messageReference: int(rand, 256),
            cause: { value: int(rand, 128) },
          },
          { type: "RP-SMMA", direction: "ms-to-network", messageReference: int(rand, 256) },
          {
            type: "RP-DATA",
            direction: "network-to-ms",
            messageReference: int(rand, 256),
            originatorAddress: { ton: 1, npi: 1, digits: "12125550199" },
            userData: new Uint8Array([0x04]),
          },
        ] as const,
      ));
    case 7: // an SMS-COMMAND (TP-MTI 2)
      return encodeRp({
        type: "RP-DATA",
        direction: "ms-to-network",
        messageReference: n % 256,
        destinationAddress: { ton: 1, npi: 1, digits: "12125550199" },
        userData: Uint8Array.from([
          0x02,
          n % 256,
          0x00,
          0x01,
          0x00,
          0x0b,
          0x91,
          0x21,
          0x21,
          0x55,
          0x05,
          0x10,
          0xf1,
          0x00,
        ]),
      });
    default: // extra bytes after a good message
      return Uint8Array.from([
        ...good,
        ...Array.from({ length: 1 + int(rand, 5) }, () => int(rand, 256)),
      ]);
  }
}

/** What gsmif must answer to an RP body, by our own decoders. */
type Expect =
  | { status: 400 }
  | { status: 202; rp: "none" }
  | { status: 202; rp: "ack"; mr: number }
  | { status: 202; rp: "error"; mr: number; cause: number }
  | { status: 202; rp: "ack-or-error"; mr: number };

function expectFor(body: Uint8Array): Expect {
  let rp;
  try {
    rp = decodeRp(body, { direction: "ms-to-network" });
  } catch {
    return { status: 400 };
  }
  if (rp.type === "RP-ACK" || rp.type === "RP-ERROR") return { status: 202, rp: "none" };
  if (rp.type === "RP-SMMA") return { status: 202, rp: "ack", mr: rp.messageReference };
  if (rp.direction !== "ms-to-network") return { status: 400 };
  let tpdu;
  try {
    tpdu = decodeTpdu(rp.userData, "ms-to-sc");
  } catch {
    return { status: 202, rp: "error", mr: rp.messageReference, cause: 96 };
  }
  if (tpdu.type !== "sms-submit") {
    return { status: 202, rp: "error", mr: rp.messageReference, cause: 97 };
  }
  return { status: 202, rp: "ack-or-error", mr: rp.messageReference };
}

const RP_CASES = 1000;

Deno.test({
  name:
    "gsmif: bounded fuzz of malformed RP and TP bodies gets 400 or the RP answer our decoders predict",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withSite("", async (site) => {
      const started = performance.now();
      const rand = prng(0x0b0d_1e5);
      const a = await SipUe.connect(site.tcp, A);
      const wrong: string[] = [];
      const seen: Record<string, number> = {};
      let acked = 0;
      try {
        strictEqual((await a.register(PASSWORD[A])).status, 200);
        const storedBefore = (await site.moRecords()).length;
        for (let n = 0; n < RP_CASES; n++) {
          const body = rpBody(n, rand);
          const want = expectFor(body);
          const res = await a.message(body);
          const callId = getHeaderValue(res, "Call-ID");
          const label = `#${n} ${hex(body)}`;
          if (res.status !== want.status) {
            wrong.push(`${label}: ${res.status}, expected ${want.status}`);
            continue;
          }
          const key = want.status === 400 ? "400" : `202 ${want.rp}`;
          seen[key] = (seen[key] ?? 0) + 1;
          if (want.status === 400 || want.rp === "none") continue;
          const answer = rpOf(await a.next((r) => getHeaderValue(r, "In-Reply-To") === callId));
          const got = answer.type === "RP-ERROR"
            ? `error ${answer.messageReference} ${answer.cause.value}`
            : `${answer.type} ${answer.messageReference}`;
          if (answer.messageReference !== want.mr) wrong.push(`${label}: ${got}, wrong RP-MR`);
          else if (want.rp === "ack" && answer.type !== "RP-ACK") wrong.push(`${label}: ${got}`);
          else if (
            want.rp === "error" &&
            (answer.type !== "RP-ERROR" || answer.cause.value !== want.cause)
          ) wrong.push(`${label}: ${got}, expected cause ${want.cause}`);
          else if (answer.type !== "RP-ACK" && answer.type !== "RP-ERROR") {
            wrong.push(`${label}: ${got}`);
          }
          if (want.rp === "ack-or-error" && answer.type === "RP-ACK") acked++;
        }
        // Exactly the MO that got RP-ACK were stored.
        const stored = (await site.moRecords()).length - storedBefore;
        deepStrictEqual(wrong.slice(0, 10), [], `${wrong.length} bodies answered wrongly`);
        strictEqual(stored, acked, "one record per RP-ACK of an MO, none for the others");
        ok(
          seen["400"] > 0 && seen["202 error"] > 0 && seen["202 ack-or-error"] > 0,
          JSON.stringify(seen),
        );
        // A body with another Content-Type is refused whatever it holds.
        const res = await a.request("MESSAGE", "sip:smsc@smsc.local", [[
          "Content-Type",
          "text/plain",
        ]], ascii("hi"));
        strictEqual(res.status, 415);
      } finally {
        a.close();
      }
      await assertServes(site, "the RP fuzz");
      // deno-lint-ignore no-console
      console.log(
        `RP fuzz: ${RP_CASES} bodies ${JSON.stringify(seen)}, ${acked} accepted and stored; ` +
          `${Math.round(performance.now() - started)} ms`,
      );
    });
  },
});

// ---------------------------------------------------------------------------
// Authentication

Deno.test({
  name:
    "gsmif: unauthenticated MESSAGEs get 401 and store nothing; the sender is who authenticated",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withSite("", async (site) => {
      const before = (await site.moRecords()).length;
      const a = await SipUe.connect(site.tcp, A);
      const b = await SipUe.connect(site.tcp, B);
      const spoof = await SipUe.connect(site.tcp, B); // From B, credentials of A
      try {
        // No credentials, not registered.
        const plain = await a.message(submitRp(1, B, "no credentials"));
        strictEqual(plain.status, 401);
        ok(getHeaderValue(plain, "WWW-Authenticate")?.startsWith("Digest "), "a challenge");
        // Wrong password, on REGISTER and on MESSAGE.
        strictEqual((await a.register("wrong")).status, 401);
        strictEqual(
          (await a.authorizedMessage(submitRp(2, B, "wrong password"), "wrong")).status,
          401,
        );
        // A username nobody has.
        strictEqual(
          (await a.authorizedMessage(submitRp(3, B, "unknown user"), "pw", "19995550000")).status,
          401,
        );
        // B registered on its own connection: a MESSAGE without credentials on
        // another connection, From B, is not B.
        strictEqual((await b.register(PASSWORD[B])).status, 200);
        strictEqual((await spoof.message(submitRp(4, A, "pretending to be B"))).status, 401);
        // REGISTER of B's number with A's credentials.
        const other = await SipUe.connect(site.tcp, B);
        try {
          strictEqual((await other.register(PASSWORD[A])).status, 401);
        } finally {
          other.close();
        }
        deepStrictEqual((await site.moRecords()).length, before, "nothing stored");
        // From says B, the credentials are A's: the message is A's.
        const res = await spoof.authorizedMessage(submitRp(5, B, "From lies"), PASSWORD[A], A);
        strictEqual(res.status, 202);
        const stored = await until("the MO", async () => {
          const recs = (await site.moRecords()).slice(before);
          return recs.length > 0 ? recs : undefined;
        });
        deepStrictEqual(stored.map((r) => [r.oa.digits, r.da?.digits]), [[A, B]]);
        // B, registered, receives it from A and acknowledges it.
        const mt = mtOf(await b.next(isDeliver))!;
        if (mt.tpdu.type !== "sms-deliver") throw new Error(mt.tpdu.type);
        deepStrictEqual([mt.tpdu.oa.digits, deliverText(mt.tpdu).text], [A, "From lies"]);
        strictEqual((await b.ack(mt.mr)).status, 202);
      } finally {
        a.close();
        b.close();
        spoof.close();
      }
      await assertServes(site, "the authentication checks");
    });
  },
});

// ---------------------------------------------------------------------------
// Oversized messages

Deno.test({
  name: "gsmif: oversized messages get 413 or 513 and their connection is closed",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withSite("", async (site) => {
      const before = (await site.moRecords()).length;
      const head = (extra: string, length: number) =>
        "MESSAGE sip:smsc@smsc.local SIP/2.0\r\n" +
        "Via: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bKbig\r\nMax-Forwards: 70\r\n" +
        `From: <sip:+${A}@smsc.local>;tag=big\r\nTo: <sip:smsc@smsc.local>\r\n` +
        "Call-ID: big@test\r\nCSeq: 1 MESSAGE\r\nContent-Type: application/vnd.3gpp.sms\r\n" +
        `${extra}Content-Length: ${length}\r\n\r\n`;
      const cases: {
        name: string;
        bytes: string;
        ws?: boolean;
        status?: number;
        mayLose?: boolean;
      }[] = [
        { name: "Content-Length beyond the limit", bytes: head("", 100_000), status: 413 },
        {
          name: "a header section beyond the limit",
          bytes: head(`X-Filler: ${"f".repeat(MAX_MESSAGE_BYTES)}\r\n`, 0),
          status: 513,
        },
        {
          name: "headers and body together beyond the limit",
          bytes: head(`X-Filler: ${"f".repeat(1200)}\r\n`, 1000) + "b".repeat(1000),
          status: 513,
        },
        {
          // gsmif closes with our bytes unread, so the kernel may reset the
          // connection before its 513 is read: the answer is optional here.
          name: "one header line of 100 kB",
          bytes: head(`X-Filler: ${"f".repeat(100_000)}\r\n`, 0),
          status: 513,
          mayLose: true,
        },
        {
          name: "a WebSocket message beyond the limit",
          bytes: head(`X-Filler: ${"f".repeat(MAX_MESSAGE_BYTES)}\r\n`, 0),
          ws: true,
          status: 513,
        },
        {
          name: "a WebSocket message beyond twice the limit (npm:ws closes it)",
          bytes: head(`X-Filler: ${"f".repeat(4 * MAX_MESSAGE_BYTES)}\r\n`, 0),
          ws: true,
        },
      ];
      for (const c of cases) {
        const ue = c.ws ? await SipUe.connectWs(site.ws, A) : await SipUe.connect(site.tcp, A);
        strictEqual((await ue.register(PASSWORD[A])).status, 200, c.name);
        const mark = ue.responses.length;
        ue.sendRaw(c.bytes);
        const closed = await Promise.race([
          ue.closed.then(() => true),
          sleep(5000).then(() => false),
        ]);
        ok(closed, `${c.name}: connection closed`);
        const statuses = ue.responses.slice(mark).map((r) => r.status);
        if (c.mayLose && statuses.length === 0) continue;
        if (c.status !== undefined) deepStrictEqual(statuses, [c.status], c.name);
        else deepStrictEqual(statuses, [], c.name);
        ue.close();
      }
      strictEqual((await site.moRecords()).length, before, "nothing stored");
      await assertServes(site, "oversized messages");
    });
  },
});

// ---------------------------------------------------------------------------
// A subscriber that never answers

Deno.test({
  name:
    "gsmif: a subscriber that never answers RP-ACK keeps the message in custody, retried, not lost",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withSite('mt_retry_delays = "1s"\nrp_ack_timeout_ms = 600\n', async (site) => {
      const b = await SipUe.connect(site.tcp, B);
      try {
        strictEqual((await b.register(PASSWORD[B])).status, 200);
        const sent = await site.smsc(["submit", `+${A}`, `+${B}`], "answer me");
        strictEqual(sent.code, 0, sent.stderr);
        const id = Number(sent.stdout.trim());
        // B answers 200 to each MESSAGE but never RP-ACK: the same message comes again.
        const attempts = [];
        for (let k = 0; k < 3; k++) attempts.push(mtOf(await b.next(isDeliver))!);
        for (const m of attempts) {
          if (m.tpdu.type !== "sms-deliver") throw new Error(m.tpdu.type);
          deepStrictEqual([m.tpdu.oa.digits, deliverText(m.tpdu).text], [A, "answer me"]);
        }
        strictEqual(new Set(attempts.map((m) => m.mr)).size, 3, "each attempt has its own RP-MR");
        const held = async () => {
          const core = await CoreClient.connect(`${site.dir}/state/core.sock`);
          try {
            return (await core.status()).find((e) => e.key === "queue.mt.gsmif")?.value;
          } finally {
            await core.close();
          }
        };
        strictEqual(await held(), "1", "gsmif holds it");
        strictEqual((await site.records())[id].state, "active");
        // Then B answers the SIP request with 480 for a while: still held, tried again.
        b.answerStatus = 480;
        const refused = b.requests.length;
        await b.next(isDeliver);
        await b.next(isDeliver);
        ok(b.requests.length - refused >= 2);
        strictEqual(await held(), "1", "still held after 480s");
        // An RP-ACK for an earlier attempt answers nothing: the message comes again.
        strictEqual((await b.message(rpAck(attempts[0].mr))).status, 202);
        b.answerStatus = 200;
        // B acknowledges the next attempt it answers 200 at once: delivered.
        let rec: PmsRecord | undefined;
        for (let k = 0; rec === undefined; k++) {
          ok(k < 3, "delivered after an RP-ACK");
          const m = await b.next(isDeliver);
          const last = mtOf(m)!;
          strictEqual((await b.ack(last.mr)).status, 202);
          rec = await until("delivered", async () => {
            const r = (await site.records())[id];
            return r.state === "historical" ? r : undefined;
          }, 2000).catch(() => undefined);
        }
        strictEqual(rec.disposition, "delivered");
        strictEqual(await held(), "0");
        // deno-lint-ignore no-console
        console.log(
          `never answered: ${b.requests.filter(isDeliver).length} attempts, then delivered`,
        );
      } finally {
        b.close();
      }
      await assertServes(site, "a silent subscriber");
    });
  },
});
