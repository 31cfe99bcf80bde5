import assert from "node:assert/strict";
import fc from "fast-check";
import { ByteWriter, fromHex } from "../../lib/bytes.ts";
import { DecodeError } from "../../lib/errors.ts";
import { fuzzDecoder, runVectors, type Vector } from "../../../tests/support/codec_harness.ts";
import cases from "../../../tests/vectors/smpp/pdu.json" with { type: "json" };
import transparency from "../../../tests/vectors/smpp/short_message_transparency.json" with {
  type: "json",
};
import {
  decodeSmppHeader,
  decodeSmppPdu,
  encodeSmppPdu,
  encodeSmppPduInto,
  findSmppTlv,
  frameSmppStream,
  type SmppPdu,
} from "./pdu.ts";
import { SMPP_STATUS } from "./command_status.ts";
import { PARAMS } from "./_params.ts";

const vectors = cases as Vector[];

Deno.test("decodeSmppPdu() decodes the SMPP vectors and re-encodes them byte for byte", async (t) => {
  await runVectors(t, vectors, decodeSmppPdu, (v) => encodeSmppPdu(v));
});

Deno.test("decodeSmppPdu() keeps short_message octets for every data_coding 0x00-0xFF", async (t) => {
  await runVectors(t, transparency as Vector[], decodeSmppPdu, (v) => encodeSmppPdu(v));
});

Deno.test("decodeSmppPdu() survives every truncation and mutation of the vectors", () => {
  const seeds = vectors.map((v) => fromHex(v.hex));
  const counts = fuzzDecoder((b) => decodeSmppPdu(b), seeds, { randomCount: 3000, seed: 42 });
  assert.ok(counts.decoded > 0 && counts.rejected > 0);
  const strict = fuzzDecoder((b) => decodeSmppPdu(b, { strictTlvs: true }), seeds, {
    randomCount: 500,
    seed: 43,
  });
  assert.ok(strict.rejected > 0);
});

Deno.test("decodeSmppPdu() survives random bodies behind a valid header", () => {
  const seeds = vectors.map((v) => fromHex(v.hex)).filter((b) => b.length >= 16);
  fuzzDecoder(
    (b) => {
      // Give the mutated input a consistent command_length so the body parsers run.
      const c = b.slice();
      if (c.length >= 4) new DataView(c.buffer).setUint32(0, c.length);
      return decodeSmppPdu(c);
    },
    seeds,
    { randomCount: 0 },
  );
});

Deno.test("frameSmppStream() survives every truncation and mutation of the vectors", () => {
  const seeds = vectors.map((v) => fromHex(v.hex));
  const counts = fuzzDecoder((b) => frameSmppStream(b, { maxPduBytes: 4096 }), seeds, {
    randomCount: 2000,
    seed: 44,
  });
  assert.ok(counts.decoded > 0 && counts.rejected > 0);
});

Deno.test("frameSmppStream() cuts PDUs off a stream and asks for more", () => {
  const a = fromHex("0000001000000015000000000a342ee7");
  const b = fromHex("0000001080000015000000000a342eed");
  const stream = new Uint8Array([...a, ...b.subarray(0, 7)]);
  const first = frameSmppStream(stream, { maxPduBytes: 4096 });
  assert.ok("pdu" in first);
  assert.equal(first.consumed, 16);
  assert.deepEqual(first.pdu, a);
  assert.deepEqual(frameSmppStream(stream.subarray(16), { maxPduBytes: 4096 }), { need: "more" });
  assert.deepEqual(frameSmppStream(new Uint8Array(3), { maxPduBytes: 4096 }), { need: "more" });
});

Deno.test("frameSmppStream() rejects command_length below 16 or above the maximum with ESME_RINVCMDLEN", () => {
  for (const hex of ["0000000f", "00001001", "f0000011"]) {
    assert.throws(
      () => frameSmppStream(fromHex(hex + "00000015"), { maxPduBytes: 4096 }),
      (e: unknown) =>
        e instanceof DecodeError && e.field === "command_length" &&
        e.code === SMPP_STATUS.ESME_RINVCMDLEN,
    );
  }
});

Deno.test("decodeSmppHeader() reads the sequence_number of an undecodable PDU", () => {
  const h = decodeSmppHeader(fromHex("0000001000000110000000000a342ee7"));
  assert.deepEqual(h, {
    command_length: 16,
    command_id: 0x110,
    command_status: 0,
    sequence_number: 0x0a342ee7,
  });
});

