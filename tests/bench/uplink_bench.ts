/**
 * Process-level benchmarks of `smsc uplink` (issue #6), run by `deno task
 * bench` through scripts/bench.ts. One round starts a fresh site (real `smsc
 * core` with `core.peer_window = 100`), a bare npm:smpp server as the
 * upstream (tests/support/bare_smpp_server.ts in its own process, answering
 * each submit_sm at once and storing nothing) and a real `smsc uplink` with
 * `[uplink] window = 100`, and measures both scenarios once; the runner
 * repeats rounds and reports medians and spreads. No assertion on speed
 * here (DEVELOPERS.md).
 *
 * The scenarios, in the order a round runs them:
 * - unthrottled (`submit_rate_max = 0`): a warm-up of messages sent while the
 *   link is up; then the upstream stops, N messages to +44… are queued in
 *   core while the uplink is unbound, the upstream starts again on the same
 *   port and the uplink (reconnecting every 50-200 ms) binds and drains them.
 * - paced (`submit_rate_max = 500`): that uplink stops, M messages are queued
 *   with no uplink at all, and an uplink with the rate limit starts and
 *   drains them.
 *
 * The arrival time of each submit_sm is taken at the upstream, in its own
 * process: run as a program (`--bare-upstream`), this file starts the bare
 * server and wraps npm:smpp's `PDU.prototype.response`, which the bare
 * server calls synchronously in its handler of each request; a `times` line
 * on stdin returns the arrival times (epoch ms) seen so far and clears them.
 * Rates start at the first submit_sm the upstream saw: `submit_sm/s` ends at
 * the last one, `discharged/s` when core's STATUS shows no active message
 * left (polled every 10 ms once the upstream has seen them all). CPU per
 * message comes from /proc/PID/stat (utime + stime, 10 ms ticks) over the
 * drain.
 *
 * This file holds no `Deno.bench`: `deno bench` loads it and finds nothing to run.
 *
 * @module
 */

import { CoreClient } from "../../src/transport/core_client.ts";
import { encodePmsRecord } from "../../src/codec/pms/mod.ts";
import { type Daemon, startDaemon } from "../support/daemon.ts";
import { freePort, type Site, withDownlinkSite } from "../support/downlink_site.ts";
import { cliRecord } from "../support/records.ts";
import { cpuMs, epochMs, percentile, until } from "./_common.ts";

/** Figures of one run, by name (unit in the name). */
export type Figures = Record<string, number>;

/** How much each scenario sends in one round. */
export interface UplinkBenchSizes {
  /** Messages sent while the link is up before measuring (JIT warm-up of uplink and core). */
  warm: number;
  /** Messages queued for the unthrottled scenario. */
  free: number;
  /** Messages queued for the paced scenario. */
  paced: number;
  /** `[uplink] submit_rate_max` of the paced scenario (per second). */
  rate: number;
}

/** Scenario names of a round, as the rows of docs/benchmarks.md show them. */
export function uplinkScenarioNames(s: UplinkBenchSizes): Record<string, string> {
  return {
    free: `uplink MT: ${s.free} queued in core -> submit_sm to the bare upstream, ` +
      `unthrottled (uplink.window 100, core.peer_window 100)`,
    paced: `uplink MT: ${s.paced} queued in core -> submit_sm at uplink.submit_rate_max ${s.rate}`,
  };
}

const SUBSCRIBER = "+12125550100";

/** The upstream: this file as a program in its own process, on a fixed port. */
interface Upstream {
  /** Arrival times (epoch ms) of the submit_sm seen since the last call; clears them. */
  times(): Promise<number[]>;
  /** How many submit_sm it has seen since `times` last cleared them. */
  count(): Promise<number>;
  stop(): Promise<void>;
}

async function startUpstream(port: number): Promise<Upstream> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--frozen",
      "--allow-net=127.0.0.1",
      "--allow-env",
      "--allow-read",
      "--config",
      new URL("../../deno.json", import.meta.url).pathname,
      new URL(import.meta.url).pathname,
      "--bare-upstream",
      String(port),
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const writer = child.stdin.getWriter();
  let buffered = "";
  const line = async (): Promise<string> => {
    for (;;) {
      const nl = buffered.indexOf("\n");
      if (nl >= 0) {
        const out = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        return out;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error(`Cannot read the upstream: it ended after "${buffered}"`);
      buffered += value;
    }
  };
  const first = await line();
  if (first !== `listening ${port}`) throw new Error(`Cannot start the upstream: "${first}"`);
  return {
    async times() {
      await writer.write(new TextEncoder().encode("times\n"));
      return JSON.parse(await line()).times;
    },
    async count() {
      await writer.write(new TextEncoder().encode("count\n"));
      return JSON.parse(await line()).count;
    },
    async stop() {
      child.kill("SIGTERM");
      await child.status;
      await reader.cancel().catch(() => {});
      await writer.close().catch(() => {});
    },
  };
}

