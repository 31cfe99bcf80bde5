/**
 * Durability of `smsc gsmif` under SIGKILL (issue #7): gsmif holds MT
 * custody of every message to three registered subscribers who answer each
 * MESSAGE with 200 but send no RP-ACK, so one message per subscriber is
 * always in flight and the rest wait behind it. gsmif is killed, core takes
 * the messages back, gsmif starts again, the subscribers register again on
 * new connections, and so on for several rounds; between kills the
 * subscribers acknowledge a few messages (drawn from a fixed seed), and
 * before every other kill a subscriber sends its RP-ACK just as gsmif dies. At the
 * end they acknowledge everything: every message is discharged `delivered`
 * in pms.bin and each subscriber received each of its messages.
 *
 * Duplicates: an RP-ACK that reached a gsmif killed before it told core
 * leaves the message active, and it is delivered again (docs/gsmif.md, MT
 * §2). The test counts messages acknowledged twice and requires at most one
 * per subscriber per kill: duplicates are limited to what was in flight.
 */

import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import type { PmsRecord } from "../../src/codec/pms/mod.ts";
import { decodeRp } from "../../src/codec/rp/mod.ts";
import { decodeTpdu } from "../../src/codec/tpdu/mod.ts";
import { Logger } from "../../src/lib/log.ts";
import { parseRetrySchedule } from "../../src/proto/retry.ts";
import { MtCustody } from "../../src/roles/gsmif/mt.ts";
import type { SipRequest } from "../../src/codec/sip/mod.ts";
import { PmsReader } from "../../src/store/pms_reader.ts";
import { CoreClient } from "../../src/transport/core_client.ts";
import { prng } from "../support/codec_harness.ts";
import { type Daemon, startDaemon } from "../support/daemon.ts";
import { freePort } from "../support/downlink_site.ts";
import { cliRecord, cliRecordBytes } from "../support/records.ts";
import { until } from "../support/scripted_smsc.ts";
import { runSmsc } from "../support/spawn.ts";
import { deliverText, isDeliver, mtOf, SipUe } from "../support/sip_ue.ts";

const FROM = "+12125550100";
const SUBSCRIBERS = ["12125550101", "12125550102", "12125550103"];
const PER_SUBSCRIBER = 8;
const KILLS = 4;
const password = (n: string) => `pw-${n.slice(-3)}`;

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

/** The text of an SMS-DELIVER MESSAGE and its RP-MR. */
function deliverOf(r: SipRequest): { mr: number; text: string } {
  const mt = mtOf(r);
  if (mt?.tpdu.type !== "sms-deliver") throw new Error("not an SMS-DELIVER");
  return { mr: mt.mr, text: deliverText(mt.tpdu).text };
}

