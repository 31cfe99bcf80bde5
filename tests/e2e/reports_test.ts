/**
 * Status reports through a real `smsc core` (issue #4): a discharge of a
 * message whose originator asked for a report creates a report record back
 * to the originator, delivered like any other SM; a receipt from the upstream
 * is matched to the message by the upstream's id and answered the same way.
 */

import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { withCore } from "../support/daemon.ts";
import { cliRecord } from "../support/records.ts";
import { runSmsc } from "../support/spawn.ts";
import { CoreClient, type CoreRequest } from "../../src/transport/core_client.ts";
import {
  decodePmsRecord,
  decodeReportPayload,
  DISPOSITION_CODES,
  encodePmsRecord,
  encodeReportPayload,
  type PmsRecord,
  type ReportPayload,
} from "../../src/codec/pms/mod.ts";

const ORIGINATOR = "+12125550100";
const SUBSCRIBER = "+12125550101";
const ABROAD = "+442071234567";

/** A test gsmif that takes every MT and records it; discharge is left to the test. */
async function gsmif(sock: string, transfers: PmsRecord[], ids: number[]): Promise<CoreClient> {
  const c = await CoreClient.connect(sock);
  c.onRequest((r: CoreRequest) => {
    if (r.type === "MT_FIND_IMSI") {
      return { type: "MT_FIND_IMSI", result: "ok", imsi: "001010000000" + r.msisdn.slice(-3) };
    }
    if (r.type === "MT_TRANSFER") {
      transfers.push(decodePmsRecord(r.record));
      ids.push(r.index);
      return { type: "MT_TRANSFER", result: "ok" };
    }
    throw new Error(`unexpected ${r.type}`);
  });
  for (const role of ["imsi-lookup", "gsm-mt"] as const) {
    strictEqual((await c.registerRole(role)).result, "ok");
  }
  strictEqual((await c.setServiceState(true)).result, "ok");
  return c;
}

