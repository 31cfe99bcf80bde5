import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzzDecoder, runVectors, type Vector } from "../../../tests/support/codec_harness.ts";
import { fromHex, toHex } from "../../lib/bytes.ts";
import { DecodeError } from "../../lib/errors.ts";
import { unpackSeptets } from "../gsm0338/septets.ts";
import valid from "../../../tests/vectors/sms_lang/valid.json" with { type: "json" };
import invalid from "../../../tests/vectors/sms_lang/invalid.json" with { type: "json" };
import { parseSmsLang } from "./mod.ts";

type TextVector = Vector & { text: string };
const VALID = valid as TextVector[];
const INVALID = invalid as TextVector[];
const utf8 = new TextDecoder();
const parseBytes = (b: Uint8Array) => parseSmsLang(utf8.decode(b));

Deno.test("sms_lang vectors keep text and hex in step", () => {
  for (const v of [...VALID, ...INVALID]) {
    assert.equal(toHex(new TextEncoder().encode(v.text)), v.hex, v.name);
  }
});

Deno.test("parseSmsLang() parses the valid vectors", async (t) => {
  await runVectors(t, VALID, parseBytes);
});

Deno.test("parseSmsLang() rejects the invalid vectors naming the line", async (t) => {
  await runVectors(t, INVALID, parseBytes);
  for (const v of INVALID) {
    assert.throws(
      () => parseSmsLang(v.text),
      (e) => e instanceof DecodeError && e.message.includes(`line ${v.error!.field!.slice(5)}`),
      v.name,
    );
  }
});

Deno.test("parseSmsLang() packs septets that unpack to the input", () => {
  const septets = fc.uint8Array({ max: 0x7f, maxLength: 153 });
  const udh = fc.uint8Array({ minLength: 0, maxLength: 6 }).map((ies) =>
    Uint8Array.of(ies.length, ...ies)
  );
  fc.assert(
    fc.property(fc.option(udh, { nil: undefined }), septets, (header, text) => {
      const line = header ? `msg-udh ${toHex(header)}${toHex(text)}` : `msg "${toHex(text)}"`;
      const [m] = parseSmsLang(`dcs 0 septet\n${line}\n`).messages;
      const headerOctets = header?.length ?? 0;
      const fill = (7 - ((headerOctets * 8) % 7)) % 7;
      assert.equal(m.udhi, header !== undefined);
      assert.equal(m.udl, Math.ceil((headerOctets * 8) / 7) + text.length);
      assert.deepEqual(m.ud.subarray(0, headerOctets), header ?? new Uint8Array(0));
      assert.deepEqual(unpackSeptets(m.ud.subarray(headerOctets), text.length, fill), text);
    }),
    { seed: 42, numRuns: 500 },
  );
});

Deno.test("parseSmsLang() keeps octet-coded data unchanged", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 140 }), (data) => {
      const [m] = parseSmsLang(`dcs 4 octet\nmsg "${toHex(data)}"\n`).messages;
      assert.deepEqual(m, { udhi: false, udl: data.length, ud: data });
    }),
    { seed: 42, numRuns: 300 },
  );
});

Deno.test("parseSmsLang() returns a value or throws DecodeError on hostile input", () => {
  const seeds = [...VALID, ...INVALID].map((v) => fromHex(v.hex)).filter((b) => b.length < 120);
  const counts = fuzzDecoder(parseBytes, seeds, { randomCount: 2000, seed: 23040 });
  assert.ok(counts.decoded > 0 && counts.rejected > 0);
});
