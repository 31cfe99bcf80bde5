import assert from "node:assert/strict";
import { fromHex } from "../../lib/bytes.ts";
import { decodeScts, encodeScts, formatScts, sctsFromEpochMs, sctsToEpochMs } from "./scts.ts";

Deno.test("decodeScts() reads the semi-octets and the signed time zone", () => {
  const [s, next] = decodeScts(fromHex("99309251619580"));
  assert.equal(next, 7);
  assert.deepEqual(s, {
    year: 99,
    month: 3,
    day: 29,
    hour: 15,
    minute: 16,
    second: 59,
    tzQuarterHours: 8,
  });
  // 0x0A: sign bit 3 set, tens digit 2, units digit 0.
  assert.equal(decodeScts(fromHex("4220100000000a"))[0].tzQuarterHours, -20);
});

Deno.test("decodeScts() keeps raw for a negative zero time zone and re-encodes it", () => {
  const bytes = fromHex("42201000000008");
  const [s] = decodeScts(bytes);
  assert.equal(s.tzQuarterHours, 0);
  assert.deepEqual(s.raw, bytes);
  assert.deepEqual(encodeScts(s), bytes);
});

Deno.test("decodeScts() rejects fewer than 7 octets", () => {
  assert.throws(() => decodeScts(fromHex("422010000000")), { name: "DecodeError" });
});

Deno.test("sctsFromEpochMs() builds local time and sctsToEpochMs() inverts it", () => {
  const ms = Date.UTC(2024, 1, 29, 23, 30, 15);
  const s = sctsFromEpochMs(ms, 8);
  assert.deepEqual(s, {
    year: 24,
    month: 3,
    day: 1,
    hour: 1,
    minute: 30,
    second: 15,
    tzQuarterHours: 8,
  });
  assert.equal(sctsToEpochMs(s), ms);
  assert.equal(formatScts(s), "2024-03-01T01:30:15+02:00");
  assert.equal(formatScts(sctsFromEpochMs(ms, -22)), "2024-02-29T18:00:15-05:30");
  assert.throws(() => sctsFromEpochMs(ms, 80), { name: "EncodeError" });
});

Deno.test("encodeScts() rejects a field outside its semi-octet range", () => {
  const s = sctsFromEpochMs(0);
  assert.throws(() => encodeScts({ ...s, year: 100 }), { name: "EncodeError" });
  assert.throws(() => encodeScts({ ...s, tzQuarterHours: -80 }), { name: "EncodeError" });
});
