import assert from "node:assert/strict";
import {
  type Classification,
  createPlan,
  e164OptionsProblem,
  type E164PlanOptions,
  type Origin,
} from "./mod.ts";

const e164 = (e164: string): Classification => ({ kind: "e164", e164 });
const bad = (reason: string) => ({ kind: "invalid", reason }) as Classification;
const shortCode = (digits: string): Classification => ({ kind: "short-code", digits });

/** A site in the United Kingdom: trunk prefix 0, international prefix 00, 5-digit short codes. */
const UK: E164PlanOptions = {
  countryCode: "44",
  nationalPrefix: "0",
  internationalPrefix: "00",
  nationalNumberLengths: [],
  shortCodeLengths: [5],
  localShortLength: 4,
};

/** A closed site with no country of its own: only international forms and local numbers. */
const ISLAND: E164PlanOptions = {
  countryCode: "",
  nationalPrefix: "",
  internationalPrefix: "",
  nationalNumberLengths: [],
  shortCodeLengths: [],
  localShortLength: 4,
};

/** A site dialling 8-digit national numbers without a trunk prefix (as in Denmark). */
const DK: E164PlanOptions = {
  countryCode: "45",
  nationalPrefix: "",
  internationalPrefix: "00",
  nationalNumberLengths: [8],
  shortCodeLengths: [4, 5],
  localShortLength: 0,
};

type Case = [string, E164PlanOptions, number, string, Origin, Classification];

const CASES: Case[] = [
  // TON 1: E.164 form checks only.
  ["UK +44", UK, 1, "447700900123", "local", e164("447700900123")],
  ["UK +1 needs no NANP rules", UK, 1, "10125550123", "remote", e164("10125550123")],
  ["UK 15 digits", UK, 1, "123456789012345", "local", e164("123456789012345")],
  ["UK 16 digits", UK, 1, "1234567890123456", "local", bad("e164-length")],
  ["UK leading 0", UK, 1, "07700900123", "local", bad("country-code-zero")],
  // TON 0 with the international prefix.
  ["UK 00 prefix", UK, 0, "0049301234567", "local", e164("49301234567")],
  ["UK 00 then 0", UK, 0, "000123", "local", bad("country-code-zero")],
  ["UK 00 alone", UK, 0, "00", "local", bad("e164-length")],
  ["UK 0 alone", UK, 0, "0", "local", bad("unknown-format")],
  // TON 0 with the national prefix: 0 replaced by the country code.
  ["UK 0 prefix", UK, 0, "07700900123", "local", e164("447700900123")],
  ["UK 0 prefix remote", UK, 0, "02079460000", "remote", e164("442079460000")],
  ["UK 0 prefix too long", UK, 0, "01234567890123456", "local", bad("e164-length")],
  // TON 0 short forms.
  ["UK local short", UK, 0, "1234", "local", { kind: "local-short", digits: "1234" }],
  ["UK local short remote", UK, 0, "1234", "remote", bad("local-short-remote")],
  ["UK short code", UK, 0, "61234", "local", shortCode("61234")],
  ["UK 6 digits", UK, 0, "612345", "local", bad("unknown-format")],
  ["UK bare national number", UK, 0, "7700900123", "local", bad("unknown-format")],
  // TON 2 national and TON 6 abbreviated.
  ["UK national", UK, 2, "7700900123", "local", e164("447700900123")],
  ["UK abbreviated short code", UK, 6, "61234", "remote", shortCode("61234")],
  ["UK abbreviated other", UK, 6, "612345", "remote", bad("unknown-format")],
  // No country code: only international forms and local numbers.
  ["island international", ISLAND, 1, "3541234567", "local", e164("3541234567")],
  ["island local", ISLAND, 0, "0100", "local", { kind: "local-short", digits: "0100" }],
  ["island national", ISLAND, 2, "1234567", "local", bad("no-country-code")],
  ["island unknown", ISLAND, 0, "1234567", "local", bad("unknown-format")],
  // National numbers without a trunk prefix; local short numbers disabled.
  ["DK 8 digits", DK, 0, "32123456", "local", e164("4532123456")],
  ["DK 00", DK, 0, "004532123456", "local", e164("4532123456")],
  ["DK 4-digit short code", DK, 0, "1234", "remote", shortCode("1234")],
  ["DK 5-digit short code", DK, 0, "12345", "local", shortCode("12345")],
  ["DK 7 digits", DK, 0, "3212345", "local", bad("unknown-format")],
  // Shared checks.
  ["empty", UK, 0, "", "local", bad("empty")],
  ["hash", UK, 0, "#100#", "local", bad("not-digits")],
  ["alphanumeric destination", UK, 5, "ACME", "local", bad("unsupported-ton")],
  ["subscriber TON", UK, 4, "1234567", "local", bad("unsupported-ton")],
];

Deno.test("classifyDestination() under the generic E.164 plan", async (t) => {
  for (const [name, options, ton, digits, origin, expect] of CASES) {
    await t.step(name, () => {
      const plan = createPlan({ plan: "e164", ...options });
      assert.deepEqual(plan.classifyDestination({ ton, npi: 1, digits }, origin), expect);
    });
  }
});

Deno.test("classifySource() under the generic E.164 plan", () => {
  const plan = createPlan({ plan: "e164", ...UK });
  assert.deepEqual(
    plan.classifySource({ ton: 0, npi: 1, digits: "07700900123" }, "local"),
    e164("447700900123"),
  );
  assert.deepEqual(
    plan.classifySource({ ton: 5, npi: 0, digits: "Bank" }, "remote"),
    { kind: "alphanumeric", text: "Bank" },
  );
  assert.deepEqual(
    plan.classifySource({ ton: 1, npi: 3, digits: "447700900123" }, "remote"),
    bad("unsupported-npi"),
  );
});

Deno.test("e164Plan() rejects inconsistent options", async (t) => {
  const cases: [string, Partial<E164PlanOptions>][] = [
    ["country code with a letter", { countryCode: "4a" }],
    ["country code of 4 digits", { countryCode: "4444" }],
    ["country code beginning with 0", { countryCode: "04" }],
    ["national prefix with +", { nationalPrefix: "+" }],
    ["international prefix of 5 digits", { internationalPrefix: "00000" }],
    ["short code length 0", { shortCodeLengths: [0] }],
    ["national length 16", { nationalNumberLengths: [16] }],
  ];
  for (const [name, change] of cases) {
    await t.step(name, () => {
      const options = { ...UK, ...change };
      assert.ok(e164OptionsProblem(options)?.startsWith("Cannot "));
      assert.throws(() => createPlan({ plan: "e164", ...options }), RangeError);
    });
  }
  assert.equal(e164OptionsProblem(UK), undefined);
});
