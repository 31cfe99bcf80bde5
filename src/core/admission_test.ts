import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { type Admission, type AdmissionContext, admit } from "./admission.ts";
import { DuplicateIndex } from "./duplicates.ts";
import { parseOctetSet } from "./filters.ts";
import type { NumberLookup } from "./routing.ts";
import { createPlan } from "./numbering/mod.ts";
import { examplePmsRecord, type PmsRecord } from "../codec/pms/mod.ts";

const NOW = 1_750_000_000_000;

/** An in-memory number database: two subscribers, a mailbox, a no-SMS number, a peer pool. */
function numbers(): NumberLookup {
  const owned: Record<string, { kind: "gsm" | "local" | "nosms"; maySendUpstream: boolean }> = {
    "12125550100": { kind: "gsm", maySendUpstream: true },
    "12125550101": { kind: "gsm", maySendUpstream: false },
    "12125550150": { kind: "local", maySendUpstream: false },
    "12125550199": { kind: "nosms", maySendUpstream: false },
  };
  return {
    lookupNumber: (e) => owned[e],
    lookupShort: (c) =>
      c === "4000"
        ? { kind: "local", maySendUpstream: false }
        : c === "4001"
        ? { kind: "gsm", e164: "12125550101", maySendUpstream: false }
        : undefined,
    findPeerByNumber: (e) => e.startsWith("1303555") ? { peer: "acme" } : undefined,
    getPeer: (n) => n === "acme" ? { maySendUpstream: true, enabled: true } : undefined,
  };
}

function context(overrides: Partial<AdmissionContext> = {}): AdmissionContext {
  return {
    plan: createPlan({ plan: "nanp" }),
    numbers: numbers(),
    untrusted: new Set(["gsm", "downstream", "upstream"]),
    pidAllow: parseOctetSet("0x00-0x1f", "p"),
    dcsAllow: parseOctetSet("0x00,0x08", "d"),
    validity: { validitySDefault: 3600, validitySMax: 86400 },
    sourceUnchecked: new Set(),
    duplicates: new DuplicateIndex(),
    nowMs: NOW,
    ...overrides,
  };
}

function sm(fields: Partial<PmsRecord> & { to?: string; from?: string }): PmsRecord {
  const { to, from, ...rest } = fields;
  const base = examplePmsRecord(0);
  return {
    ...base,
    sourceClass: "gsm",
    srr: false,
    oa: { ton: 1, npi: 1, digits: from ?? "12125550100" },
    da: { ton: 0, npi: 1, digits: to ?? "2125550101" },
    routedDa: null,
    destClass: "gsm",
    ...rest,
  };
}

function reasonOf(a: Admission): string {
  return a.ok ? ("record" in a ? `ok:${a.record.destClass}` : `dup:${a.duplicateOf}`) : a.reason;
}

Deno.test("admit() routes by the number database and the NANP forms (seed 2.4.1)", async (t) => {
  const cases: [string, Partial<PmsRecord> & { to?: string; from?: string }, string][] = [
    ["10-digit subscriber", { to: "2125550101" }, "ok:gsm"],
    ["11-digit subscriber", { to: "12125550101" }, "ok:gsm"],
    ["international subscriber", { da: { ton: 1, npi: 1, digits: "12125550101" } }, "ok:gsm"],
    ["local mailbox", { to: "2125550150" }, "ok:local"],
    ["no-SMS number", { to: "2125550199" }, "dest-no-sms"],
    ["downstream pool", { to: "3035550123" }, "ok:downstream"],
    ["unknown NANP number goes upstream", { to: "4155550123" }, "ok:upstream"],
    [
      "other country goes upstream",
      { da: { ton: 1, npi: 1, digits: "442071234567" } },
      "ok:upstream",
    ],
    ["short code goes upstream", { to: "72345" }, "ok:upstream"],
    ["4-digit local mailbox", { to: "4000" }, "ok:local"],
    ["4-digit alias of a subscriber", { to: "4001" }, "ok:gsm"],
    ["unknown 4-digit number", { to: "4999" }, "dest-unroutable"],
    ["invalid NPA", { to: "1125550101" }, "dest-invalid"],
    [
      "sender without the upstream flag",
      { from: "12125550101", to: "4155550123" },
      "upstream-not-permitted",
    ],
  ];
  for (const [name, fields, expected] of cases) {
    await t.step(name, () => strictEqual(reasonOf(admit(sm(fields), context())), expected));
  }
});

