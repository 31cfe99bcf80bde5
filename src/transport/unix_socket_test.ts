import assert from "node:assert/strict";
import {
  encodeFrame,
  frameStream,
  PMS_RECORD_BYTES,
  type Request,
  type Response,
} from "../codec/frame/mod.ts";
import { concatBytes, fromHex } from "../lib/bytes.ts";
import { setLogSink } from "../lib/log.ts";
import {
  ConnectionClosedError,
  connectUnix,
  type FrameConnection,
  listenUnix,
  type RequestHandler,
  RequestTimeoutError,
  SocketInUseError,
} from "./unix_socket.ts";

const RECORD = new Uint8Array(PMS_RECORD_BYTES).fill(0x5a);

/** Runs `fn` with a socket path in a fresh temp dir and captured log lines. */
async function withSocket(fn: (path: string, logs: string[]) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "smsc_sock_" });
  const logs: string[] = [];
  const previous = setLogSink({ write: (line) => logs.push(line) });
  try {
    await fn(`${dir}/core.sock`, logs);
  } finally {
    setLogSink(previous);
    await Deno.remove(dir, { recursive: true });
  }
}

/** A core-side handler: SUBMIT gets an index, STATUS one counter. */
function coreHandler(): RequestHandler {
  let index = 0;
  return (request) => {
    if (request.type === "SUBMIT") return { type: "SUBMIT", result: "ok", index: index++ };
    if (request.type === "STATUS") return { type: "STATUS", entries: [{ key: "up", value: "1" }] };
    return { type: "RH_REGISTER", result: "ok" } as Response;
  };
}

const noRequests: RequestHandler = () => {
  throw new Error("no request expected");
};

async function readToEnd(conn: Deno.Conn): Promise<number> {
  const buf = new Uint8Array(1024);
  let total = 0;
  for (;;) {
    const n = await conn.read(buf);
    if (n === null) return total;
    total += n;
  }
}

/** Leaves a socket file nobody listens on, as a SIGKILLed core does. */
async function leaveStaleSocket(path: string): Promise<void> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `const l = Deno.listen({ transport: "unix", path: ${JSON.stringify(path)} });` +
      `await Deno.stdout.write(new Uint8Array([10])); for await (const c of l) c.close();`,
    ],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.getReader();
  await reader.read();
  child.kill("SIGKILL");
  await child.status;
  reader.releaseLock();
  await child.stdout.cancel();
}

Deno.test("listenUnix() and connectUnix() exchange requests in both directions", async () => {
  await withSocket(async (path) => {
    const serverSide: FrameConnection[] = [];
    const server = await listenUnix(path, {
      handler: coreHandler(),
      onConnection: (c) => serverSide.push(c),
    });
    const client = await connectUnix(path, {
      handler: (request) => {
        assert.equal(request.type, "MT_FIND_IMSI");
        return { type: "MT_FIND_IMSI", result: "ok", imsi: "001010000000001" };
      },
    });
    assert.deepEqual(await client.request({ type: "STATUS" }), {
      type: "STATUS",
      entries: [{ key: "up", value: "1" }],
    });
    assert.equal(serverSide.length, 1);
    const answer = await serverSide[0].request({ type: "MT_FIND_IMSI", msisdn: "15550101" });
    assert.deepEqual(answer, { type: "MT_FIND_IMSI", result: "ok", imsi: "001010000000001" });
    client.close();
    assert.deepEqual(await serverSide[0].closed, { reason: "end-of-stream" });
    await server.close();
    await assert.rejects(Deno.lstat(path), Deno.errors.NotFound);
  });
});

