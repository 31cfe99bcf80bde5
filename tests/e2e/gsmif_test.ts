/**
 * `smsc gsmif` end to end with real core and gsmif processes and two SIP
 * UEs over TCP (tests/support/sip_ue.ts): digest REGISTER, MO from one
 * subscriber to another, MT to the second with RP-ACK, the RP-ACK back to
 * the first, status reports, an offline subscriber who registers later,
 * and an unauthenticated MESSAGE.
 */

import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { decodeRp, encodeRp } from "../../src/codec/rp/mod.ts";
import { decodeTpdu } from "../../src/codec/tpdu/mod.ts";
import { type Daemon, startDaemon } from "../support/daemon.ts";
import { freePort } from "../support/downlink_site.ts";
import { runSmsc } from "../support/spawn.ts";
import { SipUe, submitRp } from "../support/sip_ue.ts";

const A = "12125550100";
const B = "12125550101";

async function withGsmif<T>(fn: (port: number, dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "smsc-gsmif-" });
  const port = freePort();
  const daemons: Daemon[] = [];
  let ok = false;
  try {
    await Deno.writeTextFile(
      `${dir}/config.toml`,
      `[gsmif]\nlisten_tcp = "127.0.0.1:${port}"\nmt_retry_delays = "1s"\nrp_ack_timeout_ms = 2000\n` +
        `[core]\nretry_delays = "1s"\n`,
    );
    const env = { SMSC_CONFIG: "config.toml" };
    daemons.push(await startDaemon(["core"], { cwd: dir, env, ready: / core ready / }));
    for (const n of [A, B]) {
      const r = await runSmsc(["numbers", "sip-user", "set", `+${n}`, "--password-stdin"], {
        cwd: dir,
        env,
        stdin: `pw${n.slice(-3)}\n`,
      });
      strictEqual(r.code, 0, r.stderr);
    }
    daemons.push(
      await startDaemon(["gsmif"], { cwd: dir, env, ready: / gsmif registered with core/ }),
    );
    const result = await fn(port, dir);
    ok = true;
    return result;
  } finally {
    for (const d of daemons.reverse()) await d.stop();
    // deno-lint-ignore no-console
    if (!ok) { for (const d of daemons) console.error(`--- daemon ---\n${d.output()}`); }
    await Deno.remove(dir, { recursive: true });
  }
}

function rpOf(body: Uint8Array) {
  return decodeRp(body, { direction: "network-to-ms" });
}

Deno.test("gsmif: register with digest, MO to another subscriber, MT with RP-ACK, RP-ACK back", async () => {
  await withGsmif(async (port) => {
    const a = await SipUe.connect(port, A);
    const b = await SipUe.connect(port, B);
    try {
      strictEqual((await a.register("pw100")).status, 200);
      strictEqual((await b.register("pw101")).status, 200);
      // MO from A to B.
      strictEqual((await a.message(submitRp(7, B, "hello B", true))).status, 202);
      const ack = await a.waitRequest((r) => rpOf(r.body).type === "RP-ACK");
      deepStrictEqual([rpOf(ack.body).messageReference], [7]);
      // MT to B: RP-DATA with SMS-DELIVER from A.
      const mt = await b.waitRequest((r) => rpOf(r.body).type === "RP-DATA");
      const rp = rpOf(mt.body);
      if (rp.type !== "RP-DATA" || rp.direction !== "network-to-ms") throw new Error(rp.type);
      const deliver = decodeTpdu(rp.userData, "sc-to-ms");
      if (deliver.type !== "sms-deliver") throw new Error(deliver.type);
      strictEqual(deliver.oa.digits, A);
      // B acknowledges: the message is delivered, and A gets its status report.
      await b.message(
        encodeRp({
          type: "RP-ACK",
          direction: "ms-to-network",
          messageReference: rp.messageReference,
        }),
      );
      const report = await a.waitRequest((r) => {
        const x = rpOf(r.body);
        return x.type === "RP-DATA" &&
          decodeTpdu(x.userData, "sc-to-ms").type === "sms-status-report";
      });
      const srRp = rpOf(report.body);
      if (srRp.type !== "RP-DATA" || srRp.direction !== "network-to-ms") throw new Error(srRp.type);
      const sr = decodeTpdu(srRp.userData, "sc-to-ms");
      if (sr.type !== "sms-status-report") throw new Error(sr.type);
      deepStrictEqual([sr.mr, sr.ra.digits, sr.st], [7, B, 0]);
      await a.message(
        encodeRp({
          type: "RP-ACK",
          direction: "ms-to-network",
          messageReference: srRp.messageReference,
        }),
      );
    } finally {
      a.close();
      b.close();
    }
  });
});

Deno.test("gsmif: an unauthenticated MESSAGE is challenged, and MT waits for an offline subscriber", async () => {
  await withGsmif(async (port) => {
    const a = await SipUe.connect(port, A);
    try {
      // Not registered, no credentials: 401, nothing submitted.
      strictEqual((await a.message(submitRp(1, B, "sneaky"))).status, 401);
      strictEqual((await a.register("wrong")).status, 401);
      strictEqual((await a.register("pw100")).status, 200);
      strictEqual((await a.message(submitRp(2, B, "for later"))).status, 202);
      await a.waitRequest((r) => rpOf(r.body).type === "RP-ACK");
      // B registers only now and gets the message.
      await new Promise((r) => setTimeout(r, 1500));
      const b = await SipUe.connect(port, B);
      try {
        strictEqual((await b.register("pw101")).status, 200);
        const mt = await b.waitRequest((r) => rpOf(r.body).type === "RP-DATA");
        const rp = rpOf(mt.body);
        if (rp.type !== "RP-DATA" || rp.direction !== "network-to-ms") throw new Error(rp.type);
        const d = decodeTpdu(rp.userData, "sc-to-ms");
        strictEqual(d.type, "sms-deliver");
      } finally {
        b.close();
      }
    } finally {
      a.close();
    }
  });
});
