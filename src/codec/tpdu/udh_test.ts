import assert from "node:assert/strict";
import fc from "fast-check";
import udhCases from "../../../tests/vectors/udh/udh.json" with { type: "json" };
import udhErrorCases from "../../../tests/vectors/udh/udh_errors.json" with { type: "json" };
import interpretErrorCases from "../../../tests/vectors/udh/interpret_errors.json" with {
  type: "json",
};
import { fuzzDecoder, runVectors, type Vector } from "../../../tests/support/codec_harness.ts";
import { fromHex, toHex } from "../../lib/bytes.ts";
import { DecodeError, EncodeError } from "../../lib/errors.ts";
import {
  concatIe,
  decodeUdh,
  encodeUdh,
  type InformationElement,
  interpretIe,
  lockingShiftIe,
  portIe,
  singleShiftIe,
} from "./udh.ts";

function decodeAndInterpret(bytes: Uint8Array) {
  const udh = decodeUdh(bytes);
  return { ...udh, interpreted: udh.ies.map(interpretIe) };
}

Deno.test("decodeUdh() and encodeUdh() match the UDH vectors", async (t) => {
  await runVectors(t, udhCases as Vector[], decodeAndInterpret, (v) => encodeUdh(v.ies));
});

Deno.test("decodeUdh() rejects headers that overrun", async (t) => {
  await runVectors(t, udhErrorCases as Vector[], decodeUdh);
});

Deno.test("interpretIe() rejects malformed elements that decodeUdh() accepts", async (t) => {
  await runVectors(t, interpretErrorCases as Vector[], (b) => {
    decodeUdh(b); // must not throw: the header itself is well formed
    return decodeAndInterpret(b);
  });
});

Deno.test("decodeUdh() stops at UDHL and ignores the user data after it", () => {
  const udh = decodeUdh(fromHex("03240101 c8329bfd0e"));
  assert.equal(udh.udhOctets, 4);
  assert.equal(udh.ies.length, 1);
});

Deno.test("decodeUdh() only ever returns a value or throws DecodeError", () => {
  const seeds = [...udhCases, ...udhErrorCases, ...interpretErrorCases].map((v) => fromHex(v.hex));
  const counts = fuzzDecoder(decodeUdh, seeds, { randomCount: 3000, seed: 42 });
  const counts2 = fuzzDecoder((b) => decodeUdh(b).ies.map(safeInterpret), seeds, {
    randomCount: 1000,
    seed: 43,
  });
  assert.ok(counts.calls > 10000 && counts2.calls > 10000);
});

function safeInterpret(ie: InformationElement) {
  try {
    return interpretIe(ie);
  } catch (e) {
    if (e instanceof DecodeError) return null;
    throw e;
  }
}

Deno.test("concatIe() builds 8-bit and 16-bit concatenation elements", () => {
  assert.equal(toHex(encodeUdh([concatIe(0xcc, 2, 1)])), "050003cc0201");
  assert.equal(toHex(encodeUdh([concatIe(0x1234, 3, 3, { ref16: true })])), "06080412340303");
  assert.throws(() => concatIe(256, 2, 1), EncodeError);
  assert.throws(() => concatIe(1, 2, 3), EncodeError);
  assert.throws(() => concatIe(1, 0, 0), EncodeError);
  assert.throws(() => concatIe(1, 256, 1), EncodeError);
});

Deno.test("portIe(), singleShiftIe() and lockingShiftIe() build their elements", () => {
  assert.equal(toHex(encodeUdh([portIe(2948, 9200, { port16: true })])), "0605040b8423f0");
  assert.equal(toHex(encodeUdh([portIe(15, 16)])), "0404020f10");
  assert.equal(toHex(encodeUdh([lockingShiftIe(3), singleShiftIe(3)])), "06250103240103");
  assert.throws(() => portIe(256, 1), EncodeError);
  assert.throws(() => singleShiftIe(-1), EncodeError);
});

Deno.test("encodeUdh() rejects elements longer than 255 octets", () => {
  assert.throws(() => encodeUdh([{ iei: 0x70, data: new Uint8Array(256) }]), EncodeError);
  assert.throws(() => encodeUdh([{ iei: 0x100, data: new Uint8Array(0) }]), EncodeError);
});

const arbIe = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 20 }))
    .map(([iei, data]): InformationElement => ({ iei, data })),
  fc.tuple(fc.integer({ min: 1, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.boolean())
    .chain(([total, ref, ref16]) =>
      fc.integer({ min: 1, max: total }).map((seq) => concatIe(ref, total, seq, { ref16 }))
    ),
);

Deno.test("decodeUdh(encodeUdh(ies)) gives back the elements", () => {
  fc.assert(
    fc.property(fc.array(arbIe, { maxLength: 6 }), (ies) => {
      const bytes = encodeUdh(ies);
      const udh = decodeUdh(bytes);
      assert.equal(udh.udhOctets, bytes.length);
      assert.deepEqual(udh.ies, ies);
    }),
    { seed: 42, numRuns: 500 },
  );
});
