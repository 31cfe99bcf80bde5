import assert from "node:assert/strict";
import { type Classification, createPlan, type Origin } from "./mod.ts";

const plan = createPlan({ plan: "nanp" });

type Case = [name: string, ton: number, digits: string, origin: Origin, expect: Classification];

const e164 = (e164: string): Classification => ({ kind: "e164", e164 });
const bad = (reason: string) => ({ kind: "invalid", reason }) as Classification;

const CASES: Case[] = [
  // TON 1, country code 1: NANP validation (seed §2.4.1).
  ["+1 valid", 1, "12125550123", "local", e164("12125550123")],
  ["+1 valid from remote", 1, "14155550101", "remote", e164("14155550101")],
  ["+1 555-01XX fictional", 1, "13105550199", "local", e164("13105550199")],
  ["+1 reserved 37X NPA accepted", 1, "13725550123", "local", e164("13725550123")],
  ["+1 N9X expansion NPA accepted", 1, "12925550123", "local", e164("12925550123")],
  ["+1 NPA starting 0", 1, "10125550123", "local", bad("nanp-npa")],
  ["+1 NPA starting 1", 1, "11125550123", "local", bad("nanp-npa")],
  ["+1 NPA N11", 1, "14115550123", "local", bad("nanp-npa")],
  ["+1 NPA 911", 1, "19115550123", "local", bad("nanp-npa")],
  ["+1 NXX starting 0", 1, "12120550123", "local", bad("nanp-nxx")],
  ["+1 NXX starting 1", 1, "12121550123", "local", bad("nanp-nxx")],
  ["+1 NXX N11", 1, "12126110123", "local", bad("nanp-nxx")],
  ["+1 too short", 1, "1212555012", "local", bad("nanp-length")],
  ["+1 too long", 1, "121255501234", "local", bad("nanp-length")],
  ["+1 alone", 1, "1", "local", bad("nanp-length")],
  // TON 1, other country codes: the Outside World, only E.164 form checks.
  ["+44", 1, "447700900123", "local", e164("447700900123")],
  ["+49 short national", 1, "4930123", "remote", e164("4930123")],
  ["+7", 1, "74951234567", "local", e164("74951234567")],
  ["15 digits", 1, "861234567890123", "local", e164("861234567890123")],
  ["16 digits", 1, "8612345678901234", "local", bad("e164-length")],
  ["leading 0", 1, "0447700900123", "local", bad("country-code-zero")],
  // TON 0: 10-digit and 11-digit forms (seed §1.1).
  ["10 digits", 0, "2125550123", "local", e164("12125550123")],
  ["10 digits remote", 0, "2125550123", "remote", e164("12125550123")],
  ["11 digits with 1", 0, "12125550123", "local", e164("12125550123")],
  ["10 digits bad NPA", 0, "1125550123", "local", bad("nanp-npa")],
  ["10 digits N11 NPA", 0, "6115550123", "local", bad("nanp-npa")],
  ["10 digits bad NXX", 0, "2120550123", "local", bad("nanp-nxx")],
  ["11 digits with 1, bad NXX", 0, "12129110123", "local", bad("nanp-nxx")],
  ["11 digits without 1", 0, "22125550123", "local", bad("nanp-length")],
  ["7 digits", 0, "5550123", "local", bad("nanp-length")],
  ["12 digits international without +", 0, "447700900123", "local", bad("nanp-length")],
  ["3 digits", 0, "911", "local", bad("nanp-length")],
  // TON 0: short codes NXXXX and NXXXXX to the upstream.
  ["5-digit short code", 0, "23456", "local", { kind: "short-code", digits: "23456" }],
  ["6-digit short code", 0, "987654", "remote", { kind: "short-code", digits: "987654" }],
  ["5 digits starting 1", 0, "12345", "local", bad("unknown-format")],
  ["6 digits starting 0", 0, "012345", "local", bad("unknown-format")],
  // TON 0: 4-digit local numbers, local origins only.
  ["4 digits local", 0, "0123", "local", { kind: "local-short", digits: "0123" }],
  ["4 digits remote", 0, "0123", "remote", bad("local-short-remote")],
  // TON 2 national: the 10-digit national number.
  ["national 10", 2, "2125550123", "local", e164("12125550123")],
  ["national 11", 2, "12125550123", "local", bad("nanp-length")],
  // TON 6 abbreviated: short forms only.
  ["abbreviated 4", 6, "4567", "local", { kind: "local-short", digits: "4567" }],
  ["abbreviated 5", 6, "56789", "local", { kind: "short-code", digits: "56789" }],
  ["abbreviated 10", 6, "2125550123", "local", bad("unknown-format")],
  // Other TONs, NPIs and digit sets.
  ["network specific", 3, "2125550123", "local", bad("unsupported-ton")],
  ["subscriber", 4, "5550123", "local", bad("unsupported-ton")],
  ["alphanumeric destination", 5, "ACME", "local", bad("unsupported-ton")],
  ["empty", 1, "", "local", bad("empty")],
  ["star", 0, "*100#", "local", bad("not-digits")],
  ["plus sign kept", 1, "+12125550123", "local", bad("not-digits")],
];

Deno.test("classifyDestination() under NANP", async (t) => {
  for (const [name, ton, digits, origin, expect] of CASES) {
    await t.step(name, () => {
      assert.deepEqual(plan.classifyDestination({ ton, npi: 1, digits }, origin), expect);
    });
  }
});

Deno.test("classifyDestination() under NANP accepts NPI 0 (unknown) as NPI 1", () => {
  assert.deepEqual(
    plan.classifyDestination({ ton: 0, npi: 0, digits: "2125550123" }, "local"),
    e164("12125550123"),
  );
  assert.deepEqual(
    plan.classifyDestination({ ton: 1, npi: 9, digits: "12125550123" }, "local"),
    bad("unsupported-npi"),
  );
});

Deno.test("classifySource() under NANP normalizes like the destination", async (t) => {
  const cases: [string, number, string, Origin, unknown][] = [
    ["10-digit MO source", 0, "2125550123", "local", e164("12125550123")],
    ["international source", 1, "12125550123", "remote", e164("12125550123")],
    ["foreign source", 1, "447700900123", "remote", e164("447700900123")],
    ["short code replying", 0, "23456", "remote", { kind: "short-code", digits: "23456" }],
    ["alphanumeric source", 5, "ACME", "remote", { kind: "alphanumeric", text: "ACME" }],
    ["4-digit local source", 0, "0101", "local", { kind: "local-short", digits: "0101" }],
    ["4-digit remote source", 0, "0101", "remote", bad("local-short-remote")],
  ];
  for (const [name, ton, digits, origin, expect] of cases) {
    await t.step(name, () => {
      assert.deepEqual(plan.classifySource({ ton, npi: 1, digits }, origin), expect);
    });
  }
});