Deno.test("FrameConnection pipelines 1000 requests and matches every response", async () => {
  await withSocket(async (path) => {
    const server = await listenUnix(path, { handler: coreHandler() });
    const client = await connectUnix(path, { handler: noRequests });
    const answers = await Promise.all(
      Array.from(
        { length: 1000 },
        () => client.request({ type: "SUBMIT", skipRouting: false, record: RECORD }),
      ),
    );
    const indexes = answers.map((a) => (a.result === "ok" ? a.index : -1)).sort((a, b) => a - b);
    assert.deepEqual(indexes, Array.from({ length: 1000 }, (_, i) => i));
    assert.equal(client.outstanding, 0);
    client.close();
    await server.close();
  });
});

Deno.test("a malformed frame closes only that connection, with a notice", async () => {
  await withSocket(async (path, logs) => {
    const closes: Promise<unknown>[] = [];
    const server = await listenUnix(path, {
      handler: coreHandler(),
      onConnection: (c) => closes.push(c.closed),
    });
    const good = await connectUnix(path, { handler: noRequests });
    const bad = await Deno.connect({ transport: "unix", path });
    // Version 2 STATUS request.
    await bad.write(fromHex("000000080204000000000001"));
    assert.equal(await readToEnd(bad), 0);
    bad.close();
    const info = await closes[1];
    assert.equal((info as { reason: string }).reason, "malformed");
    assert.ok(
      logs.some((l) => l.startsWith("notice core.socket[conn=") && l.includes("version 2")),
    );
    assert.equal((await good.request({ type: "STATUS" })).type, "STATUS");
    good.close();
    await server.close();
  });
});

Deno.test("a request in the wrong direction closes the connection", async () => {
  await withSocket(async (path) => {
    const closes: Promise<unknown>[] = [];
    const server = await listenUnix(path, {
      handler: coreHandler(),
      onConnection: (c) => closes.push(c.closed),
    });
    const raw = await Deno.connect({ transport: "unix", path });
    const request: Request = { type: "MT_CANCEL", index: 1 };
    await raw.write(encodeFrame({ kind: "request", transactionId: 1, request }));
    assert.equal(await readToEnd(raw), 0);
    raw.close();
    assert.equal(((await closes[0]) as { reason: string }).reason, "malformed");
    await server.close();
  });
});

Deno.test("a peer that disconnects mid-frame is closed and logged; others carry on", async () => {
  await withSocket(async (path, logs) => {
    const closes: Promise<unknown>[] = [];
    const server = await listenUnix(path, {
      handler: coreHandler(),
      onConnection: (c) => closes.push(c.closed),
    });
    const raw = await Deno.connect({ transport: "unix", path });
    const frame = encodeFrame({
      kind: "request",
      transactionId: 9,
      request: { type: "SUBMIT", skipRouting: false, record: RECORD },
    });
    await raw.write(frame.subarray(0, 100));
    raw.close();
    const info = (await closes[0]) as { reason: string; detail: string };
    assert.equal(info.reason, "malformed");
    assert.match(info.detail, /after 100 bytes/);
    assert.ok(logs.some((l) => l.includes("stream ended after 100 bytes")));
    const next = await connectUnix(path, { handler: noRequests });
    assert.equal((await next.request({ type: "STATUS" })).type, "STATUS");
    next.close();
    await server.close();
  });
});

Deno.test("a length prefix beyond maxFrameBytes closes the connection before the body", async () => {
  await withSocket(async (path) => {
    const closes: Promise<unknown>[] = [];
    const server = await listenUnix(path, {
      handler: coreHandler(),
      maxFrameBytes: 512,
      onConnection: (c) => closes.push(c.closed),
    });
    const raw = await Deno.connect({ transport: "unix", path });
    await raw.write(fromHex("00000400"));
    assert.equal(await readToEnd(raw), 0);
    raw.close();
    assert.equal(((await closes[0]) as { reason: string }).reason, "malformed");
    await server.close();
  });
});

