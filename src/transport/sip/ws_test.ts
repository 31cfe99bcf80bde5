import assert from "node:assert/strict";
import * as wsModule from "ws";
import {
  getHeaderValue,
  parseSipMessage,
  parseVia,
  type SipMessage,
  type SipRequest,
} from "../../codec/sip/mod.ts";
import {
  captureLogs,
  FakeClock,
  requestText,
  responseText,
  startRecording,
  testOptions,
  until,
} from "./_test_helpers.ts";
import { SIP_SUBPROTOCOL, SipConnectionClosed } from "./mod.ts";

/** The part of npm:ws's client we use (the package ships no types). */
interface WsClient {
  readonly protocol: string;
  send(data: string | Uint8Array, options?: { binary: boolean }): void;
  close(): void;
  terminate(): void;
  on(event: string, fn: (...args: never[]) => void): void;
}
const WebSocket = (wsModule as unknown as {
  WebSocket: new (url: string, protocols?: string[], options?: object) => WsClient;
}).WebSocket;

const enc = new TextEncoder();

/** A real npm:ws client that records every frame. */
class Client {
  readonly ws: WsClient;
  readonly frames: { bytes: Uint8Array; binary: boolean }[] = [];
  pings = 0;
  closed = false;

  private constructor(ws: WsClient) {
    this.ws = ws;
    ws.on("message", (data: Uint8Array, isBinary: boolean) => {
      this.frames.push({ bytes: new Uint8Array(data), binary: isBinary });
    });
    ws.on("ping", () => void this.pings++);
    ws.on("close", () => void (this.closed = true));
  }

