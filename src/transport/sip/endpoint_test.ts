import assert from "node:assert/strict";
import { getHeaderValue, parseVia, type SipRequest } from "../../codec/sip/mod.ts";
import {
  captureLogs,
  FakeClock,
  RawClient,
  requestText,
  responseText,
  startRecording,
  testOptions,
  until,
} from "./_test_helpers.ts";
import { SipConnectionClosed, SipTransactionTimeout } from "./mod.ts";

const enc = new TextEncoder();

/** A MESSAGE from the SMSC to a UE, without Via (the endpoint adds it). */
function mtMessage(cseq = 1): SipRequest {
  const body = enc.encode("\x01\x02rp");
  return {
    kind: "request",
    method: "MESSAGE",
    uri: "sip:ue@10.0.0.7:5060;transport=tcp",
    version: "SIP/2.0",
    headers: [
      { name: "From", value: "<sip:smsc@smsc.local>;tag=smsc1" },
      { name: "To", value: "<sip:+12125550100@smsc.local>" },
      { name: "Call-ID", value: `mt-${cseq}@smsc.local` },
      { name: "CSeq", value: `${cseq} MESSAGE` },
      { name: "Content-Type", value: "application/vnd.3gpp.sms" },
    ],
    body,
  };
}

Deno.test("SIP over TCP", async (t) => {
  const logs = captureLogs();
  const clock = new FakeClock();
  const { ep, requests, closed } = await startRecording(testOptions(clock), (r) => {
    if (r.request.method === "REGISTER") {
      r.respond(200, "OK", { headers: [["Contact", "<sip:ue@10.0.0.7:5060>;expires=600"]] });
    }
  });
  const port = ep.ports.tcp!;
  try {
    await t.step("REGISTER in, 200 back on the same connection with copied headers", async () => {
      const c = await RawClient.connect(port);
      await c.write(requestText());
      const res = await c.next();
      assert.ok(res?.kind === "response");
      assert.equal(res.status, 200);
      assert.equal(getHeaderValue(res, "Call-ID"), "call-1@10.0.0.7");
      assert.equal(getHeaderValue(res, "CSeq"), "1 REGISTER");
      assert.match(
        getHeaderValue(res, "To")!,
        /^<sip:\+12125550100@smsc\.local>;tag=[0-9a-f]{16}$/,
      );
      assert.equal(getHeaderValue(res, "Contact"), "<sip:ue@10.0.0.7:5060>;expires=600");
      assert.equal(getHeaderValue(res, "Content-Length"), "0");
      const via = parseVia(getHeaderValue(res, "Via")!);
      assert.deepEqual(via.params, [
        { name: "branch", value: "z9hG4bK-test-1" },
        { name: "received", value: "127.0.0.1" },
        { name: "rport", value: String(c.conn.localAddr.port) },
      ]);
      assert.equal(requests.length, 1);
      assert.equal(requests[0].conn.transport, "tcp");
      assert.equal(requests[0].conn.remote.hostname, "127.0.0.1");
      c.close();
      await until(() => closed.includes(requests[0].conn.id), "close report");
    });

    await t.step("a retransmission is answered with the same response, not passed on", async () => {
      requests.length = 0;
      const c = await RawClient.connect(port);
      const text = requestText({ branch: "z9hG4bK-retrans", callId: "retrans@ue" });
      await c.write(text);
      const first = await c.next();
      await c.write(text);
      const second = await c.next();
      assert.equal(requests.length, 1);
      assert.deepEqual(second, first);
      // A new branch is a new transaction.
      await c.write(requestText({ branch: "z9hG4bK-retrans-2", callId: "retrans@ue", cseq: 2 }));
      assert.equal((await c.next())?.kind, "response");
      assert.equal(requests.length, 2);
      c.close();
    });

    await t.step("a retransmission before the TU answers is discarded", async () => {
      requests.length = 0;
      const c = await RawClient.connect(port);
      const text = requestText({ method: "MESSAGE", branch: "z9hG4bK-slow", body: "hi" });
      await c.write(text);
      await until(() => requests.length === 1, "the MESSAGE");
      await c.write(text);
      await c.write(requestText({ method: "OPTIONS", branch: "z9hG4bK-probe" }));
      await until(() => requests.length === 2, "the OPTIONS");
      requests[0].respond(202, "Accepted");
      const res = await c.next();
      assert.ok(res?.kind === "response");
      assert.equal(res.status, 202);
      requests[1].respond(200, "OK");
      assert.equal(getHeaderValue((await c.next())!, "CSeq"), "1 OPTIONS");
      // The completed transaction is forgotten 32 s later: the same request is new again.
      clock.advance(32_000);
      await c.write(text);
      await until(() => requests.length === 3, "the MESSAGE again");
      requests[2].respond(202, "Accepted");
      await c.next();
      c.close();
    });

    await t.step("a second final response is not sent", async () => {
      requests.length = 0;
      const c = await RawClient.connect(port);
      await c.write(requestText({ method: "MESSAGE", branch: "z9hG4bK-twice", body: "x" }));
      await until(() => requests.length === 1, "the MESSAGE");
      requests[0].respond(100, "Trying");
      requests[0].respond(202, "Accepted");
      requests[0].respond(500, "Oops");
      await c.write(requestText({ method: "OPTIONS", branch: "z9hG4bK-after" }));
      await until(() => requests.length === 2, "the OPTIONS");
      requests[1].respond(200, "OK");
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await c.next() as { status: number }).status);
      assert.deepEqual(statuses, [100, 202, 200]);
      assert.ok(logs.lines.some((l) => l.includes("Cannot send a second final response")));
      c.close();
    });

    await t.step("request() on the connection a REGISTER came on, matched by branch", async () => {
      requests.length = 0;
      const c = await RawClient.connect(port);
      await c.write(requestText({ branch: "z9hG4bK-reg-mt" }));
      await c.next();
      const connId = requests[0].conn.id;
      const pending = ep.request(connId, mtMessage(7));
      const req = await c.next();
      assert.ok(req?.kind === "request");
      assert.equal(req.method, "MESSAGE");
      assert.equal(getHeaderValue(req, "Max-Forwards"), "70");
      assert.equal(getHeaderValue(req, "Content-Length"), "4");
      const via = parseVia(getHeaderValue(req, "Via")!);
      assert.equal(via.transport, "TCP");
      assert.equal(via.host, "127.0.0.1");
      assert.equal(via.port, port);
      assert.match(via.params[0].value!, /^z9hG4bK/);
      // A response with another branch does not match; 1xx is skipped.
      const wrong = responseText(req, 200, "OK").replace(via.params[0].value!, "z9hG4bKother");
      await c.write(wrong);
      await c.write(responseText(req, 100, "Trying"));
      await c.write(responseText(req, 202, "Accepted"));
      const res = await pending;
      assert.equal(res.status, 202);
      assert.ok(logs.lines.some((l) => l.includes("Dropping SIP response: no transaction")));
      c.close();
    });

    await t.step("request() times out after transactionTimeoutMs (Timer F)", async () => {
      requests.length = 0;
      const c = await RawClient.connect(port);
      await c.write(requestText({ branch: "z9hG4bK-reg-timeout" }));
      await c.next();
      const pending = ep.request(requests[0].conn.id, mtMessage(8));
      await c.next();
      clock.advance(31_999);
      clock.advance(1);
      await assert.rejects(pending, SipTransactionTimeout);
      c.close();
    });

    await t.step("request() fails when the connection closes first", async () => {
      requests.length = 0;
      const c = await RawClient.connect(port);
      await c.write(requestText({ branch: "z9hG4bK-reg-close" }));
      await c.next();
      const id = requests[0].conn.id;
      const pending = ep.request(id, mtMessage(9));
      await c.next();
      c.close();
      await assert.rejects(pending, SipConnectionClosed);
      assert.equal(ep.isOpen(id), false);
      await assert.rejects(ep.request(id, mtMessage(10)), SipConnectionClosed);
    });

    await t.step("garbage without a request line closes the connection silently", async () => {
      const c = await RawClient.connect(port);
      await c.write("\x16\x03\x01 this is not SIP\r\n\r\n");
      assert.equal(await c.endsWithoutData(), true);
      c.close();
    });

    await t.step("a bad header after a readable request line: 400, then close", async () => {
      const c = await RawClient.connect(port);
      await c.write(requestText().replace("Max-Forwards: 70", "Max Forwards 70"));
      const res = await c.next();
      assert.ok(res?.kind === "response");
      assert.equal(res.status, 400);
      assert.equal(getHeaderValue(res, "Call-ID"), "call-1@10.0.0.7");
      assert.equal(await c.endsWithoutData(), true);
      c.close();
    });

    await t.step(
      "oversize: 413 for Content-Length, 513 for a header section, then close",
      async () => {
        const c = await RawClient.connect(port);
        await c.write(requestText().replace("Content-Length: 0", "Content-Length: 5000"));
        assert.equal((await c.next() as { status: number }).status, 413);
        assert.equal(await c.endsWithoutData(), true);
        c.close();
        const d = await RawClient.connect(port);
        const big = requestText({ extra: [`X-Pad: ${"a".repeat(5000)}`] });
        await d.write(big);
        const res = await d.next();
        assert.equal((res as { status: number }).status, 513);
        assert.equal(getHeaderValue(res!, "Call-ID"), "call-1@10.0.0.7");
        assert.equal(await d.endsWithoutData(), true);
        d.close();
        // Header and body each within the limit, the whole beyond it: 513.
        const e = await RawClient.connect(port);
        const body = "b".repeat(3000);
        await e.write(
          requestText({ method: "MESSAGE", extra: [`X-Pad: ${"a".repeat(1500)}`], body }),
        );
        assert.equal((await e.next() as { status: number }).status, 513);
        assert.equal(await e.endsWithoutData(), true);
        e.close();
      },
    );

    await t.step("a missing mandatory header: 400, and the connection stays", async () => {
      requests.length = 0;
      const c = await RawClient.connect(port);
      await c.write(requestText({ omit: ["Call-ID"] }));
      const res = await c.next();
      assert.equal((res as { status: number }).status, 400);
      await c.write(requestText({ branch: "z9hG4bK-after-400" }));
      assert.equal((await c.next() as { status: number }).status, 200);
      assert.equal(requests.length, 1);
      c.close();
    });

    await t.step("a response to nothing and an ACK are dropped", async () => {
      requests.length = 0;
      const c = await RawClient.connect(port);
      await c.write(
        "SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKnobody\r\n" +
          "From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: x\r\nCSeq: 1 MESSAGE\r\n" +
          "Content-Length: 0\r\n\r\n",
      );
      await c.write(requestText({ method: "ACK", branch: "z9hG4bK-ack" }));
      await c.write(requestText({ branch: "z9hG4bK-after-ack" }));
      assert.equal((await c.next() as { status: number }).status, 200);
      assert.deepEqual(requests.map((r) => r.request.method), ["REGISTER"]);
      c.close();
    });

    await t.step("a double-CRLF ping gets a single-CRLF pong (RFC 5626)", async () => {
      const c = await RawClient.connect(port);
      await c.write("\r\n\r\n");
      // A pong from the peer is ignored and the stream goes on. (A lone CRLF
      // is only told from half a ping by the byte after it: the response.)
      await c.write("\r\n" + requestText({ branch: "z9hG4bK-after-ping" }));
      assert.deepEqual(await c.nextFrame(), { keepalive: "pong", consumed: 2 });
      assert.equal((await c.next() as { status: number }).status, 200);
      c.close();
    });
  } finally {
    await ep.close();
    logs.restore();
  }
});

