/**
 * gsmif in a whole site run by `smsc up` (issue #7, "End to end"): core, the
 * downlink for peer acme with an npm:smpp ESME bound to it, the uplink bound
 * to a scripted npm:smpp upstream, and gsmif on TCP and WebSocket with SIP
 * UEs (tests/support/sip_ue.ts). Every daemon is a real process started by
 * `up`; numbers.db is provisioned with `smsc numbers` before the first start.
 *
 * Flows: subscriber to subscriber (TCP to WebSocket and back), subscriber to
 * the ESME, subscriber to the upstream and back, the ESME to a subscriber who
 * is offline and registers later, status reports both ways (SMS-STATUS-REPORT
 * to a SIP originator; a receipt deliver_sm to the ESME when the subscriber
 * answers RP-ACK), and a long text from `smsc submit` delivered part by part
 * in order.
 */

import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { Buffer } from "node:buffer";
import { getHeaderValue, type SipRequest } from "../../src/codec/sip/mod.ts";
import { decodeRp } from "../../src/codec/rp/mod.ts";
import {
  decodeTpdu,
  interpretIe,
  type SmsDeliver,
  type SmsStatusReport,
} from "../../src/codec/tpdu/mod.ts";
import { Logger } from "../../src/lib/log.ts";
import { parseRetrySchedule } from "../../src/proto/retry.ts";
import { MtCustody } from "../../src/roles/gsmif/mt.ts";
import { CoreClient } from "../../src/transport/core_client.ts";
import { type Daemon, startDaemon } from "../support/daemon.ts";
import { freePort } from "../support/downlink_site.ts";
import { NpmEsme, shortMessageOf } from "../support/npm_esme.ts";
import { cliRecord } from "../support/records.ts";
import { type ScriptedSmsc, startScriptedSmsc, until } from "../support/scripted_smsc.ts";
import { type RunResult, runSmsc } from "../support/spawn.ts";
import {
  deliverText,
  isDeliver,
  isStatusReport,
  mtOf,
  rpOf,
  SipUe,
  submitRp,
} from "../support/sip_ue.ts";

const A = "12125550100"; // SIP over TCP
const B = "12125550101"; // SIP over WebSocket
const C = "12125550102"; // offline at first
const ESME_SOURCE = "13035550100"; // in acme's pool
const ESME_TARGET = "13035550123";
const ABROAD = "442071234567"; // no owner, no pool: the upstream
const PASSWORD: Record<string, string> = { [A]: "pw-a", [B]: "pw-b", [C]: "pw-c" };

/** A running site. */
interface Site {
  dir: string;
  up: Daemon;
  upstream: ScriptedSmsc;
  ports: { sip: number; ws: number; acme: number };
  smsc(args: string[], stdin?: string): Promise<RunResult>;
  /** Core's STATUS counter `key`. */
  status(key: string): Promise<string | undefined>;
  /**
   * Waits until gsmif holds nothing. Steps wait for it before the next MT to a
   * subscriber who just answered one: see the BUG note at the end.
   */
  idle(): Promise<void>;
}

async function provision(dir: string, env: Record<string, string>): Promise<void> {
  const run = async (args: string[], stdin?: string) => {
    const r = await runSmsc(args, { cwd: dir, env, stdin });
    strictEqual(r.code, 0, `smsc ${args.join(" ")}: ${r.stderr}`);
  };
  for (const n of [A, B, C]) {
    await run(["numbers", "add", `+${n}`, "--kind", "gsm", "--upstream"]);
    await run(["numbers", "imsi", "set", `+${n}`, `001010000000${n.slice(-3)}`]);
    await run(["numbers", "sip-user", "set", `+${n}`, "--password-stdin"], `${PASSWORD[n]}\n`);
  }
  await run(
    ["numbers", "peer", "add", "acme", "--system-id", "acme01", "--password-stdin"],
    "acme-pw\n",
  );
  await run(["numbers", "pool", "add", "acme", "+1303555*"]);
}

/**
 * Runs `fn` on a fresh site under `smsc up`, then stops `up` with SIGTERM and
 * requires exit 0. Prints up's output (every child's lines) when anything fails.
 */
