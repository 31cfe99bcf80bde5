import { strictEqual } from "node:assert/strict";
import { effectiveValidityS, expiryMs } from "./validity.ts";

const policy = { validitySDefault: 86400, validitySMax: 604800 };

Deno.test("effectiveValidityS() applies the default when the source sets none", () => {
  strictEqual(effectiveValidityS(0, policy), 86400);
});

Deno.test("effectiveValidityS() keeps a period within the maximum and caps a longer one", () => {
  strictEqual(effectiveValidityS(3600, policy), 3600);
  strictEqual(effectiveValidityS(604800, policy), 604800);
  strictEqual(effectiveValidityS(10 * 604800, policy), 604800);
});

Deno.test("expiryMs() adds the effective period to the entry time", () => {
  strictEqual(expiryMs(1_000_000, 60, policy), 1_060_000);
  strictEqual(expiryMs(1_000_000, 0, { validitySDefault: 10, validitySMax: 5 }), 1_005_000);
});
