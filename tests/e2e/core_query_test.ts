/**
 * QUERY and REPLACE against a real `smsc core`, and the ownership rule of
 * the requests that name one message (docs/socket-protocol.md §4.11, §4.12,
 * §5): a connection holding a peer role sees only its own source's messages,
 * the command line sees all.
 */

import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { withCore } from "../support/daemon.ts";
import { cliRecord, cliRecordBytes } from "../support/records.ts";
import { runSmsc } from "../support/spawn.ts";
import { CoreClient, type CoreRequest } from "../../src/transport/core_client.ts";
import { RoleClient } from "../../src/transport/role_client.ts";
import {
  decodePmsRecord,
  DISPOSITION_CODES,
  encodePmsRecord,
  type PmsRecord,
} from "../../src/codec/pms/mod.ts";
import type { ResponseOf, Target } from "../../src/codec/frame/mod.ts";
import { systemClock } from "../../src/lib/clock.ts";
import { Logger, setLogSink } from "../../src/lib/log.ts";

const SUB = "+12125550100"; // a demo subscriber, allowed upstream
const SUBSCRIBER = "+12125550101";
const ABROAD = "+442071234567"; // routed to the upstream
const ACME_NUMBER = "+13035550100"; // in acme's pool
const BETA_NUMBER = "+14045550100"; // in beta's pool

