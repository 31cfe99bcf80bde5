import assert from "node:assert/strict";
import {
  checkMandatoryHeaders,
  getHeaderValue,
  getHeaderValues,
  parseSipMessage,
  serializeSipMessage,
  type SipRequest,
} from "../../codec/sip/mod.ts";
import { DecodeError, EncodeError } from "../../lib/errors.ts";
import {
  buildResponse,
  isUtf8,
  prepareRequest,
  refusalFor,
  responseKey,
  serverKey,
} from "./_messages.ts";
import { requestText } from "./_test_helpers.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const REMOTE = { hostname: "192.0.2.9", port: 40000 };

function parseRequest(text: string): SipRequest {
  const m = parseSipMessage(enc.encode(text));
  assert.ok(m.kind === "request");
  return m;
}

Deno.test("buildResponse", async (t) => {
  await t.step("copies Via, From, To, Call-ID, CSeq and adds a To tag", () => {
    const req = parseRequest(
      requestText({ extra: ["Via: SIP/2.0/TCP proxy.example;branch=z9hG4bKp"] }),
    );
    const h = checkMandatoryHeaders(req);
    const res = buildResponse(req, h, 200, "OK", "abc", REMOTE, {
      headers: [["Expires", "600"]],
    });
    const text = dec.decode(serializeSipMessage(res));
    assert.equal(
      text,
      "SIP/2.0 200 OK\r\n" +
        "Via: SIP/2.0/TCP 10.0.0.7:5060;branch=z9hG4bK-test-1;received=192.0.2.9;rport=40000\r\n" +
        "Via: SIP/2.0/TCP proxy.example;branch=z9hG4bKp\r\n" +
        "From: <sip:+12125550100@smsc.local>;tag=ue1\r\n" +
        "To: <sip:+12125550100@smsc.local>;tag=abc\r\n" +
        "Call-ID: call-1@10.0.0.7\r\n" +
        "CSeq: 1 REGISTER\r\n" +
        "Expires: 600\r\n" +
        "Content-Length: 0\r\n\r\n",
    );
  });

  await t.step("keeps an existing To tag, none on 100, received only when sent-by differs", () => {
    const text = requestText({ toTag: "theirs" }).replace(";rport", "").replace(
      "10.0.0.7:5060",
      "192.0.2.9:5060",
    );
    const req = parseRequest(text);
    const h = checkMandatoryHeaders(req);
    const ok = buildResponse(req, h, 200, "OK", "abc", REMOTE);
    assert.equal(getHeaderValue(ok, "To"), "<sip:+12125550100@smsc.local>;tag=theirs");
    assert.equal(getHeaderValue(ok, "Via"), "SIP/2.0/TCP 192.0.2.9:5060;branch=z9hG4bK-test-1");
    const fresh = parseRequest(requestText());
    const trying = buildResponse(fresh, checkMandatoryHeaders(fresh), 100, "Trying", "t", REMOTE);
    assert.equal(getHeaderValue(trying, "To"), "<sip:+12125550100@smsc.local>");
  });

  await t.step("a body without a Content-Type is refused", () => {
    const req = parseRequest(requestText());
    assert.throws(
      () =>
        buildResponse(req, checkMandatoryHeaders(req), 200, "OK", "t", REMOTE, {
          body: new Uint8Array([1]),
        }),
      EncodeError,
    );
  });

  await t.step("a body with its Content-Type", () => {
    const req = parseRequest(requestText());
    const res = buildResponse(req, checkMandatoryHeaders(req), 200, "OK", "t", REMOTE, {
      body: new Uint8Array([1, 2, 3]),
      contentType: "application/vnd.3gpp.sms",
    });
    assert.equal(getHeaderValue(res, "Content-Type"), "application/vnd.3gpp.sms");
    assert.equal(getHeaderValue(res, "Content-Length"), "3");
    assert.deepEqual([...res.body], [1, 2, 3]);
  });
});

Deno.test("prepareRequest", async (t) => {
  const base: SipRequest = {
    kind: "request",
    method: "MESSAGE",
    uri: "sip:ue@10.0.0.7",
    version: "SIP/2.0",
    headers: [
      { name: "From", value: "<sip:smsc@smsc.local>;tag=1" },
      { name: "To", value: "<sip:ue@smsc.local>" },
      { name: "Call-ID", value: "c1" },
      { name: "CSeq", value: "4 MESSAGE" },
      { name: "Content-Type", value: "application/vnd.3gpp.sms" },
      { name: "Content-Length", value: "99" },
    ],
    body: new Uint8Array([9, 9]),
  };

  await t.step("Via on top with a fresh branch, Max-Forwards 70, Content-Length", () => {
    const a = prepareRequest(base, { transport: "TCP", host: "198.51.100.1", port: 5060 });
    const b = prepareRequest(base, { transport: "TCP", host: "198.51.100.1", port: 5060 });
    assert.notEqual(a.branch, b.branch);
    assert.match(a.branch, /^z9hG4bK[0-9a-f]{24}$/);
    assert.equal(a.request.headers[0].name, "Via");
    assert.equal(
      a.request.headers[0].value,
      `SIP/2.0/TCP 198.51.100.1:5060;branch=${a.branch};rport`,
    );
    assert.equal(getHeaderValue(a.request, "Max-Forwards"), "70");
    assert.deepEqual(getHeaderValues(a.request, "Content-Length"), ["2"]);
    assert.equal(a.headers.cseq.method, "MESSAGE");
    // It serializes, and the caller's object is untouched.
    serializeSipMessage(a.request);
    assert.equal(base.headers.length, 6);
  });

  await t.step("keeps the caller's Max-Forwards; WS Via without a port", () => {
    const withMf = { ...base, headers: [...base.headers, { name: "Max-Forwards", value: "5" }] };
    const p = prepareRequest(withMf, { transport: "WS", host: "smsc.invalid" });
    assert.deepEqual(getHeaderValues(p.request, "Max-Forwards"), ["5"]);
    assert.match(p.request.headers[0].value, /^SIP\/2\.0\/WS smsc\.invalid;branch=/);
  });

  await t.step("a request without CSeq is refused", () => {
    const bad = { ...base, headers: base.headers.filter((h) => h.name !== "CSeq") };
    assert.throws(() => prepareRequest(bad, { transport: "TCP", host: "h" }), DecodeError);
  });
});

