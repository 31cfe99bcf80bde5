import assert from "node:assert/strict";
import { prng } from "../../../tests/support/codec_harness.ts";
import { fromHex } from "../../lib/bytes.ts";
import { DecodeError } from "../../lib/errors.ts";
import { ROUND_TRIP_FILES } from "./_test_vectors.ts";
import { frameSipStream, type SipFrame, SipStreamFramer } from "./framing.ts";
import { getHeaderValue } from "./headers.ts";
import { parseSipMessage } from "./message.ts";

const enc = (s: string) => new TextEncoder().encode(s);

/** Valid vectors that carry a Content-Length, i.e. that may travel on a stream. */
const streamable = Object.values(ROUND_TRIP_FILES).flat().filter((v) => !v.error).map((v) =>
  fromHex(v.hex)
).filter((b) => getHeaderValue(parseSipMessage(b), "Content-Length") !== undefined);

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

Deno.test("SipStreamFramer cuts a stream of every streamable vector, whatever the chunk sizes", () => {
  assert.ok(streamable.length > 30);
  const ping = enc("\r\n\r\n");
  const stream = concat(streamable.flatMap((m) => [ping, m]));
  for (const seed of [1, 2, 3]) {
    const rand = prng(seed);
    const framer = new SipStreamFramer();
    const frames: SipFrame[] = [];
    for (let o = 0; o < stream.length;) {
      const n = 1 + Math.floor(rand() * (seed === 1 ? 1 : 700));
      frames.push(...framer.push(stream.subarray(o, o + n)));
      o += n;
    }
    const messages = frames.flatMap((f) => ("message" in f ? [f.message] : []));
    const pings = frames.filter((f) => "keepalive" in f && f.keepalive === "ping");
    assert.deepEqual(messages, streamable);
    assert.equal(pings.length, streamable.length);
    assert.equal(framer.pendingBytes, 0);
  }
});

Deno.test("frameSipStream() tells pings from pongs and waits on a lone CRLF", () => {
  assert.deepEqual(frameSipStream(enc("\r\n\r\nOPTIONS")), { keepalive: "ping", consumed: 4 });
  assert.deepEqual(frameSipStream(enc("\r\nOPTIONS")), { keepalive: "pong", consumed: 2 });
  assert.deepEqual(frameSipStream(enc("\r\n")), { need: "more" });
  assert.deepEqual(frameSipStream(enc("\r")), { need: "more" });
  assert.deepEqual(frameSipStream(enc("\n\n")), { keepalive: "ping", consumed: 2 });
  assert.deepEqual(frameSipStream(new Uint8Array(0)), { need: "more" });
  assert.throws(() => frameSipStream(enc("\rX")), DecodeError);
});

Deno.test("frameSipStream() does not look for the empty line inside the body", () => {
  const head = "MESSAGE sip:a@b SIP/2.0\r\nl: 6\r\n\r\n";
  const bytes = enc(head + "\r\n\r\nab" + "OPTIONS");
  const frame = frameSipStream(bytes);
  assert.ok("message" in frame);
  assert.equal(frame.consumed, head.length + 6);
  assert.deepEqual(frameSipStream(bytes.subarray(0, head.length + 5)), { need: "more" });
});

Deno.test("frameSipStream() requires Content-Length and enforces the limits", () => {
  const code = (fn: () => unknown, field: string, status: number) =>
    assert.throws(
      fn,
      (e: unknown) => e instanceof DecodeError && e.field === field && e.code === status,
    );
  code(
    () => frameSipStream(enc("OPTIONS sip:a@b SIP/2.0\r\nTo: <sip:a@b>\r\n\r\n")),
    "Content-Length",
    400,
  );
  code(
    () => frameSipStream(enc("OPTIONS sip:a@b SIP/2.0\r\nl: 10\r\nl: 11\r\n\r\n")),
    "Content-Length",
    400,
  );
  code(
    () => frameSipStream(enc("OPTIONS sip:a@b SIP/2.0\r\nl: 100\r\n\r\n"), { maxBodyBytes: 99 }),
    "message-body",
    413,
  );
  code(
    () => frameSipStream(enc("OPTIONS sip:a@b SIP/2.0\r\nl: 0\r\n\r\n"), { maxHeaders: 0 }),
    "message-header",
    513,
  );
  // A header section that never ends is refused once it passes the limit.
  const endless = enc("OPTIONS sip:a@b SIP/2.0\r\n" + "X: y\r\n".repeat(20));
  assert.deepEqual(frameSipStream(endless, { maxHeaderBytes: 200 }), { need: "more" });
  code(() => frameSipStream(endless, { maxHeaderBytes: 100 }), "message-header", 513);
  const framer = new SipStreamFramer({ maxHeaderBytes: 100 });
  assert.throws(() => framer.push(endless), DecodeError);
  assert.throws(() => framer.push(enc("\r\n")), DecodeError);
});
