/**
 * `smsc downlink` against ESMEs on npm:smpp (issue #5): bind and its
 * refusals, submit_sm stored before its response, query/cancel, MT
 * deliver_sm, receipts between two peers, spoofing, long and UCS-2
 * messages, throttling. Real `smsc core` and `smsc downlink` processes.
 */

import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { SMPP_STATUS } from "../../src/codec/smpp/mod.ts";
import { PmsReader } from "../../src/store/pms_reader.ts";
import { freePort, withDownlinkSite } from "../support/downlink_site.ts";
import { makeCertificates } from "../support/tls_certs.ts";
import { NpmEsme, shortMessageOf } from "../support/npm_esme.ts";
import { SmppSession } from "../../src/transport/smpp_session.ts";
import { smFields } from "../../src/proto/smpp_sm_fixtures.ts";
import { Logger } from "../../src/lib/log.ts";
import { systemClock } from "../../src/lib/clock.ts";

const ACME = { name: "acme", systemId: "acme01", password: "s3cret", pool: ["+1303555*"] };
const BETA = { name: "beta", systemId: "beta01", password: "b3ta", pool: ["+1720555*"] };
const SUBSCRIBER = "12125550101"; // a demo GSM subscriber: messages to it stay active

const ascii = (s: string) => new TextEncoder().encode(s);

function submit(fields: Record<string, unknown>) {
  return {
    source_addr_ton: 1,
    source_addr_npi: 1,
    source_addr: "13035550100",
    dest_addr_ton: 1,
    dest_addr_npi: 1,
    destination_addr: SUBSCRIBER,
    short_message: { message: Buffer.from(ascii("hello")) },
    ...fields,
  };
}

import { Buffer } from "node:buffer";

async function recordState(
  dir: string,
  id: number,
): Promise<{ state: string; disposition: string }> {
  const r = await PmsReader.openReadOnly(`${dir}/state/pms.bin`);
  try {
    const rec = await r.readRecord(id);
    return { state: rec.state, disposition: rec.disposition };
  } finally {
    await r.close();
  }
}

Deno.test("downlink: bind refusals, then submit_sm, query_sm and cancel_sm (npm:smpp)", async () => {
  await withDownlinkSite({ peers: [ACME] }, async (site) => {
    const esme = await NpmEsme.connect(site.ports.acme);
    // Before the bind, nothing but a bind is answered (§2.3).
    strictEqual(
      (await esme.send("submit_sm", submit({}))).command_status,
      SMPP_STATUS.ESME_RINVBNDSTS,
    );
    strictEqual(await esme.bind("nobody", "s3cret"), SMPP_STATUS.ESME_RINVSYSID);
    strictEqual(await esme.bind("acme01", "wrong"), SMPP_STATUS.ESME_RINVPASWD);
    strictEqual(await esme.bind("acme01", "s3cret"), 0);
    strictEqual(await esme.bind("acme01", "s3cret"), SMPP_STATUS.ESME_RALYBND);

    const resp = await esme.send("submit_sm", submit({ registered_delivery: 1 }));
    strictEqual(resp.command_status, 0);
    match(resp.message_id, /^[0-9]+$/);
    const id = Number(resp.message_id);
    // Acknowledged means stored: the record is in pms.bin now.
    deepStrictEqual(await recordState(site.dir, id), { state: "active", disposition: "none" });

    const q = await esme.send("query_sm", {
      message_id: resp.message_id,
      source_addr: "13035550100",
    });
    strictEqual(q.command_status, 0);
    strictEqual(q.message_state, 1); // ENROUTE

    const c = await esme.send("cancel_sm", {
      message_id: resp.message_id,
      source_addr: "13035550100",
      destination_addr: SUBSCRIBER,
    });
    strictEqual(c.command_status, 0);
    deepStrictEqual(await recordState(site.dir, id), {
      state: "historical",
      disposition: "cancelled",
    });
    const q2 = await esme.send("query_sm", {
      message_id: resp.message_id,
      source_addr: "13035550100",
    });
    strictEqual(q2.message_state, 4); // DELETED
    // The originator asked for a receipt: the cancel produces one.
    const receipt = await esme.waitDeliver((p) => (p.esm_class & 0x3c) === 0x04);
    strictEqual(receipt.receipted_message_id, resp.message_id);
    strictEqual(receipt.message_state, 4);
    match(
      new TextDecoder().decode(shortMessageOf(receipt)),
      new RegExp(`^id:${id} .*stat:DELETED`),
    );
    strictEqual(
      (await esme.send("cancel_sm", { message_id: resp.message_id })).command_status,
      SMPP_STATUS.ESME_RCANCELFAIL,
    );
    strictEqual(
      (await esme.send("query_sm", { message_id: "999999" })).command_status,
      SMPP_STATUS.ESME_RQUERYFAIL,
    );

    // Spoofing a number outside the pool, and an unroutable destination.
    strictEqual(
      (await esme.send("submit_sm", submit({ source_addr: "12125550100" }))).command_status,
      SMPP_STATUS.ESME_RINVSRCADR,
    );
    strictEqual(
      (await esme.send("submit_sm", submit({ destination_addr: "19995550100" }))).command_status,
      SMPP_STATUS.ESME_RINVDSTADR,
    );
    await esme.close();
  });
});