async function until(what: string, cond: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

async function submitWith(
  sock: string,
  from: string,
  to: string,
  fields: Partial<PmsRecord>,
): Promise<number> {
  const c = await CoreClient.connect(sock);
  try {
    const r = await c.submit(encodePmsRecord(cliRecord(from, to, "please confirm", fields)));
    if (r.result !== "ok") throw new Error(r.reason.text);
    return r.index;
  } finally {
    await c.close();
  }
}

function payload(rec: PmsRecord): ReportPayload {
  strictEqual(rec.report, true);
  return decodeReportPayload(rec.ud);
}

Deno.test("a delivered message with TP-SRR produces a status report to its originator", async () => {
  await withCore(async (_dir, sock) => {
    const transfers: PmsRecord[] = [];
    const ids: number[] = [];
    const h = await gsmif(sock, transfers, ids);
    const id = await submitWith(sock, ORIGINATOR, SUBSCRIBER, { srr: true, mr: 77 });
    await until("the transfer", () => ids.length === 1);
    strictEqual(
      (await h.discharge({
        index: id,
        disposition: DISPOSITION_CODES.delivered,
        cause: 0,
        extraInfo: new Uint8Array(),
      })).result,
      "ok",
    );
    await until("the report's transfer", () => ids.length === 2);
    const report = transfers[1];
    deepStrictEqual([report.da?.digits, report.oa.digits, report.mr, report.srr], [
      "12125550100",
      "12125550101",
      77,
      false,
    ]);
    const p = payload(report);
    deepStrictEqual([p.kind, p.disposition, p.kind === "status" && p.originalId], [
      "status",
      "delivered",
      id,
    ]);
    await h.close();
  });
});

Deno.test("a message without TP-SRR produces no report; a failed one with TP-SRR reports the failure", async () => {
  await withCore(async (_dir, sock) => {
    const transfers: PmsRecord[] = [];
    const ids: number[] = [];
    const h = await gsmif(sock, transfers, ids);
    const quiet = await submitWith(sock, ORIGINATOR, SUBSCRIBER, { srr: false });
    const loud = await submitWith(sock, ORIGINATOR, SUBSCRIBER, { srr: true });
    await until("two transfers", () => ids.length === 2);
    const failed = DISPOSITION_CODES["failed-permanent"];
    await h.discharge({
      index: quiet,
      disposition: failed,
      cause: 22,
      extraInfo: new Uint8Array(),
    });
    await h.discharge({ index: loud, disposition: failed, cause: 22, extraInfo: new Uint8Array() });
    await until("the report's transfer", () => ids.length === 3);
    await new Promise((r) => setTimeout(r, 200)); // nothing else may follow
    strictEqual(ids.length, 3);
    const p = payload(transfers[2]);
    deepStrictEqual([p.disposition, p.cause, p.kind === "status" && p.originalId], [
      "failed-permanent",
      22,
      loud,
    ]);
    await h.close();
  });
});

Deno.test("an upstream receipt is matched by the upstream's id and answered with the originator's report", async () => {
  await withCore(async (_dir, sock) => {
    const transfers: PmsRecord[] = [];
    const ids: number[] = [];
    const h = await gsmif(sock, transfers, ids);
    const up = await CoreClient.connect(sock);
    up.onRequest(() => ({
      type: "DELIVER_TO_PEER",
      result: "ok",
      extraInfo: new TextEncoder().encode("bw-77"),
    }));
    strictEqual((await up.registerRole("peer", "")).result, "ok");
    strictEqual((await up.setServiceState(true)).result, "ok");
    const id = await submitWith(sock, ORIGINATOR, ABROAD, { srr: true });
    // Accepted by the upstream: no report yet, since the handset has not got it.
    await new Promise((r) => setTimeout(r, 300));
    strictEqual(ids.length, 0);
    const ud = encodeReportPayload({
      kind: "receipt",
      disposition: "delivered",
      cause: 0,
      doneTimeMs: 1_763_900_000_000,
      messageId: "bw-77",
    });
    const receipt: PmsRecord = {
      ...cliRecord(ABROAD, ORIGINATOR, "x"),
      sourceClass: "upstream",
      report: true,
      dcs: 0x04,
      udhi: false,
      udl: ud.length,
      ud,
    };
    const r = await up.submit(encodePmsRecord(receipt));
    strictEqual(r.result, "ok");
    await until("the report's transfer", () => ids.length === 1);
    const p = payload(transfers[0]);
    deepStrictEqual([p.disposition, p.kind === "status" && p.originalId, transfers[0].da?.digits], [
      "delivered",
      id,
      "12125550100",
    ]);
    await up.close();
    await h.close();
  });
});

Deno.test("a report to a downstream originator goes to that peer", async () => {
  await withCore(async (_dir, sock) => {
    const transfers: PmsRecord[] = [];
    const ids: number[] = [];
    const h = await gsmif(sock, transfers, ids);
    const peerSeen: PmsRecord[] = [];
    const acme = await CoreClient.connect(sock);
    acme.onRequest((req) => {
      if (req.type !== "DELIVER_TO_PEER") throw new Error(req.type);
      peerSeen.push(decodePmsRecord(req.record));
      return { type: "DELIVER_TO_PEER", result: "ok", extraInfo: new Uint8Array() };
    });
    strictEqual((await acme.registerRole("peer", "acme")).result, "ok");
    strictEqual((await acme.setServiceState(true)).result, "ok");
    const r = await acme.submit(encodePmsRecord(cliRecord("+13035550100", SUBSCRIBER, "from acme", {
      sourceClass: "downstream",
      sourcePeer: "acme",
      srr: true,
    })));
    if (r.result !== "ok") throw new Error(r.reason.text);
    await until("the transfer", () => ids.length === 1);
    await h.discharge({
      index: r.index,
      disposition: DISPOSITION_CODES.delivered,
      cause: 0,
      extraInfo: new Uint8Array(),
    });
    await until("the report at the peer", () => peerSeen.length === 1);
    deepStrictEqual(
      [peerSeen[0].report, peerSeen[0].da?.digits, payload(peerSeen[0]).disposition],
      [true, "13035550100", "delivered"],
    );
    await acme.close();
    await h.close();
  }, {
    prepare: async (dir) => {
      // The peer, its number pool and the subscriber, made with the admin tool
      // before core starts (so core adds no demo numbers).
      const sub = await runSmsc(["numbers", "add", SUBSCRIBER, "--kind", "gsm"], { cwd: dir });
      strictEqual(sub.code, 0, sub.stderr);
      const add = await runSmsc(["numbers", "peer", "add", "acme", "--system-id", "acme"], {
        cwd: dir,
      });
      strictEqual(add.code, 0, add.stderr);
      const pool = await runSmsc(["numbers", "pool", "add", "acme", "+1303555*"], { cwd: dir });
      strictEqual(pool.code, 0, pool.stderr);
    },
  });
});
