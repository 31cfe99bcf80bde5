import { strictEqual } from "node:assert/strict";
import { ADMISSION_REASONS, admissionReason, admissionReasonByCode } from "./admission.ts";
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
