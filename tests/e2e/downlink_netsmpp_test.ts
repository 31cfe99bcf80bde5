/**
 * `smsc downlink` against Perl's Net::SMPP 1.19 (Debian libnet-smpp-perl), an
 * ESME nobody here wrote (issue #5). Two downstream peers: "acme" binds one
 * transceiver, "beta" a transmitter and a receiver. What acme submits is read
 * back, octet for octet, from beta's deliver_sm and from pms.bin; receipts,
 * query_sm, cancel_sm, replace_sm, data_sm, submit_multi and the bind
 * refusals are checked on the PDUs Net::SMPP decoded. Real `smsc core` and
 * `smsc downlink` processes.
 *
 * @module
 */

import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import { packSeptets, unpackSeptets } from "../../src/codec/gsm0338/septets.ts";
import { SMPP_STATUS } from "../../src/codec/smpp/mod.ts";
import { PmsReader } from "../../src/store/pms_reader.ts";
import type { PmsRecord } from "../../src/codec/pms/mod.ts";
import { type Site, withDownlinkSite } from "../support/downlink_site.ts";
import { type NetSmppDeliverSm, NetSmppError, NetSmppEsme, toHex } from "../support/netsmpp.ts";

const ACME = { name: "acme", systemId: "acme01", password: "s3cret", pool: ["+1303555*"] };
const BETA = { name: "beta", systemId: "beta01", password: "b3ta", pool: ["+1720555*"] };
/** A demo GSM subscriber: with no gsmif running, messages to it stay active. */
const SUBSCRIBER = "12125550101";
const ACME_NUMBER = "13035550100";
const UNROUTABLE = "19995550100";
/** Our message ids: the decimal PMS index, no leading zero (docs/smpp-mapping.md). */
const MESSAGE_ID = /^(0|[1-9][0-9]*)$/;

const ascii = (s: string) => new TextEncoder().encode(s);
const utf16be = (s: string) => {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i) >> 8, s.charCodeAt(i) & 0xff);
  return Uint8Array.from(out);
};
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
};
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** International E.164 addressing, as an ESME of this SMSC sends it. */
const E164 = { ton: 1, npi: 1 };
const from = (addr: string) => ({ source_addr_ton: 1, source_addr_npi: 1, source_addr: addr });
const to = (addr: string) => ({ dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: addr });

/**
 * The deliver_sm of one bind, taken in arrival order by Net::SMPP's
 * wait_deliver (each answered as it is read, with `resp_status`); the ones a
 * step does not want yet are kept for a later step.
 */
class Inbox {
  readonly kept: NetSmppDeliverSm[] = [];
  constructor(readonly esme: NetSmppEsme, readonly name: string) {}

  async take(
    what: string,
    pred: (d: NetSmppDeliverSm) => boolean,
    options: { resp_status?: number; timeoutMs?: number } = {},
  ): Promise<NetSmppDeliverSm> {
    const i = this.kept.findIndex(pred);
    if (i >= 0) return this.kept.splice(i, 1)[0];
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    for (;;) {
      const left = deadline - Date.now();
      let d: NetSmppDeliverSm;
      try {
        if (left <= 0) throw new NetSmppError("deadline", "timeout", "wait_deliver");
        d = await this.esme.waitDeliver({ timeoutMs: left, resp_status: options.resp_status });
      } catch (e) {
        if (!(e instanceof NetSmppError) || e.kind !== "timeout") throw e;
        const seen = this.kept.map((k) => `${k.destination_addr}:${k.short_message_hex}`);
        throw new Error(`${this.name}: no deliver_sm ${what}; kept: ${seen.join(", ")}`);
      }
      if (pred(d)) return d;
      this.kept.push(d);
    }
  }

  /** The receipt for our message `id`. */
  receipt(id: string): Promise<NetSmppDeliverSm> {
    return this.take(
      `receipt of ${id}`,
      (d) => d.esm_class === 0x04 && d.receipted_message_id === id,
    );
  }

