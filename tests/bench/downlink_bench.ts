/**
 * Process-level benchmarks of `smsc downlink` (issue #5), run by `deno task
 * bench` through scripts/bench.ts. One round starts a fresh site (real `smsc
 * core` with `core.peer_window = 1000`, the peer in numbers.db, a real `smsc
 * downlink`), a bare npm:smpp server in its own process (the ceiling), and
 * measures every scenario once, so that the ratios compare figures taken
 * minutes apart at most on the same machine. The runner repeats rounds and
 * reports medians and spreads. The ESMEs are the raw clients of
 * `_smpp_load.ts`. No assertion on speed here (DEVELOPERS.md).
 *
 * The scenarios, in the order a round runs them:
 * - MT: messages queued in core for the peer while no receiver is bound,
 *   then one ESME binds (downlink.window 10) and receives them all.
 * - the bare server, then downlink + core, with 10 binds x window 10, as fast
 *   as the binds get answers (closed loop: the capacity).
 * - downlink + core again, the same binds offered issue #5's 25,000/s on a
 *   fixed schedule (open loop: the latency at that rate).
 * - one bind, window 1 (latency).
 * - fairness: 3 binds x window 10 alone, then the same beside a fourth
 *   bind flooding at window 1000.
 *
 * This file holds no `Deno.bench`: `deno bench` loads it and finds nothing to run.
 *
 * @module
 */

import { CoreClient } from "../../src/transport/core_client.ts";
import { encodePmsRecord } from "../../src/codec/pms/mod.ts";
import { type Site, type SitePeer, withDownlinkSite } from "../support/downlink_site.ts";
import { cliRecord } from "../support/records.ts";
import { RawEsme, type SmppLoadResult, submitSmTemplate } from "./_smpp_load.ts";
import { percentile } from "./_common.ts";

/** Figures of one run, by name (unit in the name). */
export type Figures = Record<string, number>;

/** How much each scenario sends in one round. */
export interface DownlinkBenchSizes {
  /** submit_sm of the 10 x 10 scenarios (bare and downlink); one tenth for 1 x 1. */
  submits: number;
  /** Messages queued in core for the MT scenario. */
  mt: number;
  /** submit_sm of each of the 3 measured binds of the fairness scenario. */
  fairnessEach: number;
}

/**
 * The paced row's offered rate: issue #5's target of 25,000 durably
 * acknowledged submit_sm/s with 10 binds x window 10 and p99 under 10 ms.
 */
export const OFFERED_PER_S = 25_000;

/** Scenario names of a round, as the rows of docs/benchmarks.md show them. */
export function downlinkScenarioNames(s: DownlinkBenchSizes): Record<string, string> {
  return {
    mt: `downlink MT: ${s.mt} queued in core -> deliver_sm to 1 ESME (downlink.window 10)`,
    bare: `bare npm:smpp server (no store), 10 binds x window 10, ${s.submits} submit_sm`,
    submit: `downlink submit_sm -> core (durable), 10 binds x window 10, ${s.submits} submit_sm`,
    paced: `downlink submit_sm -> core (durable), offered at ${OFFERED_PER_S}/s, ` +
      `10 binds x window 10, ${s.submits} submit_sm`,
    single: `downlink submit_sm -> core (durable), 1 bind x window 1, ${s.submits / 10} submit_sm`,
    alone: `downlink fairness: 3 binds x window 10, ${s.fairnessEach} submit_sm each, alone`,
    flooded: `downlink fairness: the same 3 binds beside 1 bind flooding at window 1000`,
  };
}

const PEER: SitePeer = {
  name: "acme",
  systemId: "acme01",
  password: "b3nch",
  pool: ["+1303555*"],
  maxBinds: 16,
};
const SOURCE = "13035550100";
// A demo GSM subscriber: with no gsmif, messages to it stay active in core.
const SUBSCRIBER = "12125550101";