/** Program mode: the bare server, stamping each submit_sm it answers. */
async function runUpstream(port: number): Promise<void> {
  const { default: smpp } = await import("smpp");
  const { startBareSmppServer } = await import("../support/bare_smpp_server.ts");
  let times: number[] = [];
  const response = smpp.PDU.prototype.response;
  smpp.PDU.prototype.response = function (this: { command: string }, ...args: unknown[]) {
    if (this.command === "submit_sm") times.push(epochMs());
    return response.apply(this, args);
  };
  await startBareSmppServer({ port });
  const write = (text: string) => {
    const bytes = new TextEncoder().encode(text + "\n");
    for (let off = 0; off < bytes.length;) off += Deno.stdout.writeSync(bytes.subarray(off));
  };
  write(`listening ${port}`);
  let buffered = "";
  for await (const chunk of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
    buffered += chunk;
    let nl;
    while ((nl = buffered.indexOf("\n")) >= 0) {
      const cmd = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (cmd === "times") {
        write(JSON.stringify({ times }));
        times = [];
      } else if (cmd === "count") {
        write(JSON.stringify({ count: times.length }));
      }
    }
  }
}

/** SUBMITs `count` messages from a demo subscriber to +44… numbers, 4 clients x window 16. */
async function queueForUpstream(sock: string, count: number): Promise<void> {
  const conns = await Promise.all(Array.from({ length: 4 }, () => CoreClient.connect(sock)));
  try {
    const bytes = Array.from(
      { length: 100 },
      (_, i) =>
        encodePmsRecord(
          cliRecord(SUBSCRIBER, `+4420712345${String(i).padStart(2, "0")}`, "uplink bench"),
        ),
    );
    let left = count;
    const lane = async (c: CoreClient) => {
      while (left > 0) {
        const r = await c.submit(bytes[--left % 100]);
        if (r.result !== "ok") throw new Error(`Cannot queue: ${r.reason.text}`);
      }
    };
    await Promise.all(conns.flatMap((c) => Array.from({ length: 16 }, () => lane(c))));
  } finally {
    await Promise.all(conns.map((c) => c.close()));
  }
}

async function status(c: CoreClient): Promise<Record<string, string>> {
  return Object.fromEntries((await c.status()).map((e) => [e.key, e.value]));
}

/** The upstream's role in core's STATUS: "up", "down", or undefined while unclaimed. */
async function upstreamRole(c: CoreClient): Promise<string | undefined> {
  return (await status(c))["role.peer:"]?.split(" ").pop();
}

async function activeCount(c: CoreClient): Promise<number> {
  return Number((await status(c)).active ?? NaN);
}

/** A config for `smsc uplink` in the site: the site's own config plus an [uplink] table. */
async function writeUplinkConfig(site: Site, name: string, port: number, rate: number) {
  const base = await Deno.readTextFile(`${site.dir}/config.toml`);
  await Deno.writeTextFile(
    `${site.dir}/${name}`,
    `${base}\n[uplink]\nhost = "127.0.0.1"\nport = ${port}\nsystem_id = "bench"\n` +
      `password = "b3nch"\nwindow = 100\nsubmit_rate_max = ${rate}\n` +
      `reconnect_delay_ms_min = 50\nreconnect_delay_ms_max = 200\n`,
  );
}

function startUplink(site: Site, config: string): Promise<Daemon> {
  return startDaemon(["uplink", "--config", config], {
    cwd: site.dir,
    ready: / Upstream link up /,
  });
}

/** What one drain measured. */
interface Drain {
  times: number[];
  dischargedAt: number;
  uplinkCpuMs: number;
  coreCpuMs: number;
}

/** Runs `start` (which brings the upstream link up) and waits until core has nothing active. */
async function drain(
  site: Site,
  c: CoreClient,
  upstream: () => Upstream,
  count: number,
  start: () => Promise<Daemon>,
): Promise<Drain> {
  const corePid = site.core.child.pid;
  const core0 = await cpuMs(corePid);
  const uplink = await start();
  const uplink0 = await cpuMs(uplink.child.pid);
  // The upstream's count first: core's STATUS walks every active record, and polling it
  // throughout would take core's CPU from the drain it measures.
  await until(`${count} submit_sm`, async () => (await upstream().count()) >= count);
  await until(`draining ${count} messages`, async () => (await activeCount(c)) === 0);
  const dischargedAt = epochMs();
  const coreCpuMs = (await cpuMs(corePid)) - core0;
  const uplinkCpuMs = (await cpuMs(uplink.child.pid)) - uplink0;
  const times = await upstream().times();
  if (times.length !== count) {
    throw new Error(`The upstream saw ${times.length} submit_sm, ${count} expected`);
  }
  return { times, dischargedAt, uplinkCpuMs, coreCpuMs };
}

