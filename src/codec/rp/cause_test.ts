import assert from "node:assert/strict";
import { RP_CAUSES, rpCauseClass, rpCauseName } from "./cause.ts";

Deno.test("rpCauseName() names Table 8.4 values and marks unknown ones", () => {
  assert.equal(rpCauseName(22), "Memory capacity exceeded");
  assert.equal(rpCauseName(111), "Protocol error, unspecified");
  assert.equal(rpCauseName(5), "Unknown cause 5");
});

Deno.test("rpCauseClass() retries transient causes and treats unknown values as #111", () => {
  assert.equal(rpCauseClass(22), "temporary");
  assert.equal(rpCauseClass(41), "temporary");
  assert.equal(rpCauseClass(1), "permanent");
  assert.equal(rpCauseClass(30), "permanent");
  assert.equal(rpCauseClass(100), "permanent");
});

Deno.test("RP_CAUSES lists 24 distinct 7-bit values in ascending order", () => {
  assert.equal(RP_CAUSES.length, 24);
  for (let i = 1; i < RP_CAUSES.length; i++) {
    assert.ok(RP_CAUSES[i - 1].value < RP_CAUSES[i].value);
  }
  assert.ok(RP_CAUSES.every((c) => c.value >= 0 && c.value <= 127));
});
