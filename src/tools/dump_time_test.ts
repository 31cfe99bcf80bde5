import assert from "node:assert/strict";
import { UsageError } from "../lib/errors.ts";
import { formatDumpTime, parseDumpTime } from "./dump_time.ts";

const T = Date.UTC(2026, 10, 23, 10, 0, 0);

Deno.test("parseDumpTime reads the ISO forms as UTC unless an offset is given", () => {
  const cases: [string, number][] = [
    ["2026-11-23T10:00:00Z", T],
    ["2026-11-23T10:00:00", T],
    ["2026-11-23 10:00", T],
    ["2026-11-23t10:00:00z", T],
    ["2026-11-23T10:00:00.25Z", T + 250],
    ["2026-11-23T11:00:00+01:00", T],
    ["2026-11-23T11:30:00+0130", T],
    ["2026-11-23T05:00-05", T],
    ["2026-11-23", Date.UTC(2026, 10, 23)],
    ["2024-02-29", Date.UTC(2024, 1, 29)],
    ["@1795428000", 1_795_428_000_000],
    ["@1795428000.5", 1_795_428_000_500],
    ["@0", 0],
  ];
  for (const [text, ms] of cases) assert.equal(parseDumpTime(text), ms, text);
});

Deno.test("parseDumpTime refuses what is not a time, naming the option", () => {
  for (
    const text of [
      "",
      "yesterday",
      "2026-13-01",
      "2026-02-29",
      "2026-11-31",
      "2026-11-23T24:00",
      "2026-11-23T10:60",
      "2026-11-23T10:00+25:00",
      "1795428000",
      "@-5",
      "@1.2345",
      "2026-11-23T10",
      "0050-01-01",
    ]
  ) {
    assert.throws(() => parseDumpTime(text, "--until"), (e: unknown) => {
      assert.ok(e instanceof UsageError, text);
      assert.match(e.message, /^--until "/);
      return true;
    });
  }
});

Deno.test("formatDumpTime prints UTC with milliseconds and round-trips", () => {
  assert.equal(formatDumpTime(T + 7), "2026-11-23T10:00:00.007Z");
  assert.equal(parseDumpTime(formatDumpTime(T + 7)), T + 7);
});