Deno.test("transaction keys", async (t) => {
  await t.step("server: same branch, sent-by and method match; ACK counts as INVITE", () => {
    const key = (text: string) => {
      const r = parseRequest(text);
      return serverKey(r, checkMandatoryHeaders(r));
    };
    const a = key(requestText({ method: "MESSAGE", body: "x" }));
    assert.equal(a, key(requestText({ method: "MESSAGE", body: "x" })));
    assert.notEqual(a, key(requestText({ method: "MESSAGE", body: "x", branch: "z9hG4bKz" })));
    assert.notEqual(a, key(requestText({ method: "OPTIONS" })));
    assert.equal(key(requestText({ method: "INVITE" })), key(requestText({ method: "ACK" })));
  });

  await t.step("server: RFC 2543 branch-less requests key on the dialog fields", () => {
    const key = (text: string) => {
      const r = parseRequest(text);
      return serverKey(r, checkMandatoryHeaders(r));
    };
    const old = requestText({ branch: "1" });
    assert.match(key(old), /^2543\|/);
    assert.equal(key(old), key(old));
    assert.notEqual(key(old), key(requestText({ branch: "1", cseq: 2 })));
  });

  await t.step("client: branch and CSeq method of a response", () => {
    const res = parseSipMessage(enc.encode(
      "SIP/2.0 202 Accepted\r\nVia: SIP/2.0/TCP h;branch=z9hG4bKabc, SIP/2.0/TCP x\r\n" +
        "CSeq: 3 MESSAGE\r\nContent-Length: 0\r\n\r\n",
    ));
    assert.ok(res.kind === "response");
    assert.equal(responseKey(res), "z9hG4bKabc|MESSAGE");
    const noVia = { ...res, headers: res.headers.filter((h) => h.name !== "Via") };
    assert.equal(responseKey(noVia), undefined);
    const badVia = { ...res, headers: [{ name: "Via", value: "garbage" }, ...res.headers] };
    assert.equal(responseKey(badVia), undefined);
  });
});

Deno.test("refusalFor", async (t) => {
  await t.step("copies the readable Via, From, To, Call-ID, CSeq lines", () => {
    const head = enc.encode(requestText().replace("Max-Forwards: 70", "Max Forwards"));
    assert.equal(
      dec.decode(refusalFor(head, 400)),
      "SIP/2.0 400 Bad Request\r\n" +
        "Via: SIP/2.0/TCP 10.0.0.7:5060;branch=z9hG4bK-test-1;rport\r\n" +
        "From: <sip:+12125550100@smsc.local>;tag=ue1\r\n" +
        "To: <sip:+12125550100@smsc.local>\r\n" +
        "Call-ID: call-1@10.0.0.7\r\n" +
        "CSeq: 1 REGISTER\r\n" +
        "Content-Length: 0\r\n\r\n",
    );
  });

  await t.step("reason phrases of 413, 505, 513", () => {
    const head = enc.encode("MESSAGE sip:a SIP/2.0\r\n");
    assert.match(dec.decode(refusalFor(head, 413)), /^SIP\/2\.0 413 Request Entity Too Large\r\n/);
    assert.match(dec.decode(refusalFor(head, 505)), /^SIP\/2\.0 505 Version Not Supported\r\n/);
    assert.match(dec.decode(refusalFor(head, 513)), /^SIP\/2\.0 513 Message Too Large\r\n/);
    const v3 = enc.encode("MESSAGE sip:a SIP/3.0\r\nCSeq: 1 MESSAGE\r\n\r\n");
    assert.match(dec.decode(refusalFor(v3, 505)), /^SIP\/2\.0 505 Version Not Supported\r\n/);
  });

  await t.step("nothing for a response, an ACK, garbage or another version", () => {
    for (
      const text of [
        "SIP/2.0 200 OK\r\nCall-ID: x\r\n\r\n",
        "ACK sip:a SIP/2.0\r\n\r\n",
        "\x16\x03\x01\x02\x00",
        "GET / HTTP/1.1\r\n\r\n",
        "",
      ]
    ) {
      assert.equal(refusalFor(enc.encode(text), 400), undefined, JSON.stringify(text));
    }
  });

  await t.step("control characters and huge lines are not echoed", () => {
    const head = enc.encode(
      `MESSAGE sip:a SIP/2.0\r\nCall-ID: a\x01b\r\nFrom: ${
        "x".repeat(2000)
      }\r\nCSeq: 1 MESSAGE\r\n`,
    );
    assert.equal(
      dec.decode(refusalFor(head, 400)),
      "SIP/2.0 400 Bad Request\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n",
    );
  });
});

Deno.test("isUtf8", () => {
  assert.equal(isUtf8(enc.encode("héllo")), true);
  assert.equal(isUtf8(new Uint8Array([0xc3, 0x28])), false);
});