async function withSite(fn: (site: Site) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "smsc-gsmif-site-" });
  const upstream = await startScriptedSmsc();
  const ports = { sip: freePort(), ws: freePort(), acme: freePort() };
  const env = { SMSC_CONFIG: "config.toml" };
  await Deno.writeTextFile(
    `${dir}/config.toml`,
    `[log]\nlevel = "info"\n[core]\nretry_delays = "1s"\n` +
      `[core_client]\nreconnect_delay_ms_max = 300\n` +
      `[downlink.peer.acme]\nlisten = "127.0.0.1:${ports.acme}"\n` +
      `[uplink]\nhost = "127.0.0.1"\nport = ${upstream.port}\nsystem_id = "smscb"\n` +
      `password = "up-pw"\nreconnect_delay_ms_min = 100\nreconnect_delay_ms_max = 400\n` +
      `[gsmif]\nlisten_tcp = "127.0.0.1:${ports.sip}"\nlisten_ws = "127.0.0.1:${ports.ws}"\n` +
      `mt_retry_delays = "1s"\nrp_ack_timeout_ms = 3000\n`,
  );
  let up: Daemon | undefined;
  let core: CoreClient | undefined;
  let passed = false;
  try {
    await provision(dir, env);
    up = await startDaemon(["up", "--config", "config.toml"], {
      cwd: dir,
      ready: / gsmif registered with core/,
    });
    await up.waitFor(/ downlink registered with core/);
    await up.waitFor(/ uplink registered with core/);
    await up.waitFor(/ Upstream link up/);
    core = await CoreClient.connect(`${dir}/state/core.sock`);
    const c = core;
    const status = async (key: string) => (await c.status()).find((e) => e.key === key)?.value;
    await fn({
      dir,
      up,
      upstream,
      ports,
      smsc: (args, stdin) => runSmsc(args, { cwd: dir, env, stdin }),
      status,
      idle: async () => {
        await until(
          "gsmif idle",
          async () => (await status("queue.mt.gsmif")) === "0" || undefined,
        );
      },
    });
    await core.close();
    const stopped = await up.stop();
    strictEqual(stopped.code, 0, "smsc up stops cleanly");
    passed = true;
  } finally {
    await core?.close().catch(() => {});
    if (up && !passed) {
      await up.stop();
      // deno-lint-ignore no-console
      console.error(`--- output of smsc up ---\n${up.output()}`);
    }
    await upstream.close();
    await Deno.remove(dir, { recursive: true });
  }
}

function deliverOf(r: SipRequest): { mr: number; d: SmsDeliver } {
  const mt = mtOf(r);
  if (mt?.tpdu.type !== "sms-deliver") throw new Error("not an SMS-DELIVER");
  return { mr: mt.mr, d: mt.tpdu };
}

function reportOf(r: SipRequest): { mr: number; sr: SmsStatusReport } {
  const mt = mtOf(r);
  if (mt?.tpdu.type !== "sms-status-report") throw new Error("not an SMS-STATUS-REPORT");
  return { mr: mt.mr, sr: mt.tpdu };
}

/** Sends an MO and checks the RP-ACK that comes back In-Reply-To it. */
async function mo(ue: SipUe, mr: number, to: string, text: string, srr: boolean): Promise<void> {
  const res = await ue.message(submitRp(mr, to, text, srr));
  strictEqual(res.status, 202);
  const callId = getHeaderValue(res, "Call-ID");
  const answer = await ue.next((r) => getHeaderValue(r, "In-Reply-To") === callId);
  const rp = rpOf(answer);
  deepStrictEqual([rp.type, rp.messageReference], ["RP-ACK", mr], `RP answer to MO ${mr}`);
}

/** Waits for the status report of TP-MR `mr`, checks it and acknowledges it. */
async function expectReport(ue: SipUe, mr: number, ra: string): Promise<void> {
  const req = await ue.next((r) => isStatusReport(r) && reportOf(r).sr.mr === mr);
  const { mr: rpMr, sr } = reportOf(req);
  deepStrictEqual([sr.mr, sr.ra.digits, sr.st], [mr, ra, 0], "SMS-STATUS-REPORT: delivered");
  strictEqual((await ue.ack(rpMr)).status, 202);
}

const LONG_PARTS = 4;
const LONG_TEXT = Array.from(
  { length: 8 },
  (_, i) => `Part of a long story, sentence ${i + 1} of eight, padded out to make it longer.`,
).join(" ");

