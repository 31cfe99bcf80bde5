import assert from "node:assert/strict";
import { parseThemwiNumberDb, ThemwiSyntaxError } from "./admin_themwi.ts";

Deno.test("parseThemwiNumberDb() reads prefix blocks, single numbers and ITNs", () => {
  const db = parseThemwiNumberDb(
    "prefix 310-555 allow-abbrev  # our exchange\r\n0101 sms\n\n  0102\n" +
      "prefix 213-555\n0199\n8185550123 sms\nitn 4000\ntest-sink 4100\n",
  );
  assert.deepEqual(db.numbers, [
    { e164: "13105550101", sms: true },
    { e164: "13105550102", sms: false },
    { e164: "12135550199", sms: false },
    { e164: "18185550123", sms: true },
  ]);
  assert.deepEqual(db.shorts, [
    { code: "0101", e164: "13105550101" },
    { code: "0102", e164: "13105550102" },
    { code: "4000", kind: "gsm" },
  ]);
  assert.equal(db.skippedLines, 1);
  assert.equal(db.ignoredFlags.size, 0);
});

Deno.test("parseThemwiNumberDb() names the first bad line", async (t) => {
  const cases: [string, string, string][] = [
    ["suffix without prefix", "0101\n", "line 1: Cannot read suffix: no prefix line before it"],
    ["prefix without dash", "prefix 310555\n", "line 1: Cannot read prefix: expected NPA-NXX"],
    ["prefix flag", "prefix 310-555 frob\n", 'line 1: Cannot read prefix flag "frob"'],
    ["NPA N11", "prefix 411-555\n", 'line 1: Cannot use NPA "411": it is not a NANP area code'],
    ["NPA 1XX", "prefix 110-555\n", 'line 1: Cannot use NPA "110": it is not a NANP area code'],
    ["NXX 0XX", "prefix 310-055\n", 'line 1: Cannot use NXX "055": it is not a NANP exchange'],
    [
      "single NXX N11",
      "# x\n310-911-0101\n",
      'line 2: Cannot use NXX "911": it is not a NANP exchange',
    ],
    [
      "twice",
      "prefix 310-555\n0101\n310-555-0101\n",
      "line 3: Cannot add +13105550101: listed twice",
    ],
    [
      "abbreviation conflict",
      "prefix 310-555 allow-abbrev\n0101\nprefix 213-555 allow-abbrev\n0101\n",
      "line 4: Cannot add short number 0101: it conflicts",
    ],
    ["itn conflict", "itn 4000\nitn 4000\n", "line 2: Cannot add short number 4000: it conflicts"],
    ["itn bad", "itn 40000\n", "line 1: Cannot read itn: expected 4 digits"],
    ["unknown", "prefix 310-555\nfrob 1\n", 'line 2: Cannot read "frob": unknown entry'],
    ["5-digit suffix", "prefix 310-555\n01011\n", 'line 2: Cannot read "01011": unknown entry'],
  ];
  for (const [name, text, message] of cases) {
    await t.step(name, () => {
      assert.throws(
        () => parseThemwiNumberDb(text),
        (e) => e instanceof ThemwiSyntaxError && e.message === message,
      );
    });
  }
});

Deno.test("parseThemwiNumberDb() counts the flags it does not use", () => {
  const db = parseThemwiNumberDb("prefix 310-555\n0101 sms e911 x\n0102 e911\n");
  assert.deepEqual([...db.ignoredFlags], [["e911", 2], ["x", 1]]);
});
