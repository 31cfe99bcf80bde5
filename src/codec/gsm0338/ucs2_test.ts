import assert from "node:assert/strict";
import fc from "fast-check";
import { toHex } from "../../lib/bytes.ts";
import { decodeUcs2, encodeUcs2 } from "./mod.ts";

Deno.test("encodeUcs2() writes UTF-16BE with surrogate pairs", () => {
  assert.equal(toHex(encodeUcs2("Aж")), "00410436");
  assert.equal(toHex(encodeUcs2("😀")), "d83dde00");
  assert.equal(toHex(encodeUcs2("")), "");
});

Deno.test("decodeUcs2() turns an odd trailing octet into U+FFFD", () => {
  assert.equal(decodeUcs2(Uint8Array.of(0x00, 0x41, 0x00)), "A\ufffd");
  assert.equal(decodeUcs2(Uint8Array.of(0x41)), "\ufffd");
});

Deno.test("decodeUcs2() keeps lone surrogates so split pairs rejoin", () => {
  const first = decodeUcs2(Uint8Array.of(0xd8, 0x3d));
  const second = decodeUcs2(Uint8Array.of(0xde, 0x00));
  assert.equal(first + second, "😀");
});

Deno.test("decodeUcs2(encodeUcs2(text)) gives back any text", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary", maxLength: 200 }), (text) => {
      assert.equal(decodeUcs2(encodeUcs2(text)), text);
    }),
    { seed: 42, numRuns: 500 },
  );
});

Deno.test("decodeUcs2() decodes long input without a huge argument list", () => {
  const text = "ab😀".repeat(5000);
  assert.equal(decodeUcs2(encodeUcs2(text)), text);
});
