import assert from "node:assert/strict";
import {
  type MessageInfo,
  PMS_RECORD_BYTES,
  type Request,
  type Response,
  socketReason,
} from "../codec/frame/mod.ts";
import { setLogSink } from "../lib/log.ts";
import { CoreClient, CoreUnavailableError } from "./core_client.ts";
import { ConnectionClosedError, type FrameConnection, listenUnix } from "./unix_socket.ts";

const RECORD = new Uint8Array(PMS_RECORD_BYTES).fill(7);
const INFO: MessageInfo = {
  index: 5,
  state: "historical",
  disposition: 1,
  dcs: 8,
  attempts: 1,
  cause: 0,
  entryTimeMs: 1_763_900_000_000,
  dischargeTimeMs: 1_763_900_002_500,
  expiryTimeMs: 1_764_504_800_000,
};

/** A stand-in for core: answers from a table and records what it saw. */
function fakeCore() {
  const seen: Request[] = [];
  const connections: FrameConnection[] = [];
  let index = 100;
  const handler = (request: Request): Response | Promise<Response> => {
    seen.push(request);
    switch (request.type) {
      case "SUBMIT":
        return request.record[0] === 0xff
          ? {
            type: "SUBMIT",
            result: "rejected",
            reason: { code: 0x0101, text: "dest-unroutable" },
          }
          : { type: "SUBMIT", result: "ok", index: index++ };
      case "CANCEL":
        return { type: "CANCEL", result: "historical", index: 5, disposition: 1 };
      case "CHANGE_SRR":
        return { type: "CHANGE_SRR", result: "not-found" };
      case "STATUS":
        return { type: "STATUS", entries: [{ key: "active", value: "3" }] };
      case "QUERY":
        return request.target.by === "index" && request.target.index === 5
          ? { type: "QUERY", result: "ok", ...INFO }
          : { type: "QUERY", result: "not-found" };
      case "REPLACE":
        return request.index === 5
          ? { type: "REPLACE", result: "in-transit" }
          : { type: "REPLACE", result: "ok", index: request.index };
      case "RH_REGISTER":
        return request.peer === "taken"
          ? { type: "RH_REGISTER", result: "refused", reason: socketReason("already-claimed") }
          : { type: "RH_REGISTER", result: "ok" };
      case "RH_SERVICE_STATE":
        return { type: "RH_SERVICE_STATE", result: "ok" };
      case "MT_DISCHARGE":
        return { type: "MT_DISCHARGE", result: "unknown" };
      default:
        throw new Error(`unexpected ${request.type}`);
    }
  };
  return { seen, connections, handler };
}