Deno.test("SIP over TCP: hostile input closes only its own connection", async () => {
  const logs = captureLogs();
  const clock = new FakeClock();
  const { ep, requests } = await startRecording(testOptions(clock), (r) => r.respond(200, "OK"));
  try {
    const port = ep.ports.tcp!;
    const good = await RawClient.connect(port);
    await good.write(requestText({ branch: "z9hG4bK-good-1" }));
    assert.equal((await good.next() as { status: number }).status, 200);
    // A fixed-seed generator (xorshift32), so that a failure can be replayed.
    let seed = 0x5eed1234;
    const rand = (n: number) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const valid = enc.encode(requestText({ method: "MESSAGE", body: "hello" }));
    for (let i = 0; i < 60; i++) {
      // Random bytes, or a valid request with bytes changed and cut short.
      const bytes = i % 3 === 0
        ? new Uint8Array(1 + rand(600)).map(() => rand(256))
        : valid.map((b) => (rand(40) === 0 ? rand(256) : b)).subarray(0, 1 + rand(valid.length));
      const c = await RawClient.connect(port);
      await c.write(bytes);
      // Closed at once: the server sees a reset, the end of a half message,
      // or a closed peer when it answers.
      c.close();
    }
    await good.write(requestText({ branch: "z9hG4bK-good-2" }));
    assert.equal((await good.next() as { status: number }).status, 200);
    assert.ok(requests.length >= 2);
    good.close();
  } finally {
    await ep.close();
    logs.restore();
  }
});