function rates(d: Drain): Figures {
  const n = d.times.length;
  const first = d.times[0];
  return {
    "submit_sm/s": ((n - 1) / (d.times[n - 1] - first)) * 1000,
    "discharged/s": (n / (d.dischargedAt - first)) * 1000,
  };
}

/** `gapFigures`' name for the share of gaps near the nominal interval. */
export function nearGapKey(rate: number): string {
  const nominal = 1000 / rate;
  return `gaps ${nominal / 2}-${(nominal * 3) / 2} ms %`;
}

/**
 * Evenness of the pacing: gaps between consecutive arrivals, the share of
 * them within half an interval of the nominal 1000/rate ms, and the busiest 100 ms.
 */
function gapFigures(times: number[], rate: number): Figures {
  const gaps = times.slice(1).map((t, i) => t - times[i]).sort((a, b) => a - b);
  const nominal = 1000 / rate;
  const near = gaps.filter((g) => Math.abs(g - nominal) <= nominal / 2).length;
  const buckets = new Map<number, number>();
  for (const t of times) {
    const b = Math.floor((t - times[0]) / 100);
    buckets.set(b, (buckets.get(b) ?? 0) + 1);
  }
  return {
    "gap p1 ms": percentile(gaps, 0.01),
    "gap p50 ms": percentile(gaps, 0.5),
    "gap p99 ms": percentile(gaps, 0.99),
    "gap max ms": gaps[gaps.length - 1],
    [nearGapKey(rate)]: (near / gaps.length) * 100,
    "busiest 100 ms": Math.max(...buckets.values()),
  };
}

/**
 * One round of both uplink scenarios on a fresh site.
 *
 * @param sizes messages per scenario and the paced rate
 * @returns the figures of each scenario, keyed as `uplinkScenarioNames`
 * @throws {Error} when a process does not start, a message is lost or sent twice, or a drain stalls
 */
export async function uplinkRound(sizes: UplinkBenchSizes): Promise<Record<string, Figures>> {
  const out: Record<string, Figures> = {};
  const port = freePort();
  let upstream: Upstream | undefined = await startUpstream(port);
  const daemons: Daemon[] = [];
  try {
    await withDownlinkSite({ peers: [], config: "[core]\npeer_window = 100\n" }, async (site) => {
      await writeUplinkConfig(site, "uplink-free.toml", port, 0);
      await writeUplinkConfig(site, "uplink-paced.toml", port, sizes.rate);
      const sock = `${site.dir}/state/core.sock`;
      const c = await CoreClient.connect(sock);
      try {
        // Unthrottled: warm up with the link up, then queue behind a stopped upstream.
        const free = await startUplink(site, "uplink-free.toml");
        daemons.push(free);
        await until("the uplink's up state in core", async () => (await upstreamRole(c)) === "up");
        await queueForUpstream(sock, sizes.warm);
        await until("the warm-up", async () => (await activeCount(c)) === 0);
        await upstream!.stop();
        upstream = undefined;
        await until("the uplink's down state", async () => (await upstreamRole(c)) === "down");
        await queueForUpstream(sock, sizes.free);
        const waiting = await activeCount(c);
        if (waiting !== sizes.free) {
          throw new Error(`Cannot drain: ${waiting} active, ${sizes.free} expected`);
        }
        const freeDrain = await drain(site, c, () => upstream!, sizes.free, async () => {
          upstream = await startUpstream(port);
          return free;
        });
        out.free = {
          ...rates(freeDrain),
          "uplink CPU µs/msg": (freeDrain.uplinkCpuMs * 1000) / sizes.free,
          "core CPU µs/msg": (freeDrain.coreCpuMs * 1000) / sizes.free,
        };
        await free.stop();
        await until("the uplink's release", async () => (await upstreamRole(c)) === undefined);

        // Paced: queue with no uplink at all, then start one limited to `rate`.
        await queueForUpstream(sock, sizes.paced);
        const pacedDrain = await drain(site, c, () => upstream!, sizes.paced, async () => {
          const paced = await startUplink(site, "uplink-paced.toml");
          daemons.push(paced);
          return paced;
        });
        const r = rates(pacedDrain);
        out.paced = {
          ...r,
          "% of rate": (r["submit_sm/s"] / sizes.rate) * 100,
          ...gapFigures(pacedDrain.times, sizes.rate),
        };
      } catch (e) {
        for (const d of daemons) {
          // deno-lint-ignore no-console
          console.error(`--- output of smsc uplink ---\n${d.output()}`);
        }
        throw e;
      } finally {
        await c.close();
        for (const d of daemons) await d.stop();
      }
    });
  } finally {
    await upstream?.stop();
  }
  return out;
}

if (import.meta.main && Deno.args[0] === "--bare-upstream") {
  await runUpstream(Number(Deno.args[1]));
}
