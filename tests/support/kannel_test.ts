/**
 * Self-test of the Kannel harness against the bare SMPP server: the link
 * binds (as one transceiver and as a transmitter plus a receiver), sendsms
 * reaches the server as submit_sm, deliver_sm from the server reaches the
 * get-url as MO, and a receipt deliver_sm reaches the dlr-url.
 *
 * @module
 */

import assert from "node:assert/strict";
import { Kannel, kannelConf, parseRawQuery } from "./kannel.ts";
import { type BareSmppServer, startBareSmppServer } from "./bare_smpp_server.ts";

const te = new TextEncoder();

async function until(what: string, ok: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function submits(server: BareSmppServer): number {
  return server.counts().submit_sm ?? 0;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test("support: Kannel harness", async (t) => {
  const server = await startBareSmppServer({ port: 0 });
  const kannel = await Kannel.start({
    smscHost: "127.0.0.1",
    smscPort: server.port,
    systemId: "kannel",
    password: "secret",
  });
  try {
    await t.step("binds one transceiver", async () => {
      assert.equal(server.counts().bind_transceiver, 1);
      assert.match(await kannel.status(), /smsc\[smsc\] .*\(online/);
    });

    let foreignId = "";
    await t.step("sendsms reaches the server as submit_sm, with a DLR 8", async () => {
      const before = submits(server);
      const r = await kannel.sendSms({
        from: "+12125550100",
        to: "12125550199",
        text: "Hi",
        dlrMask: 31,
      });
      assert.equal(r.status, 202, r.body);
      const ack = await kannel.waitDlr((d) => d.tag === r.tag && d.type === 8);
      assert.equal(ack.reply, "ACK/");
      assert.match(ack.foreignId, /^\d+$/);
      assert.equal(submits(server), before + 1);
      foreignId = ack.foreignId;
    });

    await t.step("a receipt deliver_sm reaches the dlr-url", async () => {
      const text = `id:${foreignId.padStart(10, "0")} sub:001 dlvrd:001 ` +
        "submit date:2611231200 done date:2611231201 stat:DELIVRD err:000 text:Hi";
      const resp = await server.sendDeliver({
        source_addr: "12125550199",
        source_addr_ton: 1,
        source_addr_npi: 1,
        destination_addr: "12125550100",
        dest_addr_ton: 1,
        dest_addr_npi: 1,
        esm_class: 0x04,
        short_message: te.encode(text),
      });
      assert.equal(resp.command_status, 0);
      const dlr = await kannel.waitDlr((d) => d.type === 1);
      assert.equal(dlr.reply, text);
      assert.equal(dlr.tag, "1");
      assert.equal(dlr.foreignId, foreignId);
    });

    await t.step("a long text goes as two submit_sm, UCS-2 and binary as one each", async () => {
      const before = submits(server);
      const long = await kannel.sendSms({ from: "4000", to: "12125550199", text: "x".repeat(200) });
      assert.equal(long.status, 202, long.body);
      const ucs2 = await kannel.sendSms({
        from: "4000",
        to: "12125550199",
        text: "Привет",
        coding: 2,
      });
      assert.equal(ucs2.status, 202, ucs2.body);
      const bin = await kannel.sendSms({
        from: "4000",
        to: "12125550199",
        hex: "00ff2541",
        coding: 1,
        udhHex: "0605040b8423f0",
      });
      assert.equal(bin.status, 202, bin.body);
      await until("four submit_sm", () => submits(server) === before + 4);
    });

    await t.step("deliver_sm from the server reaches the get-url", async () => {
      const mo = (sm: Uint8Array, dataCoding: number, esmClass = 0) =>
        server.sendDeliver({
          source_addr: "12125550177",
          source_addr_ton: 1,
          source_addr_npi: 1,
          destination_addr: "4321",
          esm_class: esmClass,
          data_coding: dataCoding,
          short_message: sm,
        });
      assert.equal((await mo(te.encode("Hello + & = %"), 0)).command_status, 0);
      const gsm = await kannel.waitMo((m) => m.coding === 0);
      assert.deepEqual(
        { from: gsm.from, to: gsm.to, text: gsm.text, udhHex: gsm.udhHex, mclass: gsm.mclass },
        { from: "+12125550177", to: "4321", text: "Hello + & = %", udhHex: "", mclass: "" },
      );
      await mo(new Uint8Array([0x04, 0x1f, 0x04, 0x40, 0xd8, 0x3d, 0xde, 0x00]), 0x08);
      const ucs2 = await kannel.waitMo((m) => m.coding === 2);
      assert.equal(ucs2.text, "Пр😀");
      await mo(Uint8Array.from([6, 5, 4, 0x0b, 0x84, 0x23, 0xf0, 0, 0xff, 0x25, 0x2b]), 0x04, 0x40);
      const bin = await kannel.waitMo((m) => m.coding === 1);
      assert.deepEqual([bin.udhHex, bin.dataHex], ["0605040b8423f0", "00ff252b"]);
    });
  } finally {
    await kannel.stop();
    await server.close();
  }
  assert.equal(await exists(kannel.dir), Deno.env.get("KANNEL_KEEP") !== undefined);
});

Deno.test("support: Kannel harness binds a transmitter and a receiver in split mode", async () => {
  const server = await startBareSmppServer({ port: 0 });
  try {
    const kannel = await Kannel.start({
      smscHost: "127.0.0.1",
      smscPort: server.port,
      systemId: "kannel",
      password: "secret",
      bindMode: "split",
      throughput: 50,
    });
    try {
      const c = server.counts();
      assert.deepEqual([c.bind_transmitter, c.bind_receiver], [1, 1]);
      const r = await kannel.sendSms({ from: "4000", to: "12125550199", text: "split" });
      assert.equal(r.status, 202, r.body);
      await until("one submit_sm", () => submits(server) === 1);
    } finally {
      await kannel.stop();
    }
  } finally {
    await server.close();
  }
});

Deno.test("support: Kannel harness names the reason and the logs when no link comes up", async () => {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const deadPort = (l.addr as Deno.NetAddr).port;
  l.close();
  await assert.rejects(
    Kannel.start({
      smscHost: "127.0.0.1",
      smscPort: deadPort,
      systemId: "kannel",
      password: "secret",
      startTimeoutMs: 2_000,
    }),
    (e: Error) => {
      assert.match(e.message, /^Cannot start Kannel: no SMPP link bound/);
      assert.match(e.message, /bearerbox\.log/);
      return true;
    },
  );
});

Deno.test("kannelConf() writes two smsc groups with one smsc-id in split mode", () => {
  const ports = { admin: 1, smsbox: 2, sendsms: 3, http: 4 };
  const base = { smscHost: "127.0.0.1", smscPort: 2775, systemId: "a", password: "b" };
  const split = kannelConf({ ...base, bindMode: "split" }, "/d", ports, "pw");
  assert.equal(split.match(/^group = smsc$/gm)?.length, 2);
  assert.equal(split.match(/^smsc-id = "smsc"$/gm)?.length, 2);
  assert.match(split, /^receive-port = 2775$/m);
  const trx = kannelConf({ ...base, smscExtra: { "msg-id-type": 1 } }, "/d", ports, "pw");
  assert.match(trx, /^transceiver-mode = true$/m);
  assert.match(trx, /^msg-id-type = 1$/m);
});

Deno.test("parseRawQuery() keeps binary octets of Kannel's escapes", () => {
  const q = parseRawQuery("data=%00%FF%2B+A&udh=&to=%2B1");
  assert.deepEqual([...q.get("data")!], [0x00, 0xff, 0x2b, 0x20, 0x41]);
  assert.deepEqual([...q.get("udh")!], []);
  assert.equal(new TextDecoder().decode(q.get("to")), "+1");
});
