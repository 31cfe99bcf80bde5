/**
 * Core's delivery to SMPP peers through a real `smsc core` and a test peer
 * handler written against the socket client (issue #4, first part): success,
 * temporary failure then success, permanent failure, expiry, a handler that
 * dies holding a transfer, and queued work surviving a restart.
 */

import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { startDaemon, withCore } from "../support/daemon.ts";
import { cliRecordBytes } from "../support/records.ts";
import { CoreClient } from "../../src/transport/core_client.ts";
import { PmsReader } from "../../src/store/pms_reader.ts";
import type { PmsRecord } from "../../src/codec/pms/mod.ts";
import type { ResponseOf } from "../../src/codec/frame/mod.ts";

type Answer = ResponseOf<"DELIVER_TO_PEER"> | "hang";

const SUB = "+12125550100"; // a demo subscriber, allowed upstream
const ABROAD = "+442071234567"; // routed to the upstream

/** A test upstream handler answering each DELIVER_TO_PEER from `answers` in turn. */
async function upstreamHandler(
  sock: string,
  answers: Answer[],
  seen: number[],
): Promise<CoreClient> {
  const c = await CoreClient.connect(sock);
  c.onRequest((req) => {
    if (req.type !== "DELIVER_TO_PEER") throw new Error(`unexpected ${req.type}`);
    seen.push(req.index);
    const answer = answers.shift() ??
      { type: "DELIVER_TO_PEER", result: "ok", extraInfo: new Uint8Array() };
    if (answer === "hang") return new Promise<never>(() => {});
    return answer;
  });
  strictEqual((await c.registerRole("peer", "")).result, "ok");
  strictEqual((await c.setServiceState(true)).result, "ok");
  return c;
}

async function submitAbroad(sock: string, fields: Partial<PmsRecord> = {}): Promise<number> {
  const c = await CoreClient.connect(sock);
  try {
    const r = await c.submit(cliRecordBytes(SUB, ABROAD, "to the world", fields));
    if (r.result !== "ok") throw new Error(r.reason.text);
    return r.index;
  } finally {
    await c.close();
  }
}

