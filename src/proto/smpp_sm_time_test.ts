import assert from "node:assert/strict";
import fc from "fast-check";
import { SMPP_STATUS as S } from "../codec/smpp/mod.ts";
import {
  parseReceiptDate,
  parseSmppAbsoluteTime,
  parseSmppRelativeTime,
  receiptDate,
  smppAbsoluteTime,
  VALIDITY_S_MAX,
  validityIn,
} from "./smpp_sm_time.ts";

const NOW = Date.UTC(2024, 2, 1, 12, 0, 0);

Deno.test("parseSmppAbsoluteTime() applies tenths and the quarter-hour offset (SMPP 3.4 §7.1.1.1)", () => {
  assert.equal(parseSmppAbsoluteTime("240301120000000+"), NOW);
  // Local 13:30:00.5 at UTC+01:30 (06 quarter hours) is 12:00:00.5 UTC.
  assert.equal(parseSmppAbsoluteTime("240301133000506+"), NOW + 500);
  // Local 07:00 at UTC-05:00 (20 quarter hours) is 12:00 UTC.
  assert.equal(parseSmppAbsoluteTime("240301070000020-"), NOW);
  // 29 February exists in 2024 only.
  assert.equal(parseSmppAbsoluteTime("240229000000000+"), Date.UTC(2024, 1, 29));
  for (
    const bad of [
      "250229000000000+",
      "241301000000000+",
      "240100000000000+",
      "240301240000000+",
      "240301126000000+",
      "240301120060000+",
      "240301120000049+",
      "240301120000000R",
      "240301120000000",
      "24030112000000a+",
      "",
    ]
  ) {
    assert.equal(parseSmppAbsoluteTime(bad), undefined, bad);
  }
});

Deno.test("parseSmppRelativeTime() counts years as 365 days and months as 30 (§7.1.1.2)", () => {
  assert.equal(parseSmppRelativeTime("000000000001000R"), 1);
  assert.equal(parseSmppRelativeTime("010203040506000R"), (365 + 60 + 3) * 86400 + 4 * 3600 + 306);
  assert.equal(parseSmppRelativeTime("000000000001001R"), undefined);
  assert.equal(parseSmppRelativeTime("000000000001000+"), undefined);
});

Deno.test("validityIn() gives 0 for none, caps long periods, refuses past or malformed ones", () => {
  assert.deepEqual(validityIn("", NOW), { ok: true, validityS: 0 });
  assert.deepEqual(validityIn("010000000000000R", NOW), { ok: true, validityS: 365 * 86400 });
  assert.deepEqual(validityIn("990000000000000R", NOW), { ok: true, validityS: VALIDITY_S_MAX });
  // An absolute time in 2099 from 2024 is more than 2^31-1 seconds away.
  assert.deepEqual(validityIn("991231235959000+", NOW), { ok: true, validityS: VALIDITY_S_MAX });
  // Half a second ahead rounds up to 1.
  assert.deepEqual(validityIn("240301120000500+", NOW), { ok: true, validityS: 1 });
  for (const bad of ["240301120000000+", "230301120000000+", "000000000000000R", "1d"]) {
    const r = validityIn(bad, NOW);
    assert.ok(!r.ok && r.commandStatus === S.ESME_RINVEXPIRY, bad);
  }
});

Deno.test("smppAbsoluteTime() writes UTC YYMMDDhhmmss000+ and reads back (property)", () => {
  assert.equal(smppAbsoluteTime(Date.UTC(2024, 11, 31, 23, 59, 58, 999)), "241231235958000+");
  fc.assert(
    fc.property(
      fc.integer({ min: Date.UTC(2000, 0, 1) / 1000, max: Date.UTC(2099, 11, 31) / 1000 }),
      (s) => {
        return parseSmppAbsoluteTime(smppAbsoluteTime(s * 1000)) === s * 1000;
      },
    ),
    { seed: 7, numRuns: 500 },
  );
});

Deno.test("receiptDate() and parseReceiptDate() use YYMMDDhhmm in UTC (Appendix B)", () => {
  assert.equal(receiptDate(NOW + 59_000), "2403011200");
  assert.equal(parseReceiptDate("2403011200"), NOW);
  assert.equal(parseReceiptDate("240301120030"), NOW + 30_000);
  for (const bad of ["24030112", "2403011260", "24030112000", "2413011200"]) {
    assert.equal(parseReceiptDate(bad), undefined, bad);
  }
});
