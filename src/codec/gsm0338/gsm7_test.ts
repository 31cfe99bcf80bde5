import assert from "node:assert/strict";
import fc from "fast-check";
import defaultCases from "../../../tests/vectors/gsm0338/default_alphabet.json" with {
  type: "json",
};
import nationalCases from "../../../tests/vectors/gsm0338/national_languages.json" with {
  type: "json",
};
import decodeOnlyCases from "../../../tests/vectors/gsm0338/decode_only.json" with {
  type: "json",
};
import { runVectors, type Vector } from "../../../tests/support/codec_harness.ts";
import {
  decodeGsm7,
  encodeGsm7,
  gsm7Length,
  type Gsm7Options,
  lockingShiftTable,
  NATIONAL_LANGUAGES,
  packSeptets,
  singleShiftTable,
  unpackSeptets,
} from "./mod.ts";

interface Options extends Gsm7Options {
  septets: number;
  fillBits?: number;
}

function decode(bytes: Uint8Array, options?: Record<string, unknown>) {
  const o = options as unknown as Options;
  const septets = unpackSeptets(bytes, o.septets, o.fillBits ?? 0);
  return { septets, text: decodeGsm7(septets, o) };
}

function encode(value: { text: string }, options?: Record<string, unknown>): Uint8Array {
  const o = options as unknown as Options;
  const septets = encodeGsm7(value.text, o);
  assert.ok(septets, "text must be encodable");
  return packSeptets(septets, o.fillBits ?? 0);
}

Deno.test("decodeGsm7() and encodeGsm7() match the default alphabet vectors", async (t) => {
  await runVectors(t, defaultCases as Vector[], decode, encode);
});

Deno.test("decodeGsm7() and encodeGsm7() match the national language vectors", async (t) => {
  await runVectors(t, nationalCases as Vector[], decode, encode);
});

Deno.test("decodeGsm7() follows TS 23.038 for escapes and undefined codes", async (t) => {
  await runVectors(t, decodeOnlyCases as Vector[], decode);
});

Deno.test("encodeGsm7() returns null for characters outside the tables", () => {
  assert.equal(encodeGsm7("Ş"), null);
  assert.equal(encodeGsm7("😀"), null);
  assert.equal(encodeGsm7("á", { singleShift: 1 }), null);
  assert.equal(gsm7Length("Ş"), null);
});

Deno.test("encodeGsm7() prefers the locking shift table over an escape", () => {
  // € is 0x04 of the Turkish locking table (§A.3.1) and 0x65 of its single shift table (§A.2.1).
  assert.deepEqual([...encodeGsm7("€", { lockingShift: 1, singleShift: 1 })!], [0x04]);
  assert.deepEqual([...encodeGsm7("€")!], [0x1b, 0x65]);
});

Deno.test("gsm7Length() counts escapes as two septets", () => {
  assert.equal(gsm7Length("a€b"), 4);
  assert.equal(gsm7Length(""), 0);
  assert.equal(gsm7Length("ş", { singleShift: 1 }), 2);
  assert.equal(gsm7Length("ş", { lockingShift: 1 }), 1);
});

Deno.test("NATIONAL_LANGUAGES lists the 13 identifiers of TS 23.038 §6.2.1.2.4", () => {
  assert.equal(NATIONAL_LANGUAGES.length, 13);
  assert.deepEqual(NATIONAL_LANGUAGES.slice(0, 3).map((l) => [l.id, l.name]), [
    [1, "Turkish"],
    [2, "Spanish"],
    [3, "Portuguese"],
  ]);
  assert.deepEqual(NATIONAL_LANGUAGES[12], {
    id: 13,
    name: "Urdu",
    hasLockingShift: true,
    hasSingleShift: true,
  });
  assert.equal(NATIONAL_LANGUAGES[1].hasLockingShift, false);
  assert.ok(NATIONAL_LANGUAGES.every((l) => l.hasSingleShift));
});

