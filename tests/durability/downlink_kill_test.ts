/**
 * Durability of the downlink under SIGKILL (issue #5): ESMEs on npm:smpp
 * (several binds, each keeping a window of submit_sm outstanding) stream
 * messages while `smsc downlink` is killed and restarted, and then while
 * `smsc core` is killed and restarted (the downlink reconnects by itself),
 * at moments drawn from a fixed seed. Afterwards every submit_sm_resp with
 * status 0 that an ESME received names a record in pms.bin with the text,
 * source and destination that were submitted, and no message id was given
 * twice.
 */

import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { Buffer } from "node:buffer";
import { decodeGsm7, unpackSeptets } from "../../src/codec/gsm0338/mod.ts";
import { commandStatusName } from "../../src/codec/smpp/mod.ts";
import { PmsReader } from "../../src/store/pms_reader.ts";
import { prng } from "../support/codec_harness.ts";
import type { Daemon } from "../support/daemon.ts";
import { type Site, withDownlinkSite } from "../support/downlink_site.ts";
import { NpmEsme } from "../support/npm_esme.ts";

const ROUNDS = 2;
const BINDS = 4;
const WINDOW = 8;
const ACME = { name: "acme", systemId: "acme01", password: "s3cret", pool: ["+1303555*"] };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the ESMEs saw, over all rounds. */
interface Tally {
  /** message_id → what was submitted under it. */
  acked: Map<number, { text: string; to: string }>;
  sent: number;
  /** Requests whose connection ended before the response. */
  unanswered: number;
  refused: Map<string, number>;
  duplicates: string[];
  /** Per round, acknowledgements on the surviving binds once core was back. */
  resumed: number[];
}

/** Tells the streamers to stop, and whether core has come back in this round. */
interface Control {
  now: boolean;
  round: number;
  coreBack: boolean;
}

/** One ESME: binds, then WINDOW lanes submit one after another until told to stop or cut off. */
async function streamer(
  port: number,
  tag: string,
  t: Tally,
  stop: Control,
): Promise<void> {
  let esme: NpmEsme;
  try {
    esme = await NpmEsme.connect(port);
  } catch {
    return; // the downlink is down: nothing sent
  }
  let isClosed = false;
  const closed = esme.closed.then(() => {
    isClosed = true;
    return "closed" as const;
  });
  const status = await Promise.race([esme.bind("acme01", "s3cret"), closed]);
  let n = 0;
  const lane = async () => {
    while (!stop.now && !isClosed) {
      const k = n++;
      const text = `${tag}-${k}`;
      const to = `1212555010${k % 10}`;
      t.sent++;
      const r = await Promise.race([
        esme.send("submit_sm", {
          source_addr_ton: 1,
          source_addr_npi: 1,
          source_addr: "13035550100",
          dest_addr_ton: 1,
          dest_addr_npi: 1,
          destination_addr: to,
          short_message: { message: Buffer.from(new TextEncoder().encode(text)) },
        }),
        closed,
      ]);
      if (r === "closed") {
        t.unanswered++;
        return;
      }
      if (r.command_status === 0) {
        const id = Number(r.message_id);
        if (t.acked.has(id)) t.duplicates.push(`${id}: ${t.acked.get(id)!.text} and ${text}`);
        t.acked.set(id, { text, to });
        if (stop.coreBack) t.resumed[stop.round] = (t.resumed[stop.round] ?? 0) + 1;
      } else {
        const name = commandStatusName(r.command_status);
        t.refused.set(name, (t.refused.get(name) ?? 0) + 1);
        await sleep(20); // core is away: do not spin
      }
    }
  };
  if (status === 0) await Promise.all(Array.from({ length: WINDOW }, lane));
  if (isClosed) esme.destroy();
  else await esme.close();
}

function startStreams(site: Site, round: number, phase: string, t: Tally, stop: Control) {
  return Array.from(
    { length: BINDS },
    (_, b) => streamer(site.ports.acme, `r${round}${phase}b${b}`, t, stop),
  );
}

