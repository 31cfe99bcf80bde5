import assert from "node:assert/strict";
import {
  DISPOSITION_CODES,
  encodePmsRecord,
  examplePmsRecord,
  type PmsRecord,
} from "../codec/pms/mod.ts";
import { Logger, setLogSink } from "../lib/log.ts";
import type { PmsFile } from "../store/pms_file.ts";
import { ActiveSet } from "./active_set.ts";
import { duplicateKey } from "./duplicates.ts";
import { MessageRequests } from "./message_requests.ts";
import type { Owner } from "./queries.ts";

const ENTRY = 1_763_900_000_000;
const GSM: Owner = { sourceClass: "gsm", sourcePeer: "" };
const ACME: Owner = { sourceClass: "downstream", sourcePeer: "acme" };
const HI = new Uint8Array([0xc8, 0x34]); // "Hi" in GSM 7 bit

const stored = (fields: Partial<PmsRecord> = {}): PmsRecord => ({
  ...examplePmsRecord(ENTRY),
  ...fields,
});

/** Core's side as fakes: an active set, pms.bin as a map, and a log of the writes. */
function core(inTransit: Set<number> = new Set()) {
  const active = new ActiveSet();
  const file = new Map<number, PmsRecord>();
  const writes: { id: number; rec: PmsRecord; activeAtWrite: PmsRecord | undefined }[] = [];
  const discharging = new Map<number, Promise<void>>();
  const put = (id: number, rec: PmsRecord) => {
    file.set(id, rec);
    if (rec.state === "active") active.set(id, rec);
  };
  const store = {
    get recordCount() {
      return Math.max(-1, ...file.keys()) + 1;
    },
    readRecord: (position: number) => Promise.resolve(file.get(position)!),
  } as unknown as PmsFile;
  const rewrite = async (id: number, rec: PmsRecord) => {
    writes.push({ id, rec, activeAtWrite: active.get(id) });
    await Promise.resolve();
    file.set(id, rec);
    return true;
  };
  /** A discharge whose write completes when `finish` is called. */
  const slowDischarge = (id: number, disposition: PmsRecord["disposition"]) => {
    let finish!: () => void;
    const written = new Promise<void>((r) => (finish = r)).then(() => {
      file.set(id, { ...file.get(id)!, state: "historical", disposition });
      active.delete(id);
      discharging.delete(id);
    });
    discharging.set(id, written);
    return finish;
  };
  const requests = new MessageRequests({
    active,
    store,
    baseId: 0,
    validity: { validitySDefault: 172_800, validitySMax: 604_800 },
    logger: new Logger("core.test"),
    discharging: (id) => discharging.get(id),
    discharge: async (id, rec, disposition) => {
      await rewrite(id, { ...rec, state: "historical", disposition });
      active.delete(id);
    },
    rewrite,
    inTransit: (id) => inTransit.has(id),
    isHeld: () => false,
    cancelHeld: () => Promise.resolve(),
  });
  return { active, file, writes, put, requests, slowDischarge };
}

function replacementBytes(fields: Partial<PmsRecord> = {}): Uint8Array {
  return encodePmsRecord({ ...stored(), udl: 2, ud: HI, ...fields });
}

async function quiet(fn: () => Promise<void>): Promise<void> {
  const previous = setLogSink({ write: () => {} });
  try {
    await fn();
  } finally {
    setLogSink(previous);
  }
}

Deno.test("MessageRequests.replace() puts the new text in the active set before writing it", async () => {
  await quiet(async () => {
    const c = core();
    c.put(0, stored());
    const r = await c.requests.replace(0, replacementBytes(), GSM);
    assert.deepEqual(r, { type: "REPLACE", result: "ok", index: 0 });
    assert.equal(c.writes.length, 1);
    assert.deepEqual(c.writes[0].rec.ud, HI);
    assert.deepEqual(c.writes[0].activeAtWrite, c.writes[0].rec, "in memory before the write");
    assert.deepEqual(c.file.get(0)?.ud, HI);
  });
});

Deno.test("MessageRequests.replace() moves the message to the duplicate key of its new text", async () => {
  await quiet(async () => {
    const c = core();
    c.put(0, stored());
    const oldKey = duplicateKey(stored())!;
    assert.equal(c.active.duplicates.find(oldKey), 0);
    await c.requests.replace(0, replacementBytes(), "any");
    assert.equal(c.active.duplicates.find(oldKey), undefined);
    assert.equal(c.active.duplicates.find(duplicateKey(c.active.get(0)!)!), 0);
    assert.equal(c.active.duplicates.size, 1);
  });
});

