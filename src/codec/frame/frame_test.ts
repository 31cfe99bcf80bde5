import assert from "node:assert/strict";
import { fuzzDecoder, runVectors, type Vector } from "../../../tests/support/codec_harness.ts";
import { fromHex } from "../../lib/bytes.ts";
import { DecodeError, EncodeError } from "../../lib/errors.ts";
import valid from "../../../tests/vectors/frame/valid.json" with { type: "json" };
import invalid from "../../../tests/vectors/frame/invalid.json" with { type: "json" };
import {
  decodeFrame,
  encodeFrame,
  type Frame,
  FRAME_BYTES_MAX,
  type FrameDecodeOptions,
  frameStream,
  PMS_RECORD_BYTES,
  type Request,
  type Response,
} from "./mod.ts";

const VALID = valid as Vector[];
const INVALID = invalid as Vector[];
const decode = (b: Uint8Array, o?: Record<string, unknown>) =>
  decodeFrame(b, o as FrameDecodeOptions);

Deno.test("decodeFrame() decodes the valid vectors and re-encodes them byte for byte", async (t) => {
  await runVectors(t, VALID, decode, (f) => encodeFrame(f));
});

Deno.test("decodeFrame() rejects the invalid vectors with the failing field", async (t) => {
  await runVectors(t, INVALID, decode);
});

Deno.test("decodeFrame() accepts every valid vector from the side that may send it", () => {
  for (const v of VALID) {
    const f = decodeFrame(fromHex(v.hex));
    const requester = ["MT_FIND_IMSI", "MT_TRANSFER", "MT_CANCEL", "DELIVER_TO_PEER"].includes(
        f.kind === "request" ? f.request.type : f.response.type,
      )
      ? "core"
      : "client";
    const sender = f.kind === "request" ? requester : requester === "core" ? "client" : "core";
    decodeFrame(fromHex(v.hex), { from: sender });
    const other = sender === "core" ? "client" : "core";
    assert.throws(() => decodeFrame(fromHex(v.hex), { from: other }), DecodeError, v.name);
  }
});

Deno.test("frameStream() asks for more until a whole frame is in, then cuts it", () => {
  const a = fromHex(VALID[0].hex);
  const b = fromHex(VALID[3].hex);
  const stream = new Uint8Array([...a, ...b]);
  for (let n = 0; n < a.length; n++) {
    assert.deepEqual(frameStream(stream.subarray(0, n)), { need: "more" });
  }
  const first = frameStream(stream);
  assert.ok("frame" in first);
  assert.equal(first.consumed, a.length);
  assert.deepEqual(first.frame, decodeFrame(a));
  const second = frameStream(stream.subarray(first.consumed));
  assert.ok("frame" in second);
  assert.equal(second.consumed, b.length);
});

Deno.test("frameStream() rejects an oversized length before the body arrives", () => {
  assert.throws(() => frameStream(fromHex("00010000")), DecodeError);
  // A SUBMIT frame is 269 bytes: a receiver bounded at 268 refuses it from its prefix alone.
  assert.throws(() => frameStream(fromHex("00000109"), 268), DecodeError);
  assert.deepEqual(frameStream(fromHex("00000109"), 269), { need: "more" });
});

Deno.test("frameStream() rejects a length below the header size from the prefix alone", () => {
  assert.throws(
    () => frameStream(fromHex("00000007")),
    (e) => e instanceof DecodeError && e.field === "length",
  );
});

const QUERY_OK = {
  type: "QUERY",
  result: "ok",
  index: 12,
  state: "active",
  disposition: 0,
  dcs: 0,
  attempts: 0,
  cause: 0,
  entryTimeMs: 0,
  dischargeTimeMs: 0,
  expiryTimeMs: 0,
};