Deno.test({
  name: "gsmif in a whole site under smsc up: SIP, the ESME and the upstream, reports both ways",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await withSite(async (site) => {
      // A failed step ends the test at once (and prints up's output).
      const step = async (name: string, fn: () => Promise<void>) => {
        if (!(await t.step(name, fn))) throw new Error(`step failed: ${name}`);
        await site.idle();
      };
      const a = await SipUe.connect(site.ports.sip, A);
      const b = await SipUe.connectWs(site.ports.ws, B);
      const esme = await NpmEsme.connect(site.ports.acme);
      try {
        strictEqual((await a.register(PASSWORD[A])).status, 200);
        strictEqual((await b.register(PASSWORD[B])).status, 200);
        strictEqual(await esme.bind("acme01", "acme-pw"), 0);

        await step(
          "subscriber (TCP) to subscriber (WebSocket) and back, with a report",
          async () => {
            await mo(a, 1, B, "hello B over WebSocket", true);
            const mt = await b.next(isDeliver);
            const { mr, d } = deliverOf(mt);
            deepStrictEqual([d.oa.digits, deliverText(d).text], [A, "hello B over WebSocket"]);
            strictEqual((await b.ack(mr)).status, 202);
            await expectReport(a, 1, B);
            // The reply goes MO over WebSocket.
            await mo(b, 2, A, "hello A from WebSocket", false);
            const back = deliverOf(await a.next(isDeliver));
            deepStrictEqual([back.d.oa.digits, deliverText(back.d).text], [
              B,
              "hello A from WebSocket",
            ]);
            strictEqual((await a.ack(back.mr)).status, 202);
          },
        );

        await step("subscriber to the ESME (acme's pool), report when it answers", async () => {
          await mo(a, 3, ESME_TARGET, "to the ESME", true);
          const got = await esme.waitDeliver((p) => p.destination_addr === ESME_TARGET);
          strictEqual(new TextDecoder().decode(shortMessageOf(got)), "to the ESME");
          strictEqual(got.source_addr, A);
          await expectReport(a, 3, ESME_TARGET);
        });

        await step("subscriber to the upstream, its receipt, and a message back", async () => {
          await mo(a, 4, ABROAD, "to the world", true);
          const s = await until(
            "the submit_sm upstream",
            () => site.upstream.submits.find((x) => x.destination === ABROAD && x.answer),
          );
          deepStrictEqual([s.text, s.source, s.registeredDelivery & 1], [
            "to the world",
            A,
            1,
          ]);
          // The upstream's receipt turns into A's status report.
          const receipt = `id:${s.answer!.messageId} sub:001 dlvrd:001 submit date:2501011200 ` +
            `done date:2501011201 stat:DELIVRD err:000 text:to the world`;
          strictEqual(
            await site.upstream.sendDeliver({
              source_addr: ABROAD,
              destination_addr: A,
              esm_class: 0x04,
              short_message: Buffer.from(receipt),
              receipted_message_id: s.answer!.messageId,
              message_state: 2,
            }),
            0,
          );
          await expectReport(a, 4, ABROAD);
          // MO from the outside world to B.
          strictEqual(
            await site.upstream.sendDeliver({
              source_addr: ABROAD,
              destination_addr: B,
              short_message: Buffer.from("from abroad"),
            }),
            0,
          );
          const mt = deliverOf(await b.next(isDeliver));
          deepStrictEqual([mt.d.oa.digits, deliverText(mt.d).text], [ABROAD, "from abroad"]);
          strictEqual((await b.ack(mt.mr)).status, 202);
        });

        await step(
          "the ESME to an offline subscriber, who registers later; receipt on RP-ACK",
          async () => {
            const r = await esme.send("submit_sm", {
              source_addr_ton: 1,
              source_addr_npi: 1,
              source_addr: ESME_SOURCE,
              dest_addr_ton: 1,
              dest_addr_npi: 1,
              destination_addr: C,
              registered_delivery: 1,
              short_message: { message: Buffer.from("for C, later") },
            });
            strictEqual(r.command_status, 0);
            // gsmif holds it and finds nobody registered.
            await until(
              "gsmif custody",
              async () => (await site.status("queue.mt.gsmif")) === "1" || undefined,
            );
            await new Promise((res) => setTimeout(res, 1500)); // at least one retry finds nobody
            const c = await SipUe.connect(site.ports.sip, C);
            try {
              strictEqual((await c.register(PASSWORD[C])).status, 200);
              const mt = deliverOf(await c.next(isDeliver));
              deepStrictEqual([mt.d.oa.digits, deliverText(mt.d).text], [
                ESME_SOURCE,
                "for C, later",
              ]);
              // No receipt while the subscriber has not answered.
              strictEqual(
                esme.delivered.some((p) => p.receipted_message_id === r.message_id),
                false,
              );
              strictEqual((await c.ack(mt.mr)).status, 202);
              const receipt = await esme.waitDeliver((p) =>
                p.receipted_message_id === r.message_id
              );
              deepStrictEqual([receipt.message_state, receipt.source_addr, receipt.esm_class], [
                2,
                C,
                0x04,
              ]);
            } finally {
              c.close();
            }
          },
        );

        await step("a long text from smsc submit arrives part by part, in order", async () => {
          const before = b.requests.filter(isDeliver).length;
          const sent = await site.smsc(["submit", `+${A}`, `+${B}`], LONG_TEXT);
          strictEqual(sent.code, 0, sent.stderr);
          const ids = sent.stdout.trim().split(/\s+/);
          strictEqual(ids.length, LONG_PARTS, `segments: ${ids}`);
          const parts: string[] = [];
          for (let k = 1; k <= ids.length; k++) {
            const mt = deliverOf(await b.next(isDeliver));
            // Nothing else comes while this part waits for its RP-ACK.
            await new Promise((res) => setTimeout(res, 300));
            strictEqual(b.requests.filter(isDeliver).length - before, k, `part ${k} alone`);
            const { text, udh } = deliverText(mt.d);
            const concat = (udh ?? []).map(interpretIe).find((v) => v.kind === "concat");
            if (concat?.kind !== "concat") throw new Error(`part ${k} has no concatenation IE`);
            deepStrictEqual([concat.sequence, concat.total], [k, ids.length], `part ${k} in order`);
            if (k === ids.length) strictEqual(mt.d.mms, true, "TP-MMS: nothing more waiting");
            parts.push(text);
            strictEqual((await b.ack(mt.mr)).status, 202);
          }
          strictEqual(parts.join(""), LONG_TEXT);
        });

        await step("every message ends delivered in pms.bin", async () => {
          const dump = await site.smsc(["dump", "--json"]);
          strictEqual(dump.code, 0, dump.stderr);
          const recs = dump.stdout.trim().split("\n").map((l) => JSON.parse(l));
          deepStrictEqual(recs.filter((r) => r.state === "active"), [], "nothing left active");
          // The upstream's receipt is kept for the audit trail; everything else was delivered.
          const notDelivered = recs.filter((r) => r.disposition !== "delivered")
            .map((r) => [r.sourceClass, r.disposition]);
          deepStrictEqual(notDelivered, [["upstream", "stored-only"]]);
          // 4 MO, 3 reports to A and 1 to the ESME, the upstream's receipt, one message from
          // abroad, one from the ESME, and the parts of the long text.
          strictEqual(recs.length, 11 + LONG_PARTS, "no record more or less");
        });
      } finally {
        a.close();
        b.close();
        await esme.close();
      }
    });
  },
});

