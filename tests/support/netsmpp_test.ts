/**
 * Self-test of the real-ESME driver: Net::SMPP (netsmpp.ts) bound to the bare
 * npm:smpp server, with a recording TCP relay between them so that the octets
 * Net::SMPP put on the wire are checked with our own decoder.
 *
 * @module
 */

import assert from "node:assert/strict";
import { decodeSmppPdu, frameSmppStream, type SmppPdu } from "../../src/codec/smpp/mod.ts";
import { startBareSmppServer } from "./bare_smpp_server.ts";
import { fromHex, NetSmppError, NetSmppEsme } from "./netsmpp.ts";

/** A TCP relay on 127.0.0.1 that records what the client sends. */
function startRecordingRelay(targetPort: number) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const sent: Uint8Array[] = [];
  const open = new Set<Deno.Conn>();
  const pairs: Promise<void>[] = [];
  const pump = async (from: Deno.Conn, to: Deno.Conn, record?: Uint8Array[]) => {
    const buf = new Uint8Array(65536);
    try {
      for (let n = await from.read(buf); n !== null; n = await from.read(buf)) {
        const chunk = buf.slice(0, n);
        record?.push(chunk);
        for (let off = 0; off < n;) off += await to.write(chunk.subarray(off));
      }
      await to.closeWrite();
    } catch {
      // The other side is gone; the pair is closed below.
    }
  };
  const relay = async (client: Deno.Conn) => {
    const server = await Deno.connect({ hostname: "127.0.0.1", port: targetPort });
    open.add(client).add(server);
    await Promise.all([pump(client, server, sent), pump(server, client)]);
    for (const c of [client, server]) {
      if (open.delete(c)) c.close();
    }
  };
  const accepting = (async () => {
    try {
      for await (const client of listener) pairs.push(relay(client));
    } catch {
      // The listener was closed.
    }
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    /** Every PDU the client sent so far, decoded by src/codec/smpp. */
    clientPdus(): SmppPdu[] {
      let buffer = new Uint8Array(sent.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const c of sent) buffer.set(c, (at += c.length) - c.length);
      const pdus: SmppPdu[] = [];
      for (;;) {
        const frame = frameSmppStream(buffer, { maxPduBytes: 70000 });
        if ("need" in frame) return pdus;
        pdus.push(decodeSmppPdu(frame.pdu));
        buffer = buffer.subarray(frame.consumed);
      }
    },
    async close() {
      listener.close();
      for (const c of open) c.close();
      open.clear();
      await accepting;
      await Promise.all(pairs);
    },
  };
}

const CONFIG = new URL("../../deno.json", import.meta.url).pathname;
const PROGRAM = new URL("./bare_smpp_server.ts", import.meta.url).pathname;
const ascii = (s: string) => new TextEncoder().encode(s);
const ucs2 = (s: string) =>
  Uint8Array.from([...s].flatMap((c) => [c.charCodeAt(0) >> 8, c.charCodeAt(0) & 0xff]));