Deno.test("SIP over TCP: the handler throws", async () => {
  const logs = captureLogs();
  const clock = new FakeClock();
  const { ep } = await startRecording(testOptions(clock), () => {
    throw new Error("bug");
  });
  try {
    const c = await RawClient.connect(ep.ports.tcp!);
    await c.write(requestText({ method: "MESSAGE", body: "x" }));
    assert.equal((await c.next() as { status: number }).status, 500);
    assert.ok(logs.lines.some((l) => l.startsWith("error ") && l.includes("handler failed")));
    c.close();
  } finally {
    await ep.close();
    logs.restore();
  }
});

Deno.test("SIP over TCP: keep-alive from our side after idle", async () => {
  const logs = captureLogs();
  const clock = new FakeClock();
  const { ep } = await startRecording(testOptions(clock, { keepaliveMs: 30_000 }));
  try {
    const c = await RawClient.connect(ep.ports.tcp!);
    await c.write("\r\n");
    await until(() => logs.lines.some((l) => l.includes("SIP connection opened")), "accept");
    clock.advance(30_000);
    assert.deepEqual(await c.nextFrame(), { keepalive: "ping", consumed: 4 });
    c.close();
  } finally {
    await ep.close();
    logs.restore();
  }
});

Deno.test("SIP over TCP: requestTo opens one connection and reuses it", async () => {
  const logs = captureLogs();
  const clock = new FakeClock();
  const { ep, closed } = await startRecording(testOptions(clock, { listenTcp: undefined }));
  const server = RawClient.listen();
  try {
    const target = { hostname: "127.0.0.1", port: server.port };
    const first = ep.requestTo(target, mtMessage(1));
    const second = ep.requestTo(target, mtMessage(2));
    const peer = await server.accepted;
    const a = await peer.next();
    const b = await peer.next();
    // Without a TCP listener the Via carries the local port of the connection.
    assert.equal(parseVia(getHeaderValue(a!, "Via")!).port, peer.conn.remoteAddr.port);
    await peer.write(responseText(b!, 200, "OK"));
    await peer.write(responseText(a!, 202, "Accepted"));
    assert.equal((await first).status, 202);
    assert.equal((await second).status, 200);
    const third = ep.requestTo(target, mtMessage(3));
    const c = await peer.next();
    await peer.write(responseText(c!, 404, "Not Found"));
    assert.equal((await third).status, 404);
    peer.close();
    await until(() => closed.length === 1, "close report");
  } finally {
    server.close();
    await ep.close();
    logs.restore();
  }
});

