import assert from "node:assert/strict";
import fc from "fast-check";
import {
  decodeFrame,
  encodeFrame,
  type Frame,
  frameStream,
  PMS_RECORD_BYTES,
  type Request,
  type Response,
  type SmAddress,
  type Target,
} from "./mod.ts";

const SEED = 0x50c3e7;
const RUNS = 500;

// Frames decode into plain objects; fast-check may build null-prototype ones.
const rec = <T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> =>
  fc.record(model, { noNullPrototype: true });
const index = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const record = fc.uint8Array({ minLength: PMS_RECORD_BYTES, maxLength: PMS_RECORD_BYTES });
const u8 = fc.integer({ min: 0, max: 255 });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const ascii = (chars: string, min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...chars.split("")), minLength: min, maxLength: max });
const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join("");
const text = ascii(PRINTABLE, 0, 255);
const peerName = ascii("abcXYZ019._-", 0, 32);
const reason = rec({ code: fc.integer({ min: 1, max: 0xffff }), text });
const failure = { cause: u32, text };
const address: fc.Arbitrary<SmAddress> = fc.oneof(
  rec({
    ton: fc.integer({ min: 0, max: 7 }).filter((t) => t !== 5),
    npi: fc.integer({ min: 0, max: 15 }),
    value: ascii("0123456789*#abc", 1, 20),
  }),
  rec({
    ton: fc.constant(5),
    npi: fc.integer({ min: 0, max: 15 }),
    value: ascii(PRINTABLE, 1, 11),
  }),
);
const target: fc.Arbitrary<Target> = fc.oneof(
  rec({ by: fc.constant("index" as const), index }),
  rec({ by: fc.constant("oa-da-mr" as const), oa: address, da: address, mr: u8 }),
);
const claim = fc.oneof(
  rec({
    role: fc.constantFrom("imsi-lookup" as const, "gsm-mt" as const),
    peer: fc.constant(""),
  }),
  rec({ role: fc.constant("peer" as const), peer: peerName }),
);
const digits = (min: number, max: number) => ascii("0123456789", min, max);

const request: fc.Arbitrary<Request> = fc.oneof(
  rec({ type: fc.constant("SUBMIT" as const), skipRouting: fc.boolean(), record }),
  rec({ type: fc.constant("CANCEL" as const), target }),
  rec({ type: fc.constant("CHANGE_SRR" as const), target, srr: fc.boolean() }),
  rec({ type: fc.constant("STATUS" as const) }),
  rec({ type: fc.constant("QUERY" as const), target }),
  rec({ type: fc.constant("REPLACE" as const), index, record }),
  claim.map((c) => ({ type: "RH_REGISTER" as const, role: c.role, peer: c.peer })),
  rec({
    type: fc.constant("RH_SERVICE_STATE" as const),
    up: fc.boolean(),
    claim: fc.oneof(fc.constant("all" as const), claim),
  }),
  rec({ type: fc.constant("MT_FIND_IMSI" as const), msisdn: digits(1, 20) }),
  rec({ type: fc.constant("MT_TRANSFER" as const), index, record }),
  rec({ type: fc.constant("MT_CANCEL" as const), index }),
  rec({
    type: fc.constant("MT_DISCHARGE" as const),
    index,
    disposition: u8,
    cause: u32,
    extraInfo: fc.uint8Array({ maxLength: 64 }),
  }),
  rec({ type: fc.constant("DELIVER_TO_PEER" as const), index, record }),
);

const targetResult = fc.oneof(
  rec({ result: fc.constant("ok" as const), index }),
  rec({ result: fc.constant("not-found" as const) }),
  rec({ result: fc.constant("historical" as const), index, disposition: u8 }),
);
const time = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const messageInfo = rec({
  index,
  state: fc.constantFrom("active" as const, "historical" as const),
  disposition: u8,
  dcs: u8,
  attempts: u8,
  cause: u32,
  entryTimeMs: time,
  dischargeTimeMs: time,
  expiryTimeMs: time,
});
const statusEntry = rec({ key: ascii("abz09._-", 1, 64), value: text });

