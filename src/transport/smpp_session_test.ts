import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { decodeSmppPdu, encodeSmppPdu, SMPP_COMMAND_IDS, SMPP_STATUS } from "../codec/smpp/mod.ts";
import { fromHex } from "../lib/bytes.ts";
import { systemClock } from "../lib/clock.ts";
import { Logger } from "../lib/log.ts";
import {
  type SmppReply,
  type SmppRequestHandler,
  SmppSession,
  type SmppSessionOptions,
  SmppTimeoutError,
} from "./smpp_session.ts";
import { smFields } from "../proto/smpp_sm_fixtures.ts";

const OPTIONS: SmppSessionOptions = {
  maxPduBytes: 4096,
  window: 10,
  responseTimeoutMs: 2000,
  enquireLinkMs: 0,
  inactivityMs: 0,
  inFlightMax: 100,
  writeHighWaterBytes: 1 << 20,
  logger: new Logger("test.smpp"),
  clock: systemClock,
};

const SUBMIT = smFields({
  source_addr: "13035550100",
  short_message: new Uint8Array([0x48, 0x69]),
});

/** A connected pair: `server` wraps the accepted side, the client side is raw or a session. */
async function pair(): Promise<{ accepted: Deno.Conn; client: Deno.Conn; close: () => void }> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const [client, accepted] = await Promise.all([
    Deno.connect({ hostname: "127.0.0.1", port }),
    listener.accept(),
  ]);
  listener.close();
  return { accepted, client, close: () => listener.close };
}

async function sessions(
  handler: SmppRequestHandler,
  options: Partial<SmppSessionOptions> = {},
): Promise<{ server: SmppSession; client: SmppSession }> {
  const { accepted, client } = await pair();
  const server = new SmppSession(accepted, handler, { ...OPTIONS, ...options });
  const esme = new SmppSession(client, () => ({ status: SMPP_STATUS.ESME_RINVCMDID }), {
    ...OPTIONS,
    ...options,
  });
  return { server, client: esme };
}

async function readPdu(conn: Deno.Conn): Promise<Uint8Array> {
  const head = new Uint8Array(4);
  let got = 0;
  while (got < 4) {
    const n = await conn.read(head.subarray(got));
    if (n === null) throw new Error("closed");
    got += n;
  }
  const len = new DataView(head.buffer).getUint32(0);
  const out = new Uint8Array(len);
  out.set(head);
  while (got < len) {
    const n = await conn.read(out.subarray(got));
    if (n === null) throw new Error("closed");
    got += n;
  }
  return out;
}

Deno.test("SmppSession: requests and responses, with the window bounding what is outstanding", async () => {
  let inHandler = 0;
  let most = 0;
  const { server, client } = await sessions(async (pdu): Promise<SmppReply> => {
    inHandler++;
    most = Math.max(most, inHandler);
    await new Promise((r) => setTimeout(r, 5));
    inHandler--;
    return { status: 0, fields: { message_id: `m${pdu.sequence_number}` } };
  }, { window: 3 });
  const replies = await Promise.all(
    Array.from({ length: 12 }, () => client.request("submit_sm", SUBMIT)),
  );
  strictEqual(replies.length, 12);
  ok(replies.every((r) => r.command === "submit_sm_resp" && r.command_status === 0));
  strictEqual(new Set(replies.map((r) => r.fields.message_id)).size, 12);
  ok(most <= 3, `at most the window in the handler, saw ${most}`);
  await client.unbind();
  strictEqual((await server.closed).reason, "peer-unbind");
  strictEqual((await client.closed).reason, "unbind");
});

Deno.test("SmppSession answers enquire_link itself and generic_nack to an unknown command", async () => {
  const { accepted, client } = await pair();
  const server = new SmppSession(accepted, () => ({ status: 0 }), OPTIONS);
  await client.write(fromHex("0000001000000015000000000000002a"));
  const resp = decodeSmppPdu(await readPdu(client));
  deepStrictEqual([resp.command, resp.command_status, resp.sequence_number], [
    "enquire_link_resp",
    0,
    42,
  ]);
  await client.write(fromHex("0000001000000077000000000000002b"));
  const nack = decodeSmppPdu(await readPdu(client));
  deepStrictEqual([nack.command, nack.command_status, nack.sequence_number], [
    "generic_nack",
    SMPP_STATUS.ESME_RINVCMDID,
    43,
  ]);
  ok(!server.isClosed, "an unknown command does not end the session");
  client.close();
  strictEqual((await server.closed).reason, "end-of-stream");
});

Deno.test("SmppSession answers an undecodable request with its own response and the decoder's status", async () => {
  const { accepted, client } = await pair();
  const server = new SmppSession(accepted, () => ({ status: 0 }), OPTIONS);
  // submit_sm whose body stops after service_type.
  const bytes = fromHex("0000001400000004000000000000000741424300");
  await client.write(bytes);
  const resp = decodeSmppPdu(await readPdu(client));
  strictEqual(resp.command, "submit_sm_resp");
  strictEqual(resp.sequence_number, 7);
  ok(resp.command_status !== 0);
  client.close();
  await server.closed;
});

Deno.test("SmppSession: an absurd command_length gets generic_nack ESME_RINVCMDLEN and the connection closes", async () => {
  const { accepted, client } = await pair();
  const server = new SmppSession(accepted, () => ({ status: 0 }), OPTIONS);
  await client.write(fromHex("7fffffff00000004000000000000000900"));
  const nack = decodeSmppPdu(await readPdu(client));
  deepStrictEqual([nack.command, nack.command_status, nack.sequence_number], [
    "generic_nack",
    SMPP_STATUS.ESME_RINVCMDLEN,
    9,
  ]);
  strictEqual((await server.closed).reason, "malformed");
  const n = await client.read(new Uint8Array(16));
  strictEqual(n, null);
  client.close();
});