Deno.test("support: Net::SMPP driver against the bare npm:smpp server", async (t) => {
  const server = await startBareSmppServer({ port: 0 });
  const relay = startRecordingRelay(server.port);
  const esme = await NetSmppEsme.start();
  try {
    assert.equal(esme.netSmppVersion, "1.19");
    await t.step("binds as transceiver", async () => {
      assert.equal((await esme.connect(relay.port)).connected, true);
      const r = await esme.bind({ mode: "transceiver", system_id: "esme1", password: "secret" });
      assert.equal(r.command, "bind_transceiver_resp");
      assert.equal(r.command_status, 0);
      assert.equal(r.system_id, "bare");
    });

    const payload = ascii("long text ".repeat(40));
    await t.step("submits short, UCS-2 and message_payload messages", async () => {
      const short = await esme.submitSm({
        source_addr_ton: 1,
        source_addr_npi: 1,
        source_addr: "12125550100",
        dest_addr_ton: 1,
        dest_addr_npi: 1,
        destination_addr: "12125550101",
        registered_delivery: 1,
        short_message: ascii("Hello"),
      });
      assert.deepEqual([short.command, short.command_status], ["submit_sm_resp", 0]);
      assert.equal(short.message_id, "1");
      const wide = await esme.submitSm({
        destination_addr: "12125550101",
        data_coding: 0x08,
        short_message: ucs2("Привет ☃"),
        tlvs: { sar_msg_ref_num: 0x1234, sar_total_segments: 2, sar_segment_seqnum: 1 },
      });
      assert.equal(wide.message_id, "2");
      const long = await esme.submitSm({
        destination_addr: "12125550101",
        short_message: new Uint8Array(0),
        tlvs: {
          message_payload: payload,
          user_message_reference: 7,
          raw: [{ tag: 0x1400, value: fromHex("abcd") }],
        },
      });
      assert.equal(long.message_id, "3");
    });

    await t.step("Net::SMPP put the octets on the wire unchanged", () => {
      const submits = relay.clientPdus().filter((p) => p.command === "submit_sm");
      assert.equal(submits.length, 3);
      const [short, wide, long] = submits;
      assert.deepEqual(short.fields.short_message, ascii("Hello"));
      assert.equal(short.fields.source_addr, "12125550100");
      assert.equal(short.fields.registered_delivery, 1);
      assert.equal(wide.fields.data_coding, 0x08);
      assert.deepEqual(wide.fields.short_message, ucs2("Привет ☃"));
      assert.deepEqual(
        wide.tlvs.map((x) => [x.name, x.value]),
        [["sar_msg_ref_num", 0x1234], ["sar_total_segments", 2], ["sar_segment_seqnum", 1]],
      );
      assert.deepEqual(long.fields.short_message, new Uint8Array(0));
      assert.deepEqual(long.tlvs.map((x) => [x.tag, x.value]), [
        [0x0204, 7],
        [0x0424, payload],
        [0x1400, fromHex("abcd")],
      ]);
    });

    await t.step(
      "data_sm, submit_multi, query_sm, cancel_sm, replace_sm, enquire_link",
      async () => {
        const data = await esme.dataSm({
          destination_addr: "12125550101",
          tlvs: { message_payload: ascii("data") },
        });
        assert.deepEqual([data.command, data.command_status, data.message_id], [
          "data_sm_resp",
          0,
          "4",
        ]);
        const multi = await esme.submitMulti({
          dests: [{ destination_addr: "12125550101", dest_addr_ton: 1 }, { dl_name: "friends" }],
          short_message: ascii("hi all"),
        });
        assert.equal(multi.command, "submit_multi_resp");
        assert.deepEqual([multi.message_id, multi.no_unsuccess, multi.unsuccess_sme], ["5", 0, []]);
        const query = await esme.querySm({ message_id: "5" });
        assert.deepEqual([query.message_id, query.message_state], ["5", 1]);
        assert.equal((await esme.cancelSm({ message_id: "5" })).command, "cancel_sm_resp");
        const replace = await esme.replaceSm({ message_id: "5", short_message: ascii("x") });
        assert.equal(replace.command, "replace_sm_resp");
        assert.equal((await esme.enquireLink()).command_status, 0);
      },
    );

    await t.step("receives a deliver_sm and answers with resp_status", async () => {
      const receipt = ascii(
        "id:1 sub:001 dlvrd:001 submit date:2501011200 done date:2501011201 stat:DELIVRD err:000 text:Hello",
      );
      const [resp, deliver] = await Promise.all([
        server.sendDeliver({
          source_addr: "12125550101",
          destination_addr: "12125550100",
          esm_class: 0x04,
          short_message: receipt,
          receipted_message_id: "1",
          message_state: 2,
        }),
        esme.waitDeliver({ timeoutMs: 3000 }),
      ]);
      assert.equal(resp.command_status, 0);
      assert.equal(resp.sequence_number, deliver.sequence_number);
      assert.equal(deliver.command, "deliver_sm");
      assert.equal(deliver.esm_class, 0x04);
      assert.equal(deliver.source_addr, "12125550101");
      assert.deepEqual(deliver.short_message, receipt);
      assert.equal(deliver.receipted_message_id, "1");
      assert.equal(deliver.message_state, 2);
      const ucs2Text = ucs2("Ответ");
      const [rejected, second] = await Promise.all([
        server.sendDeliver({ destination_addr: "1", data_coding: 8, short_message: ucs2Text }),
        esme.waitDeliver({ resp_status: 0x64 }),
      ]);
      assert.equal(rejected.command_status, 0x64);
      assert.deepEqual(second.short_message, ucs2Text);
      // A deliver_sm that arrives while Net::SMPP waits for submit_sm_resp is kept for later.
      const early = server.sendDeliver({ destination_addr: "2", short_message: ascii("early") });
      assert.equal((await esme.submitSm({ destination_addr: "1" })).command_status, 0);
      assert.deepEqual((await esme.waitDeliver()).short_message, ascii("early"));
      assert.equal((await early).command_status, 0);
    });

    await t.step("reports bad input, timeouts and usage errors", async () => {
      // An unknown command_id: the bare server answers generic_nack ESME_RINVCMDID.
      await esme.raw(fromHex("00000010000000990000000000000063"));
      const nack = await esme.readPdu({ timeoutMs: 3000 });
      assert.deepEqual([nack.command, nack.command_status, nack.sequence_number], [
        "generic_nack",
        3,
        0x63,
      ]);
      assert.equal(nack.hex, "00000010800000000000000300000063");
      await assert.rejects(
        esme.waitDeliver({ timeoutMs: 200 }),
        (e) => e instanceof NetSmppError && e.kind === "timeout",
      );
      await assert.rejects(
        esme.submitSm({ destination_addr: "1", tlvs: { no_such_tlv: 1 } }),
        (e) => e instanceof NetSmppError && e.kind === "usage",
      );
    });

    await t.step("unbinds", async () => {
      const r = await esme.unbind();
      assert.deepEqual([r.command, r.command_status], ["unbind_resp", 0]);
      await assert.rejects(
        esme.enquireLink(),
        (e) => e instanceof NetSmppError && e.kind === "usage",
      );
    });
    assert.deepEqual(server.counts(), {
      bind_transceiver: 1,
      submit_sm: 4,
      data_sm: 1,
      submit_multi: 1,
      query_sm: 1,
      cancel_sm: 1,
      replace_sm: 1,
      enquire_link: 1,
      generic_nack: 1,
      unbind: 1,
    });

    await t.step("the program form prints its port and delivers on a stdin command", async () => {
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "--quiet", "--frozen", "--config", CONFIG, PROGRAM, "--port", "0"],
        stdin: "piped",
        stdout: "piped",
        stderr: "inherit",
      }).spawn();
      const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
      const writer = child.stdin.getWriter();
      try {
        let out = "";
        const readLine = async () => {
          while (!out.includes("\n")) {
            const { value, done } = await lines.read();
            if (done) throw new Error(`bare server ended; stdout: ${out}`);
            out += value;
          }
          const line = out.slice(0, out.indexOf("\n"));
          out = out.slice(line.length + 1);
          return line;
        };
        const port = Number((await readLine()).match(/^listening (\d+)$/)?.[1]);
        assert.ok(port > 0);
        await esme.connect(port);
        assert.equal(
          (await esme.bind({ mode: "receiver", system_id: "rx", password: "" })).command,
          "bind_receiver_resp",
        );
        const deliver = { destination_addr: "3", data_coding: 4, short_message_hex: "00ff10" };
        await writer.write(new TextEncoder().encode(JSON.stringify({ deliver }) + "\n"));
        assert.deepEqual((await esme.waitDeliver()).short_message, fromHex("00ff10"));
        assert.equal(JSON.parse(await readLine()).deliver_resp.command_status, 0);
        assert.equal((await esme.unbind()).command_status, 0);
      } finally {
        await writer.close();
        child.kill("SIGTERM");
        await child.status;
        await lines.cancel();
      }
    });
  } finally {
    await esme.close();
    await relay.close();
    await server.close();
  }
});
