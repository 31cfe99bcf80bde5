import { deepStrictEqual } from "node:assert/strict";
import fc from "fast-check";
import { decodeReportPayload, encodeReportPayload, type ReportPayload } from "./report.ts";
import { DISPOSITIONS } from "./types.ts";
import { fuzzDecoder } from "../../../tests/support/codec_harness.ts";

const status: ReportPayload = {
  kind: "status",
  disposition: "delivered",
  cause: 0,
  dischargeTimeMs: 1_763_900_000_123,
  originalId: 4711,
  originalEntryTimeMs: 1_763_899_000_456,
  originalMr: 42,
};
const receipt: ReportPayload = {
  kind: "receipt",
  disposition: "expired",
  cause: 0x1d,
  doneTimeMs: 1_763_900_000_000,
  messageId: "bw-4711-abc",
};

Deno.test("decodeReportPayload() reverses encodeReportPayload() for both kinds", () => {
  deepStrictEqual(decodeReportPayload(encodeReportPayload(status)), status);
  deepStrictEqual(decodeReportPayload(encodeReportPayload(receipt)), receipt);
});

Deno.test("report payloads round-trip for generated values", () => {
  const u48 = fc.integer({ min: 0, max: 2 ** 48 - 1 });
  const base = {
    disposition: fc.constantFrom(...DISPOSITIONS),
    cause: fc.integer({ min: 0, max: 0xffff }),
  };
  const arb = fc.oneof(
    fc.record({
      kind: fc.constant("status" as const),
      ...base,
      dischargeTimeMs: u48,
      originalId: u48,
      originalEntryTimeMs: u48,
      originalMr: fc.integer({ min: 0, max: 255 }),
    }),
    fc.record({
      kind: fc.constant("receipt" as const),
      ...base,
      doneTimeMs: u48,
      messageId: fc.stringMatching(/^[ -~]{0,64}$/),
    }),
  );
  // fc.record builds objects without a prototype: compare with a plain copy.
  fc.assert(
    fc.property(arb, (p) => deepStrictEqual(decodeReportPayload(encodeReportPayload(p)), { ...p })),
    { seed: 42, numRuns: 300 },
  );
});

Deno.test("decodeReportPayload() only returns or throws DecodeError on hostile input", () => {
  fuzzDecoder(decodeReportPayload, [encodeReportPayload(status), encodeReportPayload(receipt)], {
    randomCount: 1000,
    randomMaxBytes: 40,
  });
});
