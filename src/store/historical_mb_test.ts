import assert from "node:assert/strict";
import { DecodeError } from "../lib/errors.ts";
import {
  absoluteIndex,
  advanceHistoricalMb,
  parseMbCount,
  positionOf,
  readMbCount,
  writeMbCount,
} from "./historical_mb.ts";

Deno.test("parseMbCount() accepts what echo writes and rejects anything else", () => {
  assert.equal(parseMbCount("0\n"), 0);
  assert.equal(parseMbCount("12"), 12);
  for (const bad of ["", "\n", "-1\n", "1 2\n", "0x10\n", "3\n\n", " 3\n"]) {
    assert.throws(() => parseMbCount(bad), DecodeError, JSON.stringify(bad));
  }
});

Deno.test("readMbCount() counts a missing file as 0 and reads back writeMbCount()", async () => {
  const dir = await Deno.makeTempDir({ prefix: "historical_mb_test_" });
  const path = `${dir}/historical-mb`;
  assert.equal(await readMbCount(path), 0);
  await writeMbCount(path, 3);
  assert.equal(await Deno.readTextFile(path), "3\n");
  await writeMbCount(path, 4);
  assert.equal(await readMbCount(path), 4);
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["historical-mb"]);
  await assert.rejects(() => writeMbCount(path, -1), RangeError);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("advanceHistoricalMb() counts whole MiB before the oldest active record, never backwards", () => {
  assert.equal(advanceHistoricalMb(0, 0), 0);
  assert.equal(advanceHistoricalMb(0, 4095), 0);
  assert.equal(advanceHistoricalMb(0, 4096), 1);
  assert.equal(advanceHistoricalMb(1, 3 * 4096 + 5), 3);
  assert.equal(advanceHistoricalMb(5, 4096), 5);
});

Deno.test("absoluteIndex() and positionOf() translate across an archive split", () => {
  assert.equal(absoluteIndex(0, 7), 7);
  assert.equal(absoluteIndex(2, 7), 8199);
  assert.equal(positionOf(2, 8199), 7);
  assert.equal(positionOf(2, 8191), null);
});
