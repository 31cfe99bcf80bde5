import assert from "node:assert/strict";
import { parseSipMessage, type SipRequest } from "../codec/sip/mod.ts";
import { Registrar, type RegistrarOptions } from "./registrar.ts";

const AOR = "12125550100";
const T0 = 1_000_000;
const S = 1000;

function registrar(extra: Partial<RegistrarOptions> = {}): Registrar {
  return new Registrar({ minExpiresS: 60, maxExpiresS: 3600, defaultExpiresS: 600, ...extra });
}

let nextCseq = 1;

/** A REGISTER with the given extra header lines, as a phone would send it. */
function register(lines: string[], o: { callId?: string; cseq?: number } = {}): SipRequest {
  const text = [
    "REGISTER sip:smsc.local SIP/2.0",
    "Via: SIP/2.0/TCP 192.0.2.7:50123;branch=z9hG4bK-1",
    "Max-Forwards: 70",
    `From: <sip:+${AOR}@smsc.local>;tag=a1`,
    `To: <sip:+${AOR}@smsc.local>`,
    `Call-ID: ${o.callId ?? "call-1"}`,
    `CSeq: ${o.cseq ?? nextCseq++} REGISTER`,
    ...lines,
    "Content-Length: 0",
    "",
    "",
  ].join("\r\n");
  const msg = parseSipMessage(new TextEncoder().encode(text));
  assert.equal(msg.kind, "request");
  return msg as SipRequest;
}

const UE1 = "<sip:+12125550100@192.0.2.7:50123;transport=tcp>";
const UE2 = "<sip:+12125550100@192.0.2.8:50200;transport=tcp>";
const SMS_TAG = ';+g.3gpp.smsip;+sip.instance="<urn:gsma:imei:35209900-176148-1>"';

Deno.test("registrar: a new contact is bound and listed with its remaining expiry", () => {
  const r = registrar();
  const out = r.register(AOR, register([`Contact: ${UE1}${SMS_TAG}`, "Expires: 300"]), 7, T0);
  assert.deepEqual(out, {
    status: 200,
    reason: "OK",
    headers: [[
      "Contact",
      "<sip:+12125550100@192.0.2.7:50123;transport=tcp>;+g.3gpp.smsip;" +
      '+sip.instance="<urn:gsma:imei:35209900-176148-1>";expires=300',
    ]],
    added: true,
  });
  assert.deepEqual(r.contacts(AOR, T0 + 1), [{
    contact: "sip:+12125550100@192.0.2.7:50123;transport=tcp",
    expiresAtMs: T0 + 300 * S,
    connId: 7,
    smsCapable: true,
    instance: "<urn:gsma:imei:35209900-176148-1>",
    q: 1,
  }]);
  // Later, the 200 of a query counts down.
  const query = r.register(AOR, register([]), 7, T0 + 100 * S + 1);
  assert.deepEqual(query.headers[0][1].match(/expires=(\d+)$/)?.[1], "200");
  assert.equal(query.added, false);
  assert.equal(r.registeredCount, 1);
});

Deno.test("registrar: expiry from the contact, then Expires, then the default; long ones shortened", () => {
  const r = registrar();
  r.register(AOR, register([`Contact: ${UE1};expires=120`, "Expires: 900"]), 1, T0);
  r.register("1", register([`Contact: ${UE1}`, "Expires: 900"]), 1, T0);
  r.register("2", register([`Contact: ${UE1}`]), 1, T0);
  r.register("3", register([`Contact: ${UE1}`, "Expires: 86400"]), 1, T0);
  r.register("4", register([`Contact: ${UE1}`, "Expires: 99999999999999999999"]), 1, T0);
  const expiry = (aor: string) => (r.contacts(aor, T0)[0].expiresAtMs - T0) / S;
  assert.deepEqual([AOR, "1", "2", "3", "4"].map(expiry), [120, 900, 600, 3600, 3600]);
  assert.equal(r.contacts("3", T0)[0].smsCapable, false);
  assert.equal(r.contacts("3", T0)[0].instance, undefined);
});

Deno.test("registrar: too brief gets 423 with Min-Expires and changes nothing", () => {
  const r = registrar();
  r.register(AOR, register([`Contact: ${UE1}`]), 1, T0);
  const out = r.register(AOR, register([`Contact: ${UE2}`, `Contact: ${UE1};expires=30`]), 1, T0);
  assert.equal(out.status, 423);
  assert.equal(out.reason, "Interval Too Brief");
  assert.deepEqual(out.headers, [["Min-Expires", "60"]]);
  assert.equal(out.added, false);
  assert.match(out.detail!, /expires 30 below 60/);
  assert.equal(r.contacts(AOR, T0).length, 1);
});

