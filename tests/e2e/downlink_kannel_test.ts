/**
 * `smsc downlink` against Kannel 1.4.5 (Debian `kannel`), an ESME nobody here
 * wrote (issue #5): bearerbox binds to the downstream peer "kannel" as an
 * SMPP 3.4 client, messages go in through smsbox's sendsms, and what Kannel
 * receives comes out at the harness's get-url (MO) and dlr-url (delivery
 * reports). A second peer, "beta", is a Perl Net::SMPP transceiver: it reads
 * what Kannel submitted octet for octet, accepts or refuses it (which makes
 * the receipt Kannel gets), and sends Kannel messages of its own. Real
 * `smsc core` and `smsc downlink` processes.
 *
 * @module
 */

import { deepStrictEqual, match, rejects, strictEqual } from "node:assert/strict";
import { SMPP_STATUS } from "../../src/codec/smpp/mod.ts";
import { PmsReader } from "../../src/store/pms_reader.ts";
import { type Site, withDownlinkSite } from "../support/downlink_site.ts";
import { Kannel } from "../support/kannel.ts";
import { type NetSmppDeliverSm, NetSmppError, NetSmppEsme, toHex } from "../support/netsmpp.ts";

const KANNEL = { name: "kannel", systemId: "kannel01", password: "k4nnel", pool: ["+1303555*"] };
const BETA = { name: "beta", systemId: "beta01", password: "b3ta", pool: ["+1720555*"] };
const KANNEL_NUMBER = "+13035550100";
const MESSAGE_ID = /^(0|[1-9][0-9]*)$/;

const utf16be = (s: string) => {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i) >> 8, s.charCodeAt(i) & 0xff);
  return Uint8Array.from(out);
};
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** beta's deliver_sm in arrival order; each answered with `resp_status` as it is read. */
async function nextTo(
  beta: NetSmppEsme,
  dest: string,
  options: { resp_status?: number } = {},
): Promise<NetSmppDeliverSm> {
  const d = await beta.waitDeliver({ timeoutMs: 10_000, ...options });
  strictEqual(
    d.destination_addr,
    dest,
    `deliver_sm to ${dest} expected, got ${d.short_message_hex}`,
  );
  return d;
}

async function readRecord(site: Site, id: string) {
  const r = await PmsReader.openReadOnly(`${site.dir}/state/pms.bin`);
  try {
    return await r.readRecord(Number(id));
  } finally {
    await r.close();
  }
}

