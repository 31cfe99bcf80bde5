/**
 * `smsc uplink` against an upstream SMSC that misbehaves (issue #6): an
 * npm:smpp server scripted per bind and per submit_sm
 * (tests/support/scripted_smsc.ts) refuses binds, drops the connection
 * mid-window, throttles, sends receipts in odd formats, stops answering,
 * and sends MO messages and alert_notification. Real `smsc core` (demo
 * subscribers, `core.retry_delays = "1s"`, `core.peer_window = 10`) and real
 * `smsc uplink` (window 10).
 *
 * What every scenario checks: the link comes back, every message ends
 * `delivered` in pms.bin with the upstream's message id, and each message was
 * accepted by the upstream exactly once. A message is sent again only when
 * its earlier copy got no response before the connection ended (SMPP 3.4
 * §7.2 leaves its fate unknown, so resending it is allowed) or was refused
 * with an error status.
 */

import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { Buffer } from "node:buffer";
import { decodeReportPayload, type PmsRecord } from "../../src/codec/pms/mod.ts";
import {
  ABROAD,
  FROM,
  type ReceivedSubmit,
  type ScriptedSmsc,
  STATUS,
  until,
  type UplinkSite,
  withUplinkSite,
} from "../support/scripted_smsc.ts";

const texts = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `${tag}-${i}`);

/** Waits until every id is discharged `delivered`, and returns the records. */
async function allDelivered(site: UplinkSite, ids: number[], timeoutMs = 30_000) {
  return await until(`${ids.length} messages delivered`, async () => {
    const recs = await site.records();
    return ids.every((i) => recs[i]?.disposition === "delivered") ? recs : undefined;
  }, timeoutMs);
}

/** How the copies of each text fared at the upstream. */
interface Copies {
  /** Copies after the first of a text. */
  resent: number;
  /** Copies the connection ended on before their response. */
  unanswered: number;
  /** Copies answered with an error status. */
  refused: number;
}

/**
 * Checks that each text was accepted (status 0 written) exactly once, that
 * every other copy was either unanswered or refused, and that the record of
 * each id keeps the id of its accepted copy.
 */
function acceptedOnce(
  server: ScriptedSmsc,
  sent: string[],
  ids: number[],
  recs: PmsRecord[],
): Copies {
  const byText = new Map<string, ReceivedSubmit[]>();
  for (const s of server.submits) byText.set(s.text, [...(byText.get(s.text) ?? []), s]);
  const c: Copies = { resent: 0, unanswered: 0, refused: 0 };
  const wrong: string[] = [];
  sent.forEach((text, k) => {
    const copies = byText.get(text) ?? [];
    const accepted = copies.filter((s) => s.answer?.status === 0);
    if (accepted.length !== 1) wrong.push(`${text}: accepted ${accepted.length} times`);
    else if (recs[ids[k]].destMessageId !== accepted[0].answer!.messageId) {
      wrong.push(`${text}: record keeps "${recs[ids[k]].destMessageId}"`);
    }
    c.resent += Math.max(0, copies.length - 1);
    for (const s of copies) {
      if (s.answer === undefined && !s.unanswered) wrong.push(`${text}: copy ${s.n} in limbo`);
      if (s.unanswered) c.unanswered++;
      if (s.answer !== undefined && s.answer.status !== 0) c.refused++;
    }
  });
  const extra = [...byText.keys()].filter((t) => !sent.includes(t));
  deepStrictEqual([wrong.slice(0, 10), extra], [[], []]);
  return c;
}

function count(output: string, pattern: RegExp): number {
  return output.split("\n").filter((l) => pattern.test(l)).length;
}