async function until(what: string, cond: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function withCli<T>(sock: string, fn: (c: CoreClient) => Promise<T>): Promise<T> {
  const c = await CoreClient.connect(sock);
  try {
    return await fn(c);
  } finally {
    await c.close();
  }
}

function index(r: ResponseOf<"SUBMIT">): number {
  if (r.result !== "ok") throw new Error(`rejected: ${r.reason.text}`);
  return r.index;
}

/** A test upstream handler: "hang" leaves every transfer unanswered, else each is accepted. */
async function upstream(sock: string, seen: PmsRecord[], hang = false): Promise<CoreClient> {
  const c = await CoreClient.connect(sock);
  c.onRequest((req: CoreRequest) => {
    if (req.type !== "DELIVER_TO_PEER") throw new Error(`unexpected ${req.type}`);
    seen.push(decodePmsRecord(req.record));
    if (hang) return new Promise<never>(() => {});
    return { type: "DELIVER_TO_PEER", result: "ok", extraInfo: new Uint8Array() };
  });
  strictEqual((await c.registerRole("peer", "")).result, "ok");
  strictEqual((await c.setServiceState(true)).result, "ok");
  return c;
}

Deno.test("QUERY answers for an active message by index and by OA, DA, MR, then for it historical", async () => {
  await withCore(async (_dir, sock) => {
    await withCli(sock, async (c) => {
      const id = index(await c.submit(cliRecordBytes(SUB, ABROAD, "hello", { validityS: 3600 })));
      const active = await c.query({ by: "index", index: id });
      ok(active.result === "ok");
      deepStrictEqual(
        [active.index, active.state, active.disposition, active.dcs, active.attempts],
        [id, "active", 0, 0, 0],
      );
      deepStrictEqual([active.dischargeTimeMs, active.expiryTimeMs - active.entryTimeMs], [
        0,
        3_600_000,
      ]);
      const byOaDaMr = await c.query({
        by: "oa-da-mr",
        oa: { ton: 1, npi: 1, value: "12125550100" },
        da: { ton: 1, npi: 1, value: "442071234567" },
        mr: 0,
      });
      deepStrictEqual(byOaDaMr, active);
      strictEqual((await c.cancel({ by: "index", index: id })).result, "ok");
      const done = await c.query({ by: "index", index: id });
      ok(done.result === "ok");
      deepStrictEqual([done.state, done.disposition], ["historical", DISPOSITION_CODES.cancelled]);
      ok(done.dischargeTimeMs >= done.entryTimeMs);
      strictEqual(done.entryTimeMs, active.entryTimeMs);
      deepStrictEqual(await c.query({ by: "index", index: id + 1 }), {
        type: "QUERY",
        result: "not-found",
      });
    });
  });
});

Deno.test("REPLACE of a queued message: the peer receives the new text, and QUERY then says delivered", async () => {
  await withCore(async (_dir, sock) => {
    const id = await withCli(sock, async (c) => {
      const id = index(await c.submit(cliRecordBytes(SUB, ABROAD, "old text")));
      const before = await c.query({ by: "index", index: id });
      ok(before.result === "ok");
      const mismatches = [
        cliRecordBytes("+12125550109", ABROAD, "new text"), // another OA
        cliRecordBytes(SUB, ABROAD, "new text ✓"), // UCS-2: another TP-DCS
        cliRecordBytes(SUB, ABROAD, "new text", { sourceClass: "gsm" }),
      ];
      for (const bytes of mismatches) {
        deepStrictEqual(await c.replace(id, bytes), { type: "REPLACE", result: "mismatch" });
      }
      const replacement = cliRecordBytes(SUB, ABROAD, "new text", { validityS: 7200 });
      deepStrictEqual(await c.replace(id, replacement), {
        type: "REPLACE",
        result: "ok",
        index: id,
      });
      const after = await c.query({ by: "index", index: id });
      ok(after.result === "ok");
      deepStrictEqual(
        [after.state, after.entryTimeMs, after.expiryTimeMs],
        ["active", before.entryTimeMs, before.entryTimeMs + 7_200_000],
      );
      return id;
    });
    const seen: PmsRecord[] = [];
    const handler = await upstream(sock, seen);
    await until("the transfer", () => seen.length === 1);
    deepStrictEqual(seen[0].ud, cliRecord(SUB, ABROAD, "new text").ud);
    strictEqual(seen[0].udl, "new text".length);
    await withCli(sock, async (c) => {
      await until("the discharge", async () => {
        const q = await c.query({ by: "index", index: id });
        return q.result === "ok" && q.state === "historical";
      });
      const q = await c.query({ by: "index", index: id });
      ok(q.result === "ok");
      strictEqual(q.disposition, DISPOSITION_CODES.delivered);
      deepStrictEqual(await c.replace(id, cliRecordBytes(SUB, ABROAD, "too late")), {
        type: "REPLACE",
        result: "historical",
        index: id,
        disposition: DISPOSITION_CODES.delivered,
      });
    });
    await handler.close();
  });
});

Deno.test("REPLACE of a message outstanding toward its peer answers in-transit and changes nothing", async () => {
  await withCore(async (_dir, sock) => {
    const seen: PmsRecord[] = [];
    const hanging = await upstream(sock, seen, true);
    await withCli(sock, async (c) => {
      const id = index(await c.submit(cliRecordBytes(SUB, ABROAD, "in flight")));
      await until("the transfer", () => seen.length === 1);
      const newText = cliRecordBytes(SUB, ABROAD, "changed");
      deepStrictEqual(await c.replace(id, newText), { type: "REPLACE", result: "in-transit" });
      // The handler goes away unanswered: the message is back in core's queue, and may change.
      await hanging.close();
      await until("the requeue", async () => (await c.replace(id, newText)).result === "ok");
      const q = await c.query({ by: "index", index: id });
      ok(q.result === "ok");
      strictEqual(q.state, "active");
    });
  });
});

Deno.test("REPLACE of a message in gsmif's custody answers in-transit", async () => {
  await withCore(async (_dir, sock) => {
    const held: number[] = [];
    const gsmif = await CoreClient.connect(sock);
    gsmif.onRequest((r: CoreRequest) => {
      if (r.type === "MT_FIND_IMSI") {
        return { type: "MT_FIND_IMSI", result: "ok", imsi: "001010000000101" };
      }
      if (r.type === "MT_TRANSFER") {
        held.push(r.index);
        return { type: "MT_TRANSFER", result: "ok" };
      }
      return { type: "MT_CANCEL", result: "ok" };
    });
    for (const role of ["imsi-lookup", "gsm-mt"] as const) {
      strictEqual((await gsmif.registerRole(role)).result, "ok");
    }
    strictEqual((await gsmif.setServiceState(true)).result, "ok");
    await withCli(sock, async (c) => {
      const id = index(await c.submit(cliRecordBytes(SUB, SUBSCRIBER, "to a handset")));
      await until("the custody", () => held.includes(id));
      deepStrictEqual(await c.replace(id, cliRecordBytes(SUB, SUBSCRIBER, "changed")), {
        type: "REPLACE",
        result: "in-transit",
      });
    });
    await gsmif.close();
  });
});

/** Submits from a peer's own connection. */
async function submitAs(c: CoreClient | RoleClient, peer: string, from: string): Promise<number> {
  const rec = cliRecord(from, SUBSCRIBER, `from ${peer}`, {
    sourceClass: "downstream",
    sourcePeer: peer,
  });
  return index(await c.submit(encodePmsRecord(rec)));
}

async function peerClient(sock: string, peer: string): Promise<CoreClient> {
  const c = await CoreClient.connect(sock);
  strictEqual((await c.registerRole("peer", peer)).result, "ok");
  return c;
}

Deno.test("a peer connection finds only its own messages; the command line finds all", async () => {
  const previous = setLogSink({ write: () => {} });
  try {
    await withCore(async (_dir, sock) => {
      const acme = RoleClient.start({
        path: sock,
        roles: [{ role: "peer", peer: "acme" }],
        handler: () => {
          throw new Error("no delivery expected");
        },
        clock: systemClock,
        logger: new Logger("downlink.acme"),
        reconnectDelayMsMin: 20,
        reconnectDelayMsMax: 200,
      });
      const beta = await peerClient(sock, "beta");
      try {
        await acme.whenRegistered();
        const own = await submitAs(acme, "acme", ACME_NUMBER);
        const others = await submitAs(beta, "beta", BETA_NUMBER);
        const [cli, cliDone] = await withCli(sock, async (c) => {
          const a = index(await c.submit(cliRecordBytes(SUB, SUBSCRIBER, "from the shell")));
          const b = index(await c.submit(cliRecordBytes(SUB, SUBSCRIBER, "cancelled")));
          strictEqual((await c.cancel({ by: "index", index: b })).result, "ok");
          return [a, b];
        });
        const notFound = { result: "not-found" };
        const byOaDaMr: Target = {
          by: "oa-da-mr",
          oa: { ton: 1, npi: 1, value: BETA_NUMBER.slice(1) },
          da: { ton: 1, npi: 1, value: SUBSCRIBER.slice(1) },
          mr: 0,
        };
        for (const id of [others, cli, cliDone]) {
          const target: Target = { by: "index", index: id };
          deepStrictEqual(await acme.query(target), { type: "QUERY", ...notFound }, `${id}`);
          deepStrictEqual(await acme.cancel(target), { type: "CANCEL", ...notFound }, `${id}`);
          const replacement = cliRecordBytes(BETA_NUMBER, SUBSCRIBER, "mine now", {
            sourceClass: "downstream",
            sourcePeer: "acme",
          });
          deepStrictEqual(await acme.replace(id, replacement), { type: "REPLACE", ...notFound });
        }
        deepStrictEqual(await acme.query(byOaDaMr), { type: "QUERY", ...notFound });
        const srr = await beta.changeSrr({ by: "index", index: own }, true);
        deepStrictEqual(srr, { type: "CHANGE_SRR", ...notFound });
        // Its own: found, replaced, cancelled.
        const q = await acme.query({ by: "index", index: own });
        ok(q.result === "ok" && q.state === "active");
        const mine = cliRecordBytes(ACME_NUMBER, SUBSCRIBER, "corrected", {
          sourceClass: "downstream",
          sourcePeer: "acme",
        });
        strictEqual((await acme.replace(own, mine)).result, "ok");
        strictEqual((await acme.cancel({ by: "index", index: own })).result, "ok");
        // beta's own, through its own connection, by OA, DA, MR.
        const b = await beta.query(byOaDaMr);
        ok(b.result === "ok");
        strictEqual(b.index, others);
        // The command line reaches every source.
        await withCli(sock, async (c) => {
          const q = await c.query({ by: "index", index: own });
          ok(q.result === "ok");
          deepStrictEqual([q.state, q.disposition], ["historical", DISPOSITION_CODES.cancelled]);
          const betaText = cliRecordBytes(BETA_NUMBER, SUBSCRIBER, "edited by the operator", {
            sourceClass: "downstream",
            sourcePeer: "beta",
          });
          strictEqual((await c.replace(others, betaText)).result, "ok");
          strictEqual((await c.changeSrr({ by: "index", index: others }, true)).result, "ok");
          strictEqual((await c.cancel({ by: "index", index: others })).result, "ok");
        });
      } finally {
        await acme.close();
        await beta.close();
      }
    }, {
      prepare: async (dir) => {
        // Two peers with their pools and the subscriber, made with the admin
        // tool before core starts (so core adds no demo numbers).
        const steps = [
          ["numbers", "add", SUBSCRIBER, "--kind", "gsm"],
          ["numbers", "add", SUB, "--kind", "gsm"],
          ["numbers", "peer", "add", "acme", "--system-id", "acme"],
          ["numbers", "pool", "add", "acme", "+1303555*"],
          ["numbers", "peer", "add", "beta", "--system-id", "beta"],
          ["numbers", "pool", "add", "beta", "+1404555*"],
        ];
        for (const args of steps) {
          const r = await runSmsc(args, { cwd: dir });
          strictEqual(r.code, 0, r.stderr);
        }
      },
    });
  } finally {
    setLogSink(previous);
  }
});
