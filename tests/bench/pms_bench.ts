// Benchmarks of the persistent message store (run with `deno task bench`).
//
// - append: BATCH records through PmsFile.append from N concurrent appenders,
//   each awaiting its own durable append before the next, as SUBMIT handlers
//   do. records/s = BATCH / (time per iteration); syncs per iteration are what
//   group commit saved.
// - start-up: PmsFile.open plus a scan from historical-mb on a file of
//   1,000,000 historical and 10,000 active records; also the full scan from
//   record 0 (historical-mb lost) and dump's binary search by entry time.
import { setLogSink } from "../../src/lib/log.ts";
import {
  encodePmsRecord,
  examplePmsRecord,
  PMS_RECORDS_PER_MB,
  type PmsRecord,
  sealPmsRecord,
} from "../../src/codec/pms/mod.ts";
import { PmsFile } from "../../src/store/pms_file.ts";
import { PmsReader } from "../../src/store/pms_reader.ts";

setLogSink({ write: () => {} });

const BATCH = 2_000;
const HISTORICAL = 1_000_000;
const ACTIVE = 10_000;
const dir = await Deno.makeTempDir({ prefix: "pms_bench_" });
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));

let clock = 1_700_000_000_000;
function activeRecord(): PmsRecord {
  return { ...examplePmsRecord(clock++), mr: clock & 0xff };
}

const appendStore = await PmsFile.open(`${dir}/append.bin`);

for (const appenders of [1, 8, 64, 512]) {
  Deno.bench(`append ${BATCH} records, ${appenders} concurrent appenders`, {
    group: "append",
  }, async () => {
    let left = BATCH;
    const worker = async () => {
      while (left > 0) {
        left--;
        await appendStore.append(activeRecord());
      }
    };
    await Promise.all(Array.from({ length: appenders }, worker));
  });
}

/** Writes HISTORICAL historical records, then ACTIVE active ones, with rising entry times. */
async function generate(path: string): Promise<void> {
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  const historical = encodePmsRecord({
    ...examplePmsRecord(0),
    state: "historical",
    disposition: "delivered",
    dischargeTimeMs: 1,
  });
  const active = encodePmsRecord(examplePmsRecord(0));
  const chunk = new Uint8Array(PMS_RECORDS_PER_MB * 256);
  const total = HISTORICAL + ACTIVE;
  for (let first = 0; first < total; first += PMS_RECORDS_PER_MB) {
    const n = Math.min(PMS_RECORDS_PER_MB, total - first);
    for (let k = 0; k < n; k++) {
      const index = first + k;
      const rec = chunk.subarray(k * 256, (k + 1) * 256);
      rec.set(index < HISTORICAL ? historical : active);
      // Entry time = index ms after the epoch base, then re-seal.
      let t = 1_600_000_000_000 + index;
      for (let b = 13; b >= 8; b--) {
        rec[b] = t % 256;
        t = Math.floor(t / 256);
      }
      sealPmsRecord(rec);
    }
    let put = 0;
    const data = chunk.subarray(0, n * 256);
    while (put < data.length) put += await file.write(data.subarray(put));
  }
  file.close();
}

const bigPath = `${dir}/big.bin`;
await generate(bigPath);
const historicalMb = Math.floor(HISTORICAL / PMS_RECORDS_PER_MB);

Deno.bench("start-up: open + scan from historical-mb (1 M historical + 10 k active)", {
  group: "scan",
  baseline: true,
}, async () => {
  const store = await PmsFile.open(bigPath);
  let active = 0;
  await store.scan(historicalMb * PMS_RECORDS_PER_MB, { record: () => active++ });
  if (active !== ACTIVE) throw new Error(`found ${active} active records`);
  await store.close();
});

Deno.bench("start-up: open + full scan from record 0 (historical-mb lost)", {
  group: "scan",
}, async () => {
  const store = await PmsFile.open(bigPath);
  let active = 0;
  const s = await store.scan(0, { record: () => active++ });
  if (active !== ACTIVE || s.historical !== HISTORICAL) throw new Error("wrong counts");
  await store.close();
});

const reader = await PmsReader.openReadOnly(bigPath);
let probe = 0;
Deno.bench("dump: findByEntryTime on 1.01 M records", { group: "search" }, async () => {
  probe = (probe + 7_919) % (HISTORICAL + ACTIVE);
  const i = await reader.findByEntryTime(1_600_000_000_000 + probe);
  if (i !== probe) throw new Error(`found ${i}, expected ${probe}`);
});
