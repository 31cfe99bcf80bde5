/**
 * The core daemon (ARCHITECTURE §1, seed 003 §2.3): opens the number database
 * and the message store, rebuilds the active set from the historical-mb mark,
 * serves the local socket, and stops cleanly on SIGTERM or SIGINT.
 *
 * Start-up order matters: the store is scanned before the socket listens, so
 * no client is acknowledged before core knows what is already active. The
 * readiness line `notice core ready …` is written last; `smsc up` and the
 * tests wait for it.
 *
 * @module
 */

import type { ResolvedConfig } from "../config/schema.ts";
import { statePaths } from "../config/paths.ts";
import { type Clock, systemClock } from "../lib/clock.ts";
import { Logger, setLogLevel } from "../lib/log.ts";
import { PmsFile } from "../store/pms_file.ts";
import { readMbCount } from "../store/historical_mb.ts";
import { NumbersDb } from "../store/numbers_db.ts";
import { lockStateDir } from "../store/state_lock.ts";
import { PMS_RECORDS_PER_MB, type PmsRecord } from "../codec/pms/mod.ts";
import { listenUnix } from "../transport/unix_socket.ts";
import { ActiveSet } from "./active_set.ts";
import { buildPolicy } from "./policy.ts";
import { CoreService } from "./service.ts";
import { NumberCache } from "./number_cache.ts";
import denoJson from "../../deno.json" with { type: "json" };

const log = new Logger("core");

/** The fictional subscribers of `core.demo_numbers` (555-0100 to 0109 is reserved for fiction). */
export const DEMO_NUMBERS: readonly string[] = Array.from(
  { length: 10 },
  (_, i) => `121255501${String(i).padStart(2, "0")}`,
);

function seedDemoNumbers(numbers: NumbersDb): void {
  if (numbers.listNumbers().length > 0) return;
  for (const e164 of DEMO_NUMBERS) {
    numbers.addNumber({ e164, kind: "gsm", maySendUpstream: true });
    // Test network 001-01 (TS 23.003), so that MT to them can be tried at once.
    numbers.setImsi(e164, `001010000000${e164.slice(-3)}`);
  }
  log.notice("Added the demo subscribers to an empty numbers.db", { count: DEMO_NUMBERS.length });
}

async function openStore(config: ResolvedConfig, paths: ReturnType<typeof statePaths>) {
  const store = await PmsFile.open(paths.pms, {
    batchRecordsMax: config.store.pms_batch_records_max,
    freeBytesAhead: config.store.pms_write_ahead_kib * 1024,
  });
  const torn = store.openReport.tornTail;
  if (torn) {
    log.warn("Cut off a torn tail of pms.bin", {
      first: torn.firstIndex,
      records: torn.records,
      bytes: torn.bytes,
    });
  }
  return store;
}

async function rebuildActive(
  store: PmsFile,
  baseId: number,
  historicalMb: number,
): Promise<{ active: ActiveSet; receiptable: [number, PmsRecord][] }> {
  const active = new ActiveSet();
  // Historical records still matter for one thing: an upstream receipt may yet
  // arrive for a message delivered there with a report request.
  const receiptable: [number, PmsRecord][] = [];
  const summary = await store.scan(historicalMb * PMS_RECORDS_PER_MB, {
    record: (position, rec) => {
      if (rec.state === "active") active.set(baseId + position, rec);
      else if (rec.srr && rec.destClass === "upstream" && rec.destMessageId !== "") {
        receiptable.push([baseId + position, rec]);
      }
    },
    corrupt: (position, error) =>
      log.error("Skipped a corrupt record of pms.bin", {
        id: baseId + position,
        reason: error.message,
      }),
  }, { historical: "decode" });
  log.info("Scanned pms.bin", {
    from: baseId + summary.fromIndex,
    records: store.recordCount,
    active: summary.active,
    historical: summary.historical,
    corrupt: summary.corrupt.length,
    // Free space written ahead that start-up found after the last record.
    free_records: store.openReport.freeRecords,
  });
  return { active, receiptable };
}