Deno.test("encodeSmppPdu() rejects short_message over 254 octets and mismatched command_id", () => {
  const pdu = decodeSmppPdu(
    fromHex(vectors.find((v) => v.name === "submit_sm Hello wikipedia")!.hex),
  );
  assert.throws(
    () => encodeSmppPdu({ ...pdu, fields: { ...pdu.fields, short_message: new Uint8Array(255) } }),
    { name: "EncodeError" },
  );
  assert.throws(() => encodeSmppPdu({ ...pdu, command_id: 5 }), { name: "EncodeError" });
  assert.throws(
    () => encodeSmppPdu({ ...pdu, fields: { ...pdu.fields, source_addr: "1".repeat(21) } }),
    { name: "EncodeError" },
  );
});

Deno.test("encodeSmppPduInto() appends the octets of encodeSmppPdu and leaves nothing on error", () => {
  const w = new ByteWriter("smpp", 8);
  w.u8(0xaa, "marker");
  for (const v of vectors.filter((v) => v.expect !== undefined)) {
    const pdu = decodeSmppPdu(fromHex(v.hex));
    const start = w.length;
    assert.equal(encodeSmppPduInto(w, pdu), w.length - start, v.name);
    assert.deepEqual(w.written().slice(start), encodeSmppPdu(pdu), v.name);
  }
  const before = w.written().slice();
  const tooLong: SmppPdu = {
    command: "submit_sm_resp",
    command_id: 0x80000004,
    command_status: 0,
    sequence_number: 1,
    fields: { message_id: "x".repeat(65) },
    tlvs: [],
  };
  assert.throws(() => encodeSmppPduInto(w, tooLong));
  assert.deepEqual(w.written(), before);
});

Deno.test("decodeSmppPdu() gives submit_sm and deliver_sm every field of the layout table, in order", () => {
  for (const v of vectors.filter((v) => /^(submit|deliver)_sm /.test(v.name) && v.expect)) {
    const pdu = decodeSmppPdu(fromHex(v.hex));
    assert.deepEqual(Object.keys(pdu.fields), PARAMS[pdu.command].map((p) => p.name), v.name);
  }
});

Deno.test("findSmppTlv() finds message_payload", () => {
  const v = vectors.find((v) => v.name === "deliver_sm with message_payload")!;
  const t = findSmppTlv(decodeSmppPdu(fromHex(v.hex)), "message_payload");
  assert.ok(t?.value instanceof Uint8Array);
});

const octets = (max: number) => fc.uint8Array({ minLength: 0, maxLength: max });
const cstr = (max: number) =>
  fc.array(fc.integer({ min: 1, max: 255 }), { maxLength: max - 1 }).map((a) =>
    String.fromCharCode(...a)
  );
const byte = fc.integer({ min: 0, max: 255 });

const messageArb = (command: "submit_sm" | "deliver_sm") =>
  fc.record({
    sequence_number: fc.integer({ min: 0, max: 0xffffffff }),
    fields: fc.record({
      service_type: cstr(6),
      source_addr_ton: byte,
      source_addr_npi: byte,
      source_addr: cstr(21),
      dest_addr_ton: byte,
      dest_addr_npi: byte,
      destination_addr: cstr(21),
      esm_class: byte,
      protocol_id: byte,
      priority_flag: byte,
      schedule_delivery_time: cstr(17),
      validity_period: cstr(17),
      registered_delivery: byte,
      replace_if_present_flag: byte,
      data_coding: byte,
      sm_default_msg_id: byte,
      short_message: octets(254),
    }),
    payload: fc.option(octets(600), { nil: undefined }),
    vendor: fc.option(octets(20), { nil: undefined }),
  }).map(({ sequence_number, fields, payload, vendor }): SmppPdu => {
    const tlvs = [];
    if (payload) tlvs.push({ tag: 0x0424, name: "message_payload", value: payload });
    if (vendor) tlvs.push({ tag: 0x1401, name: "vendor_specific", value: vendor });
    return {
      command,
      command_id: command === "submit_sm" ? 4 : 5,
      command_status: 0,
      sequence_number,
      fields: { ...fields },
      tlvs,
    };
  });

Deno.test("decodeSmppPdu(encodeSmppPdu(pdu)) deep-equals generated submit_sm and deliver_sm", () => {
  for (const command of ["submit_sm", "deliver_sm"] as const) {
    fc.assert(
      fc.property(messageArb(command), (pdu) => {
        assert.deepEqual(decodeSmppPdu(encodeSmppPdu(pdu)), pdu);
      }),
      { seed: 42, numRuns: 300 },
    );
  }
});
