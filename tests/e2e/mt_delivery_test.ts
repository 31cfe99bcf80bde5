/**
 * Core's delivery to subscribers through a real `smsc core` and a test gsmif
 * written against the socket client (issue #4): MSISDN-to-IMSI lookup with
 * its cache, transfer into the handler's custody, discharge by the handler,
 * custody returning when the handler goes away, and cancel of a held message.
 */

import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { withCore } from "../support/daemon.ts";
import { cliRecordBytes } from "../support/records.ts";
import { CoreClient, type CoreRequest } from "../../src/transport/core_client.ts";
import { PmsReader } from "../../src/store/pms_reader.ts";
import { DISPOSITION_CODES, type PmsRecord } from "../../src/codec/pms/mod.ts";
import type { Response } from "../../src/codec/frame/mod.ts";

const FROM = "+12125550100";
const TO = "+12125550101";
const IMSI = "001010000000101";

/** A test gsmif: holds both roles, records every request, answers with `answer`. */
async function gsmif(
  sock: string,
  log: CoreRequest[],
  answer: (r: CoreRequest) => Response | undefined = () => undefined,
): Promise<CoreClient> {
  const c = await CoreClient.connect(sock);
  c.onRequest((r) => {
    log.push(r);
    const given = answer(r);
    if (given) return given;
    if (r.type === "MT_FIND_IMSI") return { type: "MT_FIND_IMSI", result: "ok", imsi: IMSI };
    if (r.type === "MT_TRANSFER") return { type: "MT_TRANSFER", result: "ok" };
    if (r.type === "MT_CANCEL") return { type: "MT_CANCEL", result: "ok" };
    throw new Error(`unexpected ${r.type}`);
  });
  for (const role of ["imsi-lookup", "gsm-mt"] as const) {
    strictEqual((await c.registerRole(role)).result, "ok");
  }
  strictEqual((await c.setServiceState(true)).result, "ok");
  return c;
}

async function submit(sock: string, text = "hello"): Promise<number> {
  const c = await CoreClient.connect(sock);
  try {
    const r = await c.submit(cliRecordBytes(FROM, TO, text));
    if (r.result !== "ok") throw new Error(r.reason.text);
    return r.index;
  } finally {
    await c.close();
  }
}

async function until(what: string, cond: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function record(dir: string, id: number): Promise<PmsRecord> {
  const reader = await PmsReader.openReadOnly(`${dir}/state/pms.bin`);
  try {
    return await reader.readRecord(id);
  } finally {
    await reader.close();
  }
}

const transfers = (log: CoreRequest[]) =>
  log.filter((r) => r.type === "MT_TRANSFER").map((r) => (r as { index: number }).index);

Deno.test("a message to a subscriber is looked up, transferred, and discharged by the handler", async () => {
  await withCore(async (dir, sock) => {
    const log: CoreRequest[] = [];
    const h = await gsmif(sock, log);
    const a = await submit(sock, "one");
    const b = await submit(sock, "two");
    await until("two transfers", () => transfers(log).length === 2);
    // One lookup served both messages: the second found the cache.
    deepStrictEqual(log.filter((r) => r.type === "MT_FIND_IMSI").length, 1);
    strictEqual((await record(dir, a)).destImsi, IMSI);
    deepStrictEqual(transfers(log), [a, b]);
    for (const id of [a, b]) {
      deepStrictEqual(
        await h.discharge({
          index: id,
          disposition: DISPOSITION_CODES.delivered,
          cause: 0,
          extraInfo: new Uint8Array(),
        }),
        { type: "MT_DISCHARGE", result: "ok" },
      );
    }
    const rec = await record(dir, a);
    deepStrictEqual([rec.state, rec.disposition], ["historical", "delivered"]);
    deepStrictEqual(
      await h.discharge({
        index: a,
        disposition: DISPOSITION_CODES.delivered,
        cause: 0,
        extraInfo: new Uint8Array(),
      }),
      { type: "MT_DISCHARGE", result: "unknown" },
    );
    await h.close();
  });
});

Deno.test("an unknown subscriber (permanent lookup failure) fails the message", async () => {
  await withCore(async (dir, sock) => {
    const h = await gsmif(
      sock,
      [],
      (r) =>
        r.type === "MT_FIND_IMSI"
          ? { type: "MT_FIND_IMSI", result: "permanent", cause: 1, text: "unknown subscriber" }
          : undefined,
    );
    const id = await submit(sock);
    await until("the discharge", async () => (await record(dir, id)).state === "historical");
    const rec = await record(dir, id);
    deepStrictEqual([rec.disposition, rec.cause], ["failed-permanent", 1]);
    await h.close();
  });
});

Deno.test("custody returns to core when the handler goes away, and the next handler gets the message", async () => {
  await withCore(async (_dir, sock) => {
    const first: CoreRequest[] = [];
    const h1 = await gsmif(sock, first);
    const id = await submit(sock);
    await until("the transfer", () => transfers(first).length === 1);
    await h1.close();
    const second: CoreRequest[] = [];
    let h2: CoreClient | undefined;
    await until("the roles to be free", async () => {
      try {
        h2 = await gsmif(sock, second);
        return true;
      } catch {
        return false;
      }
    });
    await until("the second transfer", () => transfers(second).length === 1);
    deepStrictEqual(transfers(second), [id]);
    await h2!.close();
  });
});

Deno.test("CANCEL of a message the handler holds sends MT_CANCEL and discharges it as cancelled", async () => {
  await withCore(async (dir, sock) => {
    const log: CoreRequest[] = [];
    const h = await gsmif(sock, log);
    const id = await submit(sock);
    await until("the transfer", () => transfers(log).length === 1);
    const c = await CoreClient.connect(sock);
    deepStrictEqual(await c.cancel({ by: "index", index: id }), {
      type: "CANCEL",
      result: "ok",
      index: id,
    });
    await c.close();
    deepStrictEqual(
      log.filter((r) => r.type === "MT_CANCEL").map((r) => (r as { index: number }).index),
      [id],
    );
    strictEqual((await record(dir, id)).disposition, "cancelled");
    await h.close();
  });
});