const response: fc.Arbitrary<Response> = fc.oneof(
  rec({ type: fc.constant("SUBMIT" as const), result: fc.constant("ok" as const), index }),
  rec({
    type: fc.constant("SUBMIT" as const),
    result: fc.constant("rejected" as const),
    reason,
  }),
  targetResult.map((r) => ({ type: "CANCEL" as const, ...r })),
  targetResult.map((r) => ({ type: "CHANGE_SRR" as const, ...r })),
  messageInfo.map((i) => ({ type: "QUERY" as const, result: "ok" as const, ...i })),
  rec({ type: fc.constant("QUERY" as const), result: fc.constant("not-found" as const) }),
  targetResult.map((r) => ({ type: "REPLACE" as const, ...r })),
  rec({
    type: fc.constant("REPLACE" as const),
    result: fc.constantFrom("in-transit" as const, "mismatch" as const),
  }),
  rec({
    type: fc.constant("STATUS" as const),
    entries: fc.array(statusEntry, { maxLength: 40 }),
  }),
  rec({
    type: fc.constantFrom(
      "RH_REGISTER" as const,
      "RH_SERVICE_STATE" as const,
      "MT_TRANSFER" as const,
    ),
    result: fc.constant("ok" as const),
  }),
  rec({
    type: fc.constantFrom(
      "RH_REGISTER" as const,
      "RH_SERVICE_STATE" as const,
      "MT_TRANSFER" as const,
    ),
    result: fc.constant("refused" as const),
    reason,
  }),
  rec({
    type: fc.constant("MT_FIND_IMSI" as const),
    result: fc.constant("ok" as const),
    imsi: digits(6, 15),
  }),
  rec({
    type: fc.constantFrom("MT_FIND_IMSI" as const, "DELIVER_TO_PEER" as const),
    result: fc.constantFrom("temporary" as const, "permanent" as const),
    ...failure,
  }),
  rec({
    type: fc.constant("MT_CANCEL" as const),
    result: fc.constantFrom("ok" as const, "not-held" as const),
  }),
  rec({
    type: fc.constant("MT_DISCHARGE" as const),
    result: fc.constantFrom("ok" as const, "unknown" as const),
  }),
  rec({
    type: fc.constant("DELIVER_TO_PEER" as const),
    result: fc.constant("ok" as const),
    extraInfo: fc.uint8Array({ maxLength: 64 }),
  }),
) as fc.Arbitrary<Response>;

const frame: fc.Arbitrary<Frame> = fc.oneof(
  rec({ kind: fc.constant("request" as const), transactionId: u32, request }),
  rec({ kind: fc.constant("response" as const), transactionId: u32, response }),
);

Deno.test("decodeFrame(encodeFrame(f)) deep-equals f for generated frames", () => {
  fc.assert(
    fc.property(frame, (f) => {
      assert.deepEqual(decodeFrame(encodeFrame(f)), f);
    }),
    { seed: SEED, numRuns: RUNS * 4, verbose: true },
  );
});

Deno.test("frameStream() cuts a concatenation of generated frames at every split point", () => {
  fc.assert(
    fc.property(fc.array(frame, { minLength: 1, maxLength: 5 }), fc.nat(), (frames, cut) => {
      const parts = frames.map(encodeFrame);
      const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        all.set(p, at);
        at += p.length;
      }
      // Feed the stream in two chunks, as a socket might deliver it.
      const split = cut % (all.length + 1);
      let buffer = all.subarray(0, split);
      const out: Frame[] = [];
      let fed = false;
      for (;;) {
        const r = frameStream(buffer);
        if ("frame" in r) {
          out.push(r.frame);
          buffer = buffer.subarray(r.consumed);
        } else if (!fed) {
          buffer = new Uint8Array([...buffer, ...all.subarray(split)]);
          fed = true;
        } else break;
      }
      assert.equal(buffer.length, 0);
      assert.deepEqual(out, frames);
    }),
    { seed: SEED, numRuns: RUNS, verbose: true },
  );
});
