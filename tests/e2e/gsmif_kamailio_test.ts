/**
 * `smsc gsmif` behind Kamailio 5.6 (tests/support/kamailio.ts,
 * tests/fixtures/kamailio/gsmif.cfg): Kamailio is the registrar and
 * authenticates subscribers (401 on REGISTER, 407 on MESSAGE), forwards
 * their MESSAGEs to gsmif, and routes gsmif's MESSAGEs (it is gsmif's
 * `outbound_proxy`) to the registered contact; gsmif runs with
 * `allow_unauthenticated = true` and trusts the From number Kamailio
 * checked. Subscribers reach Kamailio over TCP (tests/support/sip_ue.ts) and
 * over WebSocket (WsUe): MO with its RP-ACK, MT with the subscriber's
 * RP-ACK, status reports, both directions between the two transports, and
 * an MT that waits until its subscriber registers.
 */

import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import type { RpMessage } from "../../src/codec/rp/mod.ts";
import type { SipRequest } from "../../src/codec/sip/mod.ts";
import { decodeTpdu, type SmsDeliver, type SmsStatusReport } from "../../src/codec/tpdu/mod.ts";
import { decodeGsm7, unpackSeptets } from "../../src/codec/gsm0338/mod.ts";
import { digestAuthorization, proxyMessage, withKamailioSite, WsUe } from "../support/kamailio.ts";
import { rpAck, rpOf, SipUe, submitRp } from "../support/sip_ue.ts";

const A = "12125550100";
const B = "12125550101";
const C = "12125550102";
const PASSWORD: Record<string, string> = { [A]: "kam-pw-a", [B]: "kam-pw-b", [C]: "kam-pw-c" };
const USERS = [A, B, C].map((n) => ({ number: n, password: PASSWORD[n] }));

function isRp(type: RpMessage["type"]): (r: SipRequest) => boolean {
  return (r) => rpOf(r).type === type;
}

/** The TPDU of an RP-DATA network→MS. */
function tpduOf(r: SipRequest): SmsDeliver | SmsStatusReport {
  const rp = rpOf(r);
  if (rp.type !== "RP-DATA" || rp.direction !== "network-to-ms") throw new Error(rp.type);
  const t = decodeTpdu(rp.userData, "sc-to-ms");
  if (t.type !== "sms-deliver" && t.type !== "sms-status-report") throw new Error(t.type);
  return t;
}

function isTpdu(type: "sms-deliver" | "sms-status-report"): (r: SipRequest) => boolean {
  return (r) => rpOf(r).type === "RP-DATA" && tpduOf(r).type === type;
}

function deliverOf(r: SipRequest): SmsDeliver {
  const t = tpduOf(r);
  if (t.type !== "sms-deliver") throw new Error(t.type);
  return t;
}

function reportOf(r: SipRequest): SmsStatusReport {
  const t = tpduOf(r);
  if (t.type !== "sms-status-report") throw new Error(t.type);
  return t;
}

function textOf(r: SipRequest): string {
  const d = deliverOf(r);
  return decodeGsm7(unpackSeptets(d.ud, d.udl));
}

/** The Via lines of a request, top first. */
function vias(r: SipRequest): string[] {
  return r.headers.filter((h) => h.name.toLowerCase() === "via").map((h) => h.value);
}

