import { strictEqual, throws } from "node:assert/strict";
import { TokenBucket } from "./token_bucket.ts";

Deno.test("TokenBucket allows a burst, then the rate", () => {
  const b = new TokenBucket(10, 3, 0);
  strictEqual([b.take(0), b.take(0), b.take(0), b.take(0)].join(), "true,true,true,false");
  strictEqual(b.take(50), false); // half a token
  strictEqual(b.take(100), true); // one token after 100 ms at 10/s
  strictEqual(b.take(100), false);
  strictEqual(
    [b.take(10_000), b.take(10_000), b.take(10_000), b.take(10_000)].join(),
    "true,true,true,false",
  );
});

Deno.test("TokenBucket ignores a clock that goes back and refuses bad settings", () => {
  const b = new TokenBucket(1, 1, 1000);
  strictEqual(b.take(1000), true);
  strictEqual(b.take(500), false);
  throws(() => new TokenBucket(0, 1, 0), RangeError);
  throws(() => new TokenBucket(1, 0, 0), RangeError);
});
