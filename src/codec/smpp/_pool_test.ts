import assert from "node:assert/strict";
import { pooledCopy } from "./_pool.ts";

Deno.test("pooledCopy() returns copies that share no bytes with the input or each other", () => {
  const source = new Uint8Array([1, 2, 3, 4, 5]);
  const copies = Array.from({ length: 2000 }, (_, i) => {
    source[0] = i & 0xff;
    return pooledCopy(source.subarray(0, 1 + (i % 5)));
  });
  source.fill(0xee);
  copies.forEach((c, i) => {
    assert.equal(c.length, 1 + (i % 5));
    assert.deepEqual([...c], [i & 0xff, 2, 3, 4, 5].slice(0, c.length));
  });
  const big = new Uint8Array(3000).fill(7);
  assert.deepEqual(pooledCopy(big), big);
});