Deno.test({
  name: "gsmif: SIGKILL while holding MT custody loses nothing; every message ends delivered",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const started = performance.now();
    const rand = prng(0x65_6d_6b11);
    const dir = await Deno.makeTempDir({ prefix: "smsc-gsmif-kill-" });
    const port = freePort();
    const env = { SMSC_CONFIG: "config.toml" };
    await Deno.writeTextFile(
      `${dir}/config.toml`,
      `[log]\nlevel = "info"\n[core]\nretry_delays = "1s"\n` +
        `[core_client]\nreconnect_delay_ms_max = 300\n` +
        `[gsmif]\nlisten_tcp = "127.0.0.1:${port}"\nmt_retry_delays = "1s"\n` +
        `rp_ack_timeout_ms = 5000\n`,
    );
    const daemons: Daemon[] = [];
    let client: CoreClient | undefined;
    let ues: SipUe[] = [];
    const allUes: SipUe[] = [];
    let passed = false;
    try {
      const core = await startDaemon(["core"], { cwd: dir, env, ready: / core ready / });
      daemons.push(core);
      for (const n of SUBSCRIBERS) {
        const r = await runSmsc(["numbers", "sip-user", "set", `+${n}`, "--password-stdin"], {
          cwd: dir,
          env,
          stdin: `${password(n)}\n`,
        });
        strictEqual(r.code, 0, r.stderr);
      }
      const startGsmif = async () => {
        const d = await startDaemon(["gsmif"], {
          cwd: dir,
          env,
          ready: / gsmif registered with core/,
        });
        daemons.push(d);
        return d;
      };
      const connectAll = async () => {
        ues = await Promise.all(SUBSCRIBERS.map((n) => SipUe.connect(port, n)));
        allUes.push(...ues);
        for (const ue of ues) strictEqual((await ue.register(password(ue.number))).status, 200);
      };
      let gsmif = await startGsmif();
      await connectAll();
      client = await CoreClient.connect(`${dir}/state/core.sock`);
      const c = client;
      const heldByGsmif = async () =>
        Number((await c.status()).find((e) => e.key === "queue.mt.gsmif")?.value);

      // Every message: who it is for, its text, its record index.
      const messages: { to: string; text: string; id: number }[] = [];
      for (let k = 0; k < PER_SUBSCRIBER; k++) {
        for (const to of SUBSCRIBERS) {
          const text = `kill-${to.slice(-3)}-${k}`;
          const r = await c.submit(cliRecordBytes(FROM, `+${to}`, text));
          if (r.result !== "ok") throw new Error(`SUBMIT refused: ${r.reason.text}`);
          messages.push({ to, text, id: r.index });
        }
      }
      const acked = new Map<string, number>(); // text -> RP-ACKs sent for it
      const ack = async (ue: SipUe, m: { mr: number; text: string }) => {
        acked.set(m.text, (acked.get(m.text) ?? 0) + 1);
        strictEqual((await ue.ack(m.mr)).status, 202);
      };
      const delivered = async () =>
        (await readRecords(dir)).filter((r, i) =>
          messages.some((m) => m.id === i) && r.disposition === "delivered"
        ).length;
      const heldAtKill: number[] = [];
      const racedAck: string[] = [];

      for (let round = 0; round < KILLS; round++) {
        // Each subscriber with messages left acknowledges 0-2 of them, then
        // leaves the next one in flight.
        const recs = await readRecords(dir);
        const left = (n: string) =>
          messages.filter((m) => m.to === n && recs[m.id].disposition !== "delivered").length;
        const busy = ues.filter((ue) => left(ue.number) > 0);
        for (const ue of busy) {
          for (let j = Math.min(int(rand, 3), left(ue.number) - 1); j > 0; j--) {
            await ack(ue, deliverOf(await ue.next(isDeliver)));
          }
        }
        const inFlight = await Promise.all(
          busy.map(async (ue) => deliverOf(await ue.next(isDeliver))),
        );
        const remaining = await until("gsmif holding every undelivered message", async () => {
          const undelivered = messages.length - (await delivered());
          return (await heldByGsmif()) === undelivered ? undelivered : undefined;
        });
        // In every other round, one subscriber's RP-ACK leaves just as gsmif dies.
        if (round % 2 === 1 && busy.length > 0) {
          const k = int(rand, busy.length);
          racedAck.push(inFlight[k].text);
          acked.set(inFlight[k].text, (acked.get(inFlight[k].text) ?? 0) + 1);
          void busy[k].ack(inFlight[k].mr).catch(() => {});
        }
        heldAtKill.push(remaining);
        await gsmif.kill();
        await Promise.all(ues.map((ue) => ue.closed));
        // Core takes everything back at once.
        await until(
          "custody back in core",
          async () => (await heldByGsmif()) === 0 ? true : undefined,
        );
        const takeBacks = await until("core's take-back line", () => {
          const all = [...core.output().matchAll(/custody returns to core messages=(\d+)/g)];
          return all.length === round + 1 ? all : undefined;
        });
        // What gsmif held is what core took back (a raced RP-ACK may have been discharged first).
        const back = Number(takeBacks[round][1]);
        ok(
          back === remaining || (back === remaining - 1 && round % 2 === 1),
          `${back} of ${remaining}`,
        );
        gsmif = await startGsmif();
        await connectAll();
      }

      // Now the subscribers acknowledge everything that comes.
      let draining = true;
      const drains = ues.map(async (ue) => {
        while (draining) {
          const r = await ue.next(isDeliver, 500).catch(() => undefined);
          if (r) await ack(ue, deliverOf(r));
        }
      });
      await until(
        "every message delivered",
        async () => (await delivered()) === messages.length ? true : undefined,
        60_000,
      );
      draining = false;
      await Promise.all(drains);

      const recs = await readRecords(dir);
      const wrong: string[] = [];
      for (const m of messages) {
        const rec = recs[m.id];
        if (rec.state !== "historical" || rec.disposition !== "delivered") {
          wrong.push(`${m.text}: ${rec.state} ${rec.disposition}`);
        }
        if (!acked.has(m.text)) wrong.push(`${m.text}: never received`);
      }
      // Every text went to its own subscriber only.
      for (const ue of allUes) {
        for (const r of ue.requests.filter(isDeliver)) {
          const { text } = deliverOf(r);
          if (!text.startsWith(`kill-${ue.number.slice(-3)}-`)) {
            wrong.push(`${text} to ${ue.number}`);
          }
        }
      }
      deepStrictEqual(wrong, []);
      // Each subscriber met its messages in order, across every restart.
      for (const n of SUBSCRIBERS) {
        const firsts = [
          ...new Set(
            allUes.filter((ue) => ue.number === n)
              .flatMap((ue) => ue.requests.filter(isDeliver).map((r) => deliverOf(r).text)),
          ),
        ];
        deepStrictEqual(firsts, messages.filter((m) => m.to === n).map((m) => m.text), n);
      }
      const twice = [...acked].filter(([, n]) => n > 1).map(([t]) => t);
      ok(
        twice.length <= KILLS * SUBSCRIBERS.length,
        `duplicates within what was in flight: ${twice}`,
      );
      // deno-lint-ignore no-console
      console.log(
        `${messages.length} messages to ${SUBSCRIBERS.length} silent subscribers, ${KILLS} SIGKILLs ` +
          `of gsmif holding ${heldAtKill} messages; all delivered; acknowledged twice: ` +
          `${twice.length} (${twice}), RP-ACK raced with the kill: ${racedAck}; ` +
          `${Math.round(performance.now() - started)} ms`,
      );
      passed = true;
    } finally {
      for (const ue of ues) ue.close();
      await client?.close().catch(() => {});
      for (const d of [...daemons].reverse()) await d.stop();
      if (!passed) {
        // deno-lint-ignore no-console
        for (const d of daemons) console.error(`--- daemon ---\n${d.output()}`);
      }
      await Deno.remove(dir, { recursive: true });
    }
  },
});