Deno.test("MessageRequests.replace() refuses in transit, mismatch and other owners' messages without writing", async () => {
  await quiet(async () => {
    const c = core(new Set([1]));
    c.put(0, stored());
    c.put(1, stored());
    c.put(2, stored({ state: "historical", disposition: "delivered" }));
    const result = async (id: number, owner: Owner, bytes = replacementBytes()) =>
      (await c.requests.replace(id, bytes, owner)).result;
    assert.equal(await result(1, "any"), "in-transit");
    assert.equal(await result(0, "any", replacementBytes({ dcs: 0x04 })), "mismatch");
    assert.equal(await result(0, ACME), "not-found");
    assert.equal(await result(2, ACME), "not-found", "another source's historical message");
    assert.deepEqual(await c.requests.replace(2, replacementBytes(), GSM), {
      type: "REPLACE",
      result: "historical",
      index: 2,
      disposition: DISPOSITION_CODES.delivered,
    });
    assert.equal(await result(9, "any"), "not-found");
    assert.equal(c.writes.length, 0);
  });
});

Deno.test("MessageRequests waits for a discharge being written, then answers historical", async () => {
  await quiet(async () => {
    const c = core();
    c.put(0, stored());
    c.put(1, stored());
    const finish0 = c.slowDischarge(0, "delivered");
    const finish1 = c.slowDischarge(1, "expired");
    const replaced = c.requests.replace(0, replacementBytes(), "any");
    const cancelled = c.requests.cancel({ by: "index", index: 1 }, "any");
    await new Promise((r) => setTimeout(r, 0));
    finish0();
    finish1();
    assert.deepEqual(await replaced, {
      type: "REPLACE",
      result: "historical",
      index: 0,
      disposition: DISPOSITION_CODES.delivered,
    });
    assert.deepEqual(await cancelled, {
      type: "CANCEL",
      result: "historical",
      index: 1,
      disposition: DISPOSITION_CODES.expired,
    });
    assert.equal(c.writes.length, 0, "nothing written over a discharge");
  });
});

Deno.test("MessageRequests.query() answers for active and historical messages of the owner", async () => {
  await quiet(async () => {
    const c = core();
    c.put(0, stored({ attempts: 1 }));
    c.put(1, stored({ state: "historical", disposition: "cancelled", dischargeTimeMs: ENTRY + 9 }));
    const active = await c.requests.query({ by: "index", index: 0 }, GSM);
    assert.equal(active.result, "ok");
    assert.ok(active.result === "ok");
    assert.deepEqual([active.state, active.attempts, active.dischargeTimeMs], ["active", 1, 0]);
    const done = await c.requests.query({ by: "index", index: 1 }, "any");
    assert.ok(done.result === "ok");
    assert.deepEqual([done.state, done.disposition, done.dischargeTimeMs], [
      "historical",
      DISPOSITION_CODES.cancelled,
      ENTRY + 9,
    ]);
    assert.deepEqual(await c.requests.query({ by: "index", index: 1 }, ACME), {
      type: "QUERY",
      result: "not-found",
    });
  });
});

Deno.test("MessageRequests.cancel() and changeSrr() act only on the owner's messages", async () => {
  await quiet(async () => {
    const c = core();
    c.put(0, stored({ srr: false }));
    assert.equal((await c.requests.cancel({ by: "index", index: 0 }, ACME)).result, "not-found");
    assert.equal(
      (await c.requests.changeSrr({ by: "index", index: 0 }, true, ACME)).result,
      "not-found",
    );
    assert.equal(c.writes.length, 0);
    assert.equal((await c.requests.changeSrr({ by: "index", index: 0 }, true, GSM)).result, "ok");
    assert.equal(c.active.get(0)?.srr, true);
    assert.deepEqual(await c.requests.cancel({ by: "index", index: 0 }, GSM), {
      type: "CANCEL",
      result: "ok",
      index: 0,
    });
    assert.equal(c.file.get(0)?.disposition, "cancelled");
    assert.equal(c.active.get(0), undefined);
  });
});