async function withCore(
  fn: (path: string, core: ReturnType<typeof fakeCore>) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "smsc_client_" });
  const previous = setLogSink({ write: () => {} });
  const core = fakeCore();
  const server = await listenUnix(`${dir}/core.sock`, {
    handler: core.handler,
    onConnection: (c) => core.connections.push(c),
  });
  try {
    await fn(`${dir}/core.sock`, core);
  } finally {
    await server.close();
    setLogSink(previous);
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("CoreClient.connect() throws CoreUnavailableError when core is not there", async () => {
  const dir = await Deno.makeTempDir({ prefix: "smsc_client_" });
  try {
    const error = await CoreClient.connect(`${dir}/core.sock`).catch((e) => e);
    assert.ok(error instanceof CoreUnavailableError);
    // cli/exit.ts maps ConnectionRefused to exit code 69.
    assert.ok(error instanceof Deno.errors.ConnectionRefused);
    assert.ok(error.cause instanceof Deno.errors.NotFound);
    assert.match(error.message, /^Cannot connect to core at /);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("CoreClient carries each client exchange and returns outcomes as values", async () => {
  await withCore(async (path, core) => {
    const client = await CoreClient.connect(path);
    assert.deepEqual(await client.submit(RECORD), { type: "SUBMIT", result: "ok", index: 100 });
    const rejected = await client.submit(new Uint8Array(PMS_RECORD_BYTES).fill(0xff));
    assert.deepEqual(rejected, {
      type: "SUBMIT",
      result: "rejected",
      reason: { code: 0x0101, text: "dest-unroutable" },
    });
    await client.submit(RECORD, { skipRouting: true });
    assert.deepEqual(await client.cancel({ by: "index", index: 5 }), {
      type: "CANCEL",
      result: "historical",
      index: 5,
      disposition: 1,
    });
    const target = {
      by: "oa-da-mr" as const,
      oa: { ton: 1, npi: 1, value: "15550100" },
      da: { ton: 1, npi: 1, value: "15550101" },
      mr: 9,
    };
    assert.equal((await client.changeSrr(target, true)).result, "not-found");
    assert.deepEqual(await client.status(), [{ key: "active", value: "3" }]);
    assert.equal((await client.registerRole("peer", "acme")).result, "ok");
    const refused = await client.registerRole("peer", "taken");
    assert.deepEqual(refused, {
      type: "RH_REGISTER",
      result: "refused",
      reason: { code: 3, text: "already-claimed" },
    });
    assert.deepEqual(client.claims, [{ role: "peer", peer: "acme" }]);
    assert.equal((await client.setServiceState(true)).result, "ok");
    const discharged = await client.discharge({
      index: 5,
      disposition: 1,
      cause: 0,
      extraInfo: new Uint8Array([1]),
    });
    assert.equal(discharged.result, "unknown");
    assert.deepEqual(core.seen.map((r) => r.type), [
      "SUBMIT",
      "SUBMIT",
      "SUBMIT",
      "CANCEL",
      "CHANGE_SRR",
      "STATUS",
      "RH_REGISTER",
      "RH_REGISTER",
      "RH_SERVICE_STATE",
      "MT_DISCHARGE",
    ]);
    assert.deepEqual(core.seen[2], { type: "SUBMIT", skipRouting: true, record: RECORD });
    assert.deepEqual(core.seen[8], { type: "RH_SERVICE_STATE", up: true, claim: "all" });
    await client.close();
  });
});

Deno.test("CoreClient.query() and replace() carry QUERY and REPLACE and return the outcomes", async () => {
  await withCore(async (path, core) => {
    const client = await CoreClient.connect(path);
    assert.deepEqual(await client.query({ by: "index", index: 5 }), {
      type: "QUERY",
      result: "ok",
      ...INFO,
    });
    const target = {
      by: "oa-da-mr" as const,
      oa: { ton: 1, npi: 1, value: "15550100" },
      da: { ton: 1, npi: 1, value: "15550101" },
      mr: 9,
    };
    assert.deepEqual(await client.query(target), { type: "QUERY", result: "not-found" });
    assert.deepEqual(await client.replace(5, RECORD), { type: "REPLACE", result: "in-transit" });
    assert.deepEqual(await client.replace(6, RECORD), { type: "REPLACE", result: "ok", index: 6 });
    assert.deepEqual(core.seen, [
      { type: "QUERY", target: { by: "index", index: 5 } },
      { type: "QUERY", target },
      { type: "REPLACE", index: 5, record: RECORD },
      { type: "REPLACE", index: 6, record: RECORD },
    ]);
    await client.close();
  });
});

Deno.test("CoreClient answers core's requests through onRequest()", async () => {
  await withCore(async (path, core) => {
    const client = await CoreClient.connect(path);
    await client.status();
    const toClient = core.connections[0];
    // Without a handler, core's requests get a refusal it can retry later.
    assert.deepEqual(await toClient.request({ type: "MT_TRANSFER", index: 1, record: RECORD }), {
      type: "MT_TRANSFER",
      result: "refused",
      reason: socketReason("no-handler"),
    });
    assert.equal((await toClient.request({ type: "MT_CANCEL", index: 1 })).result, "not-held");
    const held: number[] = [];
    client.onRequest((request) => {
      switch (request.type) {
        case "MT_TRANSFER":
          held.push(request.index);
          return { type: "MT_TRANSFER", result: "ok" };
        case "DELIVER_TO_PEER":
          return {
            type: "DELIVER_TO_PEER",
            result: "ok",
            extraInfo: new TextEncoder().encode("m-1"),
          };
        case "MT_FIND_IMSI":
          return {
            type: "MT_FIND_IMSI",
            result: "permanent",
            cause: 1,
            text: "unknown subscriber",
          };
        case "MT_CANCEL":
          return { type: "MT_CANCEL", result: held.includes(request.index) ? "ok" : "not-held" };
      }
    });
    assert.equal(
      (await toClient.request({ type: "MT_TRANSFER", index: 42, record: RECORD })).result,
      "ok",
    );
    assert.deepEqual(held, [42]);
    assert.equal((await toClient.request({ type: "MT_CANCEL", index: 42 })).result, "ok");
    const delivered = await toClient.request({
      type: "DELIVER_TO_PEER",
      index: 43,
      record: RECORD,
    });
    assert.deepEqual(delivered, {
      type: "DELIVER_TO_PEER",
      result: "ok",
      extraInfo: new TextEncoder().encode("m-1"),
    });
    assert.equal(
      (await toClient.request({ type: "MT_FIND_IMSI", msisdn: "15550100" })).result,
      "permanent",
    );
    await client.close();
  });
});

Deno.test("CoreClient pipelines 1000 submits on one connection", async () => {
  await withCore(async (path) => {
    const client = await CoreClient.connect(path);
    const answers = await Promise.all(Array.from({ length: 1000 }, () => client.submit(RECORD)));
    const indexes = new Set(answers.map((a) => (a.result === "ok" ? a.index : -1)));
    assert.equal(indexes.size, 1000);
    assert.ok(!indexes.has(-1));
    await client.close();
  });
});

Deno.test("CoreClient.close() rejects requests still pending", async () => {
  const dir = await Deno.makeTempDir({ prefix: "smsc_client_" });
  const server = await listenUnix(`${dir}/core.sock`, { handler: () => new Promise(() => {}) });
  try {
    const client = await CoreClient.connect(`${dir}/core.sock`);
    const pending = client.status();
    await client.close();
    await assert.rejects(pending, ConnectionClosedError);
    assert.equal((await client.closed).reason, "local");
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
