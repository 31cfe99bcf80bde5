import assert from "node:assert/strict";
import fc from "fast-check";
import { DecodeError, EncodeError } from "../../lib/errors.ts";
import { toHex } from "../../lib/bytes.ts";
import { fillBitsAfterUdh, packSeptets, unpackSeptets } from "./septets.ts";

Deno.test("packSeptets() packs hellohello as in the well-known example", () => {
  const septets = new TextEncoder().encode("hellohello");
  assert.equal(toHex(packSeptets(septets)), "e8329bfd4697d9ec37");
});

Deno.test("fillBitsAfterUdh() gives the fill bits of TS 23.040 §9.2.3.24", () => {
  // UDH octets (UDHL included) -> fill bits: 6 -> 1, 7 -> 0, 8 -> 6, 4 -> 3.
  assert.deepEqual([6, 7, 8, 4, 0].map(fillBitsAfterUdh), [1, 0, 6, 3, 0]);
});

Deno.test("packSeptets() rejects values above 127 and bad fill bits", () => {
  assert.throws(() => packSeptets(Uint8Array.of(0x80)), EncodeError);
  assert.throws(() => packSeptets(Uint8Array.of(1), 7), EncodeError);
});

Deno.test("unpackSeptets() rejects too few octets", () => {
  assert.throws(() => unpackSeptets(Uint8Array.of(1, 2), 3), DecodeError);
});

Deno.test("unpackSeptets(packSeptets(s, f)) gives back s for every fill", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 127 }), { maxLength: 170 }),
      fc.integer({ min: 0, max: 6 }),
      (arr, fill) => {
        const s = Uint8Array.from(arr);
        const packed = packSeptets(s, fill);
        assert.equal(packed.length, Math.ceil((fill + 7 * s.length) / 8));
        assert.deepEqual(unpackSeptets(packed, s.length, fill), s);
      },
    ),
    { seed: 42, numRuns: 500 },
  );
});