/**
 * Runs core until SIGTERM or SIGINT (or `signal`).
 *
 * @param config the resolved configuration
 * @param options a clock (tests), and an abort signal instead of process signals
 * @returns the exit code: 0 after a clean stop, 74 after a storage failure
 * @throws {ConfigError} on an inconsistent configuration
 * @throws {Error} when the store cannot be opened or recovered, or the socket is in use
 */
export async function runCore(
  config: ResolvedConfig,
  options: { clock?: Clock; signal?: AbortSignal } = {},
): Promise<number> {
  setLogLevel(config.log.level);
  const clock = options.clock ?? systemClock;
  const policy = buildPolicy(config);
  const paths = statePaths(config);
  // The state holds every message: owner and group only (when we create it).
  await Deno.mkdir(paths.stateDir, { recursive: true, mode: 0o750 });
  const lock = await lockStateDir(`${paths.stateDir}/core.lock`);
  const numbers = NumbersDb.open(paths.numbersDb, { readOnly: false, busyTimeoutMs: 5000 });
  if (config.core.demo_numbers) seedDemoNumbers(numbers);
  const baseId = (await readMbCount(paths.archivedMb)) * PMS_RECORDS_PER_MB;
  const historicalMb = await readMbCount(paths.historicalMb);
  const store = await openStore(config, paths);
  const { active, receiptable } = await rebuildActive(store, baseId, historicalMb);

  const startedMs = clock.now();
  let exitCode = 0;
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const service = new CoreService({
    store,
    baseId,
    active,
    numbers: new NumberCache(numbers, clock),
    policy,
    clock,
    logger: new Logger("core.service"),
    historicalMbPath: paths.historicalMb,
    historicalMb,
    onFatal(error) {
      if (exitCode !== 0) return;
      log.error("Cannot write pms.bin; stopping so that recovery runs from disk", {
        error: error.message,
      });
      exitCode = 74;
      stop();
    },
    retrySchedule: policy.retrySchedule,
    peerWindow: config.core.peer_window,
    imsiLookupWindow: config.core.imsi_lookup_window,
    imsiCacheMs: config.core.imsi_cache_s * 1000,
    requestTimeoutMs: config.socket.request_timeout_ms,
    statusExtra: () => ({
      version: denoJson.version,
      uptime_s: String(Math.floor((clock.now() - startedMs) / 1000)),
      connections: String(server.connections.size),
    }),
  });
  const server = await listenUnix(paths.socket, {
    handler: (request, conn) => service.handle(request, conn),
    onConnection: (conn) => void conn.closed.then(() => service.connectionClosed(conn)),
    requestsInFlightMax: config.socket.requests_in_flight_max,
    requestTimeoutMs: config.socket.request_timeout_ms,
    clock,
  });

  // Whoever can connect can submit as the command line, which is trusted
  // (no PID/DCS filter, IMSI addressing): owner and group only.
  await Deno.chmod(paths.socket, 0o660);

  for (const [id, rec] of receiptable) service.noteDischarged(id, rec);
  service.recover();
  // Retries and expiries come due with time; a second is fine-grained enough.
  let ticking = false;
  const ticker = setInterval(() => {
    if (ticking) return;
    ticking = true;
    service.tick().finally(() => (ticking = false));
  }, 1000);

  const onSignal = () => stop();
  if (options.signal) options.signal.addEventListener("abort", onSignal);
  else for (const s of ["SIGTERM", "SIGINT"] as const) Deno.addSignalListener(s, onSignal);
  log.notice("core ready", {
    socket: paths.socket,
    records: store.recordCount,
    active: active.size,
  });

  await stopped;
  clearInterval(ticker);
  // The listeners stay until the end: a second SIGTERM during the stop (runit
  // and a supervisor both signalling) must not kill core half-way.
  await server.close();
  await store.close().catch(() => {});
  numbers.close();
  lock.close();
  if (!options.signal) {
    for (const s of ["SIGTERM", "SIGINT"] as const) Deno.removeSignalListener(s, onSignal);
  }
  log.notice("core stopped", { exit: exitCode });
  return exitCode;
}
