import assert from "node:assert/strict";
import { dcsForAlphabet, decodeDcs, udlInSeptets } from "./dcs.ts";

Deno.test("decodeDcs() reads every octet without throwing and keeps it as raw", () => {
  for (let b = 0; b < 256; b++) assert.equal(decodeDcs(b).raw, b);
});

Deno.test("decodeDcs() reads the general data coding group", () => {
  assert.deepEqual(decodeDcs(0x00), {
    raw: 0,
    group: "general",
    alphabet: "gsm7",
    compressed: false,
    autoDelete: false,
  });
  assert.equal(decodeDcs(0x08).alphabet, "ucs2");
  assert.equal(decodeDcs(0x04).alphabet, "8bit");
  assert.equal(decodeDcs(0x0c).alphabet, "reserved");
  assert.equal(decodeDcs(0x18).messageClass, 0);
  assert.equal(decodeDcs(0x03).messageClass, undefined);
  assert.equal(decodeDcs(0x20).compressed, true);
  assert.equal(decodeDcs(0x48).autoDelete, true);
  assert.equal(decodeDcs(0x48).group, "auto-delete");
});

Deno.test("decodeDcs() reads the message waiting and data coding / class groups", () => {
  assert.deepEqual(decodeDcs(0xc0).mwi, { active: false, type: "voicemail", store: false });
  assert.deepEqual(decodeDcs(0xd9).mwi, { active: true, type: "fax", store: true });
  assert.equal(decodeDcs(0xe8).alphabet, "ucs2");
  assert.deepEqual(decodeDcs(0xe8).mwi, { active: true, type: "voicemail", store: true });
  assert.equal(decodeDcs(0xf0).messageClass, 0);
  assert.equal(decodeDcs(0xf6).alphabet, "8bit");
  assert.equal(decodeDcs(0xb0).group, "reserved");
});

Deno.test("dcsForAlphabet() builds the general group octets", () => {
  assert.equal(dcsForAlphabet("gsm7").raw, 0x00);
  assert.equal(dcsForAlphabet("8bit").raw, 0x04);
  assert.equal(dcsForAlphabet("ucs2").raw, 0x08);
  assert.equal(dcsForAlphabet("gsm7", 0).raw, 0x10);
  assert.equal(dcsForAlphabet("ucs2", 3).raw, 0x1b);
  assert.throws(() => dcsForAlphabet("reserved"), { name: "EncodeError" });
  assert.throws(() => dcsForAlphabet("gsm7", 4), { name: "EncodeError" });
});

Deno.test("udlInSeptets() counts septets for GSM 7 bit and reserved codings only", () => {
  assert.equal(udlInSeptets(decodeDcs(0x00)), true);
  assert.equal(udlInSeptets(decodeDcs(0x85)), true);
  assert.equal(udlInSeptets(decodeDcs(0x20)), false);
  assert.equal(udlInSeptets(decodeDcs(0x08)), false);
  assert.equal(udlInSeptets(decodeDcs(0xf4)), false);
});