/**
 * BUG: reported, not fixed here. gsmif sends one message twice at once when
 * core transfers it while gsmif is still reporting the discharge of the
 * previous message to the same subscriber (src/roles/gsmif/mt.ts).
 * `#attempt` clears `sub.inFlight` and then awaits `#finish` (MT_DISCHARGE to
 * core, line 217) with the subscriber still in `#subs`, `inFlight` and
 * `retryTimer` both undefined. A `transfer()` in that window (line 90) takes
 * the subscriber for idle and starts `#attempt` on the new queue head; when
 * the discharge returns, `#next` (line 212) starts a second `#attempt` on
 * the same head. The second replaces `inFlight` with a new RP-MR, so the
 * handset's RP-ACK to the first copy "answers nothing in flight"; the first
 * attempt later times out and schedules a retry beside the second one, and
 * the messages behind it wait. `kick()` (line 107; a REGISTER or RP-SMMA)
 * in the same window does the same. Seen as a 10 s stall of the site test
 * above (an SMS-STATUS-REPORT queued behind a twice-sent message); the site
 * test now waits until gsmif holds nothing before the next MT to the same
 * subscriber. This test drives MtCustody directly, the discharge held open.
 */
Deno.test({
  name: "gsmif MT custody sends a message transferred during a pending discharge only once",
  async fn() {
    const sent: string[] = [];
    let release!: () => void;
    const custody = new MtCustody({
      clock: { now: () => 1_700_000_000_000, setTimer: () => ({ cancel() {} }) },
      logger: new Logger("gsmif", "mt"),
      schedule: parseRetrySchedule("1s", "gsmif.mt_retry_delays"),
      rpAckTimeoutMs: 30_000,
      smscAddress: "12125550199",
      send: (_msisdn, rp) => {
        const mt = decodeRp(rp, { direction: "network-to-ms" });
        if (mt.type !== "RP-DATA") throw new Error(mt.type);
        const d = decodeTpdu(mt.userData, "sc-to-ms");
        if (d.type !== "sms-deliver") throw new Error(d.type);
        sent.push(`${deliverText(d).text} mr=${mt.messageReference}`);
        return Promise.resolve({ kind: "sent" });
      },
      discharge: () => new Promise((resolve) => release = () => resolve(true)),
    });
    const ticks = async () => {
      for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
    };
    custody.transfer(1, cliRecord(`+${A}`, `+${B}`, "first"));
    await ticks();
    ok(custody.rpAnswer(B, 0, { kind: "ack" }), "the RP-ACK answers the first");
    await ticks(); // MT_DISCHARGE of "first" is on its way to core
    custody.transfer(2, cliRecord(`+${A}`, `+${B}`, "second"));
    await ticks();
    release();
    await ticks();
    custody.close();
    deepStrictEqual(sent, ["first mr=0", "second mr=1"]);
  },
});
