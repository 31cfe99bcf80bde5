import assert from "node:assert/strict";
import { decodePmsRecord, examplePmsRecord, type PmsRecord } from "../codec/pms/mod.ts";
import { ActiveSet } from "./active_set.ts";

function rec(over: Partial<PmsRecord> = {}): PmsRecord {
  return { ...examplePmsRecord(), ...over };
}

Deno.test("ActiveSet keeps records as bytes: get() decodes a copy, set() is the only way to change one", () => {
  const set = new ActiveSet();
  const r = rec({ mr: 9 });
  set.set(5, r);
  const got = set.get(5)!;
  assert.deepEqual(got, r);
  assert.notEqual(got, r);
  got.mr = 10;
  assert.equal(set.get(5)!.mr, 9, "changing the copy changes nothing");
  set.set(5, { ...r, mr: 11 });
  assert.equal(set.get(5)!.mr, 11);
  assert.deepEqual(decodePmsRecord(set.bytes(5)!), set.get(5));
  assert.equal(set.expiryOf(5), r.expiryTimeMs);
  assert.equal(set.get(6), undefined);
  assert.equal(set.bytes(6), undefined);
  assert.equal(set.expiryOf(6), undefined);
});

Deno.test("ActiveSet reuses freed slots across slabs and keeps counts by destination class", () => {
  const set = new ActiveSet();
  const n = 9_000; // more than two slabs of 4,096
  for (let id = 0; id < n; id++) {
    set.set(id, rec({ mr: id & 0xff, destClass: id % 2 ? "upstream" : "gsm", destImsi: "" }));
  }
  assert.equal(set.size, n);
  assert.deepEqual(set.countByDestClass(), {
    local: 0,
    gsm: 4_500,
    downstream: 0,
    upstream: 4_500,
  });
  for (let id = 0; id < n; id += 3) set.delete(id);
  assert.equal(set.size, 6_000);
  assert.equal(set.oldest(), 1);
  for (let id = n; id < n + 3_000; id++) set.set(id, rec({ mr: id & 0xff, destImsi: "" }));
  for (let id = 1; id < n + 3_000; id++) {
    if (id < n && id % 3 === 0) assert.equal(set.get(id), undefined);
    else assert.equal(set.get(id)!.mr, id & 0xff, `record ${id} intact after slot reuse`);
  }
  const ids = [...set.entries()].map(([id]) => id);
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b), "entries in the order added");
});

Deno.test("ActiveSet's expiry bound: no scan needed before the earliest expiry, one after", () => {
  const set = new ActiveSet();
  assert.equal(set.mayHaveExpired(Date.now()), false, "nothing active, nothing expires");
  set.set(1, rec({ expiryTimeMs: 5_000 }));
  set.set(2, rec({ expiryTimeMs: 3_000 }));
  assert.equal(set.mayHaveExpired(2_999), false);
  assert.equal(set.mayHaveExpired(3_000), true);
  set.delete(2);
  assert.equal(set.mayHaveExpired(3_000), true, "a bound, until refreshed");
  set.refreshExpiryBound();
  assert.equal(set.mayHaveExpired(4_999), false);
  assert.equal(set.mayHaveExpired(5_000), true);
  set.set(3, rec({ expiryTimeMs: 100 }));
  assert.equal(set.mayHaveExpired(100), true, "a new earlier expiry lowers the bound at once");
});

Deno.test("ActiveSet.findByOaDaMr matches TP-MR, OA and DA, newest first", () => {
  const set = new ActiveSet();
  const base = rec();
  set.set(1, { ...base, mr: 7 });
  set.set(2, { ...base, mr: 8 });
  set.set(3, { ...base, mr: 7 });
  const oa = { ton: base.oa.ton, npi: base.oa.npi, value: base.oa.digits! };
  const da = { ton: base.da!.ton, npi: base.da!.npi, value: base.da!.digits! };
  assert.equal(set.findByOaDaMr(oa, da, 7), 3);
  assert.equal(set.findByOaDaMr(oa, da, 8), 2);
  assert.equal(set.findByOaDaMr(oa, da, 9), undefined);
  assert.equal(set.findByOaDaMr({ ...oa, value: "999" }, da, 7), undefined);
  set.set(4, { ...base, mr: 7, sourcePeer: "other" });
  assert.equal(set.findByOaDaMr(oa, da, 7), 4);
  assert.equal(set.findByOaDaMr(oa, da, 7, (r) => r.sourcePeer !== "other"), 3, "not hidden");
});
