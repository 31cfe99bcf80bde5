import assert from "node:assert/strict";
import { commandStatusName, SMPP_STATUS, SMPP_STATUS_MEANING } from "./command_status.ts";

Deno.test("commandStatusName() names SMPP 3.4 §5.1.3 values and ranges", () => {
  assert.equal(commandStatusName(0x02), "ESME_RINVCMDLEN");
  assert.equal(commandStatusName(0xc0), "ESME_RINVOPTPARSTREAM");
  assert.equal(commandStatusName(0x400), "vendor-specific 0x00000400");
  assert.equal(commandStatusName(0x09), "reserved 0x00000009");
  assert.equal(Object.keys(SMPP_STATUS).length, Object.keys(SMPP_STATUS_MEANING).length);
});