Deno.test("registrar: expires=0 removes one contact, * with Expires: 0 removes all", () => {
  const r = registrar();
  r.register(AOR, register([`Contact: ${UE1}, ${UE2}`]), 1, T0);
  assert.equal(r.contacts(AOR, T0).length, 2);
  const one = r.register(AOR, register([`Contact: ${UE1};expires=0`]), 1, T0);
  assert.equal(one.status, 200);
  assert.deepEqual(r.contacts(AOR, T0).map((b) => b.contact), [
    "sip:+12125550100@192.0.2.8:50200;transport=tcp",
  ]);
  // Removing an unknown contact is not an error.
  assert.equal(
    r.register(AOR, register(["Contact: <sip:x@192.0.2.99>;expires=0"]), 1, T0).status,
    200,
  );
  r.register(AOR, register([`Contact: ${UE1}`]), 1, T0);
  const all = r.register(AOR, register(["Contact: *", "Expires: 0"]), 1, T0);
  assert.deepEqual(all, { status: 200, reason: "OK", headers: [], added: false });
  assert.deepEqual(r.contacts(AOR, T0), []);
  assert.equal(r.registeredCount, 0);
});

Deno.test("registrar: bad requests get 400 and change nothing", async (t) => {
  const r = registrar();
  r.register(AOR, register([`Contact: ${UE1}`]), 1, T0);
  const cases: [string, string[], RegExp][] = [
    ["* without Expires", ["Contact: *"], /alone with Expires: 0/],
    ["* with Expires: 60", ["Contact: *", "Expires: 60"], /alone/],
    ["* with another contact", ["Contact: *", `Contact: ${UE2}`, "Expires: 0"], /alone/],
    ["bad Expires", [`Contact: ${UE2}`, "Expires: soon"], /Expires "soon"/],
    ["bad contact expires", [`Contact: ${UE2};expires=-1`], /Contact expires/],
    ["valueless contact expires", [`Contact: ${UE2};expires`], /Contact expires/],
    ["bad q", [`Contact: ${UE2};q=1.5`], /qvalue/],
    ["tel contact", ["Contact: <tel:+12125550100>"], /tel/],
    ["mailto contact", ["Contact: <mailto:a@b.example>"], /Contact/],
    ["contact syntax", ["Contact: <sip:a@b"], /Contact/],
  ];
  for (const [name, lines, detail] of cases) {
    await t.step(name, () => {
      const out = r.register(AOR, register(lines), 2, T0);
      assert.equal(out.status, 400, JSON.stringify(out));
      assert.equal(out.added, false);
      assert.match(out.detail!, detail);
      assert.equal(r.contacts(AOR, T0).length, 1);
      assert.equal(r.contacts(AOR, T0)[0].connId, 1);
    });
  }
});

Deno.test("registrar: a refresh needs a higher CSeq within the same Call-ID", () => {
  const r = registrar();
  r.register(AOR, register([`Contact: ${UE1}`, "Expires: 100"], { callId: "c", cseq: 5 }), 1, T0);
  const same = r.register(AOR, register([`Contact: ${UE1}`], { callId: "c", cseq: 5 }), 1, T0);
  assert.equal(same.status, 400);
  assert.equal(same.reason, "Invalid CSeq number");
  const up = r.register(
    AOR,
    register([`Contact: ${UE1}`, "Expires: 200"], { callId: "c", cseq: 6 }),
    1,
    T0 + S,
  );
  assert.equal(up.status, 200);
  assert.equal(up.added, false);
  assert.equal(r.contacts(AOR, T0)[0].expiresAtMs, T0 + S + 200 * S);
  // Another Call-ID (a rebooted phone) may refresh whatever its CSeq.
  const other = r.register(AOR, register([`Contact: ${UE1}`], { callId: "d", cseq: 1 }), 1, T0);
  assert.equal(other.status, 200);
  // "*" obeys the same rule.
  const star = r.register(
    AOR,
    register(["Contact: *", "Expires: 0"], { callId: "d", cseq: 1 }),
    1,
    T0,
  );
  assert.equal(star.status, 400);
  assert.equal(r.contacts(AOR, T0).length, 1);
});

Deno.test("registrar: a refresh from another connection moves the binding and counts as added", () => {
  const r = registrar();
  r.register(AOR, register([`Contact: ${UE1}`]), 1, T0);
  // Scheme and transport letter case do not make another binding.
  const upper = "<SIP:+12125550100@192.0.2.7:50123;transport=TCP>";
  const moved = r.register(AOR, register([`Contact: ${upper}`]), 2, T0);
  assert.equal(moved.added, true);
  assert.deepEqual(r.contacts(AOR, T0).map((b) => b.connId), [2]);
  const mixed = r.register(AOR, register(["Contact: <sip:+12125550100@Host.Example>"]), 2, T0);
  assert.equal(mixed.added, true);
  const again = r.register(AOR, register(["Contact: <sip:+12125550100@host.example>"]), 2, T0);
  assert.equal(again.added, false);
  assert.equal(r.contacts(AOR, T0).length, 2);
});