Deno.test("SIP over TCP: requestTo to a closed port fails with SipConnectionClosed", async () => {
  const logs = captureLogs();
  const clock = new FakeClock();
  const { ep } = await startRecording(testOptions(clock));
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  try {
    await assert.rejects(
      ep.requestTo({ hostname: "127.0.0.1", port }, mtMessage(1)),
      SipConnectionClosed,
    );
  } finally {
    await ep.close();
    logs.restore();
  }
});

Deno.test("SIP endpoint: close() fails waiting requests and reports connections", async () => {
  const logs = captureLogs();
  const clock = new FakeClock();
  const { ep, requests, closed } = await startRecording(testOptions(clock), (r) => {
    r.respond(200, "OK");
  });
  const c = await RawClient.connect(ep.ports.tcp!);
  await c.write(requestText());
  await c.next();
  const pending = ep.request(requests[0].conn.id, mtMessage(1));
  assert.equal((await c.next())?.kind, "request");
  await ep.close();
  await assert.rejects(pending, SipConnectionClosed);
  assert.deepEqual(closed, [requests[0].conn.id]);
  assert.equal(await c.endsWithoutData(), true);
  c.close();
  await ep.close();
  logs.restore();
});

Deno.test("SIP endpoint: a busy port fails start and leaves nothing bound", async () => {
  const free = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const freePort = (free.addr as Deno.NetAddr).port;
  free.close();
  const busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const busyPort = (busy.addr as Deno.NetAddr).port;
  const logs = captureLogs();
  try {
    await assert.rejects(
      startRecording(
        testOptions(new FakeClock(), {
          listenTcp: { hostname: "127.0.0.1", port: freePort },
          listenWs: { hostname: "127.0.0.1", port: busyPort },
        }),
      ),
    );
    // The TCP listener bound first was released.
    Deno.listen({ hostname: "127.0.0.1", port: freePort }).close();
  } finally {
    busy.close();
    logs.restore();
  }
});
