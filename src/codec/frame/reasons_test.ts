import assert from "node:assert/strict";
import { REASON_ADMISSION_FIRST, SOCKET_REASONS, socketReason, socketReasonName } from "./mod.ts";

Deno.test("SOCKET_REASONS has unique names and codes below the admission range", () => {
  assert.equal(new Set(SOCKET_REASONS.map((r) => r.name)).size, SOCKET_REASONS.length);
  assert.equal(new Set(SOCKET_REASONS.map((r) => r.code)).size, SOCKET_REASONS.length);
  for (const r of SOCKET_REASONS) assert.ok(r.code >= 1 && r.code < REASON_ADMISSION_FIRST, r.name);
});

Deno.test("socketReason() and socketReasonName() are inverse", () => {
  for (const r of SOCKET_REASONS) {
    assert.deepEqual(socketReason(r.name), { code: r.code, text: r.name });
    assert.equal(socketReasonName(r.code), r.name);
  }
  assert.equal(socketReasonName(REASON_ADMISSION_FIRST), undefined);
});

Deno.test("socket reason codes are pinned", () => {
  assert.deepEqual(
    Object.fromEntries(SOCKET_REASONS.map((r) => [r.name, r.code])),
    {
      "bad-request": 1,
      "not-registered": 2,
      "already-claimed": 3,
      "unknown-peer": 4,
      "service-down": 5,
      "overloaded": 6,
      "shutting-down": 7,
      "internal-error": 8,
      "no-handler": 9,
    },
  );
});