Deno.test("SmppSession: a request without an answer fails with SmppTimeoutError", async () => {
  const { accepted, client } = await pair();
  const session = new SmppSession(client, () => ({ status: 0 }), {
    ...OPTIONS,
    responseTimeoutMs: 100,
  });
  await rejects(session.request("enquire_link", {}), SmppTimeoutError);
  session.close();
  accepted.close();
});

Deno.test("SmppSession closes a silent peer after inactivity_ms and probes an idle one with enquire_link", async () => {
  const { accepted, client } = await pair();
  const server = new SmppSession(accepted, () => ({ status: 0 }), {
    ...OPTIONS,
    enquireLinkMs: 50,
    inactivityMs: 300,
  });
  const probe = decodeSmppPdu(await readPdu(client));
  strictEqual(probe.command, "enquire_link");
  // The raw client never answers: the probe times out or inactivity closes the session.
  const info = await server.closed;
  ok(["inactivity", "enquire-link-timeout"].includes(info.reason), info.reason);
  client.close();
});

Deno.test("SmppSession stops reading while inFlightMax requests are in the handler", async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => release = r);
  let calls = 0;
  const { accepted, client } = await pair();
  const server = new SmppSession(accepted, async () => {
    calls++;
    await gate;
    return { status: 0, fields: { message_id: "x" } };
  }, { ...OPTIONS, inFlightMax: 1 });
  const pdu = (seq: number) =>
    encodeSmppPdu({
      command: "submit_sm",
      command_id: SMPP_COMMAND_IDS.submit_sm,
      command_status: 0,
      sequence_number: seq,
      fields: SUBMIT,
      tlvs: [],
    });
  await client.write(pdu(1));
  await client.write(pdu(2));
  await new Promise((r) => setTimeout(r, 50));
  strictEqual(calls, 1, "the second request waits until the first is answered");
  release();
  const a = decodeSmppPdu(await readPdu(client));
  const b = decodeSmppPdu(await readPdu(client));
  deepStrictEqual([a.sequence_number, b.sequence_number], [1, 2]);
  strictEqual(calls, 2);
  client.close();
  await server.closed;
});

Deno.test("SmppSession answers outbind and alert_notification, which have no response PDU, with generic_nack", async () => {
  const { accepted, client } = await pair();
  const server = new SmppSession(accepted, () => ({ status: SMPP_STATUS.ESME_RINVCMDID }), OPTIONS);
  // alert_notification (0x102): source and ESME addresses; outbind (0x0b): system_id, password.
  await client.write(fromHex("000000180000010200000000000000050101310001013200"));
  const a = decodeSmppPdu(await readPdu(client));
  deepStrictEqual([a.command, a.command_status, a.sequence_number], [
    "generic_nack",
    SMPP_STATUS.ESME_RINVCMDID,
    5,
  ]);
  await client.write(fromHex("000000140000000b000000000000000661006200"));
  const o = decodeSmppPdu(await readPdu(client));
  deepStrictEqual([o.command, o.sequence_number], ["generic_nack", 6]);
  ok(!server.isClosed);
  client.close();
  await server.closed;
});

Deno.test("SmppSession sends the answers produced before a close in the same turn", async () => {
  const { accepted, client } = await pair();
  const server: SmppSession = new SmppSession(accepted, () => {
    // The enquire_link before this PDU was answered in this same turn.
    server.close();
    return { status: 0 };
  }, OPTIONS);
  const enquire = encodeSmppPdu({
    command: "enquire_link",
    command_id: SMPP_COMMAND_IDS.enquire_link,
    command_status: 0,
    sequence_number: 7,
    fields: {},
    tlvs: [],
  });
  const submit = encodeSmppPdu({
    command: "submit_sm",
    command_id: SMPP_COMMAND_IDS.submit_sm,
    command_status: 0,
    sequence_number: 8,
    fields: SUBMIT,
    tlvs: [],
  });
  await client.write(new Uint8Array([...enquire, ...submit]));
  const resp = decodeSmppPdu(await readPdu(client));
  strictEqual(resp.command, "enquire_link_resp");
  strictEqual(resp.sequence_number, 7);
  await server.closed;
  client.close();
});

Deno.test("SmppSession: a reply with closeAfter is written first, then the session closes", async () => {
  const { accepted, client } = await pair();
  const server = new SmppSession(accepted, async () => {
    await new Promise((r) => setTimeout(r, 5)); // answered later than the PDU's own turn
    return {
      status: SMPP_STATUS.ESME_RBINDFAIL,
      closeAfter: { reason: "local", detail: "refused" },
    };
  }, OPTIONS);
  await client.write(encodeSmppPdu({
    command: "bind_transceiver",
    command_id: SMPP_COMMAND_IDS.bind_transceiver,
    command_status: 0,
    sequence_number: 3,
    fields: {
      system_id: "acme01",
      password: "x",
      system_type: "",
      interface_version: 0x34,
      addr_ton: 0,
      addr_npi: 0,
      address_range: "",
    },
    tlvs: [],
  }));
  const resp = decodeSmppPdu(await readPdu(client));
  deepStrictEqual([resp.command, resp.command_status, resp.sequence_number], [
    "bind_transceiver_resp",
    SMPP_STATUS.ESME_RBINDFAIL,
    3,
  ]);
  const ended = await Promise.race([
    server.closed,
    new Promise((r) => setTimeout(() => r("still open"), 2000)),
  ]);
  server.close(); // a no-op when it closed by itself, as it should have
  deepStrictEqual(ended, { reason: "local", detail: "refused" });
  strictEqual(await client.read(new Uint8Array(16)), null);
  client.close();
});