Deno.test("listenUnix() replaces a stale socket file left by a killed server", async () => {
  await withSocket(async (path) => {
    await leaveStaleSocket(path);
    assert.ok((await Deno.lstat(path)).isSocket, "the killed server leaves its socket file");
    const server = await listenUnix(path, { handler: coreHandler() });
    const client = await connectUnix(path, { handler: noRequests });
    assert.equal((await client.request({ type: "STATUS" })).type, "STATUS");
    client.close();
    await server.close();
  });
});

Deno.test("listenUnix() refuses to take over a socket a live server answers on", async () => {
  await withSocket(async (path) => {
    const first = await listenUnix(path, { handler: coreHandler() });
    await assert.rejects(listenUnix(path, { handler: coreHandler() }), SocketInUseError);
    const client = await connectUnix(path, { handler: noRequests });
    assert.equal((await client.request({ type: "STATUS" })).type, "STATUS");
    client.close();
    await first.close();
  });
});

Deno.test("listenUnix() never removes a path that is not a socket", async () => {
  await withSocket(async (path) => {
    await Deno.writeTextFile(path, "not a socket");
    await assert.rejects(listenUnix(path, { handler: coreHandler() }), Deno.errors.AlreadyExists);
    assert.equal(await Deno.readTextFile(path), "not a socket");
  });
});

Deno.test("connectUnix() fails with NotFound without a socket and ConnectionRefused without a server", async () => {
  await withSocket(async (path) => {
    await assert.rejects(connectUnix(path, { handler: noRequests }), Deno.errors.NotFound);
    await leaveStaleSocket(path);
    await assert.rejects(connectUnix(path, { handler: noRequests }), Deno.errors.ConnectionRefused);
  });
});

Deno.test("back-pressure holds the peer's requests at requestsInFlightMax", async () => {
  await withSocket(async (path) => {
    let inHandler = 0;
    let inHandlerMax = 0;
    const release: (() => void)[] = [];
    const server = await listenUnix(path, {
      requestsInFlightMax: 2,
      handler: async () => {
        inHandler++;
        inHandlerMax = Math.max(inHandlerMax, inHandler);
        await new Promise<void>((resolve) => release.push(resolve));
        inHandler--;
        return { type: "STATUS", entries: [] };
      },
    });
    const client = await connectUnix(path, { handler: noRequests });
    const answers = Promise.all(
      Array.from({ length: 6 }, () => client.request({ type: "STATUS" })),
    );
    let answered = 0;
    while (answered < 6) {
      while (release.length === 0) await new Promise((r) => setTimeout(r, 1));
      assert.ok(inHandler <= 2);
      release.shift()!();
      answered++;
    }
    assert.equal((await answers).length, 6);
    assert.equal(inHandlerMax, 2);
    client.close();
    await server.close();
  });
});

/** A server that answers STATUS only when the test calls the next `release` function. */
async function heldStatusServer(path: string) {
  const release: (() => void)[] = [];
  const server = await listenUnix(path, {
    handler: async () => {
      await new Promise<void>((resolve) => release.push(resolve));
      return { type: "STATUS", entries: [] };
    },
  });
  return { server, release };
}

Deno.test("request() rejects on timeout and on close, and drops a late response", async () => {
  await withSocket(async (path, logs) => {
    const { server, release } = await heldStatusServer(path);
    const client = await connectUnix(path, { handler: noRequests });
    await assert.rejects(client.request({ type: "STATUS" }, 20), RequestTimeoutError);
    release.shift()!();
    while (!logs.some((l) => l.includes("Dropping response: no request outstanding"))) {
      await new Promise((r) => setTimeout(r, 1));
    }
    const pending = client.request({ type: "STATUS" });
    while (release.length === 0) await new Promise((r) => setTimeout(r, 1));
    client.close();
    await assert.rejects(pending, ConnectionClosedError);
    await assert.rejects(client.request({ type: "STATUS" }), ConnectionClosedError);
    release.shift()!();
    await server.close();
  });
});