  /** Connects, or rejects with the HTTP status of a refused upgrade. */
  static open(port: number, protocols: string[], options: object = {}): Promise<Client> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`, protocols, {
      perMessageDeflate: false,
      ...options,
    });
    return new Promise((resolve, reject) => {
      ws.on("open", () => resolve(new Client(ws)));
      ws.on("unexpected-response", (_req: never, res: { statusCode: number; resume(): void }) => {
        res.resume();
        ws.terminate();
        reject(new Error(`HTTP ${res.statusCode}`));
      });
      ws.on("error", (e: Error) => reject(e));
    });
  }

  async frame(): Promise<{ bytes: Uint8Array; binary: boolean }> {
    await until(() => this.frames.length > 0 || this.closed, "a frame");
    const f = this.frames.shift();
    if (f === undefined) throw new Error("closed without a frame");
    return f;
  }

  async message(): Promise<{ msg: SipMessage; binary: boolean }> {
    const f = await this.frame();
    return { msg: parseSipMessage(f.bytes), binary: f.binary };
  }

  async shut(): Promise<void> {
    if (!this.closed) this.ws.close();
    await until(() => this.closed, "the close handshake");
  }
}

function wsRequest(r: Parameters<typeof requestText>[0] = {}): string {
  return requestText(r).replace("SIP/2.0/TCP 10.0.0.7:5060", "SIP/2.0/WS df7jal23ls0d.invalid");
}

function mtMessage(body: Uint8Array): SipRequest {
  return {
    kind: "request",
    method: "MESSAGE",
    uri: "sip:ue@df7jal23ls0d.invalid;transport=ws",
    version: "SIP/2.0",
    headers: [
      { name: "From", value: "<sip:smsc@smsc.local>;tag=smsc1" },
      { name: "To", value: "<sip:+12125550100@smsc.local>" },
      { name: "Call-ID", value: "mt-ws@smsc.local" },
      { name: "CSeq", value: "1 MESSAGE" },
      { name: "Content-Type", value: "application/vnd.3gpp.sms" },
    ],
    body,
  };
}

Deno.test("SIP over WebSocket (npm:ws client)", async (t) => {
  const logs = captureLogs();
  const clock = new FakeClock();
  const options = testOptions(clock, {
    listenTcp: undefined,
    listenWs: { hostname: "127.0.0.1", port: 0 },
  });
  const { ep, requests, closed } = await startRecording(options, (r) => {
    if (r.request.method === "REGISTER") r.respond(200, "OK");
  });
  const port = ep.ports.ws!;
  try {
    await t.step("REGISTER in a text frame, 200 back in a text frame", async () => {
      const c = await Client.open(port, ["sip"]);
      assert.equal(c.ws.protocol, SIP_SUBPROTOCOL);
      c.ws.send(wsRequest());
      const { msg, binary } = await c.message();
      assert.equal(binary, false);
      assert.ok(msg.kind === "response");
      assert.equal(msg.status, 200);
      const via = parseVia(getHeaderValue(msg, "Via")!);
      assert.equal(via.host, "df7jal23ls0d.invalid");
      assert.equal(requests.at(-1)!.conn.transport, "ws");
      await c.shut();
      await until(() => closed.includes(requests.at(-1)!.conn.id), "close report");
    });

    await t.step("binary frames: the reply and our request use binary frames", async () => {
      requests.length = 0;
      const c = await Client.open(port, ["foo", "sip"]);
      c.ws.send(enc.encode(wsRequest({ method: "MESSAGE", body: "rp" })), { binary: true });
      await until(() => requests.length === 1, "the MESSAGE");
      requests[0].respond(202, "Accepted");
      const reply = await c.message();
      assert.equal(reply.binary, true);
      assert.equal((reply.msg as { status: number }).status, 202);
      const pending = ep.request(requests[0].conn.id, mtMessage(new Uint8Array([0x01, 0xff])));
      const sent = await c.message();
      assert.equal(sent.binary, true);
      assert.ok(sent.msg.kind === "request");
      assert.deepEqual([...sent.msg.body], [0x01, 0xff]);
      const via = parseVia(getHeaderValue(sent.msg, "Via")!);
      assert.equal(via.transport, "WS");
      assert.equal(via.port, port);
      c.ws.send(responseText(sent.msg, 200, "OK"));
      assert.equal((await pending).status, 200);
      await c.shut();
    });

    await t.step("a body that is not UTF-8 goes in a binary frame even after text", async () => {
      requests.length = 0;
      const c = await Client.open(port, ["sip"]);
      c.ws.send(wsRequest({ branch: "z9hG4bK-ws-text" }));
      await c.message();
      const pending = ep.request(requests[0].conn.id, mtMessage(new Uint8Array([0xc3, 0x28])));
      const sent = await c.message();
      assert.equal(sent.binary, true);
      c.ws.send(responseText(sent.msg, 202, "Accepted"));
      assert.equal((await pending).status, 202);
      // Text again for a UTF-8 body.
      const again = ep.request(requests[0].conn.id, mtMessage(enc.encode("ok")));
      const text = await c.message();
      assert.equal(text.binary, false);
      c.ws.send(responseText(text.msg, 200, "OK"));
      await again;
      await c.shut();
    });

    await t.step("a retransmission is absorbed", async () => {
      requests.length = 0;
      const c = await Client.open(port, ["sip"]);
      c.ws.send(wsRequest({ branch: "z9hG4bK-ws-re" }));
      const first = await c.message();
      c.ws.send(wsRequest({ branch: "z9hG4bK-ws-re" }));
      const second = await c.message();
      assert.deepEqual(second.msg, first.msg);
      assert.equal(requests.length, 1);
      await c.shut();
    });

    await t.step('a client without the "sip" subprotocol is refused', async () => {
      await assert.rejects(Client.open(port, ["chat"]), /HTTP 400/);
      await assert.rejects(Client.open(port, []), /HTTP 400/);
      const res = await fetch(`http://127.0.0.1:${port}/`);
      await res.body?.cancel();
      assert.equal(res.status, 426);
    });

    await t.step("request() fails when the WebSocket closes first", async () => {
      requests.length = 0;
      const c = await Client.open(port, ["sip"]);
      c.ws.send(wsRequest({ branch: "z9hG4bK-ws-close" }));
      await c.message();
      const pending = ep.request(requests[0].conn.id, mtMessage(enc.encode("x")));
      await c.frame();
      const failed = assert.rejects(pending, SipConnectionClosed);
      await c.shut();
      await failed;
    });

    await t.step("an oversize message: 513, then close", async () => {
      const c = await Client.open(port, ["sip"]);
      c.ws.send(wsRequest({ extra: [`X-Pad: ${"a".repeat(5000)}`] }));
      const { msg } = await c.message();
      assert.equal((msg as { status: number }).status, 513);
      await until(() => c.closed, "the close");
    });

    await t.step("garbage: closed without an answer", async () => {
      const c = await Client.open(port, ["sip"]);
      c.ws.send("hello there\r\n\r\n");
      await until(() => c.closed, "the close");
      assert.equal(c.frames.length, 0);
    });

    await t.step("a CRLF ping in a frame gets a CRLF pong", async () => {
      const c = await Client.open(port, ["sip"]);
      c.ws.send("\r\n\r\n");
      const f = await c.frame();
      assert.deepEqual([...f.bytes], [13, 10]);
      await c.shut();
    });
  } finally {
    await ep.close();
    logs.restore();
  }
});

Deno.test("SIP over WebSocket: ping after idle, close without pong", async () => {
  const logs = captureLogs();
  const clock = new FakeClock();
  const options = testOptions(clock, {
    listenTcp: undefined,
    listenWs: { hostname: "127.0.0.1", port: 0 },
    keepaliveMs: 30_000,
  });
  const { ep, requests, closed } = await startRecording(options, (r) => r.respond(200, "OK"));
  try {
    const live = await Client.open(ep.ports.ws!, ["sip"]);
    live.ws.send(wsRequest({ branch: "z9hG4bK-live" }));
    await live.message();
    const mute = await Client.open(ep.ports.ws!, ["sip"], { autoPong: false });
    mute.ws.send(wsRequest({ branch: "z9hG4bK-mute" }));
    await mute.message();
    const [liveId, muteId] = requests.map((r) => r.conn.id);
    clock.advance(30_000);
    await until(() => live.pings === 1 && mute.pings === 1, "the pings");
    // The pong of the live client is on the wire before this request.
    live.ws.send(wsRequest({ branch: "z9hG4bK-live-2" }));
    await live.message();
    clock.advance(30_000);
    await until(() => mute.closed, "the mute client cut off");
    assert.deepEqual(closed, [muteId]);
    assert.equal(ep.isOpen(liveId), true);
    assert.ok(logs.lines.some((l) => l.includes("no pong")));
    await live.shut();
  } finally {
    await ep.close();
    logs.restore();
  }
});