Deno.test("downlink: interoperability with Kannel 1.4.5 (bearerbox as ESME, smsbox)", async (t) => {
  await withDownlinkSite({ peers: [KANNEL, BETA] }, async (site) => {
    const beta = await NetSmppEsme.start();
    let kannel: Kannel | undefined;
    try {
      await beta.connect(site.ports.beta);
      strictEqual(
        (await beta.bind({ system_id: BETA.systemId, password: BETA.password })).command_status,
        0,
      );

      await t.step("bearerbox binds as a transceiver", async () => {
        kannel = await Kannel.start({
          smscHost: "127.0.0.1",
          smscPort: site.ports.kannel,
          systemId: KANNEL.systemId,
          password: KANNEL.password,
          logLevel: 1,
        });
        await site.downlinks.kannel.waitFor(/ESME bound .*mode=transceiver/);
      });
      const k = () => kannel!;

      await t.step("a short GSM 7-bit text, octet for octet, with DLR 8 then DLR 1", async () => {
        const sent = await k().sendSms({
          from: KANNEL_NUMBER,
          to: "+17205550201",
          text: "Hi @ £5 {x}",
          dlrMask: 31,
        });
        strictEqual(sent.status, 202, sent.body);
        const got = await nextTo(beta, "17205550201");
        // Kannel wrote the text in the GSM 7-bit default alphabet, one septet per
        // octet: @ 0x00, £ 0x01, { and } as escape 0x1B plus 0x28 and 0x29.
        strictEqual(got.short_message_hex, "4869200020013520" + "1b2878" + "1b29");
        deepStrictEqual(
          [got.data_coding, got.esm_class, got.source_addr, got.source_addr_ton],
          [0, 0, "13035550100", 1],
        );
        const accepted = await k().waitDlr((d) => d.tag === sent.tag && d.type === 8);
        match(accepted.foreignId, MESSAGE_ID);
        const rec = await readRecord(site, accepted.foreignId);
        deepStrictEqual([rec.sourcePeer, rec.destPeer, rec.srr], ["kannel", "beta", true]);
        // beta's deliver_sm_resp 0 is the delivery; Kannel matched our receipt to its message.
        const delivered = await k().waitDlr((d) => d.tag === sent.tag && d.type === 1);
        strictEqual(delivered.foreignId, accepted.foreignId);
        match(
          delivered.reply,
          new RegExp(`^id:${accepted.foreignId} sub:001 dlvrd:001 .* stat:DELIVRD `),
        );
      });

      await t.step("a long text goes as UDH-concatenated parts", async () => {
        const long = "Kannel splits this text. ".repeat(8); // 200 characters
        const sent = await k().sendSms({ from: KANNEL_NUMBER, to: "+17205550202", text: long });
        strictEqual(sent.status, 202, sent.body);
        const parts = [await nextTo(beta, "17205550202"), await nextTo(beta, "17205550202")];
        const udhs = parts.map((p) => p.short_message.subarray(0, 6));
        // Kannel's 8-bit concatenation IE (TS 23.040 §9.2.3.24.1): the same reference, 2 parts.
        for (const [i, p] of parts.entries()) {
          strictEqual(p.esm_class & 0x40, 0x40);
          deepStrictEqual([...udhs[i]], [0x05, 0x00, 0x03, udhs[0][3], 2, i + 1]);
        }
        const bodies = parts.map((p) => text(p.short_message.subarray(6)));
        deepStrictEqual(bodies.map((b) => b.length), [153, 47]);
        strictEqual(bodies.join(""), long);
      });

      await t.step("a UCS-2 text, octet for octet", async () => {
        const sent = await k().sendSms({
          from: KANNEL_NUMBER,
          to: "+17205550203",
          text: "Привет ☃",
          coding: 2,
        });
        strictEqual(sent.status, 202, sent.body);
        const got = await nextTo(beta, "17205550203");
        deepStrictEqual([got.data_coding, got.short_message_hex], [
          0x08,
          toHex(utf16be("Привет ☃")),
        ]);
      });

      await t.step("a permanent refusal comes back to Kannel as DLR 2 (UNDELIV)", async () => {
        const sent = await k().sendSms({
          from: KANNEL_NUMBER,
          to: "+17205550204",
          text: "refused",
          dlrMask: 31,
        });
        strictEqual(sent.status, 202, sent.body);
        await nextTo(beta, "17205550204", { resp_status: SMPP_STATUS.ESME_RX_P_APPN });
        const failed = await k().waitDlr((d) => d.tag === sent.tag && d.type === 2);
        match(failed.reply, / dlvrd:000 .* stat:UNDELIV /);
        const rec = await readRecord(site, failed.foreignId);
        deepStrictEqual([rec.state, rec.disposition], ["historical", "failed-permanent"]);
      });

      await t.step("MT deliver_sm reaches the get-url: GSM, UCS-2 and a long text", async () => {
        const cli = await site.smsc(["submit", "+12125550100", "+13035550177"], "from the CLI");
        strictEqual(cli.code, 0, cli.stderr);
        const mo = await k().waitMo((m) => m.to === "13035550177" || m.to === "+13035550177");
        deepStrictEqual([mo.from, mo.text, mo.coding, mo.udhHex], [
          "+12125550100",
          "from the CLI",
          0,
          "",
        ]);

        // From beta, UCS-2 octets as Net::SMPP sent them.
        const ucs2 = utf16be("Ответ \u{1F600}");
        const r = await beta.submitSm({
          source_addr_ton: 1,
          source_addr_npi: 1,
          source_addr: "17205550200",
          dest_addr_ton: 1,
          dest_addr_npi: 1,
          destination_addr: "13035550178",
          data_coding: 0x08,
          short_message: ucs2,
        });
        strictEqual(r.command_status, 0);
        const wide = await k().waitMo((m) => m.to.endsWith("13035550178"));
        deepStrictEqual([wide.from, wide.coding, wide.dataHex], ["+17205550200", 2, toHex(ucs2)]);
        strictEqual(wide.text, "Ответ \u{1F600}");

        // Two concatenated deliver_sm, which bearerbox joins into one message.
        const long = "A long MT for Kannel to reassemble. ".repeat(5); // 180 characters
        const cliLong = await site.smsc(["submit", "+12125550100", "+13035550179"], long);
        strictEqual(cliLong.code, 0, cliLong.stderr);
        const joined = await k().waitMo((m) => m.to.endsWith("13035550179"));
        strictEqual(joined.text, long);
      });

      await t.step("bearerbox unbinds when it stops", async () => {
        await k().stop();
        await site.downlinks.kannel.waitFor(/ESME unbound .*reason=peer-unbind/);
        // Kannel's messages reached beta once each: nothing more is waiting.
        await rejects(
          beta.waitDeliver({ timeoutMs: 300 }),
          (e) => e instanceof NetSmppError && e.kind === "timeout",
        );
        const u = await beta.unbind();
        deepStrictEqual([u.command, u.command_status], ["unbind_resp", 0]);
      });
    } finally {
      await kannel?.stop();
      await beta.close();
    }
  });
});