  /** The next message (not a receipt) to `dest`. */
  message(dest: string, options: { resp_status?: number } = {}): Promise<NetSmppDeliverSm> {
    return this.take(
      `to ${dest}`,
      (d) => d.esm_class !== 0x04 && d.destination_addr === dest,
      options,
    );
  }
}

async function readRecord(site: Site, id: string): Promise<PmsRecord> {
  const r = await PmsReader.openReadOnly(`${site.dir}/state/pms.bin`);
  try {
    return await r.readRecord(Number(id));
  } finally {
    await r.close();
  }
}

/** A GSM 7-bit text of `n` septets that reads the same in ASCII. */
function gsmText(n: number, seed: string): Uint8Array {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ";
  let s = seed;
  for (let i = 0; s.length < n; i++) s += alphabet[(i * 7) % alphabet.length];
  return ascii(s.slice(0, n));
}

Deno.test("downlink: interoperability with Perl Net::SMPP 1.19", async (t) => {
  await withDownlinkSite({ peers: [ACME, BETA] }, async (site) => {
    const acme = await NetSmppEsme.start();
    const betaTx = await NetSmppEsme.start();
    const betaRx = await NetSmppEsme.start();
    const acmeIn = new Inbox(acme, "acme");
    const betaIn = new Inbox(betaRx, "beta");
    try {
      strictEqual(acme.netSmppVersion, "1.19");

      await t.step(
        "refuses a PDU before bind, a wrong system_id and a wrong password",
        async () => {
          await acme.connect(site.ports.acme);
          const early = await acme.submitSm({ ...from(ACME_NUMBER), ...to(SUBSCRIBER) });
          strictEqual(early.command, "submit_sm_resp");
          strictEqual(early.command_status, SMPP_STATUS.ESME_RINVBNDSTS);
          const badId = await acme.bind({ system_id: "nobody", password: ACME.password });
          deepStrictEqual(
            [badId.command, badId.command_status],
            ["bind_transceiver_resp", SMPP_STATUS.ESME_RINVSYSID],
          );
          const badPassword = await acme.bind({ system_id: ACME.systemId, password: "wrong" });
          strictEqual(badPassword.command_status, SMPP_STATUS.ESME_RINVPASWD);
          // The session survives the refusals; failures only slow the next bind down.
          const good = await acme.bind({
            system_id: ACME.systemId,
            password: ACME.password,
            timeoutMs: 10_000,
          });
          deepStrictEqual([good.command_status, good.system_id], [0, ACME.systemId]);
          // sc_interface_version 0x34 (SMPP 3.4 §4.1.2): Net::SMPP bound as 3.4.
          strictEqual(good.tlvs.sc_interface_version, "34");
          const again = await acme.bind({ system_id: ACME.systemId, password: ACME.password });
          strictEqual(again.command_status, SMPP_STATUS.ESME_RALYBND);
          await site.downlinks.acme.waitFor(/ESME bound .*mode=transceiver/);
        },
      );

      await t.step("beta binds a transmitter and a receiver separately", async () => {
        await betaTx.connect(site.ports.beta);
        await betaRx.connect(site.ports.beta);
        const tx = await betaTx.bind({ mode: "transmitter", ...creds(BETA) });
        deepStrictEqual([tx.command, tx.command_status], ["bind_transmitter_resp", 0]);
        const rx = await betaRx.bind({ mode: "receiver", ...creds(BETA) });
        deepStrictEqual([rx.command, rx.command_status], ["bind_receiver_resp", 0]);
        // A receiver may not submit (SMPP 3.4 §2.3).
        const refused = await betaRx.submitSm({ ...from("17205550100"), ...to(ACME_NUMBER) });
        strictEqual(refused.command_status, SMPP_STATUS.ESME_RINVBNDSTS);
      });

      await t.step(
        "a short GSM 7-bit message, octet for octet, and its DELIVRD receipt",
        async () => {
          // "Hi @ £5 {x}" in the GSM 7-bit default alphabet, one septet per octet:
          // @ is 0x00, £ is 0x01, { and } are escape 0x1B plus 0x28 and 0x29.
          const septets = Uint8Array.from([
            0x48,
            0x69,
            0x20,
            0x00,
            0x20,
            0x01,
            0x35,
            0x20,
            0x1b,
            0x28,
            0x78,
            0x1b,
            0x29,
          ]);
          const r = await acme.submitSm({
            ...from(ACME_NUMBER),
            ...to("17205550101"),
            data_coding: 0,
            registered_delivery: 1,
            short_message: septets,
          });
          strictEqual(r.command_status, 0);
          match(r.message_id!, MESSAGE_ID);
          const got = await betaIn.message("17205550101");
          strictEqual(got.short_message_hex, toHex(septets));
          deepStrictEqual(
            [got.data_coding, got.esm_class, got.source_addr, got.source_addr_ton],
            [0, 0, ACME_NUMBER, E164.ton],
          );
          // The record holds the same septets, packed (TS 23.038 §6.1.2.1.1).
          const rec = await readRecord(site, r.message_id!);
          deepStrictEqual(
            [rec.sourceClass, rec.sourcePeer, rec.destClass, rec.destPeer, rec.dcs, rec.udl],
            ["downstream", "acme", "downstream", "beta", 0, septets.length],
          );
          strictEqual(toHex(rec.ud), toHex(packSeptets(septets)));
          strictEqual(rec.srr, true);
          // beta's deliver_sm_resp 0 is the delivery: acme gets a receipt at once.
          const receipt = await acmeIn.receipt(r.message_id!);
          strictEqual(receipt.message_state, 2); // DELIVERED
          deepStrictEqual(
            [receipt.source_addr, receipt.destination_addr, receipt.data_coding],
            ["17205550101", ACME_NUMBER, 0],
          );
          match(text(receipt.short_message), new RegExp(`^id:${r.message_id} sub:001 dlvrd:001 `));
          match(text(receipt.short_message), / stat:DELIVRD err:000 text:$/);
        },
      );

      await t.step("UDH-concatenated parts pass unchanged", async () => {
        // Two parts of 153 septets behind an 8-bit concatenation IE (TS 23.040 §9.2.3.24.1).
        const parts = [1, 2].map((seq) =>
          concat(Uint8Array.from([0x05, 0x00, 0x03, 0x7a, 0x02, seq]), gsmText(153, `part ${seq} `))
        );
        for (const part of parts) {
          const r = await acme.submitSm({
            ...from(ACME_NUMBER),
            ...to("17205550102"),
            esm_class: 0x40,
            short_message: part,
          });
          strictEqual(r.command_status, 0);
          const rec = await readRecord(site, r.message_id!);
          deepStrictEqual([rec.udhi, rec.udl], [true, 160]); // 7 septets of UDH + 153
        }
        for (const part of parts) {
          const got = await betaIn.message("17205550102");
          strictEqual(got.esm_class, 0x40);
          strictEqual(got.short_message_hex, toHex(part));
        }
      });

      await t.step("a message_payload is cut into concatenated deliver_sm", async () => {
        const payload = gsmText(400, "payload ");
        const r = await acme.submitSm({
          ...from(ACME_NUMBER),
          ...to("17205550103"),
          short_message: new Uint8Array(0),
          tlvs: { message_payload: payload },
        });
        strictEqual(r.command_status, 0);
        const got: NetSmppDeliverSm[] = [];
        for (let i = 0; i < 3; i++) got.push(await betaIn.message("17205550103"));
        const ref = got[0].short_message[3];
        const bodies: Uint8Array[] = [];
        got.forEach((d, i) => {
          strictEqual(d.esm_class, 0x40);
          deepStrictEqual([...d.short_message.subarray(0, 6)], [0x05, 0x00, 0x03, ref, 3, i + 1]);
          bodies.push(d.short_message.subarray(6));
        });
        deepStrictEqual(bodies.map((b) => b.length), [153, 153, 94]);
        strictEqual(toHex(concat(...bodies)), toHex(payload));
      });

      await t.step("a UCS-2 message, octet for octet", async () => {
        // Cyrillic, a BMP symbol and a surrogate pair.
        const ucs2 = utf16be("Привет ☃ \u{1F600}");
        const r = await acme.submitSm({
          ...from(ACME_NUMBER),
          ...to("17205550104"),
          data_coding: 0x08,
          short_message: ucs2,
        });
        strictEqual(r.command_status, 0);
        const got = await betaIn.message("17205550104");
        deepStrictEqual([got.data_coding, got.short_message_hex], [0x08, toHex(ucs2)]);
        const rec = await readRecord(site, r.message_id!);
        deepStrictEqual([rec.dcs, rec.udl, toHex(rec.ud)], [0x08, ucs2.length, toHex(ucs2)]);
      });

      await t.step("data_sm with message_payload", async () => {
        const r = await acme.dataSm({
          ...from(ACME_NUMBER),
          ...to("17205550105"),
          data_coding: 0,
          tlvs: { message_payload: ascii("sent as data_sm") },
        });
        deepStrictEqual([r.command, r.command_status], ["data_sm_resp", 0]);
        match(r.message_id!, MESSAGE_ID);
        const got = await betaIn.message("17205550105");
        strictEqual(text(got.short_message), "sent as data_sm");
      });

      await t.step("submit_multi: one good and one unroutable destination", async () => {
        const r = await acme.submitMulti({
          ...from(ACME_NUMBER),
          dests: [
            { destination_addr: "17205550106", dest_addr_ton: 1, dest_addr_npi: 1 },
            { destination_addr: UNROUTABLE, dest_addr_ton: 1, dest_addr_npi: 1 },
          ],
          short_message: ascii("to many"),
        });
        deepStrictEqual([r.command, r.command_status], ["submit_multi_resp", 0]);
        match(r.message_id!, MESSAGE_ID);
        strictEqual(r.no_unsuccess, 1);
        deepStrictEqual(r.unsuccess_sme, [{
          dest_addr_ton: 1,
          dest_addr_npi: 1,
          destination_addr: UNROUTABLE,
          error_status_code: SMPP_STATUS.ESME_RINVDSTADR,
        }]);
        const got = await betaIn.message("17205550106");
        strictEqual(text(got.short_message), "to many");
        strictEqual((await readRecord(site, r.message_id!)).da?.digits, "17205550106");
      });

      await t.step("MT deliver_sm from beta's transmitter and from the command line", async () => {
        const r = await betaTx.submitSm({
          ...from("17205550100"),
          ...to("13035550150"),
          short_message: ascii("from beta"),
        });
        strictEqual(r.command_status, 0);
        const got = await acmeIn.message("13035550150");
        deepStrictEqual(
          [got.source_addr, got.source_addr_ton, got.source_addr_npi, text(got.short_message)],
          ["17205550100", E164.ton, E164.npi, "from beta"],
        );
        const cli = await site.smsc(["submit", "+12125550100", "+13035550177"], "from the CLI");
        strictEqual(cli.code, 0, cli.stderr);
        const mt = await acmeIn.message("13035550177");
        deepStrictEqual([mt.source_addr, mt.data_coding, text(mt.short_message)], [
          "12125550100",
          0,
          "from the CLI",
        ]);
        strictEqual(mt.short_message_hex, toHex(ascii("from the CLI")));
      });

      await t.step("a permanent refusal by beta comes back as an UNDELIV receipt", async () => {
        const r = await acme.submitSm({
          ...from(ACME_NUMBER),
          ...to("17205550107"),
          registered_delivery: 1,
          short_message: ascii("refused"),
        });
        strictEqual(r.command_status, 0);
        strictEqual(betaIn.kept.length, 0, "beta has nothing else pending");
        await betaIn.message("17205550107", { resp_status: SMPP_STATUS.ESME_RX_P_APPN });
        const receipt = await acmeIn.receipt(r.message_id!);
        strictEqual(receipt.message_state, 5); // UNDELIVERABLE
        match(text(receipt.short_message), / dlvrd:000 .* stat:UNDELIV /);
        const rec = await readRecord(site, r.message_id!);
        deepStrictEqual([rec.state, rec.disposition], ["historical", "failed-permanent"]);
      });

      await t.step("query_sm, replace_sm and cancel_sm on an active message", async () => {
        const r = await acme.submitSm({
          ...from(ACME_NUMBER),
          ...to(SUBSCRIBER),
          registered_delivery: 1,
          short_message: ascii("first text"),
        });
        strictEqual(r.command_status, 0);
        const id = r.message_id!;
        const q = await acme.querySm({ message_id: id, ...from(ACME_NUMBER) });
        deepStrictEqual(
          [q.command, q.command_status, q.message_id, q.message_state, q.final_date],
          ["query_sm_resp", 0, id, 1, ""], // ENROUTE
        );

        const replaced = await acme.replaceSm({
          message_id: id,
          ...from(ACME_NUMBER),
          registered_delivery: 1,
          short_message: ascii("second, longer text"),
        });
        deepStrictEqual([replaced.command, replaced.command_status], ["replace_sm_resp", 0]);
        const rec = await readRecord(site, id);
        strictEqual(rec.state, "active");
        strictEqual(text(unpackSeptets(rec.ud, rec.udl)), "second, longer text");
        strictEqual(
          (await acme.querySm({ message_id: id, ...from(ACME_NUMBER) })).message_state,
          1,
        );

        const cancelled = await acme.cancelSm({
          message_id: id,
          ...from(ACME_NUMBER),
          ...to(SUBSCRIBER),
        });
        deepStrictEqual([cancelled.command, cancelled.command_status], ["cancel_sm_resp", 0]);
        const q2 = await acme.querySm({ message_id: id, ...from(ACME_NUMBER) });
        strictEqual(q2.message_state, 4); // DELETED
        match(q2.final_date!, /^\d{12}000\+$/);
        const receipt = await acmeIn.receipt(id);
        strictEqual(receipt.message_state, 4);
        match(text(receipt.short_message), / stat:DELETED /);

        // Once historical, the message can be neither replaced nor cancelled again.
        const late = await acme.replaceSm({
          message_id: id,
          ...from(ACME_NUMBER),
          short_message: ascii("x"),
        });
        strictEqual(late.command_status, SMPP_STATUS.ESME_RREPLACEFAIL);
        strictEqual(
          (await acme.cancelSm({ message_id: id, ...from(ACME_NUMBER) })).command_status,
          SMPP_STATUS.ESME_RCANCELFAIL,
        );
        strictEqual(
          (await acme.querySm({ message_id: "999999", ...from(ACME_NUMBER) })).command_status,
          SMPP_STATUS.ESME_RQUERYFAIL,
        );
        // Another peer's message is not found for beta.
        const foreign = await betaTx.querySm({ message_id: id, ...from("17205550100") });
        strictEqual(foreign.command_status, SMPP_STATUS.ESME_RQUERYFAIL);
      });

      await t.step("nothing unexpected was delivered, then every bind unbinds", async () => {
        deepStrictEqual(acmeIn.kept.map((d) => d.short_message_hex), []);
        deepStrictEqual(betaIn.kept.map((d) => d.short_message_hex), []);
        for (const esme of [acme, betaTx, betaRx]) {
          const u = await esme.unbind();
          deepStrictEqual([u.command, u.command_status], ["unbind_resp", 0]);
        }
        await site.downlinks.acme.waitFor(/ESME unbound .*reason=peer-unbind/);
        const betaLog = site.downlinks.beta;
        await betaLog.waitFor(/ESME unbound .*reason=peer-unbind/);
        await waitUntil(() =>
          (betaLog.output().match(/ESME unbound .*reason=peer-unbind/g) ?? []).length === 2
        );
      });
    } finally {
      for (const esme of [acme, betaTx, betaRx]) await esme.close();
    }
  });
});

function creds(peer: { systemId: string; password: string }) {
  return { system_id: peer.systemId, password: peer.password };
}

async function waitUntil(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
