import assert from "node:assert/strict";
import { statusClass } from "./status_report.ts";

Deno.test("statusClass() classes TP-ST by bits 6-5 and marks reserved values", () => {
  assert.deepEqual(statusClass(0x00), {
    class: "completed",
    name: "Short message received by the SME",
    reserved: false,
  });
  assert.equal(statusClass(0x21).class, "temporary-still-trying");
  assert.equal(statusClass(0x46).class, "permanent");
  assert.equal(statusClass(0x46).name, "SM Validity Period Expired");
  assert.equal(statusClass(0x63).class, "temporary-no-more-trying");
  assert.deepEqual(statusClass(0x03), { class: "completed", reserved: true });
  assert.deepEqual(statusClass(0x15), { class: "completed", reserved: false });
  assert.equal(statusClass(0x80).reserved, true);
});