/** `promise`, or an error after `ms`: a stuck server fails the bench instead of hanging it. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Cannot finish ${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

const LOAD_MS_MAX = 120_000;

/** Rate, p50 and p99 of several ESMEs' results over `seconds`; throws on any refusal. */
function loadFigures(results: SmppLoadResult[], seconds: number): Figures {
  const failed = results.reduce((n, r) => n + r.failed, 0);
  if (failed > 0) {
    const status = results.find((r) => r.firstFailure !== undefined)!.firstFailure!;
    throw new Error(`${failed} submit_sm refused, first with 0x${status.toString(16)}`);
  }
  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  return {
    "msg/s": latencies.length / seconds,
    "p50 ms": percentile(latencies, 0.5),
    "p99 ms": percentile(latencies, 0.99),
  };
}

async function bindMany(port: number, count: number): Promise<RawEsme[]> {
  const esmes: RawEsme[] = [];
  for (let i = 0; i < count; i++) {
    esmes.push(await RawEsme.bind(port, PEER.systemId, PEER.password, "bind_transmitter"));
  }
  return esmes;
}

/**
 * `binds` ESMEs with `window` each send `total` submit_sm between them: as
 * fast as they are answered, or with `ratePerS` offered on a fixed schedule,
 * split evenly between the binds and staggered so that the sends are evenly
 * spaced in all. Paced, the latency runs from each one's scheduled time.
 */
async function submitLoad(
  port: number,
  binds: number,
  window: number,
  total: number,
  ratePerS?: number,
): Promise<Figures> {
  const esmes = await bindMany(port, binds);
  try {
    const template = submitSmTemplate(SOURCE, SUBSCRIBER, "bench message");
    const budget = { left: total };
    const t0 = performance.now();
    const load = (e: RawEsme, k: number) => {
      if (ratePerS === undefined) return e.submitLoad(template, budget, window);
      const own = { left: Math.floor(total / binds) + (k < total % binds ? 1 : 0) };
      const startMs = t0 + (k * 1000) / ratePerS;
      return e.submitLoad(template, own, window, { ratePerS: ratePerS / binds, startMs });
    };
    const results = await within(
      Promise.all(esmes.map(load)),
      LOAD_MS_MAX,
      `${total} submit_sm`,
    );
    return loadFigures(results, (performance.now() - t0) / 1000);
  } finally {
    await Promise.all(esmes.map((e) => e.unbind()));
  }
}

/** Fairness: 3 binds at window 10 alone, then beside a flooder at window 1000. */
async function fairness(port: number, each: number): Promise<{ alone: Figures; flooded: Figures }> {
  const template = submitSmTemplate(SOURCE, SUBSCRIBER, "bench message");
  const measured = async (esmes: RawEsme[]) => {
    const t0 = performance.now();
    const results = await within(
      Promise.all(esmes.map((e) => e.submitLoad(template, { left: each }, 10))),
      LOAD_MS_MAX,
      "the fairness load",
    );
    return loadFigures(results, (performance.now() - t0) / 1000);
  };
  const three = await bindMany(port, 3);
  const flooder = (await bindMany(port, 1))[0];
  try {
    const alone = await measured(three);
    const floodBudget = { left: Number.POSITIVE_INFINITY };
    let flooderEnded = false;
    const flooding = flooder.submitLoad(template, floodBudget, 1000).finally(() => {
      flooderEnded = true;
    });
    // Let the flood fill the downlink's in-flight limit and core's queue first.
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    const flooded = await measured(three);
    const seconds = (performance.now() - t0) / 1000;
    if (flooderEnded) throw new Error("Cannot measure fairness: the flooder's connection ended");
    floodBudget.left = 0;
    const flood = await within(flooding, LOAD_MS_MAX, "the flood");
    if (flood.failed > 0) {
      const first = flood.firstFailure!.toString(16);
      throw new Error(`${flood.failed} flooding submit_sm refused, first with 0x${first}`);
    }
    return {
      alone,
      flooded: {
        ...flooded,
        "p99 / alone p99": flooded["p99 ms"] / alone["p99 ms"],
        // Its answers over the measured interval and the 300 ms before it: an approximation.
        "flooder msg/s": flood.latencies.length / (seconds + 0.3),
      },
    };
  } finally {
    await Promise.all([...three, flooder].map((e) => e.unbind()));
  }
}