Deno.test("registrar: the same +sip.instance replaces the binding of a device that moved", () => {
  const r = registrar();
  r.register(AOR, register([`Contact: ${UE1}${SMS_TAG}`]), 1, T0);
  const out = r.register(AOR, register([`Contact: ${UE2}${SMS_TAG}`]), 2, T0 + S);
  assert.equal(out.added, true);
  assert.equal(out.headers.length, 1);
  assert.deepEqual(r.contacts(AOR, T0 + S).map((b) => [b.contact, b.connId]), [
    ["sip:+12125550100@192.0.2.8:50200;transport=tcp", 2],
  ]);
});

Deno.test("registrar: several contacts, best first by q then most recent", () => {
  const r = registrar();
  r.register(
    AOR,
    register(["Contact: <sip:a@192.0.2.1>;q=0.5", "Contact: <sip:b@192.0.2.2>"]),
    1,
    T0,
  );
  r.register(AOR, register(["Contact: <sip:c@192.0.2.3>;q=1.0"]), 2, T0 + S);
  r.register(AOR, register(["Contact: <sip:d@192.0.2.4>;q=0.5"]), 3, T0 + 2 * S);
  const list = r.contacts(AOR, T0 + 2 * S);
  assert.deepEqual(list.map((b) => [b.contact, b.q]), [
    ["sip:c@192.0.2.3", 1],
    ["sip:b@192.0.2.2", 1],
    ["sip:d@192.0.2.4", 0.5],
    ["sip:a@192.0.2.1", 0.5],
  ]);
  // The 200 lists every binding in the same order, q echoed.
  const out = r.register(AOR, register([]), 1, T0 + 2 * S);
  assert.deepEqual(out.headers.map((h) => h[1].replace(/;expires=\d+$/, "")), [
    "<sip:c@192.0.2.3>;q=1.0",
    "<sip:b@192.0.2.2>",
    "<sip:d@192.0.2.4>;q=0.5",
    "<sip:a@192.0.2.1>;q=0.5",
  ]);
});

Deno.test("registrar: a closed connection drops its bindings; expiry hides and sweep forgets", () => {
  const r = registrar();
  r.register(AOR, register(["Contact: <sip:a@192.0.2.1>", "Expires: 60"]), 1, T0);
  r.register(AOR, register(["Contact: <sip:b@192.0.2.2>", "Expires: 120"]), 2, T0);
  r.register("1999", register(["Contact: <sip:c@192.0.2.3>", "Expires: 60"]), 2, T0);
  r.connectionClosed(1);
  assert.deepEqual(r.contacts(AOR, T0).map((b) => b.contact), ["sip:b@192.0.2.2"]);
  assert.deepEqual(r.contacts("1999", T0 + 60 * S), []); // lapsed, not yet swept
  assert.equal(r.registeredCount, 2);
  r.sweep(T0 + 60 * S);
  assert.equal(r.registeredCount, 1);
  r.connectionClosed(2);
  assert.equal(r.registeredCount, 0);
  r.connectionClosed(99);
});

Deno.test("registrar: a subscriber keeps at most maxBindingsPerAor, dropping the stalest", () => {
  const r = registrar({ maxBindingsPerAor: 2 });
  for (let i = 1; i <= 3; i++) {
    r.register(AOR, register([`Contact: <sip:u@192.0.2.${i}>`]), i, T0 + i);
  }
  assert.deepEqual(r.contacts(AOR, T0 + 3).map((b) => b.connId), [3, 2]);
});

Deno.test("registrar: +g.3gpp.smsip with an explicit FALSE is not SMS-capable", () => {
  const r = registrar();
  r.register(AOR, register(['Contact: <sip:a@192.0.2.1>;+g.3gpp.smsip="FALSE"']), 1, T0);
  r.register("2", register(['Contact: <sip:a@192.0.2.1>;+g.3gpp.smsip="TRUE"']), 1, T0);
  assert.equal(r.contacts(AOR, T0)[0].smsCapable, false);
  assert.equal(r.contacts("2", T0)[0].smsCapable, true);
});

Deno.test("registrar: inconsistent bounds are refused", () => {
  assert.throws(() => registrar({ minExpiresS: 100, maxExpiresS: 50 }), RangeError);
  assert.throws(() => registrar({ defaultExpiresS: 10 }), RangeError);
  assert.throws(() => registrar({ maxBindingsPerAor: 0 }), RangeError);
});
