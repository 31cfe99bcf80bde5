import assert from "node:assert/strict";
import fc from "fast-check";
import cases from "../../../tests/vectors/udh/user_data.json" with { type: "json" };
import errorCases from "../../../tests/vectors/udh/user_data_errors.json" with { type: "json" };
import { fuzzDecoder, runVectors, type Vector } from "../../../tests/support/codec_harness.ts";
import { fromHex } from "../../lib/bytes.ts";
import { EncodeError } from "../../lib/errors.ts";
import { concatIe, singleShiftIe } from "./udh.ts";
import { type Alphabet, decodeUserData, encodeUserData, type UserData } from "./user_data.ts";

interface Options {
  udl: number;
  udhi: boolean;
  alphabet: Alphabet;
}

function decode(bytes: Uint8Array, options?: Record<string, unknown>): UserData {
  const o = options as unknown as Options;
  return decodeUserData(bytes, o.udl, o.udhi, o.alphabet);
}

function encode(value: UserData, options?: Record<string, unknown>): Uint8Array {
  const o = options as unknown as Options;
  const r = encodeUserData(value, o.alphabet);
  assert.equal(r.udl, o.udl);
  assert.equal(r.udhi, o.udhi);
  return r.ud;
}

Deno.test("decodeUserData() and encodeUserData() match the user data vectors", async (t) => {
  await runVectors(t, cases as Vector[], decode, encode);
});

Deno.test("decodeUserData() rejects user data that disagrees with TP-UDL", async (t) => {
  await runVectors(t, errorCases as Vector[], decode);
});

Deno.test("decodeUserData() only ever returns a value or throws DecodeError", () => {
  let calls = 0;
  for (const v of [...cases, ...errorCases] as Vector[]) {
    const seed = fromHex(v.hex);
    calls += fuzzDecoder((b) => decode(b, v.options), [seed], { randomCount: 50, seed: 7 }).calls;
  }
  // Self-describing input: octet 0 is UDL, octet 1 selects UDHI and the alphabet.
  const alphabets: Alphabet[] = ["gsm7", "8bit", "ucs2"];
  const selfDescribing = (b: Uint8Array) =>
    decodeUserData(
      b.subarray(2),
      b[0] ?? 0,
      ((b[1] ?? 0) & 0x80) !== 0,
      alphabets[(b[1] ?? 0) % 3],
    );
  const seeds = (cases as Vector[]).map((v) => {
    const o = v.options as unknown as Options;
    const head = Uint8Array.of(o.udl, (o.udhi ? 0x80 : 0) | alphabets.indexOf(o.alphabet));
    return Uint8Array.from([...head, ...fromHex(v.hex)]);
  });
  calls += fuzzDecoder(selfDescribing, seeds, { randomCount: 3000, seed: 42 }).calls;
  assert.ok(calls > 50000);
});

Deno.test("encodeUserData() packs text with the shift tables its header names", () => {
  const r = encodeUserData({ udh: [singleShiftIe(1)], text: "ş" }, "gsm7");
  assert.equal(r.udl, 5 + 2); // 4 header octets = 5 septets (3 fill bits), then escape + code
  const back = decodeUserData(r.ud, r.udl, r.udhi, "gsm7");
  assert.equal(back.text, "ş");
  assert.equal(back.fillBits, 3);
});

Deno.test("encodeUserData() rejects what does not fit or cannot be represented", () => {
  assert.throws(() => encodeUserData({ udh: null, text: "x".repeat(161) }, "gsm7"), EncodeError);
  assert.throws(
    () => encodeUserData({ udh: [concatIe(1, 2, 1)], text: "x".repeat(154) }, "gsm7"),
    EncodeError,
  );
  assert.throws(() => encodeUserData({ udh: null, text: "x".repeat(71) }, "ucs2"), EncodeError);
  assert.throws(() => encodeUserData({ udh: null, text: "Ş" }, "gsm7"), EncodeError);
  assert.throws(
    () =>
      encodeUserData({ udh: null, septets: Uint8Array.of(1, 2), data: Uint8Array.of(0) }, "gsm7"),
    EncodeError,
  );
});

const arbUdh = fc.option(
  fc.array(
    fc.tuple(fc.integer({ min: 0x70, max: 0x7f }), fc.uint8Array({ maxLength: 8 }))
      .map(([iei, data]) => ({ iei, data })),
    { maxLength: 3 },
  ),
);

Deno.test("decodeUserData(encodeUserData(v)) gives back v", () => {
  fc.assert(
    fc.property(
      arbUdh,
      fc.array(fc.integer({ min: 0, max: 127 }), { maxLength: 120 }),
      (udh, arr) => {
        const septets = Uint8Array.from(arr);
        const r = encodeUserData({ udh, septets }, "gsm7");
        const back = decodeUserData(r.ud, r.udl, r.udhi, "gsm7");
        assert.deepEqual(back.udh, udh);
        assert.deepEqual(back.septets, septets);
        assert.deepEqual(encodeUserData(back, "gsm7"), r);
      },
    ),
    { seed: 42, numRuns: 300 },
  );
  fc.assert(
    fc.property(arbUdh, fc.uint8Array({ maxLength: 100 }), fc.boolean(), (udh, data, ucs2) => {
      const alphabet: Alphabet = ucs2 ? "ucs2" : "8bit";
      const r = encodeUserData({ udh, data }, alphabet);
      const back = decodeUserData(r.ud, r.udl, r.udhi, alphabet);
      assert.deepEqual(back.udh, udh);
      assert.deepEqual(back.data, data);
      assert.deepEqual(encodeUserData(back, alphabet), r);
    }),
    { seed: 42, numRuns: 300 },
  );
});