/** Waits until `d` has written `pattern` at least `count` times. */
async function waitCount(d: Daemon, pattern: RegExp, count: number, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while ((d.output().match(new RegExp(pattern, "g"))?.length ?? 0) < count) {
    if (Date.now() > deadline) {
      throw new Error(`fewer than ${count} lines ${pattern}:\n${d.output()}`);
    }
    await sleep(50);
  }
}

Deno.test({
  name:
    "every submit_sm_resp with status 0 is a stored record across SIGKILLs of downlink and core",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const started = performance.now();
    const t: Tally = {
      acked: new Map(),
      sent: 0,
      unanswered: 0,
      resumed: [],
      refused: new Map(),
      duplicates: [],
    };
    const rand = prng(0xd0_5eed);
    const peer = { ...ACME, maxBinds: BINDS * 2 };
    // Reconnect to core quickly, so that the test does not wait out the default backoff.
    const config = "[core_client]\nreconnect_delay_ms_max = 300\n";
    let records = 0;
    await withDownlinkSite({ peers: [peer], config }, async (site) => {
      for (let round = 0; round < ROUNDS; round++) {
        // Kill the downlink mid-stream, start it again, stream on.
        let stop: Control = { now: false, round, coreBack: false };
        let streams = startStreams(site, round, "d", t, stop);
        await sleep(400 + Math.floor(rand() * 600));
        await site.downlinks.acme.kill();
        await Promise.all(streams);
        await site.startDownlink("acme");

        // Kill core mid-stream; the downlink stays, answers ESME_RSYSERR meanwhile and
        // registers again once core is back; the same binds stream on.
        stop = { now: false, round, coreBack: false };
        streams = startStreams(site, round, "c", t, stop);
        await sleep(400 + Math.floor(rand() * 600));
        await site.core.kill();
        await sleep(200 + Math.floor(rand() * 300));
        await site.restartCore();
        await waitCount(site.downlinks.acme, / downlink registered with core/, 2);
        stop.coreBack = true;
        await sleep(500);
        stop.now = true;
        await Promise.all(streams);
      }

      const reader = await PmsReader.openReadOnly(`${site.dir}/state/pms.bin`);
      const wrong: string[] = [];
      try {
        records = reader.recordCount;
        for (const [id, m] of t.acked) {
          if (id >= reader.recordCount) {
            wrong.push(`${id} (${m.text}): beyond the ${reader.recordCount} records`);
            continue;
          }
          const rec = await reader.readRecord(id);
          const text = rec.udhi ? "(udh)" : decodeGsm7(unpackSeptets(rec.ud, rec.udl));
          const got = { text, to: rec.da?.digits, from: rec.oa.digits, peer: rec.sourcePeer };
          const want = { text: m.text, to: m.to, from: "13035550100", peer: "acme" };
          if (JSON.stringify(got) !== JSON.stringify(want)) {
            wrong.push(`${id}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
          }
        }
      } finally {
        await reader.close();
      }
      deepStrictEqual(wrong.slice(0, 20), [], `${wrong.length} acknowledged messages not stored`);
    });
    deepStrictEqual(t.duplicates, [], "one message id per acknowledged submit_sm");
    ok(t.acked.size > 0, "some submit_sm were acknowledged");
    ok(t.unanswered > 0, "the kills fell in the middle of the stream");
    for (let round = 0; round < ROUNDS; round++) {
      ok((t.resumed[round] ?? 0) > 0, `round ${round}: the binds stream on once core is back`);
    }
    strictEqual(t.refused.size > 0, true, "core's absence was answered with an error status");
    // deno-lint-ignore no-console
    console.log(
      `submit_sm sent ${t.sent}: acknowledged ${t.acked.size} (all stored, ${records} records in ` +
        `pms.bin), refused ${JSON.stringify(Object.fromEntries(t.refused))}, cut off by a kill ` +
        `${t.unanswered}, acknowledged once core was back ${
          t.resumed.join("+")
        }; ${ROUNDS} kills each of downlink and core; ${
          Math.round(performance.now() - started)
        } ms`,
    );
  },
});