// Characters pinned per table: [language, kind, septet, code point], read
// from the tables of TS 23.038 §6.2.1, §6.2.1.1 and Annex A.
const PINS: [number, "L" | "S", number, number][] = [
  [0, "L", 0x00, 0x40],
  [0, "L", 0x10, 0x394],
  [0, "L", 0x24, 0xa4],
  [0, "L", 0x40, 0xa1],
  [0, "L", 0x60, 0xbf],
  [0, "L", 0x7f, 0xe0],
  [0, "L", 0x1c, 0xc6],
  [0, "L", 0x09, 0xc7],
  [0, "S", 0x0a, 0x0c],
  [0, "S", 0x14, 0x5e],
  [0, "S", 0x28, 0x7b],
  [0, "S", 0x29, 0x7d],
  [0, "S", 0x2f, 0x5c],
  [0, "S", 0x3c, 0x5b],
  [0, "S", 0x3d, 0x7e],
  [0, "S", 0x3e, 0x5d],
  [0, "S", 0x40, 0x7c],
  [0, "S", 0x65, 0x20ac],
  [1, "L", 0x04, 0x20ac],
  [1, "L", 0x07, 0x131],
  [1, "L", 0x0b, 0x11e],
  [1, "L", 0x0c, 0x11f],
  [1, "L", 0x1c, 0x15e],
  [1, "L", 0x1d, 0x15f],
  [1, "L", 0x40, 0x130],
  [1, "L", 0x60, 0xe7],
  [1, "S", 0x47, 0x11e],
  [1, "S", 0x49, 0x130],
  [1, "S", 0x53, 0x15e],
  [1, "S", 0x63, 0xe7],
  [1, "S", 0x67, 0x11f],
  [1, "S", 0x69, 0x131],
  [1, "S", 0x73, 0x15f],
  [2, "S", 0x09, 0xe7],
  [2, "S", 0x41, 0xc1],
  [2, "S", 0x49, 0xcd],
  [2, "S", 0x4f, 0xd3],
  [2, "S", 0x55, 0xda],
  [2, "S", 0x61, 0xe1],
  [2, "S", 0x69, 0xed],
  [2, "S", 0x6f, 0xf3],
  [2, "S", 0x75, 0xfa],
  [3, "L", 0x04, 0xea],
  [3, "L", 0x12, 0xaa],
  [3, "L", 0x15, 0x221e],
  [3, "L", 0x18, 0x20ac],
  [3, "L", 0x24, 0xba],
  [3, "L", 0x40, 0xcd],
  [3, "L", 0x5b, 0xc3],
  [3, "L", 0x60, 0x7e],
  [3, "L", 0x7b, 0xe3],
  [3, "L", 0x7d, 0x60],
  [3, "S", 0x05, 0xea],
  [3, "S", 0x12, 0x3a6],
  [3, "S", 0x13, 0x393],
  [3, "S", 0x7f, 0xe2],
  [4, "L", 0x00, 0x981],
  [4, "L", 0x7f, 0x9f1],
  [4, "S", 0x20, 0x9ec],
  [5, "L", 0x00, 0xa81],
  [5, "S", 0x19, 0x964],
  [6, "L", 0x00, 0x901],
  [6, "L", 0x60, 0x950],
  [6, "L", 0x7f, 0x97f],
  [6, "S", 0x1c, 0x966],
  [7, "L", 0x01, 0xc82],
  [7, "S", 0x26, 0xcde],
  [8, "L", 0x01, 0xd02],
  [8, "L", 0x7f, 0xd79],
  [8, "S", 0x30, 0xd7b],
  [9, "L", 0x00, 0xb01],
  [9, "S", 0x26, 0xb5c],
  [10, "L", 0x00, 0xa01],
  [10, "S", 0x2d, 0xa75],
  [11, "L", 0x01, 0xb82],
  [11, "L", 0x7f, 0xbf9],
  [11, "S", 0x2e, 0xbfa],
  [12, "L", 0x00, 0xc01],
  [12, "S", 0x30, 0xc7d],
  [13, "L", 0x00, 0x627],
  [13, "L", 0x7f, 0x670],
  [13, "S", 0x3f, 0x6d4],
  [13, "S", 0x39, 0x672],
];

Deno.test("the national language tables hold the characters of TS 23.038 Annex A", () => {
  for (const [lang, kind, code, cp] of PINS) {
    const table = kind === "L" ? lockingShiftTable(lang) : singleShiftTable(lang);
    assert.equal(
      table.codePointAt(code),
      cp,
      `language ${lang} ${kind} 0x${code.toString(16)} should be U+${cp.toString(16)}`,
    );
  }
  for (let id = 0; id <= 13; id++) {
    assert.equal(lockingShiftTable(id).length, 128);
    assert.equal(singleShiftTable(id).length, 128);
  }
  assert.equal(lockingShiftTable(2), lockingShiftTable(0), "Spanish has no locking shift table");
});

function alphabetOf(options: Gsm7Options): string[] {
  const chars = new Set<string>();
  for (
    const t of [lockingShiftTable(options.lockingShift), singleShiftTable(options.singleShift)]
  ) {
    for (let i = 0; i < 128; i++) if (i !== 0x1b && t[i] !== "\uffff") chars.add(t[i]);
  }
  return [...chars];
}

Deno.test("decodeGsm7(encodeGsm7(text)) gives back the text for every table pair", () => {
  for (let lock = 0; lock <= 13; lock++) {
    for (const single of [0, lock]) {
      const options = { lockingShift: lock, singleShift: single };
      const chars = alphabetOf(options);
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...chars), { maxLength: 60 }), (arr) => {
          const text = arr.join("");
          const septets = encodeGsm7(text, options);
          assert.ok(septets);
          assert.equal(gsm7Length(text, options), septets.length);
          assert.equal(decodeGsm7(septets, options), text);
          assert.equal(
            decodeGsm7(unpackSeptets(packSeptets(septets, 3), septets.length, 3), options),
            text,
          );
        }),
        { seed: 42, numRuns: 40 },
      );
    }
  }
});

Deno.test("decodeGsm7() never throws on any septets", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: -1, max: 300 }), (b, lang) => {
      const text = decodeGsm7(b, { lockingShift: lang, singleShift: lang });
      assert.equal(typeof text, "string");
    }),
    { seed: 42, numRuns: 2000 },
  );
});
