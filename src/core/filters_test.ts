import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { checkPidDcs, parseOctetSet } from "./filters.ts";
import { ConfigError } from "../lib/errors.ts";

Deno.test("parseOctetSet() reads single values and ranges in hex and decimal", () => {
  deepStrictEqual([...parseOctetSet("0x00-0x03, 8 ,0xF0", "k")], [0, 1, 2, 3, 8, 0xf0]);
  strictEqual(parseOctetSet("", "k").size, 0);
  strictEqual(parseOctetSet("0-255", "k").size, 256);
});

Deno.test("parseOctetSet() names the key on a bad entry", () => {
  for (const bad of ["0x100", "256", "a", "3-1", "1-2-3", "-1"]) {
    throws(
      () => parseOctetSet(bad, "filters.pid_allow"),
      (e) => e instanceof ConfigError && e.key === "filters.pid_allow",
      bad,
    );
  }
});

Deno.test("checkPidDcs() with the recommended defaults allows plain text and refuses the rest", () => {
  const allowed = { pid: parseOctetSet("0x00-0x1f", "p"), dcs: parseOctetSet("0x00,0x08", "d") };
  deepStrictEqual(checkPidDcs(0x00, 0x00, allowed), { ok: true });
  deepStrictEqual(checkPidDcs(0x1f, 0x08, allowed), { ok: true });
  // 0x40 is a Short Message Type 0 ("silent SMS"), TS 23.040 §9.2.3.9.
  deepStrictEqual(checkPidDcs(0x40, 0x00, allowed), { ok: false, reason: "pid-filtered" });
  // 0x7f is SIM data download, used for OTA.
  deepStrictEqual(checkPidDcs(0x7f, 0x00, allowed), { ok: false, reason: "pid-filtered" });
  // 0x04 is 8-bit data; 0xc8 sets a message-waiting indicator.
  deepStrictEqual(checkPidDcs(0x00, 0x04, allowed), { ok: false, reason: "dcs-filtered" });
  deepStrictEqual(checkPidDcs(0x00, 0xc8, allowed), { ok: false, reason: "dcs-filtered" });
});
