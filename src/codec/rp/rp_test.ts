import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzzDecoder, runVectors, type Vector } from "../../../tests/support/codec_harness.ts";
import { fromHex } from "../../lib/bytes.ts";
import { DecodeError, EncodeError } from "../../lib/errors.ts";
import valid from "../../../tests/vectors/rp/valid.json" with { type: "json" };
import invalid from "../../../tests/vectors/rp/invalid.json" with { type: "json" };
import {
  decodeRp,
  decodeRpAck,
  decodeRpData,
  decodeRpError,
  decodeRpSmma,
  encodeRp,
  encodeRpAck,
  encodeRpData,
  encodeRpError,
  encodeRpSmma,
  type RpDecodeOptions,
  type RpMessage,
} from "./mod.ts";

const VALID = valid as Vector[];
const INVALID = invalid as Vector[];
const decode = (b: Uint8Array, o?: Record<string, unknown>) => decodeRp(b, o as RpDecodeOptions);

Deno.test("decodeRp() decodes the valid vectors and re-encodes them byte for byte", async (t) => {
  await runVectors(t, VALID, decode, (v) => encodeRp(v));
});

Deno.test("decodeRp() rejects the invalid vectors with the RP cause to answer", async (t) => {
  await runVectors(t, INVALID, decode);
});

Deno.test("decodeRpAck() refuses an RP-DATA with cause 97", () => {
  assert.throws(
    () => decodeRpAck(fromHex("01ff03a12143000104")),
    (e) => e instanceof DecodeError && e.code === 97 && e.field === "RP-MTI",
  );
});

Deno.test("per-type decoders agree with decodeRp() on their own type", () => {
  const byType = {
    "RP-DATA": decodeRpData,
    "RP-ACK": decodeRpAck,
    "RP-ERROR": decodeRpError,
    "RP-SMMA": decodeRpSmma,
  } as const;
  for (const v of VALID) {
    const bytes = fromHex(v.hex);
    const msg = decodeRp(bytes);
    assert.deepEqual(byType[msg.type](bytes), msg, v.name);
  }
});

Deno.test("encodeRpData() rejects unrepresentable values", () => {
  const base = {
    type: "RP-DATA",
    direction: "ms-to-network",
    messageReference: 1,
    destinationAddress: { ton: 1, npi: 1, digits: "123" },
    userData: new Uint8Array([0]),
  } as const;
  const bad = [
    { ...base, messageReference: 256 },
    { ...base, destinationAddress: { ton: 1, npi: 1, digits: "" } },
    { ...base, destinationAddress: { ton: 1, npi: 1, digits: "1".repeat(21) } },
    { ...base, destinationAddress: { ton: 8, npi: 1, digits: "1" } },
    { ...base, destinationAddress: { ton: 1, npi: 16, digits: "1" } },
    { ...base, destinationAddress: { ton: 1, npi: 1, digits: "12x" } },
    { ...base, userData: new Uint8Array(0) },
    { ...base, userData: new Uint8Array(233) },
  ];
  for (const msg of bad) assert.throws(() => encodeRpData(msg), EncodeError);
});

Deno.test("encodeRpError() rejects a cause value above 127", () => {
  assert.throws(
    () =>
      encodeRpError({
        type: "RP-ERROR",
        direction: "network-to-ms",
        messageReference: 1,
        cause: { value: 128 },
      }),
    EncodeError,
  );
});

Deno.test("encodeRpSmma() rejects the network-to-MS direction", () => {
  assert.throws(
    // @ts-expect-error: the type forbids it; the encoder must refuse it at run time too
    () => encodeRpSmma({ type: "RP-SMMA", direction: "network-to-ms", messageReference: 1 }),
    EncodeError,
  );
  assert.deepEqual(
    encodeRpAck({ type: "RP-ACK", direction: "ms-to-network", messageReference: 9 }),
    fromHex("0209"),
  );
});

// Plain prototypes, so that deepEqual compares them with the decoder's objects.
const record = <T extends object>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }) =>
  fc.record<T>(model, { noNullPrototype: true });

const address = record({
  ton: fc.integer({ min: 0, max: 7 }),
  npi: fc.integer({ min: 0, max: 15 }),
  digits: fc.string({ unit: fc.constantFrom(..."0123456789*#abc"), minLength: 1, maxLength: 20 }),
});
const tpdu = fc.uint8Array({ minLength: 1, maxLength: 232 });
const mr = fc.integer({ min: 0, max: 255 });
const direction = fc.constantFrom("ms-to-network" as const, "network-to-ms" as const);
const withOptionalUserData = <T extends object>(base: T) =>
  fc.option(tpdu, { nil: undefined }).map((
    ud,
  ) => (ud === undefined ? base : { ...base, userData: ud }));

const rpMessage: fc.Arbitrary<RpMessage> = fc.oneof(
  record({
    type: fc.constant("RP-DATA" as const),
    direction: fc.constant("ms-to-network" as const),
    messageReference: mr,
    destinationAddress: address,
    userData: tpdu,
  }),
  record({
    type: fc.constant("RP-DATA" as const),
    direction: fc.constant("network-to-ms" as const),
    messageReference: mr,
    originatorAddress: address,
    userData: tpdu,
  }),
  record({ type: fc.constant("RP-ACK" as const), direction, messageReference: mr })
    .chain(withOptionalUserData),
  record({
    type: fc.constant("RP-ERROR" as const),
    direction,
    messageReference: mr,
    cause: fc.record(
      { value: fc.integer({ min: 0, max: 127 }), diagnostic: fc.integer({ min: 0, max: 255 }) },
      { requiredKeys: ["value"], noNullPrototype: true },
    ),
  }).chain(withOptionalUserData),
  record({
    type: fc.constant("RP-SMMA" as const),
    direction: fc.constant("ms-to-network" as const),
    messageReference: mr,
  }),
);

Deno.test("decodeRp() inverts encodeRp() for generated messages", () => {
  fc.assert(
    fc.property(rpMessage, (msg) => {
      assert.deepEqual(decodeRp(encodeRp(msg)), msg);
    }),
    { seed: 42, numRuns: 2000 },
  );
});

Deno.test("decodeRp() returns a value or throws DecodeError on hostile input", () => {
  const seeds = [...VALID, ...INVALID].map((v) => fromHex(v.hex));
  const counts = fuzzDecoder(decodeRp, seeds, { randomCount: 3000, seed: 24011 });
  assert.ok(counts.decoded > 0 && counts.rejected > 0);
  for (const fn of [decodeRpData, decodeRpAck, decodeRpError, decodeRpSmma]) {
    fuzzDecoder(fn, seeds, { randomCount: 500, seed: 24011 });
  }
});