Deno.test("each request times out at its own deadline, a short one behind a long one too", async () => {
  await withSocket(async (path) => {
    const { server, release } = await heldStatusServer(path);
    const client = await connectUnix(path, { handler: noRequests });
    const order: string[] = [];
    const settle = (name: string, p: Promise<unknown>) =>
      p.then(() => order.push(`${name} answered`), (e) => order.push(`${name} ${e.name}`));
    const long = settle("long", client.request({ type: "STATUS" }, 400));
    const short = settle("short", client.request({ type: "STATUS" }, 20));
    const kept = settle("kept", client.request({ type: "STATUS" }, 5_000));
    await short;
    assert.deepEqual(order, ["short RequestTimeoutError"]);
    await long;
    assert.deepEqual(order, ["short RequestTimeoutError", "long RequestTimeoutError"]);
    while (release.length < 3) await new Promise((r) => setTimeout(r, 1));
    release[2]();
    await kept;
    assert.deepEqual(order.at(-1), "kept answered");
    for (const r of release.slice(0, 2)) r();
    client.close();
    await server.close();
  });
});

Deno.test("a handler that throws closes its connection with an error line", async () => {
  await withSocket(async (path, logs) => {
    const server = await listenUnix(path, {
      handler: () => {
        throw new Error("boom");
      },
    });
    const client = await connectUnix(path, { handler: noRequests });
    await assert.rejects(client.request({ type: "STATUS" }), ConnectionClosedError);
    assert.ok(logs.some((l) => l.startsWith("error core.socket") && l.includes("boom")));
    await server.close();
  });
});

Deno.test("server close() ends every connection and rejects their pending requests", async () => {
  await withSocket(async (path) => {
    const server = await listenUnix(path, { handler: () => new Promise<Response>(() => {}) });
    const client = await connectUnix(path, { handler: noRequests });
    // Settled into a value at once: the rejection may come while close() runs.
    const pending = client.request({ type: "STATUS" }).then(() => null, (e) => e);
    while (server.connections.size === 0) await new Promise((r) => setTimeout(r, 1));
    await server.close();
    assert.ok((await pending) instanceof ConnectionClosedError);
    assert.equal((await client.closed).reason, "end-of-stream");
    assert.equal(server.connections.size, 0);
  });
});

Deno.test("a request that follows the answer to ours is handled after the code awaiting that answer", async () => {
  await withSocket(async (path) => {
    const seen: string[] = [];
    const server = await listenUnix(path, {
      handler: (request) => {
        seen.push(`handled ${request.type}`);
        return { type: "MT_DISCHARGE", result: "ok" };
      },
    });
    // A raw client: it answers MT_TRANSFER and sends MT_DISCHARGE right behind it, in one write.
    const raw = await Deno.connect({ transport: "unix", path });
    while (server.connections.size === 0) await new Promise((r) => setTimeout(r, 1));
    const [conn] = server.connections;
    const answered = conn.request({ type: "MT_TRANSFER", index: 1, record: RECORD }).then((r) => {
      seen.push(`awaited the ${r.type} answer`);
    });
    const got = new Uint8Array(4096);
    let n = 0;
    let parsed;
    while (!(parsed = frameStream(got.subarray(0, n))) || "need" in parsed) {
      n += (await raw.read(got.subarray(n)))!;
    }
    const tid = parsed.frame.transactionId;
    await raw.write(concatBytes([
      encodeFrame({
        kind: "response",
        transactionId: tid,
        response: { type: "MT_TRANSFER", result: "ok" },
      }),
      encodeFrame({
        kind: "request",
        transactionId: 1,
        request: {
          type: "MT_DISCHARGE",
          index: 1,
          disposition: 1,
          cause: 0,
          extraInfo: new Uint8Array(0),
        },
      }),
    ]));
    await answered;
    while (seen.length < 2) await new Promise((r) => setTimeout(r, 1));
    assert.deepEqual(seen, ["awaited the MT_TRANSFER answer", "handled MT_DISCHARGE"]);
    raw.close();
    await server.close();
  });
});
