import assert from "node:assert/strict";
import { examplePmsRecord, type PmsRecord } from "../codec/pms/mod.ts";
import { UsageError } from "../lib/errors.ts";
import { choices, matchRecord, normalizeNumber } from "./dump_filter.ts";

function rec(fields: Partial<PmsRecord> = {}): PmsRecord {
  return {
    ...examplePmsRecord(),
    oa: { ton: 1, npi: 1, digits: "12125550100" },
    da: { ton: 0, npi: 1, digits: "2125550101" },
    routedDa: { ton: 1, npi: 1, digits: "12125550101" },
    ...fields,
  };
}

Deno.test("normalizeNumber drops +, dashes, dots and spaces and wants 1-20 digits", () => {
  assert.equal(normalizeNumber("+1-212-555.0100", "--number"), "12125550100");
  assert.equal(normalizeNumber(" 1 212 555 0100 ", "--number"), "12125550100");
  for (const bad of ["", "+", "++1", "12a", "1*2", "123456789012345678901", "1;ls"]) {
    assert.throws(() => normalizeNumber(bad, "--number"), UsageError, bad);
  }
});

Deno.test("--number matches OA, DA as submitted or routed DA, whole numbers only", () => {
  const r = rec();
  for (const n of ["12125550100", "2125550101", "12125550101"]) {
    assert.ok(matchRecord(r, { number: n }), n);
  }
  for (const n of ["2125550100", "1212555010", "121255501011"]) {
    assert.ok(!matchRecord(r, { number: n }), n);
  }
  assert.ok(matchRecord(r, { fromNumber: "12125550100" }));
  assert.ok(!matchRecord(r, { fromNumber: "12125550101" }));
  assert.ok(matchRecord(r, { toNumber: "2125550101" }));
  assert.ok(!matchRecord(r, { toNumber: "12125550100" }));
});

Deno.test("the owner filter uses OA and the routed DA, never the DA as submitted", () => {
  const r = rec();
  assert.ok(matchRecord(r, { owner: "12125550100" }));
  assert.ok(matchRecord(r, { owner: "12125550101" }));
  assert.ok(!matchRecord(r, { owner: "2125550101" }), "the submitted form names no one");
  const alpha = rec({ oa: { ton: 5, npi: 0, text: "12125550100" } });
  assert.ok(
    !matchRecord(alpha, { owner: "12125550100" }),
    "an alphanumeric sender is not a number",
  );
  const imsi = rec({ da: null, routedDa: null, imsiAddressed: true, destImsi: "001010000000001" });
  assert.ok(!matchRecord(imsi, { owner: "001010000000001" }));
});

Deno.test("class, peer, state and disposition filters: OR within, AND across", () => {
  const r = rec({ sourceClass: "downstream", sourcePeer: "acme", destClass: "upstream" });
  assert.ok(matchRecord(r, { destClasses: ["gsm", "upstream"] }));
  assert.ok(!matchRecord(r, { destClasses: ["gsm"] }));
  assert.ok(matchRecord(r, { sourceClasses: ["downstream"], peer: "acme" }));
  assert.ok(!matchRecord(r, { sourceClasses: ["downstream"], peer: "beta" }));
  const d = rec({ destClass: "downstream", destPeer: "beta" });
  assert.ok(matchRecord(d, { peer: "beta" }));
  assert.ok(matchRecord(r, { states: ["active"], dispositions: ["none"] }));
  assert.ok(!matchRecord(r, { states: ["historical"] }));
  assert.ok(!matchRecord(r, { states: ["active"], dispositions: ["delivered"] }));
  assert.ok(matchRecord(r, {}));
});

Deno.test("choices refuses a value outside the list, naming the option", () => {
  assert.deepEqual(choices(["a", "b"], ["a", "b", "c"], "--x"), ["a", "b"]);
  assert.equal(choices(undefined, ["a"], "--x"), undefined);
  assert.throws(
    () => choices(["d"], ["a"], "--class"),
    /^UsageError: --class "d": expected one of a$/,
  );
});
