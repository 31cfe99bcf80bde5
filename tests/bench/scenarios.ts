/**
 * Process-level benchmarks of core, run by `deno task bench` through
 * scripts/bench.ts: the real `smsc core` process, real fdatasync, the real
 * socket client. Each scenario returns its figures; the runner repeats it
 * and reports the median and the spread. No assertion here: speed is
 * measured, never asserted in tests (DEVELOPERS.md).
 *
 * @module
 */

import { startDaemon } from "../support/daemon.ts";
import { cliRecord } from "../support/records.ts";
import { CoreClient } from "../../src/transport/core_client.ts";
import {
  encodePmsRecord,
  examplePmsRecord,
  PMS_FIELD,
  PMS_RECORD_BYTES,
  PMS_RECORDS_PER_MB,
  sealPmsRecord,
} from "../../src/codec/pms/mod.ts";
import { PmsReader } from "../../src/store/pms_reader.ts";
import { percentile } from "./_common.ts";

/** Figures of one run, by name (unit in the name). */
export type Figures = Record<string, number>;

/**
 * Unmeasured messages sent first in every core scenario, so that the figures
 * are those of warm code (JIT-compiled core, client and handler), as an SMSC
 * that has been running is; a quarter of the measured count, at most 10,000.
 */
export function warmUpCount(total: number): number {
  return Math.min(10_000, Math.floor(total / 4));
}

/** Median and 99th percentile of `latencies` (sorted here), with the rate over `seconds`. */
function figures(latencies: number[], seconds: number): Figures {
  latencies.sort((a, b) => a - b);
  return {
    "msg/s": latencies.length / seconds,
    "p50 ms": percentile(latencies, 0.5),
    "p99 ms": percentile(latencies, 0.99),
  };
}

/**
 * Runs `one` `total` times from `clients` fresh connections to `sock`, each
 * with `window` calls outstanding, and closes the connections.
 *
 * @returns the connections' wall time in seconds, measured until `settle` resolves
 */
async function pipelined(
  sock: string,
  clients: number,
  window: number,
  total: number,
  one: (c: CoreClient, n: number) => Promise<void>,
  settle: (c: CoreClient) => Promise<void> = () => Promise.resolve(),
): Promise<number> {
  const conns = await Promise.all(Array.from({ length: clients }, () => CoreClient.connect(sock)));
  let left = total;
  const t0 = performance.now();
  const lane = async (c: CoreClient) => {
    while (left > 0) await one(c, --left);
  };
  await Promise.all(conns.flatMap((c) => Array.from({ length: window }, () => lane(c))));
  await settle(conns[0]);
  const seconds = (performance.now() - t0) / 1000;
  await Promise.all(conns.map((c) => c.close()));
  return seconds;
}

/**
 * SUBMITs from `clients` connections with `window` outstanding each, through
 * a freshly started core; counts only acknowledged (durable) SUBMITs.
 */
