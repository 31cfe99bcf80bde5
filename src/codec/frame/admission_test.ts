import { strictEqual } from "node:assert/strict";
import {
  ADMISSION_REASONS,
  admissionReason,
  admissionReasonByCode,
  reasonNameOf,
} from "./admission.ts";
import { REASON_ADMISSION_FIRST, REASON_ADMISSION_LAST } from "./reasons.ts";

Deno.test("admission reasons have distinct names and codes inside the reserved range", () => {
  strictEqual(new Set(ADMISSION_REASONS.map((r) => r.name)).size, ADMISSION_REASONS.length);
  strictEqual(new Set(ADMISSION_REASONS.map((r) => r.code)).size, ADMISSION_REASONS.length);
  for (const r of ADMISSION_REASONS) {
    strictEqual(r.code >= REASON_ADMISSION_FIRST && r.code <= REASON_ADMISSION_LAST, true, r.name);
    strictEqual(admissionReasonByCode(r.code), admissionReason(r.name));
  }
  strictEqual(admissionReasonByCode(0x0fff), undefined);
});

Deno.test("reasonNameOf() names admission and socket reasons, and unknown codes internal-error", () => {
  strictEqual(reasonNameOf({ code: 0x0103, text: "x" }), "dest-unroutable");
  strictEqual(reasonNameOf({ code: 6, text: "x" }), "overloaded");
  strictEqual(reasonNameOf({ code: 0x0fff, text: "x" }), "internal-error");
});