Deno.test("encodeFrame() rejects values the wire cannot carry", () => {
  const record = new Uint8Array(PMS_RECORD_BYTES);
  const requests: unknown[] = [
    { type: "SUBMIT", skipRouting: false, record: new Uint8Array(255) },
    { type: "MT_CANCEL", index: -1 },
    { type: "MT_CANCEL", index: 2 ** 53 },
    { type: "MT_CANCEL", index: 1.5 },
    { type: "MT_TRANSFER", index: 1, record: record.subarray(1) },
    { type: "RH_REGISTER", role: "gsm-mt", peer: "acme" },
    { type: "RH_REGISTER", role: "peer", peer: "a".repeat(33) },
    { type: "RH_REGISTER", role: "admin", peer: "" },
    { type: "MT_FIND_IMSI", msisdn: "+1555" },
    { type: "MT_DISCHARGE", index: 1, disposition: 256, cause: 0, extraInfo: new Uint8Array() },
    { type: "MT_DISCHARGE", index: 1, disposition: 1, cause: 0, extraInfo: new Uint8Array(65) },
    {
      type: "CANCEL",
      target: {
        by: "oa-da-mr",
        oa: { ton: 1, npi: 1, value: "1é" },
        da: { ton: 1, npi: 1, value: "2" },
        mr: 1,
      },
    },
    {
      type: "CANCEL",
      target: {
        by: "oa-da-mr",
        oa: { ton: 5, npi: 0, value: "a".repeat(12) },
        da: { ton: 1, npi: 1, value: "2" },
        mr: 1,
      },
    },
    {
      type: "CANCEL",
      target: {
        by: "oa-da-mr",
        oa: { ton: 1, npi: 1, value: "1" },
        da: { ton: 1, npi: 1, value: "2" },
        mr: 256,
      },
    },
    { type: "CANCEL", target: { by: "name" } },
    { type: "QUERY", target: { by: "index", index: -1 } },
    { type: "REPLACE", index: 1, record: new Uint8Array(257) },
    { type: "REPLACE", index: 2 ** 53, record },
    { type: "NOPE" },
  ];
  for (const request of requests) {
    assert.throws(
      () => encodeFrame({ kind: "request", transactionId: 1, request: request as Request }),
      EncodeError,
      JSON.stringify(request),
    );
  }
  const responses: unknown[] = [
    { type: "SUBMIT", result: "maybe" },
    { type: "SUBMIT", result: "rejected", reason: { code: 0, text: "" } },
    { type: "SUBMIT", result: "rejected", reason: { code: 1, text: "x".repeat(256) } },
    { type: "MT_FIND_IMSI", result: "ok", imsi: "12345" },
    { type: "DELIVER_TO_PEER", result: "temporary", cause: 2 ** 32, text: "" },
    { type: "STATUS", entries: [{ key: "with space", value: "1" }] },
    { ...QUERY_OK, state: "gone" },
    { ...QUERY_OK, attempts: 256 },
    { ...QUERY_OK, cause: -1 },
    { ...QUERY_OK, expiryTimeMs: 2 ** 53 },
    { ...QUERY_OK, entryTimeMs: 1.5 },
    { type: "REPLACE", result: "rejected" },
    { type: "REPLACE", result: "ok", index: -1 },
    { type: "STATUS", entries: Array.from({ length: 256 }, () => ({ key: "k", value: "" })) },
  ];
  for (const response of responses) {
    assert.throws(
      () => encodeFrame({ kind: "response", transactionId: 1, response: response as Response }),
      EncodeError,
      JSON.stringify(response),
    );
  }
  assert.throws(
    () => encodeFrame({ kind: "request", transactionId: 2 ** 32, request: { type: "STATUS" } }),
    EncodeError,
  );
});

Deno.test("encodeFrame() refuses a frame above FRAME_BYTES_MAX", () => {
  const entries = Array.from({ length: 255 }, (_, i) => ({
    key: `k${i}`.padEnd(64, "x"),
    value: "v".repeat(255),
  }));
  const frame: Frame = {
    kind: "response",
    transactionId: 1,
    response: { type: "STATUS", entries },
  };
  assert.throws(() => encodeFrame(frame), (e) => e instanceof EncodeError && e.field === "length");
  assert.ok(FRAME_BYTES_MAX < 255 * (66 + 256));
});

Deno.test("decodeFrame() yields only values or DecodeError on hostile input", () => {
  const seeds = VALID.map((v) => fromHex(v.hex)).filter((b) => b.length < 64);
  const counts = fuzzDecoder((b) => decodeFrame(b), seeds, { randomCount: 3000, seed: 0xf4a3e });
  assert.ok(counts.rejected > 0 && counts.decoded > 0);
});

Deno.test("decodeFrame() survives every truncation and mutation of the record-carrying vectors", () => {
  const seeds = VALID.map((v) => fromHex(v.hex)).filter((b) => b.length >= 64);
  const counts = fuzzDecoder((b) => decodeFrame(b), seeds, { randomCount: 0 });
  assert.ok(counts.calls > 0);
});

Deno.test("frameStream() yields only values, need-more or DecodeError on hostile input", () => {
  const seeds = VALID.map((v) => fromHex(v.hex));
  fuzzDecoder((b) => frameStream(b, FRAME_BYTES_MAX, { from: "client" }), seeds, {
    randomCount: 2000,
    seed: 0x57ea,
  });
});
