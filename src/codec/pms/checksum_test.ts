import assert from "node:assert/strict";
import { crc32c } from "./checksum.ts";
import { prng } from "../../../tests/support/codec_harness.ts";

function bitwise(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

Deno.test("crc32c() matches the RFC 3720 §B.4 test vectors", () => {
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
  assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e);
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c);
});

Deno.test("crc32c() gives 0xE3069283 for the check string 123456789", () => {
  assert.equal(crc32c(new TextEncoder().encode("123456789")), 0xe3069283);
});

Deno.test("crc32c() slice-by-8 agrees with the bitwise definition on random ranges", () => {
  const rand = prng(0xc4c);
  for (let n = 0; n < 300; n++) {
    const b = Uint8Array.from({ length: Math.floor(rand() * 300) }, () => Math.floor(rand() * 256));
    const start = Math.floor(rand() * (b.length + 1));
    const end = start + Math.floor(rand() * (b.length - start + 1));
    assert.equal(crc32c(b, start, end), bitwise(b.subarray(start, end)), `case ${n}`);
  }
});

Deno.test("crc32c() rejects a range outside the input", () => {
  assert.throws(() => crc32c(new Uint8Array(4), 2, 5), RangeError);
  assert.throws(() => crc32c(new Uint8Array(4), 3, 2), RangeError);
});
