import assert from "node:assert/strict";
import fc from "fast-check";
import { runVectors } from "../../../tests/support/codec_harness.ts";
import { DecodeError, EncodeError } from "../../lib/errors.ts";
import { decodeVector, LENIENT, ROUND_TRIP_FILES } from "./_test_vectors.ts";
import { findHeaders, getHeaderValue, getHeaderValues } from "./headers.ts";
import { parseSipMessage, serializeSipMessage, type SipMessage } from "./message.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

for (const [file, vectors] of Object.entries(ROUND_TRIP_FILES)) {
  Deno.test(`parseSipMessage() and serializeSipMessage() follow ${file}`, async (t) => {
    await runVectors(t, vectors, decodeVector, serializeSipMessage);
  });
}

Deno.test("parseSipMessage() accepts the lenient vectors", async (t) => {
  await runVectors(t, LENIENT, decodeVector);
});

Deno.test("parseSipMessage() keeps the first message of a datagram with extra octets", () => {
  const first = "OPTIONS sip:b@example.com SIP/2.0\r\nContent-Length: 2\r\n\r\nhi";
  const msg = parseSipMessage(enc(first + "junk"));
  assert.equal(dec(msg.body), "hi");
  assert.equal(dec(serializeSipMessage(msg)), first);
});

Deno.test("parseSipMessage() reports the byte offset of a bad header line", () => {
  const text =
    "OPTIONS sip:b@example.com SIP/2.0\r\nTo: <sip:b@example.com>\r\nno colon here\r\n\r\n";
  assert.throws(() => parseSipMessage(enc(text)), (e: unknown) => {
    assert.ok(e instanceof DecodeError);
    assert.equal(e.protocol, "sip");
    assert.equal(e.field, "message-header");
    assert.equal(e.offset, text.indexOf("no colon"));
    assert.equal(e.code, 400);
    return true;
  });
});

Deno.test("header accessors see through case, compact forms and lists", () => {
  const msg = parseSipMessage(enc(
    "OPTIONS sip:b@example.com SIP/2.0\r\nv: SIP/2.0/TCP a;branch=z9hG4bK1, SIP/2.0/TCP b\r\n" +
      'VIA: SIP/2.0/UDP c\r\ni: x@y\r\nContact: "A, B" <sip:a@h>, <sip:b@h;p=1,2>\r\n' +
      "Date: Sat, 13 Nov 2010 23:29:00 GMT\r\nl: 0\r\n\r\n",
  ));
  assert.equal(findHeaders(msg, "via").length, 2);
  assert.deepEqual(getHeaderValues(msg, "Via"), [
    "SIP/2.0/TCP a;branch=z9hG4bK1",
    "SIP/2.0/TCP b",
    "SIP/2.0/UDP c",
  ]);
  assert.equal(getHeaderValue(msg, "Call-ID"), "x@y");
  assert.equal(getHeaderValue(msg, "CONTENT-length"), "0");
  assert.deepEqual(getHeaderValues(msg, "m"), ['"A, B" <sip:a@h>', "<sip:b@h;p=1,2>"]);
  assert.deepEqual(getHeaderValues(msg, "Date"), ["Sat, 13 Nov 2010 23:29:00 GMT"]);
  assert.equal(getHeaderValue(msg, "Subject"), undefined);
});

Deno.test("serializeSipMessage() writes name: value for headers without raw", () => {
  const msg: SipMessage = {
    kind: "response",
    version: "SIP/2.0",
    status: 202,
    reason: "Accepted",
    headers: [{ name: "Call-ID", value: "a@b" }, { name: "Content-Length", value: "0" }],
    body: new Uint8Array(0),
  };
  assert.equal(
    dec(serializeSipMessage(msg)),
    "SIP/2.0 202 Accepted\r\nCall-ID: a@b\r\nContent-Length: 0\r\n\r\n",
  );
});

Deno.test("serializeSipMessage() rejects header injection, stale raw and a wrong Content-Length", () => {
  const base: SipMessage = {
    kind: "request",
    method: "MESSAGE",
    uri: "sip:a@b",
    version: "SIP/2.0",
    headers: [],
    body: enc("hi"),
  };
  const bad = (headers: SipMessage["headers"], field: string) =>
    assert.throws(
      () => serializeSipMessage({ ...base, headers }),
      (e: unknown) => e instanceof EncodeError && e.field === field,
    );
  bad([{ name: "Subject", value: "x\r\nVia: evil" }], "Subject");
  bad([{ name: "Subject", value: "new", raw: "Subject: old" }], "Subject");
  bad([{ name: "Bad Name", value: "x" }], "Bad Name");
  bad([{ name: "Content-Length", value: "3" }], "Content-Length");
  assert.throws(() => serializeSipMessage({ ...base, method: "MES SAGE" }), EncodeError);
  assert.throws(() => serializeSipMessage({ ...base, uri: "<sip:a@b>" }), EncodeError);
  assert.throws(
    () => serializeSipMessage({ ...base, kind: "response", status: 99, reason: "" } as never),
    EncodeError,
  );
});

// Generated messages: start line, headers in canonical and non-canonical
// spellings (extra white space, folding, compact names), and a binary body.
const token = fc.stringMatching(/^X-[A-Za-z0-9\-.!%*_+`'~]{1,10}$/);
const value = fc.stringMatching(/^[!-~\u00a0-\u00ff\u4e00-\u4e0f]([ !-~\u00e9]{0,20}[!-~])?$/);
const headerLine = fc.oneof(
  fc.tuple(token, value).map(([n, v]) => `${n}: ${v}`),
  fc.tuple(token, value).map(([n, v]) => `${n}  :\t${v} `),
  fc.tuple(token, value, value).map(([n, v, w]) => `${n}: ${v}\r\n  ${w}`),
  fc.tuple(token, value).map(([n, v]) => `${n}:${v}`),
);
const startLine = fc.oneof(
  fc.tuple(token, fc.stringMatching(/^[a-z0-9]{1,8}$/)).map(([m, u]) =>
    `${m} sip:${u}@example.com SIP/2.0`
  ),
  fc.tuple(fc.integer({ min: 100, max: 699 }), fc.stringMatching(/^[ -~]{0,20}$/)).map(([s, r]) =>
    `SIP/2.0 ${s} ${r}`
  ),
);
const generatedMessage = fc.tuple(
  startLine,
  fc.array(headerLine, { maxLength: 8 }),
  fc.uint8Array({ maxLength: 64 }),
  fc.constantFrom("Content-Length", "l", "content-length"),
).map(([start, lines, body, cl]) => {
  const head = enc([start, ...lines, `${cl}: ${body.length}`].join("\r\n") + "\r\n\r\n");
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
});

Deno.test("serializeSipMessage(parseSipMessage(x)) is x for generated messages", () => {
  fc.assert(
    fc.property(generatedMessage, (bytes) => {
      const again = serializeSipMessage(parseSipMessage(bytes));
      assert.deepEqual(again, bytes);
    }),
    { seed: 42, numRuns: 400 },
  );
});