Deno.test("gsmif behind Kamailio over TCP: Kamailio authenticates, MO with RP-ACK, MT with RP-ACK, status report", async () => {
  await withKamailioSite(USERS, async ({ kamailio }) => {
    const a = await SipUe.connect(kamailio.tcpPort, A);
    const b = await SipUe.connect(kamailio.tcpPort, B);
    try {
      // Kamailio is the registrar: a wrong password is refused there.
      strictEqual((await a.register("wrong")).status, 401);
      strictEqual((await a.register(PASSWORD[A])).status, 200);
      strictEqual((await b.register(PASSWORD[B])).status, 200);
      // Without credentials Kamailio challenges the MESSAGE and nothing reaches gsmif.
      strictEqual((await a.message(submitRp(6, B, "no credentials"))).status, 407);
      // MO from A to B with a status report requested.
      strictEqual(
        (await proxyMessage(a, PASSWORD[A], submitRp(7, B, "hello B", true))).status,
        202,
      );
      const ack = await a.waitRequest(isRp("RP-ACK"));
      strictEqual(rpOf(ack).messageReference, 7);
      // gsmif's RP-ACK came through Kamailio: its Via is on top of gsmif's.
      strictEqual(vias(ack).length, 2);
      ok(vias(ack)[0].includes(`127.0.0.1:${kamailio.tcpPort}`), vias(ack)[0]);
      // MT to B, through Kamailio's location lookup.
      const mt = await b.waitRequest(isTpdu("sms-deliver"));
      strictEqual(vias(mt).length, 2);
      deepStrictEqual([deliverOf(mt).oa.digits, textOf(mt)], [A, "hello B"]);
      // The message that went without credentials never arrived.
      strictEqual(b.requests.filter(isTpdu("sms-deliver")).length, 1);
      // B's RP-ACK goes back through Kamailio; A gets the status report.
      strictEqual(
        (await proxyMessage(b, PASSWORD[B], rpAck(rpOf(mt).messageReference))).status,
        202,
      );
      const report = await a.waitRequest(isTpdu("sms-status-report"));
      const sr = reportOf(report);
      deepStrictEqual([sr.mr, sr.ra.digits, sr.st], [7, B, 0]);
      const srAck = rpAck(rpOf(report).messageReference);
      strictEqual((await proxyMessage(a, PASSWORD[A], srAck)).status, 202);
    } finally {
      a.close();
      b.close();
    }
  });
});

/** Sends `method` from `ue`, then again with A's credentials when challenged. */
async function asA(
  ue: SipUe,
  method: "REGISTER" | "MESSAGE",
  extra: [string, string][],
  body?: Uint8Array,
) {
  const uri = method === "REGISTER" ? "sip:smsc.local" : "sip:smsc@smsc.local";
  const first = await ue.request(method, uri, extra, body);
  const challenge = method === "REGISTER" ? "WWW-Authenticate" : "Proxy-Authenticate";
  const auth = digestAuthorization(first, challenge, {
    username: A,
    password: PASSWORD[A],
    method,
    uri,
  });
  const header = method === "REGISTER" ? "Authorization" : "Proxy-Authorization";
  return [first, await ue.request(method, uri, [...extra, [header, auth]], body)];
}

Deno.test("gsmif behind Kamailio: a subscriber cannot register or send as another number", async () => {
  await withKamailioSite(USERS, async ({ kamailio }) => {
    const a = await SipUe.connect(kamailio.tcpPort, A);
    const b = await SipUe.connect(kamailio.tcpPort, B);
    // C's UE (From and To +C) with A's valid credentials.
    const c = await SipUe.connect(kamailio.tcpPort, C);
    try {
      strictEqual((await b.register(PASSWORD[B])).status, 200);
      strictEqual((await a.register(PASSWORD[A])).status, 200);
      const contact: [string, string] = ["Contact", `<sip:+${C}@127.0.0.1:${c.localPort}>`];
      const register = await asA(c, "REGISTER", [contact]);
      deepStrictEqual(register.map((r) => r.status), [401, 403]);
      const type: [string, string] = ["Content-Type", "application/vnd.3gpp.sms"];
      const message = await asA(c, "MESSAGE", [type], submitRp(1, B, "forged"));
      deepStrictEqual(message.map((r) => r.status), [407, 403]);
      // A genuine one from A still goes through, and is the only one B gets.
      strictEqual((await proxyMessage(a, PASSWORD[A], submitRp(2, B, "genuine"))).status, 202);
      const mt = await b.waitRequest(isTpdu("sms-deliver"));
      strictEqual(textOf(mt), "genuine");
      strictEqual(deliverOf(mt).oa.digits, A);
      await proxyMessage(b, PASSWORD[B], rpAck(rpOf(mt).messageReference));
      await a.waitRequest(isRp("RP-ACK"));
      strictEqual(b.requests.filter(isTpdu("sms-deliver")).length, 1);
    } finally {
      a.close();
      b.close();
      c.close();
    }
  });
});

