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

Deno.test("crc32c() agrees with the bitwise definition on random ranges", () => {
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

/** The classic one-byte-at-a-time table loop, built here independently. */
const BYTE_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  return c >>> 0;
});

function bytewise(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ BYTE_TABLE[(crc ^ bytes[i]) & 0xff];
  return (crc ^ 0xffffffff) >>> 0;
}

Deno.test("crc32c() agrees with the bytewise table loop for every length and alignment", () => {
  const rand = prng(0x32c);
  const input = Uint8Array.from({ length: 600 }, () => Math.floor(rand() * 256));
  // Every tail length of the 8-byte loop, from every start within a word.
  for (let start = 0; start < 8; start++) {
    for (let length = 0; length <= 70; length++) {
      const end = start + length;
      assert.equal(crc32c(input, start, end), bytewise(input, start, end), `${start}+${length}`);
    }
  }
  // Views that start at any byte of their buffer, and whole random buffers.
  for (let n = 0; n < 500; n++) {
    const offset = Math.floor(rand() * 8);
    const length = Math.floor(rand() * 520);
    const view = new Uint8Array(input.buffer, offset, length);
    assert.equal(crc32c(view), bytewise(view, 0, length), `view ${offset}+${length}`);
  }
});

Deno.test("crc32c() of a record's checksum range agrees with the bytewise table loop", () => {
  const rand = prng(0x256);
  for (let n = 0; n < 2000; n++) {
    const record = Uint8Array.from({ length: 256 }, () => Math.floor(rand() * 256));
    assert.equal(crc32c(record, 4, 256), bytewise(record, 4, 256), `record ${n}`);
  }
});