Deno.test("downlink: Kannel bound as a transmitter and a receiver (split mode)", async () => {
  await withDownlinkSite({ peers: [KANNEL, BETA] }, async (site) => {
    const beta = await NetSmppEsme.start();
    let kannel: Kannel | undefined;
    try {
      kannel = await Kannel.start({
        smscHost: "127.0.0.1",
        smscPort: site.ports.kannel,
        systemId: KANNEL.systemId,
        password: KANNEL.password,
        bindMode: "split",
        logLevel: 1,
      });
      await beta.connect(site.ports.beta);
      strictEqual(
        (await beta.bind({ system_id: BETA.systemId, password: BETA.password })).command_status,
        0,
      );
      const log = site.downlinks.kannel;
      await log.waitFor(/ESME bound .*mode=transmitter/);
      await log.waitFor(/ESME bound .*mode=receiver/);

      // In through the transmitter, with its receipt back through the receiver.
      const sent = await kannel.sendSms({
        from: KANNEL_NUMBER,
        to: "+17205550301",
        text: "split",
        dlrMask: 31,
      });
      strictEqual(sent.status, 202, sent.body);
      strictEqual(text((await nextTo(beta, "17205550301")).short_message), "split");
      const delivered = await kannel.waitDlr((d) => d.tag === sent.tag && d.type === 1);
      match(delivered.reply, / stat:DELIVRD /);

      // Out through the receiver.
      const cli = await site.smsc(["submit", "+12125550100", "+13035550301"], "to the receiver");
      strictEqual(cli.code, 0, cli.stderr);
      const mo = await kannel.waitMo((m) => m.to.endsWith("13035550301"));
      strictEqual(mo.text, "to the receiver");

      await kannel.stop();
      await waitUntil(() =>
        (log.output().match(/ESME unbound .*reason=peer-unbind/g) ?? []).length === 2
      );
    } finally {
      await kannel?.stop();
      await beta.close();
    }
  });
});

async function waitUntil(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("Timed out waiting for the condition");
    await new Promise((r) => setTimeout(r, 20));
  }
}
