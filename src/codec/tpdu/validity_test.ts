import assert from "node:assert/strict";
import { fromHex } from "../../lib/bytes.ts";
import { ByteReader } from "../../lib/bytes.ts";
import {
  encodeValidity,
  readValidity,
  relativeVpToSeconds,
  secondsToRelativeVp,
} from "./validity.ts";

Deno.test("relativeVpToSeconds() follows the four ranges of TS 23.040 §9.2.3.12.1", () => {
  assert.equal(relativeVpToSeconds(0), 5 * 60);
  assert.equal(relativeVpToSeconds(143), 12 * 3600);
  assert.equal(relativeVpToSeconds(144), 12 * 3600 + 30 * 60);
  assert.equal(relativeVpToSeconds(167), 24 * 3600);
  assert.equal(relativeVpToSeconds(168), 2 * 86400);
  assert.equal(relativeVpToSeconds(170), 4 * 86400);
  assert.equal(relativeVpToSeconds(196), 30 * 86400);
  assert.equal(relativeVpToSeconds(197), 5 * 7 * 86400);
  assert.equal(relativeVpToSeconds(255), 63 * 7 * 86400);
  assert.throws(() => relativeVpToSeconds(256), { name: "EncodeError" });
});

Deno.test("secondsToRelativeVp() inverts relativeVpToSeconds() for every octet", () => {
  for (let b = 0; b < 256; b++) assert.equal(secondsToRelativeVp(relativeVpToSeconds(b)), b);
});

Deno.test("secondsToRelativeVp() rounds up to the next representable period", () => {
  assert.equal(secondsToRelativeVp(1), 0);
  assert.equal(secondsToRelativeVp(301), 1);
  assert.equal(secondsToRelativeVp(12 * 3600 + 1), 144);
  assert.equal(secondsToRelativeVp(24 * 3600 + 1), 168);
  assert.equal(secondsToRelativeVp(30 * 86400 + 1), 197);
  for (let s = 0; s < 64 * 7 * 86400; s += 7919) {
    const b = secondsToRelativeVp(s);
    assert.ok(relativeVpToSeconds(b) >= s || b === 255, `seconds ${s}`);
    assert.ok(b === 0 || relativeVpToSeconds(b - 1) < s, `seconds ${s} not minimal`);
  }
  assert.equal(secondsToRelativeVp(-5), 0);
  assert.equal(secondsToRelativeVp(1e12), 255);
  assert.throws(() => secondsToRelativeVp(NaN), { name: "EncodeError" });
});

Deno.test("readValidity() keeps an enhanced TP-VP with the extension bit as raw", () => {
  const bytes = fromHex("8101000000000000");
  const vp = readValidity(new ByteReader(bytes, "tpdu"), 1);
  assert.equal(vp?.format, "enhanced");
  assert.ok(vp?.format === "enhanced" && vp.kind === "reserved" && vp.extension);
  assert.deepEqual(encodeValidity(vp!), bytes.subarray(0, 7));
});

Deno.test("encodeValidity() rejects an enhanced HHMMSS that is not six digits", () => {
  assert.throws(
    () =>
      encodeValidity({
        format: "enhanced",
        extension: false,
        singleShot: false,
        kind: "hhmmss",
        hhmmss: "1:30",
      }),
    { name: "EncodeError" },
  );
});
