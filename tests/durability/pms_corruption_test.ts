// Flipped bytes inside a middle record of pms.bin (bit rot, a stray write):
// start-up must report that record by its checksum, never hand it to core,
// and recover every other record unchanged.
import assert from "node:assert/strict";
import { setLogSink } from "../../src/lib/log.ts";
import { DecodeError } from "../../src/lib/errors.ts";
import {
  encodePmsRecord,
  examplePmsRecord,
  type PmsRecord,
  sealPmsRecord,
} from "../../src/codec/pms/mod.ts";
import { PmsFile } from "../../src/store/pms_file.ts";
import { PmsReader, PmsRecoveryError } from "../../src/store/pms_reader.ts";

setLogSink({ write: () => {} });

const MIDDLE = 4;

function records(): PmsRecord[] {
  return Array.from({ length: 9 }, (_, k) => {
    const r = { ...examplePmsRecord(5_000 + k), mr: k };
    return k % 3 === 1
      ? { ...r, state: "historical", disposition: "expired", dischargeTimeMs: 9_000 }
      : r;
  });
}

Deno.test("PmsFile scan reports a middle record with any flipped byte and recovers the others", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pms_corrupt_" });
  const path = `${dir}/pms.bin`;
  const recs = records();
  const clean = new Uint8Array(recs.length * 256);
  recs.forEach((r, k) => clean.set(encodePmsRecord(r), k * 256));
  let cases = 0;
  for (let pos = 0; pos < 256; pos++) {
    for (const mask of [0x01, 0x80, 0xff]) {
      const b = clean.slice();
      b[MIDDLE * 256 + pos] ^= mask;
      await Deno.writeFile(path, b);
      const store = await PmsFile.open(path);
      assert.equal(store.openReport.tornTail, null, "a middle record is never a torn tail");
      const got = new Map<number, PmsRecord>();
      const errors: DecodeError[] = [];
      const s = await store.scan(0, {
        record: (i, r) => got.set(i, r),
        corrupt: (i, e) => {
          assert.equal(i, MIDDLE);
          errors.push(e);
        },
      }, { historical: "decode" });
      assert.deepEqual(s.corrupt, [MIDDLE], `byte ${pos} ^ ${mask}`);
      assert.equal(errors[0].field, "checksum");
      assert.ok(!got.has(MIDDLE), "the corrupt record is never used");
      recs.forEach((r, k) => k !== MIDDLE && assert.deepEqual(got.get(k), r));
      await assert.rejects(() => store.readRecord(MIDDLE), DecodeError);
      assert.equal(
        await store.append(examplePmsRecord(6_000)),
        recs.length,
        "appends continue after it",
      );
      await store.close();
      cases++;
    }
  }
  assert.equal(cases, 768);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("PmsFile scan stops on a record with a good checksum but an unknown version", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pms_corrupt_" });
  const path = `${dir}/pms.bin`;
  const b = new Uint8Array(3 * 256);
  for (let k = 0; k < 3; k++) b.set(encodePmsRecord(examplePmsRecord(k)), k * 256);
  const newer = b.subarray(256, 512);
  newer[4] = 2;
  sealPmsRecord(newer);
  await Deno.writeFile(path, b);
  const reader = await PmsReader.openReadOnly(path);
  await assert.rejects(() => reader.scan(0, {}), PmsRecoveryError);
  await reader.close();
  await Deno.remove(dir, { recursive: true });
});
