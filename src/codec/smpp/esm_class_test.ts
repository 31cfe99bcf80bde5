import assert from "node:assert/strict";
import fc from "fast-check";
import { decodeEsmClass, encodeEsmClass, esmMessageTypeName, isEsmReceipt } from "./esm_class.ts";

Deno.test("decodeEsmClass() splits mode, type, UDHI and reply path (SMPP 3.4 §5.2.12)", () => {
  assert.deepEqual(decodeEsmClass(0x43), { mode: 3, type: 0, udhi: true, replyPath: false });
  assert.deepEqual(decodeEsmClass(0x84), { mode: 0, type: 1, udhi: false, replyPath: true });
  assert.equal(esmMessageTypeName(0x04), "delivery_receipt");
  assert.equal(esmMessageTypeName(0x20), "intermediate_notification");
  assert.equal(esmMessageTypeName(0x08), "delivery_ack");
  assert.equal(esmMessageTypeName(0x10), "user_ack");
  assert.equal(esmMessageTypeName(0x0c), "reserved");
  assert.ok(isEsmReceipt(0x04) && isEsmReceipt(0x20) && !isEsmReceipt(0x40));
});

Deno.test("encodeEsmClass(decodeEsmClass(v)) returns every octet", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 255 }), (v) => encodeEsmClass(decodeEsmClass(v)) === v),
    { seed: 42, numRuns: 256 },
  );
  assert.throws(() => encodeEsmClass({ mode: 4, type: 0, udhi: false, replyPath: false }), {
    name: "EncodeError",
  });
});
