import assert from "node:assert/strict";
import {
  DISPOSITION_CODES,
  encodePmsRecord,
  examplePmsRecord,
  type PmsRecord,
  STATE_CODES,
} from "../codec/pms/mod.ts";
import { QUERY_STATE_CODE } from "../codec/frame/mod.ts";
import type { PmsFile } from "../store/pms_file.ts";
import { ActiveSet } from "./active_set.ts";
import { findMessage, messageInfo, type Owner, ownerOf, owns, replacement } from "./queries.ts";

const VALIDITY = { validitySDefault: 172_800, validitySMax: 604_800 };
const ENTRY = 1_763_900_000_000;
const ACME: Owner = { sourceClass: "downstream", sourcePeer: "acme" };

function original(fields: Partial<PmsRecord> = {}): PmsRecord {
  return {
    ...examplePmsRecord(ENTRY),
    sourceClass: "downstream",
    sourcePeer: "acme",
    destClass: "upstream",
    attempts: 2,
    cause: 0x58,
    ...fields,
  };
}

/** The replacement a submitter builds: its own view, no routing or entry time. */
function submitted(fields: Partial<PmsRecord> = {}): Uint8Array {
  return encodePmsRecord({
    ...original(),
    entryTimeMs: 0,
    expiryTimeMs: 0,
    attempts: 0,
    cause: 0,
    routedDa: null,
    destClass: "gsm",
    srr: false,
    udhi: false,
    udl: 2,
    ud: new Uint8Array([0xc8, 0x34]), // "Hi"
    ...fields,
  });
}

Deno.test("QUERY's state codes are the PMS record's", () => {
  assert.deepEqual(QUERY_STATE_CODE, STATE_CODES);
});

Deno.test("ownerOf() gives the command line every message and a role its own source", () => {
  assert.equal(ownerOf({ sourceClass: "cli", sourcePeer: "" }), "any");
  assert.deepEqual(ownerOf(ACME), ACME);
  assert.ok(owns("any", original()));
  assert.ok(owns(ACME, original()));
  assert.ok(!owns({ sourceClass: "downstream", sourcePeer: "beta" }, original()));
  assert.ok(!owns({ sourceClass: "upstream", sourcePeer: "" }, original()));
  assert.ok(!owns({ sourceClass: "gsm", sourcePeer: "" }, original({ sourceClass: "cli" })));
});

Deno.test("replacement() takes the text and SRR, and keeps routing, entry time and attempts", () => {
  const r = replacement(original(), submitted({ srr: true }), VALIDITY);
  assert.ok(r.ok);
  assert.deepEqual(r.record, {
    ...original(),
    srr: true,
    udhi: false,
    udl: 2,
    ud: new Uint8Array([0xc8, 0x34]),
  });
});

Deno.test("replacement() applies a new validity period from the entry time, capped", () => {
  const asked = replacement(original(), submitted({ validityS: 3600 }), VALIDITY);
  assert.ok(asked.ok);
  assert.equal(asked.record.validityS, 3600);
  assert.equal(asked.record.expiryTimeMs, ENTRY + 3_600_000);
  const capped = replacement(original(), submitted({ validityS: 10_000_000 }), VALIDITY);
  assert.ok(capped.ok);
  assert.equal(capped.record.expiryTimeMs, ENTRY + 604_800_000);
  const none = replacement(original({ validityS: 60 }), submitted({ validityS: 0 }), VALIDITY);
  assert.ok(none.ok);
  assert.deepEqual([none.record.validityS, none.record.expiryTimeMs], [
    60,
    original().expiryTimeMs,
  ]);
});

Deno.test("replacement() refuses a record that changes the sender or the coding", () => {
  const cases: [string, Uint8Array][] = [
    ["OA", submitted({ oa: { ton: 1, npi: 1, digits: "15555550199" } })],
    ["OA TON", submitted({ oa: { ton: 0, npi: 1, digits: "15555550101" } })],
    ["source class", submitted({ sourceClass: "cli", sourcePeer: "" })],
    ["source peer", submitted({ sourcePeer: "beta" })],
    ["DCS", submitted({ dcs: 0x08, udl: 2, ud: new Uint8Array([0, 0x48]) })],
    ["state", submitted({ state: "historical", disposition: "delivered", dischargeTimeMs: 1 })],
    ["undecodable", new Uint8Array(256)],
  ];
  for (const [what, bytes] of cases) {
    const r = replacement(original(), bytes, VALIDITY);
    assert.equal(r.ok, false, what);
  }
  assert.equal(replacement(original({ report: true }), submitted(), VALIDITY).ok, false);
});

Deno.test("messageInfo() reports the record's state, disposition and times", () => {
  const done = original({
    state: "historical",
    disposition: "expired",
    dischargeTimeMs: ENTRY + 5,
  });
  assert.deepEqual(messageInfo(9, done), {
    index: 9,
    state: "historical",
    disposition: DISPOSITION_CODES.expired,
    dcs: 0,
    attempts: 2,
    cause: 0x58,
    entryTimeMs: ENTRY,
    dischargeTimeMs: ENTRY + 5,
    expiryTimeMs: ENTRY + 86_400_000,
  });
});

/** An active set and a store holding `historical` at positions 0.., with ids from `baseId`. */
function source(historical: PmsRecord[], baseId = 100) {
  const active = new ActiveSet();
  const store = {
    recordCount: historical.length + 10,
    readRecord: (position: number) => Promise.resolve(historical[position] ?? original()),
  } as unknown as PmsFile;
  return { active, store, baseId };
}

Deno.test("findMessage() hides other sources' messages, active and historical", async () => {
  const from = source([original({ state: "historical", disposition: "delivered" })]);
  from.active.set(105, original({ sourceClass: "cli", sourcePeer: "" }));
  from.active.set(106, original());
  const beta: Owner = { sourceClass: "downstream", sourcePeer: "beta" };
  assert.equal(
    (await findMessage({ by: "index", index: 100 }, ACME, from))?.rec.state,
    "historical",
  );
  assert.equal(await findMessage({ by: "index", index: 100 }, beta, from), undefined);
  assert.equal(await findMessage({ by: "index", index: 105 }, ACME, from), undefined);
  assert.equal((await findMessage({ by: "index", index: 105 }, "any", from))?.id, 105);
  assert.equal((await findMessage({ by: "index", index: 106 }, ACME, from))?.id, 106);
  assert.equal(await findMessage({ by: "index", index: 99 }, "any", from), undefined);
  assert.equal(await findMessage({ by: "index", index: 110 }, "any", from), undefined);
});

Deno.test("findMessage() by OA, DA, MR finds the asker's own message behind a newer one of another source", async () => {
  const from = source([]);
  from.active.set(101, original());
  from.active.set(102, original({ sourceClass: "cli", sourcePeer: "" }));
  const target = {
    by: "oa-da-mr" as const,
    oa: { ton: 1, npi: 1, value: "15555550101" },
    da: { ton: 1, npi: 1, value: "15555550102" },
    mr: 7,
  };
  assert.equal((await findMessage(target, ACME, from))?.id, 101);
  assert.equal((await findMessage(target, "any", from))?.id, 102);
  assert.equal(await findMessage({ ...target, mr: 8 }, ACME, from), undefined);
  const beta: Owner = { sourceClass: "downstream", sourcePeer: "beta" };
  assert.equal(await findMessage(target, beta, from), undefined);
});