/** SUBMITs `count` messages from a subscriber to the peer's pool, 4 clients x window 16. */
async function queueMt(sock: string, count: number): Promise<void> {
  const conns = await Promise.all(Array.from({ length: 4 }, () => CoreClient.connect(sock)));
  try {
    const bytes = Array.from(
      { length: 100 },
      (_, i) =>
        encodePmsRecord(
          cliRecord("+12125550100", `+130355501${String(i).padStart(2, "0")}`, "mt bench"),
        ),
    );
    let left = count;
    const lane = async (c: CoreClient) => {
      while (left > 0) {
        const r = await c.submit(bytes[--left % 100]);
        if (r.result !== "ok") throw new Error(`Cannot queue MT: ${r.reason.text}`);
      }
    };
    await Promise.all(conns.flatMap((c) => Array.from({ length: 16 }, () => lane(c))));
  } finally {
    await Promise.all(conns.map((c) => c.close()));
  }
}

async function activeCount(c: CoreClient): Promise<number> {
  return Number((await c.status()).find((e) => e.key === "active")?.value ?? NaN);
}

/** MT: `count` messages wait in core, then one ESME binds and receives them. */
async function mtScenario(site: Site, count: number): Promise<Figures> {
  const sock = `${site.dir}/state/core.sock`;
  await queueMt(sock, count);
  const status = await CoreClient.connect(sock);
  try {
    const waiting = await activeCount(status);
    if (waiting !== count) throw new Error(`Cannot run MT: ${waiting} active, ${count} expected`);
    const t0 = performance.now();
    const esme = await RawEsme.bind(site.ports[PEER.name], PEER.systemId, PEER.password);
    try {
      await within(esme.waitDelivered(count), LOAD_MS_MAX, `${count} deliver_sm`);
      const received = (performance.now() - t0) / 1000;
      // Discharged: core has stored the outcome of every one (polled, so a few ms late at most).
      for (let i = 0; i < 3000 && (await activeCount(status)) > 0; i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      const discharged = (performance.now() - t0) / 1000;
      return { "deliver_sm/s": count / received, "discharged/s": count / discharged };
    } finally {
      await esme.unbind();
    }
  } finally {
    await status.close();
  }
}

/** The bare npm:smpp server as its own process (so that it gets a CPU of its own, as downlink does). */
async function startBare(): Promise<{ port: number; stop: () => Promise<void> }> {
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
      new URL("../support/bare_smpp_server.ts", import.meta.url).pathname,
      "--port",
      "0",
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!/listening \d+/.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`Cannot start the bare server: it said "${text}"`);
    text += value;
  }
  return {
    port: Number(text.match(/listening (\d+)/)![1]),
    stop: async () => {
      child.kill("SIGTERM");
      await child.status;
      await reader.cancel().catch(() => {});
      await child.stdin.close().catch(() => {});
    },
  };
}

/**
 * One round of every downlink scenario on a fresh site.
 *
 * @param sizes messages per scenario
 * @returns the figures of each scenario, keyed as `downlinkScenarioNames`
 * @throws {Error} when a submit_sm is refused or a process does not start
 */
export async function downlinkRound(sizes: DownlinkBenchSizes): Promise<Record<string, Figures>> {
  const out: Record<string, Figures> = {};
  await withDownlinkSite(
    { peers: [PEER], config: "[core]\npeer_window = 1000\n" },
    async (site) => {
      const port = site.ports[PEER.name];
      out.mt = await mtScenario(site, sizes.mt);
      const bare = await startBare();
      try {
        // Warm both servers' code paths (JIT) alike before measuring.
        await submitLoad(bare.port, 10, 10, 2000);
        await submitLoad(port, 10, 10, 2000);
        out.bare = await submitLoad(bare.port, 10, 10, sizes.submits);
      } finally {
        await bare.stop();
      }
      out.submit = await submitLoad(port, 10, 10, sizes.submits);
      out.submit["% of bare"] = (out.submit["msg/s"] / out.bare["msg/s"]) * 100;
      out.paced = await submitLoad(port, 10, 10, sizes.submits, OFFERED_PER_S);
      out.single = await submitLoad(port, 1, 1, sizes.submits / 10);
      const f = await fairness(port, sizes.fairnessEach);
      out.alone = f.alone;
      out.flooded = f.flooded;
    },
  );
  return out;
}