Deno.test("admit() applies the rules for remote sources", async (t) => {
  const peer = { sourceClass: "downstream" as const, sourcePeer: "acme", from: "13035550100" };
  const up = { sourceClass: "upstream" as const, from: "14155550123" };
  const cases: [string, Partial<PmsRecord> & { to?: string; from?: string }, string][] = [
    ["peer to a subscriber", { ...peer, to: "2125550101" }, "ok:gsm"],
    ["peer upstream with the peer's flag", { ...peer, to: "4155550123" }, "ok:upstream"],
    ["peer back to its own pool", { ...peer, to: "3035550999" }, "dest-unroutable"],
    [
      "peer spoofing a number outside its pool",
      { ...peer, from: "12125550100" },
      "source-not-permitted",
    ],
    ["peer using a 4-digit local number", { ...peer, to: "4000" }, "dest-invalid"],
    ["upstream to a subscriber", { ...up, to: "12125550101" }, "ok:gsm"],
    ["upstream to an unknown number", { ...up, to: "14155550199" }, "dest-unroutable"],
    [
      "alphanumeric source from the upstream",
      { ...up, oa: { ton: 5, npi: 0, text: "Bank" } },
      "source-invalid",
    ],
    ["alphanumeric source from the command line", {
      sourceClass: "cli",
      oa: { ton: 5, npi: 0, text: "Ops" },
    }, "ok:gsm"],
  ];
  for (const [name, fields, expected] of cases) {
    await t.step(name, () => strictEqual(reasonOf(admit(sm(fields), context())), expected));
  }
  const trusting = context({ sourceUnchecked: new Set(["acme"]) });
  await t.step("peer with check_source false sending from outside its pool", () => {
    strictEqual(reasonOf(admit(sm({ ...peer, from: "12125550100" }), trusting)), "ok:gsm");
  });
  await t.step("peer with check_source false sending an alphanumeric source", () => {
    const alpha = { ...peer, oa: { ton: 5, npi: 0, text: "Shop" } };
    strictEqual(reasonOf(admit(sm(alpha), trusting)), "ok:gsm");
    strictEqual(reasonOf(admit(sm(alpha), context())), "source-invalid");
  });
});

Deno.test("admit() filters PID and DCS for untrusted sources only", () => {
  strictEqual(reasonOf(admit(sm({ pid: 0x40 }), context())), "pid-filtered");
  strictEqual(
    reasonOf(admit(sm({ dcs: 0xc8, udl: 0, ud: new Uint8Array() }), context())),
    "dcs-filtered",
  );
  strictEqual(reasonOf(admit(sm({ sourceClass: "cli", pid: 0x40 }), context())), "ok:gsm");
  strictEqual(reasonOf(admit(sm({ pid: 0x40 }), context({ untrusted: new Set() }))), "ok:gsm");
});

Deno.test("admit() stamps entry and expiry time, capping the validity period", () => {
  const a = admit(sm({ validityS: 10 * 86400 }), context());
  if (!a.ok || !("record" in a)) throw new Error(reasonOf(a));
  strictEqual(a.record.entryTimeMs, NOW);
  strictEqual(a.record.expiryTimeMs, NOW + 86400_000);
  const d = admit(sm({ validityS: 0 }), context());
  if (!d.ok || !("record" in d)) throw new Error(reasonOf(d));
  strictEqual(d.record.expiryTimeMs, NOW + 3600_000);
});

Deno.test("admit() makes a message to a local mailbox historical at once", () => {
  const a = admit(sm({ to: "2125550150" }), context());
  if (!a.ok || !("record" in a)) throw new Error(reasonOf(a));
  deepStrictEqual(
    [a.record.state, a.record.disposition, a.record.dischargeTimeMs, a.record.destClass],
    ["historical", "stored-only", NOW, "local"],
  );
});

Deno.test("admit() suppresses a handset's retransmission and rejects it when TP-RD is set", () => {
  const ctx = context();
  const first = admit(sm({ mr: 9 }), ctx);
  if (!first.ok || !("record" in first) || first.duplicateKey === undefined) {
    throw new Error("no key");
  }
  ctx.duplicates.add(first.duplicateKey, 41);
  deepStrictEqual(admit(sm({ mr: 9 }), ctx), { ok: true, duplicateOf: 41 });
  deepStrictEqual(admit(sm({ mr: 9, rd: true }), ctx), { ok: false, reason: "duplicate" });
  strictEqual(reasonOf(admit(sm({ mr: 10 }), ctx)), "ok:gsm");
  ctx.duplicates.remove(41);
  strictEqual(reasonOf(admit(sm({ mr: 9 }), ctx)), "ok:gsm");
  strictEqual(admit(sm({ sourceClass: "cli", mr: 9 }), ctx).ok, true);
});

Deno.test("admit() accepts IMSI-addressed messages from the command line only", () => {
  const imsi = { imsiAddressed: true, da: null, destImsi: "001010000000001" };
  const a = admit(sm({ ...imsi, sourceClass: "cli" }), context());
  if (!a.ok || !("record" in a)) throw new Error(reasonOf(a));
  deepStrictEqual([a.record.destClass, a.record.routedDa], ["gsm", null]);
  strictEqual(reasonOf(admit(sm({ ...imsi, sourceClass: "gsm" }), context())), "imsi-not-allowed");
  strictEqual(
    reasonOf(admit(sm({ ...imsi, sourceClass: "cli", destImsi: "12x" }), context())),
    "bad-record",
  );
});

Deno.test("admit() refuses records that a submitter must not send", () => {
  strictEqual(reasonOf(admit(sm({ state: "historical" }), context())), "bad-record");
  strictEqual(reasonOf(admit(sm({ sourceClass: "downstream" }), context())), "bad-record");
  strictEqual(reasonOf(admit(sm({ sourcePeer: "acme" }), context())), "bad-record");
});