Deno.test("uplink: binds refused (ESME_RBINDFAIL, wrong password) then accepted; the waiting messages go out once", async () => {
  let password = "changed";
  const script = {
    bind: (a: { n: number; password: string }) =>
      a.n === 1
        ? STATUS.ESME_RBINDFAIL
        : a.password === password
        ? STATUS.ESME_ROK
        : STATUS.ESME_RINVPASWD,
  };
  await withUplinkSite({ script, uplinkReady: / uplink registered with core/ }, async (site) => {
    // One message through the command line, the others straight on core's socket.
    const cli = await site.smsc(["submit", FROM, ABROAD], "bind-cli");
    strictEqual(cli.code, 0, cli.stderr);
    const sent = ["bind-cli", ...texts("bind", 4)];
    const ids = [Number(cli.stdout.trim().split(/\s+/)[0]), ...await site.submit(sent.slice(1))];
    await until("three refused binds", () => site.server.binds.length >= 3 ? true : undefined);
    strictEqual(site.server.submits.length, 0, "nothing is sent before a bind is accepted");
    strictEqual(site.server.bound(), 0);
    password = "up-pw"; // the upstream's operator fixes the account
    const recs = await allDelivered(site, ids);
    const c = acceptedOnce(site.server, sent, ids, recs);
    strictEqual(c.resent, 0);
    const out = site.uplink.output();
    ok(count(out, /Upstream link down; reconnecting reason="?bind refused: ESME_RBINDFAIL/) >= 1);
    ok(count(out, /Upstream link down; reconnecting reason="?bind refused: ESME_RINVPASWD/) >= 1);
    strictEqual(count(out, / Upstream link up /), 1);
    ok(!out.includes("up-pw"), "the password is never logged");
    deepStrictEqual(
      site.server.binds.map((b) => [b.command, b.systemId]).slice(0, 1),
      [["bind_transceiver", "smscb"]],
    );
  });
});

Deno.test("uplink: a connection dropped mid-window; the unanswered submit_sm are resent after reconnect", async () => {
  // Answers after 100 ms, so that about a window is outstanding, and ends the
  // connection on receiving the 12th and the 30th submit_sm.
  const script = {
    submit: (s: ReceivedSubmit) =>
      s.n === 12 || s.n === 30 ? { drop: true as const } : { answer: 0, delayMs: 100 },
  };
  await withUplinkSite({ script }, async (site) => {
    const sent = texts("drop", 40);
    const ids = await site.submit(sent);
    const recs = await allDelivered(site, ids);
    const c = acceptedOnce(site.server, sent, ids, recs);
    ok(c.unanswered >= 2, `submit_sm cut off by the drops: ${c.unanswered}`);
    strictEqual(c.resent, c.unanswered, "only what got no response was sent again");
    ok(c.unanswered <= 2 * 10, "at most a window per drop");
    const out = site.uplink.output();
    ok(count(out, /Upstream link down; reconnecting/) >= 2, out);
    ok(count(out, / Upstream link up /) >= 3);
    ok(new Set(site.server.submits.map((s) => s.bind)).size >= 3, "three sessions carried them");
  });
});

Deno.test("uplink: ESME_RTHROTTLED and ESME_RMSGQFUL for a while; the messages are retried later, none lost", async () => {
  let throttleUntil = Infinity;
  const script = {
    submit: (s: ReceivedSubmit) => {
      if (throttleUntil === Infinity) throttleUntil = s.atMs + 1500;
      if (s.atMs >= throttleUntil) return { answer: 0 };
      return { answer: s.n % 4 === 0 ? STATUS.ESME_RMSGQFUL : STATUS.ESME_RTHROTTLED };
    },
  };
  await withUplinkSite({ script }, async (site) => {
    const sent = texts("thr", 30);
    const ids = await site.submit(sent);
    const recs = await allDelivered(site, ids);
    const c = acceptedOnce(site.server, sent, ids, recs);
    ok(c.refused > 0, "some were throttled");
    strictEqual(c.unanswered, 0);
    strictEqual(c.resent, c.refused, "each refused copy was sent again");
    const out = site.uplink.output();
    ok(count(out, /Upstream asks us to slow down status=ESME_RTHROTTLED/) >= 1, out);
    strictEqual(count(out, / Upstream link up /), 1, "throttling keeps the link up");
    // Core counted each refusal as an attempt (a temporary failure, retried after its wait).
    const refusals = (text: string) =>
      site.server.submits.filter((s) => s.text === text && s.answer?.status !== 0).length;
    deepStrictEqual(ids.map((i) => recs[i].attempts), sent.map(refusals));
  });
});

/** The status reports in pms.bin, by the id of the message they are about. */
function reportsByOriginal(recs: PmsRecord[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const r of recs) {
    if (!r.report) continue;
    const p = decodeReportPayload(r.ud);
    if (p.kind !== "status") continue;
    out.set(p.originalId, [...(out.get(p.originalId) ?? []), p.disposition]);
  }
  return out;
}

const RECEIPT_ADDRS = {
  source_addr: ABROAD.slice(1),
  destination_addr: FROM.slice(1),
  esm_class: 0x04,
};

Deno.test("uplink: receipts in odd formats are all answered 0; the matching ones produce the originator's report", async () => {
  await withUplinkSite({}, async (site) => {
    const sent = texts("rcpt", 4);
    const ids = await site.submit(sent, { srr: true });
    const recs = await allDelivered(site, ids);
    acceptedOnce(site.server, sent, ids, recs);
    ok(site.server.submits.every((s) => s.registeredDelivery === 1));
    const [a, b, c, d] = ids.map((i) => recs[i].destMessageId);
    const text = (s: string) => ({ short_message: Buffer.from(s, "latin1") });
    const answers = [];
    // TLVs only, no text.
    answers.push(
      await site.server.sendDeliver({
        ...RECEIPT_ADDRS,
        receipted_message_id: a,
        message_state: 2,
      }),
    );
    // Text only, Appendix B's form.
    answers.push(
      await site.server.sendDeliver({
        ...RECEIPT_ADDRS,
        ...text(
          `id:${b} sub:001 dlvrd:001 submit date:2501011200 done date:2501011201 stat:DELIVRD ` +
            `err:000 text:rcpt-1`,
        ),
      }),
    );
    // An id we never got.
    answers.push(
      await site.server.sendDeliver({
        ...RECEIPT_ADDRS,
        receipted_message_id: "999999",
        message_state: 2,
      }),
    );
    // Garbage where the text should be.
    answers.push(
      await site.server.sendDeliver({ ...RECEIPT_ADDRS, ...text("\x01\xffnot a receipt at all") }),
    );
    // ENROUTE (intermediate), then the final UNDELIV for the same message.
    answers.push(
      await site.server.sendDeliver({
        ...RECEIPT_ADDRS,
        receipted_message_id: c,
        message_state: 1,
      }),
    );
    await new Promise((r) => setTimeout(r, 300));
    deepStrictEqual(reportsByOriginal(await site.records()).get(ids[2]), undefined);
    answers.push(
      await site.server.sendDeliver({
        ...RECEIPT_ADDRS,
        ...text(
          `id:${c} sub:001 dlvrd:000 submit date:2501011200 done date:2501011202 ` +
            `stat:UNDELIV err:012 text:`,
        ),
      }),
    );
    // Lower-case keys with underscores, 12-digit dates, no text field.
    answers.push(
      await site.server.sendDeliver({
        ...RECEIPT_ADDRS,
        ...text(
          `ID:${d} SUB:1 DLVRD:0 SUBMIT_DATE:250101120000 DONE_DATE:250103120000 STAT:EXPIRED`,
        ),
      }),
    );
    deepStrictEqual(answers, [0, 0, 0, 0, 0, 0, 0]);
    const reports = await until("four reports", async () => {
      const m = reportsByOriginal(await site.records());
      return m.size >= 4 ? m : undefined;
    });
    await new Promise((r) => setTimeout(r, 300)); // nothing more may follow
    deepStrictEqual(
      Object.fromEntries(reportsByOriginal(await site.records())),
      Object.fromEntries(reports),
    );
    deepStrictEqual(Object.fromEntries(reports), {
      [ids[0]]: ["delivered"],
      [ids[1]]: ["delivered"],
      [ids[2]]: ["failed-permanent"],
      [ids[3]]: ["expired"],
    });
    const report = (await site.records()).find((r) => r.report && r.da?.digits === FROM.slice(1));
    strictEqual(report?.oa.digits, ABROAD.slice(1));
    const out = site.uplink.output();
    ok(count(out, /Intermediate receipt from the upstream ignored/) === 1, out);
    ok(count(out, /Receipt from the upstream without id or state/) === 1, out);
    ok(/Receipt matches no message sent with a report request/.test(site.core.output()));
    strictEqual(count(out, / Upstream link up /), 1);
  });
});

Deno.test("uplink: an upstream that answers nothing, not even enquire_link, is dropped and reconnected; nothing is lost", async () => {
  let silent = true;
  const script = {
    submit: () => silent ? { silent: true as const } : { answer: 0 },
    answerEnquireLink: () => !silent,
  };
  // The unanswered enquire_link drops the link (reason enquire-link-timeout); a submit_sm
  // response timeout alone does not (the ignored test below).
  const uplink = "response_timeout_ms = 400\nenquire_link_ms = 300\n";
  await withUplinkSite({ script, uplink }, async (site) => {
    const sent = texts("mute", 5);
    const ids = await site.submit(sent);
    await until(
      "two reconnects",
      () => count(site.uplink.output(), /Upstream link down; reconnecting/) >= 2 ? true : undefined,
    );
    ok(site.server.submits.length >= 1);
    ok(site.server.submits.every((s) => s.answer === undefined));
    silent = false;
    const recs = await allDelivered(site, ids);
    const c = acceptedOnce(site.server, sent, ids, recs);
    ok(c.unanswered >= 1, `unanswered copies: ${c.unanswered}`);
    strictEqual(c.refused, 0);
    ok(site.server.binds.length >= 3);
  });
});

Deno.test({
  name:
    "uplink: an upstream that answers submit_sm only after the response timeout (enquire_link at once) is dropped, so nothing is accepted twice",
  // A submit_sm response timeout drops the link (link.ts `deliver`), so a late answer cannot
  // lead to a second copy on the same session.
  async fn() {
    let slowUntil = Infinity;
    const script = {
      submit: (s: ReceivedSubmit) => {
        if (slowUntil === Infinity) slowUntil = s.atMs + 2000;
        return s.atMs < slowUntil ? { answer: 0, delayMs: 600 } : { answer: 0 };
      },
    };
    const uplink = "response_timeout_ms = 400\nenquire_link_ms = 300\n";
    await withUplinkSite({ script, uplink }, async (site) => {
      const sent = texts("slow", 5);
      const ids = await site.submit(sent);
      const recs = await allDelivered(site, ids);
      acceptedOnce(site.server, sent, ids, recs);
      ok(/Upstream link down; reconnecting/.test(site.uplink.output()), "the link was dropped");
    });
  },
});

Deno.test("uplink: MO from the upstream to a subscriber is stored and answered 0; to an unknown number ESME_RINVDSTADR; alert_notification is logged, not answered", async () => {
  await withUplinkSite({}, async (site) => {
    const mo = {
      source_addr: "442071234567",
      destination_addr: "12125550101",
      short_message: Buffer.from("hello from abroad"),
    };
    strictEqual(await site.server.sendDeliver(mo), 0);
    const stored = (await site.records()).filter((r) => r.sourceClass === "upstream");
    strictEqual(stored.length, 1, "stored before deliver_sm_resp");
    deepStrictEqual(
      [stored[0].oa.digits, stored[0].da?.digits, stored[0].state, stored[0].report === true],
      ["442071234567", "12125550101", "active", false],
    );
    strictEqual(
      await site.server.sendDeliver({ ...mo, destination_addr: "14155550199" }),
      STATUS.ESME_RINVDSTADR,
    );
    ok(
      /^warn uplink\[inbound\] Upstream sent a message to a number we do not serve/m.test(
        site.uplink.output(),
      ),
      site.uplink.output(),
    );
    site.server.sendAlert({
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: "442071234567",
      esme_addr_ton: 1,
      esme_addr_npi: 1,
      esme_addr: "12125550101",
    });
    await site.uplink.waitFor(/alert_notification from the upstream/, 5000);
    // The link carries on: a later MO is answered, and nothing answered the alert.
    strictEqual(await site.server.sendDeliver({ ...mo, short_message: Buffer.from("again") }), 0);
    const counts = site.server.counts();
    deepStrictEqual([counts.generic_nack, counts.alert_notification_resp], [undefined, undefined]);
    strictEqual(site.server.bound(), 1);
    strictEqual(count(site.uplink.output(), / Upstream link up /), 1);
    strictEqual((await site.records()).filter((r) => r.sourceClass === "upstream").length, 2);
  });
});

Deno.test("uplink: submit_rate_max = 50 paces 100 messages over about 2 s", async () => {
  await withUplinkSite({ uplink: "submit_rate_max = 50\n" }, async (site) => {
    const sent = texts("rate", 100);
    const ids = await site.submit(sent);
    const recs = await allDelivered(site, ids);
    acceptedOnce(site.server, sent, ids, recs);
    const at = site.server.submits.map((s) => s.atMs);
    const spanMs = Math.max(...at) - Math.min(...at);
    // 99 gaps of 20 ms; a lower bound only, since a slow machine may take longer.
    ok(spanMs >= 1800, `100 submit_sm within ${Math.round(spanMs)} ms`);
    // deno-lint-ignore no-console
    console.log(`100 submit_sm at submit_rate_max 50: ${Math.round(spanMs)} ms`);
  });
});
