import {
  ByteReader,
  bytesEqual,
  ByteWriter,
  fromHex,
  pooledBytes,
  pooledCopy,
  toHex,
} from "./bytes.ts";
import { DecodeError, EncodeError } from "./errors.ts";

function throws(fn: () => unknown, cls: new (...a: never[]) => Error) {
  try {
    fn();
  } catch (e) {
    if (e instanceof cls) return;
    throw new Error(`expected ${cls.name}, got ${e}`);
  }
  throw new Error(`expected ${cls.name}, nothing thrown`);
}

Deno.test("ByteReader reads big-endian integers and refuses overruns", () => {
  const r = new ByteReader(fromHex("01 0203 04050607 08"), "test");
  if (r.u8("a") !== 1 || r.u16("b") !== 0x0203 || r.u32("c") !== 0x04050607) throw new Error("bad");
  if (r.remaining !== 1) throw new Error("remaining");
  throws(() => r.u16("d"), DecodeError);
  const sub = new ByteReader(fromHex("0102030405"), "test").sub(2, "x");
  sub.u16("y");
  throws(() => sub.u8("z"), DecodeError);
});

Deno.test("ByteReader.u32() reads values at and above 2^31 as unsigned", () => {
  if (new ByteReader(fromHex("ffffffff"), "t").u32("x") !== 0xffffffff) throw new Error("sign");
});

Deno.test("ByteWriter grows, patches and rejects out-of-range values", () => {
  const w = new ByteWriter("test", 1);
  w.u8(0, "len").u16(0xabcd, "x").u32(0xdeadbeef, "y").bytes(new Uint8Array(100));
  w.patchU8(0, 7, "len");
  const out = w.finish();
  if (out.length !== 107 || out[0] !== 7 || toHex(out.slice(1, 7)) !== "abcddeadbeef") {
    throw new Error("bad output");
  }
  throws(() => w.u8(256, "z"), EncodeError);
  throws(() => w.u16(-1, "z"), EncodeError);
});

Deno.test("fromHex() accepts separators and rejects bad digits", () => {
  if (!bytesEqual(fromHex("0x0A:bC-d e"), new Uint8Array([0x0a, 0xbc, 0xde]))) {
    throw new Error("parse");
  }
  throws(() => fromHex("abc"), DecodeError);
  throws(() => fromHex("zz"), DecodeError);
});

Deno.test("pooledBytes() returns zeroed arrays that share no bytes with each other", () => {
  const arrays = Array.from({ length: 2000 }, (_, i) => {
    const a = pooledBytes(1 + (i % 9));
    if (!a.every((b) => b === 0)) throw new Error(`array ${i} not zeroed`);
    a.fill(i & 0xff);
    return a;
  });
  arrays.forEach((a, i) => {
    if (!a.every((b) => b === (i & 0xff))) throw new Error(`array ${i} overwritten`);
  });
  if (pooledBytes(5000).length !== 5000) throw new Error("large array");
});

Deno.test("pooledCopy() returns copies that share no bytes with the input or each other", () => {
  const source = new Uint8Array([1, 2, 3, 4, 5]);
  const copies = Array.from({ length: 2000 }, (_, i) => {
    source[0] = i & 0xff;
    return pooledCopy(source.subarray(0, 1 + (i % 5)));
  });
  source.fill(0xee);
  copies.forEach((c, i) => {
    const want = [i & 0xff, 2, 3, 4, 5].slice(0, 1 + (i % 5));
    if (toHex(c) !== toHex(new Uint8Array(want))) throw new Error(`copy ${i} changed`);
  });
  const big = new Uint8Array(3000).fill(7);
  if (!bytesEqual(pooledCopy(big), big)) throw new Error("large copy");
});