Deno.test("downlink: MT to a bound ESME, receipts between two peers, long and UCS-2 messages (npm:smpp)", async () => {
  await withDownlinkSite({ peers: [ACME, BETA] }, async (site) => {
    const acme = await NpmEsme.connect(site.ports.acme);
    const beta = await NpmEsme.connect(site.ports.beta);
    strictEqual(await acme.bind("acme01", "s3cret"), 0);
    strictEqual(await beta.bind("beta01", "b3ta"), 0);

    // From the command line to a number in acme's pool.
    const cli = await site.smsc(["submit", "+12125550100", "+13035550177"], "from the CLI");
    strictEqual(cli.code, 0, cli.stderr);
    const mt = await acme.waitDeliver((p) => p.destination_addr.endsWith("3035550177"));
    match(new TextDecoder().decode(shortMessageOf(mt)), /from the CLI/);

    // acme -> beta with a receipt request; beta acknowledges; acme gets DELIVRD.
    const sent = await acme.send(
      "submit_sm",
      submit({ destination_addr: "17205550123", registered_delivery: 1 }),
    );
    strictEqual(sent.command_status, 0);
    const got = await beta.waitDeliver((p) => p.destination_addr.endsWith("7205550123"));
    strictEqual(new TextDecoder().decode(shortMessageOf(got)), "hello");
    strictEqual(got.source_addr.replace(/^\+/, "").endsWith("3035550100"), true);
    const receipt = await acme.waitDeliver((p) => p.receipted_message_id === sent.message_id);
    strictEqual(receipt.message_state, 2); // DELIVERED
    match(new TextDecoder().decode(shortMessageOf(receipt)), /stat:DELIVRD/);

    // UCS-2 passes as UCS-2.
    const ucs2 = new Uint8Array([0x04, 0x1f, 0x04, 0x40, 0x04, 0x38]); // "При"
    const u = await acme.send(
      "submit_sm",
      submit({
        destination_addr: "17205550124",
        data_coding: 8,
        short_message: { message: Buffer.from(ucs2) },
      }),
    );
    strictEqual(u.command_status, 0);
    const gotU = await beta.waitDeliver((p) => p.destination_addr.endsWith("7205550124"));
    strictEqual(gotU.data_coding, 8);

    // A 400-character message_payload becomes concatenated deliver_sm parts.
    const long = "0123456789".repeat(40);
    const payloadSubmit: Record<string, unknown> = {
      ...submit({ destination_addr: "17205550125" }),
      message_payload: Buffer.from(ascii(long)),
    };
    delete payloadSubmit.short_message;
    const lp = await acme.send("submit_sm", payloadSubmit);
    strictEqual(lp.command_status, 0);
    for (let part = 0; part < 3; part++) {
      await beta.waitDeliver((p) =>
        p.destination_addr.endsWith("7205550125") && p.esm_class & 0x40 &&
        beta.delivered.filter((d) => d.destination_addr.endsWith("7205550125")).length > part
      );
    }
    const parts = beta.delivered.filter((d) => d.destination_addr.endsWith("7205550125"));
    strictEqual(parts.length, 3);
    ok(parts.every((p) => (p.esm_class & 0x40) !== 0));

    await acme.close();
    await beta.close();
  });
});

Deno.test("downlink: a TLS listener beside the plain one", async () => {
  const certDir = await Deno.makeTempDir({ prefix: "smsc-tls-" });
  try {
    await makeCertificates(certDir);
    const tlsPort = freePort();
    const peer = {
      ...ACME,
      config: `tls_listen = "127.0.0.1:${tlsPort}"\ntls_cert = "${certDir}/cert.pem"\n` +
        `tls_key = "${certDir}/key.pem"\n`,
    };
    await withDownlinkSite({ peers: [peer] }, async (site) => {
      const ca = await Deno.readTextFile(`${certDir}/ca.pem`);
      // Deno's TLS client (rustls) checks the certificate against the CA we made.
      const conn = await Deno.connectTls({ hostname: "localhost", port: tlsPort, caCerts: [ca] });
      const esme = new SmppSession(conn, () => ({ status: SMPP_STATUS.ESME_RINVCMDID }), {
        maxPduBytes: 4096,
        window: 1,
        responseTimeoutMs: 5000,
        enquireLinkMs: 0,
        inactivityMs: 0,
        inFlightMax: 10,
        writeHighWaterBytes: 1 << 20,
        logger: new Logger("test.esme"),
        clock: systemClock,
      });
      const bind = await esme.request("bind_transceiver", {
        system_id: "acme01",
        password: "s3cret",
        system_type: "",
        interface_version: 0x34,
        addr_ton: 0,
        addr_npi: 0,
        address_range: "",
      });
      strictEqual(bind.command_status, 0);
      const r = await esme.request(
        "submit_sm",
        smFields({
          source_addr: "13035550100",
          destination_addr: SUBSCRIBER,
          short_message: ascii("over TLS"),
        }),
      );
      strictEqual(r.command_status, 0);
      deepStrictEqual(await recordState(site.dir, Number(r.fields.message_id)), {
        state: "active",
        disposition: "none",
      });
      await esme.unbind();
      // The plain listener still serves.
      const plain = await NpmEsme.connect(site.ports.acme);
      strictEqual(await plain.bind("acme01", "s3cret"), 0);
      await plain.close();
    });
  } finally {
    await Deno.remove(certDir, { recursive: true });
  }
});
