import assert from "node:assert/strict";
import { fromHex, toHex } from "../../lib/bytes.ts";
import { decodeAddress, encodeAddress } from "./address.ts";

Deno.test("decodeAddress() reads an odd-length international number", () => {
  const [a, next] = decodeAddress(fromHex("0b916407281553f8"));
  assert.deepEqual(a, { ton: 1, npi: 1, digits: "46708251358" });
  assert.equal(next, 8);
});

Deno.test("decodeAddress() reads an empty address", () => {
  assert.deepEqual(decodeAddress(fromHex("0080"))[0], { ton: 0, npi: 0, digits: "" });
});

Deno.test("decodeAddress() keeps raw when Type-of-Address bit 7 is clear", () => {
  const [a] = decodeAddress(fromHex("04112143"));
  assert.equal(a.digits, "1234");
  assert.equal(toHex(encodeAddress(a)), "04112143");
});

Deno.test("encodeAddress() packs alphanumeric text with the useful semi-octet count", () => {
  const bytes = encodeAddress({ ton: 5, npi: 0, text: "Info" }, "TP-OA");
  assert.equal(toHex(bytes), "07d049b7f90d");
  assert.deepEqual(decodeAddress(bytes, 0, "TP-OA")[0], { ton: 5, npi: 0, text: "Info" });
});

Deno.test("decodeAddress() reads an alphanumeric length that counts the padding", () => {
  const [a] = decodeAddress(fromHex("0ed041e19058341e01"), 0, "TP-OA");
  // 14 semi-octets hold 8 septets; the eighth is the zero padding, "@".
  assert.equal(a.text, "ABCDEFG@");
  assert.equal(a.raw, undefined);
});

Deno.test("encodeAddress() rejects what the field cannot carry", () => {
  assert.throws(() => encodeAddress({ ton: 1, npi: 1, digits: "1".repeat(21) }), {
    name: "EncodeError",
  });
  assert.throws(() => encodeAddress({ ton: 1, npi: 1, digits: "12x" }), { name: "EncodeError" });
  assert.throws(() => encodeAddress({ ton: 5, npi: 0, text: "€uro€uro€uro" }), {
    name: "EncodeError",
  });
  assert.throws(() => encodeAddress({ ton: 8, npi: 1, digits: "1" }), { name: "EncodeError" });
  assert.throws(() => encodeAddress({ ton: 5, npi: 0, text: "Привет" }), { name: "EncodeError" });
});

Deno.test("decodeAddress() rejects Address-Length 21 with field TP-OA", () => {
  assert.throws(() => decodeAddress(fromHex("1591" + "11".repeat(11)), 0, "TP-OA"), {
    name: "DecodeError",
    field: "TP-OA",
  });
});