function int(rand: () => number, n: number): number {
  return Math.floor(rand() * n);
}

/**
 * BUG: reported, not fixed here. When gsmif loses core, a delivery attempt
 * that was in flight keeps going on a subscriber entry gsmif has forgotten
 * (src/roles/gsmif/mt.ts). `dropAll()` (line 122) answers the in-flight
 * attempt with a timeout and clears `#subs`, but leaves that entry's `queue`
 * and `inFlight` as they were; the attempt's continuation finds
 * `sub.inFlight.item === item` (line 191), takes the timeout for a
 * temporary failure and arms a retry timer (line 206) on the orphaned entry.
 * From then on it sends every message of that old queue again, every
 * `mt_retry_delays` wait until expiry, although core took them back and
 * transfers them again to a new entry: the handset gets each message from
 * two senders with different RP-MRs, and a discharge from the orphan races
 * the new entry's attempt. Seen by reading the code while writing the kill
 * test (which kills gsmif, not core, so it does not meet this path).
 */
Deno.test({
  name: "gsmif sends nothing more of what it held once it loses core",
  async fn() {
    const sent: string[] = [];
    const timers: { fn: () => void; live: boolean }[] = [];
    const custody = new MtCustody({
      clock: {
        now: () => 1_700_000_000_000,
        setTimer: (_ms, fn) => {
          const t = { fn, live: true };
          timers.push(t);
          return { cancel: () => t.live = false };
        },
      },
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
      discharge: () => Promise.resolve(true),
    });
    const ticks = async () => {
      for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
    };
    custody.transfer(1, cliRecord(FROM, `+${SUBSCRIBERS[0]}`, "in flight"));
    custody.transfer(2, cliRecord(FROM, `+${SUBSCRIBERS[0]}`, "waiting"));
    await ticks();
    custody.dropAll(); // core's connection is gone: core holds both again
    await ticks();
    for (const t of timers.filter((x) => x.live)) t.fn(); // any wait that is left runs out
    await ticks();
    custody.close();
    deepStrictEqual([sent, custody.held], [["in flight mr=0"], 0]);
  },
});
