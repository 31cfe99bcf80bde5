import assert from "node:assert/strict";
import { pooledBytes } from "./_pool.ts";

Deno.test("pooledBytes() returns zeroed arrays that share no bytes with each other", () => {
  const arrays = Array.from({ length: 2000 }, (_, i) => {
    const a = pooledBytes(1 + (i % 9));
    assert.ok(a.every((b) => b === 0));
    a.fill(i & 0xff);
    return a;
  });
  arrays.forEach((a, i) => assert.ok(a.every((b) => b === (i & 0xff))));
  assert.equal(pooledBytes(5000).length, 5000);
});
