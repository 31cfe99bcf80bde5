/**
 * `deno task bench`: runs the process-level scenarios of
 * tests/bench/scenarios.ts, each several times, the rounds of
 * tests/bench/downlink_bench.ts, tests/bench/uplink_bench.ts and
 * tests/bench/gsmif_bench.ts (with sipp), and the `deno bench` files in
 * tests/bench/; prints the figures and rewrites the generated part of
 * docs/benchmarks.md (between the BEGIN/END markers) with the medians and the
 * min-max spread of this run.
 *
 * Options: --quick (fewer repeats and smaller files, for a smoke run),
 * --no-write (do not touch docs/benchmarks.md).
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  deliverScenario,
  type Figures,
  prepareStartup,
  searchScenario,
  startupScenario,
  submitScenario,
  writePmsFile,
} from "../tests/bench/scenarios.ts";
import { runSmsc } from "../tests/support/spawn.ts";
import { downlinkRound, downlinkScenarioNames } from "../tests/bench/downlink_bench.ts";
import { nearGapKey, uplinkRound, uplinkScenarioNames } from "../tests/bench/uplink_bench.ts";
import { gsmifBenchSizes, gsmifRound, gsmifScenarioNames } from "../tests/bench/gsmif_bench.ts";
import { hasSipp } from "../tests/support/sipp.ts";

const { values } = parseArgs({
  options: { quick: { type: "boolean" }, "no-write": { type: "boolean" } },
});
const quick = values.quick === true;
const REPEATS = quick ? 2 : 5;

interface Row {
  scenario: string;
  figures: Record<string, { median: number; min: number; max: number }>;
}

function summarize(runs: Figures[]): Row["figures"] {
  const out: Row["figures"] = {};
  for (const key of Object.keys(runs[0])) {
    const v = runs.map((r) => r[key]).sort((a, b) => a - b);
    out[key] = { median: v[Math.floor(v.length / 2)], min: v[0], max: v[v.length - 1] };
  }
  return out;
}

async function repeat(scenario: string, fn: () => Promise<Figures>, rows: Row[]): Promise<void> {
  const runs: Figures[] = [];
  for (let i = 0; i < REPEATS; i++) runs.push(await fn());
  report(scenario, runs, rows);
}

function report(scenario: string, runs: Figures[], rows: Row[]): void {
  const row = { scenario, figures: summarize(runs) };
  rows.push(row);
  const text = Object.entries(row.figures).map(([k, f]) =>
    `${k} ${fmt(f.median)} (${fmt(f.min)}-${fmt(f.max)})`
  );
  Deno.stdout.writeSync(new TextEncoder().encode(`${scenario}: ${text.join(", ")}\n`));
}

function fmt(n: number): string {
  return n >= 100 ? Math.round(n).toString() : n.toFixed(2);
}

const rows: Row[] = [];
const total = quick ? 5_000 : 40_000;
// The ceiling, side by side: the same clients and window, a request core
// answers from memory, so that the SUBMIT rows can be read as a ratio of it.
await repeat(
  `socket round trip (no store), 8 clients x window 32, ${total} requests`,
  () => submitScenario(8, 32, total, "roundtrip"),
  rows,
);
await repeat(
  `SUBMIT, 8 clients x window 32, ${total} messages`,
  () => submitScenario(8, 32, total),
  rows,
);
await repeat(
  `SUBMIT, 8 clients x window 16, ${total} messages`,
  () => submitScenario(8, 16, total),
  rows,
);
await repeat(
  `SUBMIT, 4 clients x window 16, ${total} messages`,
  () => submitScenario(4, 16, total),
  rows,
);
await repeat(
  `SUBMIT, 1 client x window 1, ${total / 10} messages`,
  () => submitScenario(1, 1, total / 10),
  rows,
);

for (const [clients, window] of [[8, 32], [4, 32]]) {
  await repeat(
    `SUBMIT -> DELIVER_TO_PEER -> discharge, ${clients} clients x window ${window}, ${total} messages`,
    () => deliverScenario(clients, window, total),
    rows,
  );
}
// The latency at issue #4's target rate: an offered load of 20,000 SUBMITs/s.
const paced = quick ? 5_000 : 20_000;
await repeat(
  `SUBMIT -> DELIVER_TO_PEER -> discharge, offered at ${paced}/s, 8 clients x window 32, ${total} messages`,
  () => deliverScenario(8, 32, total, paced),
  rows,
);

// The downlink (issue #5): every scenario once per round on a fresh site, so
// that the ratio to the bare server compares figures of the same minute.
const downlinkSizes = quick
  ? { submits: 5_000, mt: 2_000, fairnessEach: 1_000 }
  : { submits: total, mt: total / 2, fairnessEach: 5_000 };
const downlinkNames = downlinkScenarioNames(downlinkSizes);
const downlinkRuns: Record<string, Figures[]> = {};
for (let i = 0; i < REPEATS; i++) {
  for (const [key, f] of Object.entries(await downlinkRound(downlinkSizes))) {
    (downlinkRuns[key] ??= []).push(f);
  }
}
for (const [key, runs] of Object.entries(downlinkRuns)) report(downlinkNames[key], runs, rows);
const downlinkRow = (key: string) => rows.find((r) => r.scenario === downlinkNames[key])!.figures;

// The uplink (issue #6): both scenarios once per round on a fresh site, against
// the bare server as the upstream, unthrottled and at submit_rate_max.
const uplinkSizes = quick
  ? { warm: 500, free: 2_000, paced: 1_000, rate: 500 }
  : { warm: 2_000, free: total / 2, paced: 5_000, rate: 500 };
const uplinkNames = uplinkScenarioNames(uplinkSizes);
const uplinkRuns: Record<string, Figures[]> = {};
for (let i = 0; i < REPEATS; i++) {
  for (const [key, f] of Object.entries(await uplinkRound(uplinkSizes))) {
    (uplinkRuns[key] ??= []).push(f);
  }
}
for (const [key, runs] of Object.entries(uplinkRuns)) report(uplinkNames[key], runs, rows);
const uplinkRow = (key: string) => rows.find((r) => r.scenario === uplinkNames[key])!.figures;

// gsmif (issue #7): MT to registered sipp UEs, then MO at each offered rate, once per round on
// a fresh site; skipped without sipp (scripts/test_deps.sh installs it).
const gsmifSizes = gsmifBenchSizes(quick);
const gsmifNames = gsmifScenarioNames(gsmifSizes);
const withSipp = await hasSipp();
if (withSipp) {
  const gsmifRuns: Record<string, Figures[]> = {};
  for (let i = 0; i < REPEATS; i++) {
    for (const [key, f] of Object.entries(await gsmifRound(gsmifSizes))) {
      (gsmifRuns[key] ??= []).push(f);
    }
  }
  for (const [key, runs] of Object.entries(gsmifRuns)) report(gsmifNames[key], runs, rows);
} else {
  Deno.stdout.writeSync(new TextEncoder().encode("gsmif: skipped, sipp is not installed\n"));
}
const gsmifRow = (key: string) => rows.find((r) => r.scenario === gsmifNames[key])!.figures;
const [moLow, moHigh] = [gsmifSizes.moRates[0], gsmifSizes.moRates.at(-1)!];

const historical = quick ? 100_000 : 1_000_000;
const startDir = await prepareStartup(historical, 10_000);
try {
  await repeat(
    `core start-up to ready, ${historical} historical + 10000 active`,
    () => startupScenario(startDir),
    rows,
  );
} finally {
  await Deno.remove(startDir, { recursive: true });
}

const big = quick ? 1_000_000 : 10_000_000;
const bigDir = await Deno.makeTempDir({ prefix: "smsc-bench-search-" });
try {
  await Deno.mkdir(`${bigDir}/state`);
  await writePmsFile(`${bigDir}/state/pms.bin`, big, 0, 1_700_000_000_000);
  await repeat(
    `time search in pms.bin of ${big} records (in process, 200 probes)`,
    () => searchScenario(`${bigDir}/state/pms.bin`, big, 200),
    rows,
  );
  await repeat(`smsc dump --from TIME --count 1 on ${big} records (whole command)`, async () => {
    const t0 = performance.now();
    const r = await runSmsc(["dump", "--from", "@1700005000", "--count", "1"], { cwd: bigDir });
    if (r.code !== 0) throw new Error(`dump failed: ${r.stderr}`);
    return { "command ms": performance.now() - t0 };
  }, rows);
} finally {
  await Deno.remove(bigDir, { recursive: true });
}

const ceiling = rows[0].figures["msg/s"].median;
const ratio = rows[1].figures["msg/s"].median / ceiling;
Deno.stdout.writeSync(
  new TextEncoder().encode(`SUBMIT / socket round trip: ${ratio.toFixed(2)}\n`),
);
const cpu = (await Deno.readTextFile("/proc/cpuinfo")).match(/model name\s*:\s*(.*)/)?.[1] ??
  "unknown CPU";
const lines = [
  "<!-- BEGIN generated by scripts/bench.ts -->",
  `Run on ${
    new Date().toISOString().slice(0, 10)
  }, ${navigator.hardwareConcurrency} cores (${cpu}), ` +
  `Deno ${Deno.version.deno}; each scenario ${REPEATS} times: median (min-max).`,
  "",
  "| scenario | figure | median | min | max |",
  "| --- | --- | --- | --- | --- |",
  ...rows.flatMap((r) =>
    Object.entries(r.figures).map(([k, f]) =>
      `| ${r.scenario} | ${k} | ${fmt(f.median)} | ${fmt(f.min)} | ${fmt(f.max)} |`
    )
  ),
  "",
  `Durable SUBMIT (8 x 32) reaches ${
    (ratio * 100).toFixed(0)
  } % of the socket round-trip rate of the same run.`,
  "",
  `downlink + core (10 binds x 10) reaches ${
    downlinkRow("submit")["% of bare"].median.toFixed(0)
  } % of the bare npm:smpp server's submit_sm rate (median of the per-round ratios); ` +
  `beside a flooding bind the other binds' p99 is ${
    downlinkRow("flooded")["p99 / alone p99"].median.toFixed(1)
  } times their p99 alone.`,
  "",
  `uplink to an upstream that answers at once: ${
    fmt(uplinkRow("free")["submit_sm/s"].median)
  } submit_sm/s unthrottled (${
    fmt(uplinkRow("free")["discharged/s"].median)
  } discharged/s); at submit_rate_max ${uplinkSizes.rate}, ${
    fmt(uplinkRow("paced")["submit_sm/s"].median)
  } submit_sm/s, with ${
    uplinkRow("paced")[nearGapKey(uplinkSizes.rate)].median.toFixed(0)
  } % of the gaps between submit_sm at the upstream within ${
    nearGapKey(uplinkSizes.rate).replace(/^gaps | %$/g, "")
  } (p1 ${fmt(uplinkRow("paced")["gap p1 ms"].median)} ms, p99 ${
    fmt(uplinkRow("paced")["gap p99 ms"].median)
  } ms).`,
  ...(withSipp
    ? [
      "",
      `gsmif with sipp UEs over TCP: MO at ${moLow}/s offered, RP-ACK p50 ${
        fmt(gsmifRow(`mo${moLow}`)["p50 ms"].median)
      } ms and p99 ${fmt(gsmifRow(`mo${moLow}`)["p99 ms"].median)} ms; offered ${moHigh}/s, ${
        fmt(gsmifRow(`mo${moHigh}`)["MO/s"].median)
      } MO/s (the ceiling); MT to ${gsmifSizes.mtUes} subscribers ${
        fmt(gsmifRow("mt")["MT/s"].median)
      } MT/s, one subscriber's next message ${
        fmt(gsmifRow("mt")["cycle p50 ms"].median)
      } ms after the last (p50).`,
    ]
    : []),
  "<!-- END generated by scripts/bench.ts -->",
];
if (!values["no-write"] && !quick) {
  const path = new URL("../docs/benchmarks.md", import.meta.url);
  const old = await Deno.readTextFile(path).catch(() => "");
  const re =
    /<!-- BEGIN generated by scripts\/bench.ts -->[\s\S]*<!-- END generated by scripts\/bench.ts -->/;
  await Deno.writeTextFile(
    path,
    re.test(old) ? old.replace(re, lines.join("\n")) : `${old}\n${lines.join("\n")}\n`,
  );
}
Deno.stdout.writeSync(new TextEncoder().encode(lines.join("\n") + "\n"));