Deno.test("gsmif behind Kamailio over WebSocket: MO and MT both ways between a WebSocket and a TCP subscriber", async () => {
  await withKamailioSite(USERS, async ({ kamailio, wsUrl }) => {
    const a = await WsUe.connect(wsUrl, A);
    const b = await SipUe.connect(kamailio.tcpPort, B);
    try {
      strictEqual((await a.register(PASSWORD[A])).status, 200);
      strictEqual((await b.register(PASSWORD[B])).status, 200);
      // WS → TCP: MO from A, RP-ACK back to A over the WebSocket.
      strictEqual(
        (await a.message(PASSWORD[A], submitRp(11, B, "from the web", true))).status,
        202,
      );
      const ack = await a.waitRequest(isRp("RP-ACK"));
      strictEqual(rpOf(ack).messageReference, 11);
      const mtB = await b.waitRequest(isTpdu("sms-deliver"));
      strictEqual(textOf(mtB), "from the web");
      await proxyMessage(b, PASSWORD[B], rpAck(rpOf(mtB).messageReference));
      const report = await a.waitRequest(isTpdu("sms-status-report"));
      deepStrictEqual([reportOf(report).mr, reportOf(report).st], [11, 0]);
      strictEqual((await a.message(PASSWORD[A], rpAck(rpOf(report).messageReference))).status, 202);
      // TCP → WS: MO from B, MT RP-DATA to A over the WebSocket, A's RP-ACK.
      strictEqual(
        (await proxyMessage(b, PASSWORD[B], submitRp(12, A, "to the web", true))).status,
        202,
      );
      await b.waitRequest((r) => isRp("RP-ACK")(r) && rpOf(r).messageReference === 12);
      const mtA = await a.waitRequest(isTpdu("sms-deliver"));
      deepStrictEqual([deliverOf(mtA).oa.digits, textOf(mtA)], [B, "to the web"]);
      strictEqual(vias(mtA).length, 2);
      ok(vias(mtA)[0].startsWith("SIP/2.0/WS "), vias(mtA)[0]);
      // Its body is not UTF-8 (0x91, TON/NPI), so Kamailio sent it in a binary
      // frame (RFC 6455 §5.6); a text frame would have failed the WebSocket.
      strictEqual(a.requestFrames[a.requests.indexOf(mtA)], "binary");
      strictEqual((await a.message(PASSWORD[A], rpAck(rpOf(mtA).messageReference))).status, 202);
      const reportB = await b.waitRequest(isTpdu("sms-status-report"));
      deepStrictEqual([reportOf(reportB).mr, reportOf(reportB).st], [12, 0]);
      await proxyMessage(b, PASSWORD[B], rpAck(rpOf(reportB).messageReference));
    } finally {
      await a.close();
      b.close();
    }
  });
});

Deno.test("gsmif behind Kamailio: an MT to an unregistered subscriber gets 480, is retried, and arrives after REGISTER", async () => {
  await withKamailioSite(USERS, async ({ kamailio, wsUrl }) => {
    const a = await SipUe.connect(kamailio.tcpPort, A);
    try {
      strictEqual((await a.register(PASSWORD[A])).status, 200);
      strictEqual((await proxyMessage(a, PASSWORD[A], submitRp(3, B, "later"))).status, 202);
      await a.waitRequest(isRp("RP-ACK"));
      // B is not registered: Kamailio answers gsmif's MESSAGE 480, and gsmif keeps
      // custody. It learns nothing of B's REGISTER (Kamailio is the registrar), so
      // its retry schedule (mt_retry_delays = 1s) brings the message.
      await kamailio.waitFor(new RegExp(`no registration for \\+${B}: 480`));
      const b = await WsUe.connect(wsUrl, B);
      try {
        strictEqual((await b.register(PASSWORD[B])).status, 200);
        const mt = await b.waitRequest(isTpdu("sms-deliver"));
        strictEqual(textOf(mt), "later");
        strictEqual((await b.message(PASSWORD[B], rpAck(rpOf(mt).messageReference))).status, 202);
      } finally {
        await b.close();
      }
    } finally {
      a.close();
    }
  });
});
