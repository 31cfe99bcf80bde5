/**
 * Durability of `smsc uplink` under SIGKILL (issue #6): core holds many
 * messages for the upstream, the upstream (the scripted npm:smpp server of
 * tests/support/scripted_smsc.ts) answers each submit_sm after a delay so
 * that a full window is always outstanding, and the uplink is killed at
 * moments drawn from a fixed seed and started again. Afterwards every message
 * is discharged `delivered` with the id of a copy the upstream accepted.
 *
 * Duplicates: a submit_sm whose response the dead uplink never passed to
 * core goes back to core's queue and is sent again after the restart (SMPP
 * gives no way to ask whether the upstream kept it). The test counts the
 * messages the upstream received twice, and those it accepted twice (its
 * submit_sm_resp was written before the kill but never reached core), and
 * requires that each kill caused at most a window of them: duplicates are
 * limited to what was in flight.
 */

import { deepStrictEqual, ok } from "node:assert/strict";
import { prng } from "../support/codec_harness.ts";
import { type ReceivedSubmit, until, withUplinkSite } from "../support/scripted_smsc.ts";

const MESSAGES = 300;
const WINDOW = 10;
const KILLS = 3;
const ANSWER_DELAY_MS = 120;

Deno.test({
  name: "uplink: SIGKILL mid-window loses nothing and resends at most a window per kill",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const started = performance.now();
    const rand = prng(0x0b1_6e5d);
    const script = { submit: () => ({ answer: 0, delayMs: ANSWER_DELAY_MS }) };
    await withUplinkSite({ script, window: WINDOW }, async (site) => {
      const sent = Array.from({ length: MESSAGES }, (_, i) => `dur-${i}`);
      const ids = await site.submit(sent);
      // Kill at a seeded point in the stream, while submit_sm are outstanding.
      const killedAt: number[] = [];
      const inFlightAtKill: number[] = [];
      for (let k = 0; k < KILLS; k++) {
        const at = site.server.submits.length + 20 + Math.floor(rand() * 40);
        await until(`${at} submit_sm`, () => site.server.submits.length >= at ? true : undefined);
        await new Promise((r) => setTimeout(r, Math.floor(rand() * ANSWER_DELAY_MS)));
        inFlightAtKill.push(site.server.submits.filter((s) => !s.answer && !s.unanswered).length);
        await site.uplink.kill();
        killedAt.push(site.server.submits.length);
        await site.startUplink();
      }
      const recs = await until("every message delivered", async () => {
        const r = await site.records();
        return ids.every((i) => r[i]?.disposition === "delivered") ? r : undefined;
      }, 60_000);

      const copies = new Map<string, ReceivedSubmit[]>();
      for (const s of site.server.submits) copies.set(s.text, [...(copies.get(s.text) ?? []), s]);
      const wrong: string[] = [];
      const twicePerKill = Array<number>(KILLS).fill(0);
      let acceptedTwice = 0;
      let receivedTwice = 0;
      sent.forEach((text, k) => {
        const c = copies.get(text) ?? [];
        const acceptedIds = c.filter((s) => s.answer?.status === 0).map((s) => s.answer!.messageId);
        if (acceptedIds.length === 0) wrong.push(`${text}: never accepted`);
        if (!acceptedIds.includes(recs[ids[k]].destMessageId)) {
          wrong.push(`${text}: record keeps "${recs[ids[k]].destMessageId}", not ${acceptedIds}`);
        }
        if (c.length > 2) wrong.push(`${text}: received ${c.length} times`);
        if (c.length < 2) return;
        receivedTwice++;
        if (acceptedIds.length > 1) acceptedTwice++;
        // The kill that came between the two copies caused the second.
        const kill = killedAt.findIndex((n) => n >= c[0].n && n < c[1].n);
        if (kill < 0) wrong.push(`${text}: sent again with no kill between (${c[0].n}, ${c[1].n})`);
        else twicePerKill[kill]++;
      });
      deepStrictEqual(wrong.slice(0, 10), [], `${wrong.length} messages wrong`);
      ok(
        twicePerKill.every((n) => n <= WINDOW),
        `at most a window (${WINDOW}) received twice per kill: ${twicePerKill}`,
      );
      ok(receivedTwice > 0, "the kills fell while submit_sm were outstanding");
      // deno-lint-ignore no-console
      console.log(
        `${MESSAGES} messages, ${KILLS} SIGKILLs of uplink with ${inFlightAtKill} submit_sm ` +
          `outstanding at the upstream: ${site.server.submits.length} submit_sm received, ` +
          `${receivedTwice} messages received twice (per kill ${twicePerKill}), ` +
          `${acceptedTwice} accepted twice; all ${MESSAGES} delivered; ` +
          `${Math.round(performance.now() - started)} ms`,
      );
    });
  },
});