/** Waits (bounded) until record `id` is historical, and returns it. */
async function discharged(dir: string, id: number): Promise<PmsRecord> {
  for (let i = 0; i < 300; i++) {
    const reader = await PmsReader.openReadOnly(`${dir}/state/pms.bin`);
    try {
      if (reader.recordCount > id) {
        const rec = await reader.readRecord(id);
        if (rec.state === "historical") return rec;
      }
    } finally {
      await reader.close();
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`record ${id} was not discharged`);
}

const ok = (id: string): Answer => ({
  type: "DELIVER_TO_PEER",
  result: "ok",
  extraInfo: new TextEncoder().encode(id),
});

Deno.test("a message to the upstream is transferred and discharged with the upstream's id", async () => {
  await withCore(async (dir, sock) => {
    const seen: number[] = [];
    const handler = await upstreamHandler(sock, [ok("bw-4711")], seen);
    const id = await submitAbroad(sock);
    const rec = await discharged(dir, id);
    deepStrictEqual([rec.disposition, rec.destMessageId, rec.attempts], [
      "delivered",
      "bw-4711",
      0,
    ]);
    deepStrictEqual(seen, [id]);
    await handler.close();
  });
});

Deno.test("a temporary failure is retried after the schedule's wait, then delivered", async () => {
  await withCore(async (dir, sock) => {
    const seen: number[] = [];
    const temporary: Answer = {
      type: "DELIVER_TO_PEER",
      result: "temporary",
      cause: 0x58,
      text: "ESME_RTHROTTLED",
    };
    const handler = await upstreamHandler(sock, [temporary, ok("x1")], seen);
    const id = await submitAbroad(sock);
    // Between the two attempts STATUS counts it as retrying for the upstream.
    const status = await CoreClient.connect(sock);
    let queue = "";
    for (let i = 0; i < 100 && !queue.includes("retrying=1"); i++) {
      queue = (await status.status()).find((e) => e.key === "queue.peer:")?.value ?? "";
      await new Promise((r) => setTimeout(r, 10));
    }
    await status.close();
    strictEqual(queue, "ready=0 outstanding=0 retrying=1");
    const rec = await discharged(dir, id);
    deepStrictEqual([rec.disposition, rec.attempts, rec.destMessageId], ["delivered", 1, "x1"]);
    deepStrictEqual(seen, [id, id]);
    await handler.close();
  }, { config: '[core]\nretry_delays = "1s"\n' });
});

Deno.test("a permanent failure discharges at once with its cause", async () => {
  await withCore(async (dir, sock) => {
    const permanent: Answer = {
      type: "DELIVER_TO_PEER",
      result: "permanent",
      cause: 0x0b,
      text: "ESME_RINVDSTADR",
    };
    const handler = await upstreamHandler(sock, [permanent], []);
    const rec = await discharged(dir, await submitAbroad(sock));
    deepStrictEqual([rec.disposition, rec.cause, rec.attempts], ["failed-permanent", 0x0b, 1]);
    await handler.close();
  });
});

Deno.test("a message that cannot be delivered before its validity ends expires", async () => {
  await withCore(async (dir, sock) => {
    const temporary: Answer = {
      type: "DELIVER_TO_PEER",
      result: "temporary",
      cause: 0x14,
      text: "ESME_RMSGQFUL",
    };
    const handler = await upstreamHandler(sock, [temporary], []);
    const rec = await discharged(dir, await submitAbroad(sock, { validityS: 1 }));
    deepStrictEqual([rec.disposition, rec.cause, rec.attempts], ["expired", 0x14, 1]);
    await handler.close();
  }, { config: '[core]\nretry_delays = "1h"\n' });
});

Deno.test("a handler that dies holding a transfer gives it back; the next handler delivers it once", async () => {
  await withCore(async (dir, sock) => {
    const first: number[] = [];
    const dying = await upstreamHandler(sock, ["hang"], first);
    const id = await submitAbroad(sock);
    for (let i = 0; i < 200 && first.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    deepStrictEqual(first, [id]);
    await dying.close();
    const second: number[] = [];
    let handler: CoreClient | undefined;
    for (let i = 0; i < 100 && handler === undefined; i++) {
      try {
        handler = await upstreamHandler(sock, [ok("again")], second);
      } catch {
        await new Promise((r) => setTimeout(r, 20)); // the role is freed when core sees the close
      }
    }
    const rec = await discharged(dir, id);
    deepStrictEqual([rec.disposition, rec.destMessageId, rec.attempts], ["delivered", "again", 0]);
    deepStrictEqual(second, [id]);
    await handler!.close();
  });
});

Deno.test("messages queued while no handler is up survive a restart and go out in order", async () => {
  const dir = await Deno.makeTempDir({ prefix: "smsc-peer-" });
  const sock = `${dir}/state/core.sock`;
  try {
    let core = await startDaemon(["core"], { cwd: dir, ready: / core ready / });
    const ids = [await submitAbroad(sock), await submitAbroad(sock), await submitAbroad(sock)];
    strictEqual((await core.stop()).code, 0);
    core = await startDaemon(["core"], { cwd: dir, ready: / core ready / });
    const seen: number[] = [];
    const handler = await upstreamHandler(sock, [], seen);
    for (const id of ids) strictEqual((await discharged(dir, id)).disposition, "delivered");
    deepStrictEqual(seen, ids);
    await handler.close();
    strictEqual((await core.stop()).code, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("CANCEL of a queued message and CHANGE_SRR of a waiting one work before any handler is up", async () => {
  await withCore(async (dir, sock) => {
    const a = await submitAbroad(sock);
    const b = await submitAbroad(sock);
    const c = await CoreClient.connect(sock);
    deepStrictEqual(await c.cancel({ by: "index", index: a }), {
      type: "CANCEL",
      result: "ok",
      index: a,
    });
    deepStrictEqual(await c.changeSrr({ by: "index", index: b }, true), {
      type: "CHANGE_SRR",
      result: "ok",
      index: b,
    });
    await c.close();
    const seen: number[] = [];
    const handler = await upstreamHandler(sock, [ok("b")], seen);
    const rec = await discharged(dir, b);
    deepStrictEqual([rec.disposition, rec.srr], ["delivered", true]);
    deepStrictEqual(seen, [b], "the cancelled message is never transferred");
    strictEqual((await discharged(dir, a)).disposition, "cancelled");
    await handler.close();
  });
});