export async function submitScenario(
  clients: number,
  window: number,
  total: number,
  kind: "submit" | "roundtrip" = "submit",
): Promise<Figures> {
  const dir = await Deno.makeTempDir({ prefix: "smsc-bench-" });
  const core = await startDaemon(["core"], { cwd: dir, ready: / core ready /, env: {} });
  try {
    const bytes = Array.from(
      { length: 64 },
      (_, i) => encodePmsRecord(cliRecord("+12125550100", "+12125550101", `bench ${i}`)),
    );
    let latencies: number[] = [];
    let syncP99 = 0;
    const one = async (c: CoreClient, n: number) => {
      const start = performance.now();
      if (kind === "roundtrip") {
        // The socket alone: a request core answers from memory ("not-found").
        await c.changeSrr({ by: "index", index: 1e12 }, true);
      } else {
        const r = await c.submit(bytes[n & 63]);
        if (r.result !== "ok") throw new Error(r.reason.text);
      }
      latencies.push(performance.now() - start);
    };
    const sock = `${dir}/state/core.sock`;
    await pipelined(sock, clients, window, warmUpCount(total), one);
    latencies = [];
    const seconds = await pipelined(sock, clients, window, total, one, async (c) => {
      syncP99 = await groupCommitP99(c);
    });
    const f = figures(latencies, seconds);
    return kind === "submit" ? { ...f, "group commit p99 ms": syncP99 } : f;
  } finally {
    await core.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * The 99th percentile of core's recent write+fdatasync cycles (STATUS
 * `store_sync_ms_p99`): the storage's share of every SUBMIT's latency.
 */
async function groupCommitP99(c: CoreClient): Promise<number> {
  return Number((await c.status()).find((e) => e.key === "store_sync_ms_p99")?.value ?? NaN);
}

/**
 * End to end (issue #4): SUBMITs to the upstream through core, delivered by
 * DELIVER_TO_PEER to a test handler that accepts at once, and discharged
 * durably. The rate counts messages discharged; the latency is each record's
 * discharge time minus its entry time, read back from pms.bin (ms resolution).
 *
 * Without `ratePerS` the clients submit as fast as core acknowledges (the
 * most core can take in, where the latency is mostly queueing: core admits
 * faster than it delivers, and the peer queue grows); with it the SUBMITs
 * leave on a fixed schedule of that many per second (an offered load, for
 * the latency at a given rate).
 */
export async function deliverScenario(
  clients: number,
  window: number,
  total: number,
  ratePerS?: number,
): Promise<Figures> {
  const dir = await Deno.makeTempDir({ prefix: "smsc-bench-deliver-" });
  await Deno.writeTextFile(`${dir}/config.toml`, "[core]\npeer_window = 256\n");
  const core = await startDaemon(["core", "--config", "config.toml"], {
    cwd: dir,
    ready: / core ready /,
    env: {},
  });
  try {
    const sock = `${dir}/state/core.sock`;
    const handler = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("../support/peer_handler_process.ts", import.meta.url).pathname,
        sock,
        "--quiet",
      ],
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const reader0 = handler.stdout.getReader();
    await reader0.read(); // "ready"
    const bytes = encodePmsRecord(cliRecord("+12125550100", "+442071234567", "bench"));
    let syncP99 = 0;
    // `count` messages, then wait until every message is discharged.
    const run = (count: number) => {
      let scheduled = 0;
      const t0 = performance.now();
      return pipelined(sock, clients, window, count, async (c) => {
        if (ratePerS !== undefined) {
          const wait = t0 + (scheduled++ * 1000) / ratePerS - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        }
        const r = await c.submit(bytes);
        if (r.result !== "ok") throw new Error(r.reason.text);
      }, async (c) => {
        for (let i = 0; i < 6000; i++) {
          if ((await c.status()).find((e) => e.key === "active")?.value === "0") break;
          await new Promise((r) => setTimeout(r, 5));
        }
        syncP99 = await groupCommitP99(c);
      });
    };
    const warm = warmUpCount(total);
    await run(warm);
    const seconds = await run(total);
    handler.kill("SIGTERM");
    await handler.status;
    reader0.releaseLock();
    await handler.stdout.cancel();
    const reader = await PmsReader.openReadOnly(`${dir}/state/pms.bin`);
    const latencies: number[] = [];
    await reader.scan(0, {
      record: (i, rec) => {
        if (i < warm || rec.disposition !== "delivered") return;
        latencies.push(rec.dischargeTimeMs - rec.entryTimeMs);
      },
    }, { historical: "decode" });
    await reader.close();
    return { ...figures(latencies, seconds), "group commit p99 ms": syncP99 };
  } finally {
    await core.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Writes `count` valid records to `path`: historical ones first, the last
 * `active` of them active, with entry times rising by one ms from `t0`.
 */
export async function writePmsFile(
  path: string,
  count: number,
  active: number,
  t0: number,
): Promise<void> {
  const historical = encodePmsRecord({
    ...examplePmsRecord(0),
    state: "historical",
    disposition: "delivered",
    dischargeTimeMs: 1,
  });
  const activeRec = encodePmsRecord(examplePmsRecord(0));
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  const perChunk = PMS_RECORDS_PER_MB;
  const chunk = new Uint8Array(perChunk * PMS_RECORD_BYTES);
  const timeAt = PMS_FIELD.entry_time_ms.offset;
  try {
    for (let first = 0; first < count; first += perChunk) {
      const n = Math.min(perChunk, count - first);
      for (let k = 0; k < n; k++) {
        const i = first + k;
        const rec = chunk.subarray(k * PMS_RECORD_BYTES, (k + 1) * PMS_RECORD_BYTES);
        rec.set(i >= count - active ? activeRec : historical);
        let t = t0 + i;
        for (let b = 5; b >= 0; b--) {
          rec[timeAt + b] = t % 256;
          t = Math.floor(t / 256);
        }
        sealPmsRecord(rec);
      }
      let off = 0;
      const part = chunk.subarray(0, n * PMS_RECORD_BYTES);
      while (off < part.length) off += await file.write(part.subarray(off));
    }
  } finally {
    file.close();
  }
}

/** Start-up of core on a store of `historical` + `active` records with historical-mb set. */
export async function startupScenario(dir: string): Promise<Figures> {
  const t0 = performance.now();
  const core = await startDaemon(["core"], { cwd: dir, ready: / core ready /, env: {} });
  const ready = performance.now() - t0;
  await core.stop();
  return { "ready ms": ready };
}

/** Prepares the state directory of the start-up scenario. */
export async function prepareStartup(historical: number, active: number): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "smsc-bench-startup-" });
  await Deno.mkdir(`${dir}/state`);
  await writePmsFile(`${dir}/state/pms.bin`, historical + active, active, 1_700_000_000_000);
  await Deno.writeTextFile(
    `${dir}/state/historical-mb`,
    `${Math.floor(historical / PMS_RECORDS_PER_MB)}\n`,
  );
  return dir;
}

/** Binary search by entry time in a store of `path`, in process, for `probes` random times. */
export async function searchScenario(
  path: string,
  count: number,
  probes: number,
): Promise<Figures> {
  const reader = await PmsReader.openReadOnly(path);
  const times: number[] = [];
  try {
    for (let i = 0; i < probes; i++) {
      const target = 1_700_000_000_000 + Math.floor(((i * 7919) % probes) / probes * count);
      const t0 = performance.now();
      const found = await reader.findByEntryTime(target);
      times.push(performance.now() - t0);
      if (found !== target - 1_700_000_000_000) {
        throw new Error(`search found ${found} for ${target}`);
      }
    }
  } finally {
    await reader.close();
  }
  times.sort((a, b) => a - b);
  return { "p50 ms": percentile(times, 0.5), "max ms": times[times.length - 1] };
}
