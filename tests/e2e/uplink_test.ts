/**
 * `smsc uplink` in the seed's hierarchy of SMSCs (issue #6): instance B's
 * uplink bound to instance A's downlink (B is A's downstream peer "bsite").
 * Messages flow both ways, and receipts return to the originator across
 * both hops. Real processes: two cores, A's downlinks, B's uplink, and an
 * npm:smpp ESME bound to A as peer "esme".
 */

import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { decodeReportPayload, type PmsRecord } from "../../src/codec/pms/mod.ts";
import { PmsReader } from "../../src/store/pms_reader.ts";
import { type Daemon, startDaemon } from "../support/daemon.ts";
import { freePort, withDownlinkSite } from "../support/downlink_site.ts";
import { makeCertificates } from "../support/tls_certs.ts";
import { NpmEsme, shortMessageOf } from "../support/npm_esme.ts";
import { runSmsc } from "../support/spawn.ts";
import { Buffer } from "node:buffer";

const BSITE = { name: "bsite", systemId: "bsite", password: "b-pass", pool: ["+1303555*"] };
const ESME = { name: "esme", systemId: "esme01", password: "e-pass", pool: ["+1720555*"] };

async function records(dir: string): Promise<PmsRecord[]> {
  const r = await PmsReader.openReadOnly(`${dir}/state/pms.bin`);
  try {
    const out: PmsRecord[] = [];
    for (let i = 0; i < r.recordCount; i++) out.push(await r.readRecord(i));
    return out;
  } finally {
    await r.close();
  }
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Instance B: its own core with its own numbers, and its uplink to A's downlink for bsite. */
async function withInstanceB<T>(
  port: number,
  fn: (dir: string, uplink: Daemon) => Promise<T>,
  extraUplink = "",
): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "smsc-b-" });
  const daemons: Daemon[] = [];
  let ok = false;
  try {
    await Deno.writeTextFile(
      `${dir}/config.toml`,
      `[core]\ndemo_numbers = false\n[uplink]\nhost = "127.0.0.1"\nport = ${port}\n` +
        `system_id = "bsite"\npassword = "b-pass"\nreconnect_delay_ms_min = 100\n` +
        `reconnect_delay_ms_max = 1000\n${extraUplink}`,
    );
    const env = { SMSC_CONFIG: "config.toml" };
    daemons.push(await startDaemon(["core"], { cwd: dir, env, ready: / core ready / }));
    for (
      const args of [
        ["numbers", "add", "+13035550100", "--kind", "gsm", "--upstream"],
        ["numbers", "add", "+13035550177", "--kind", "local"],
      ]
    ) {
      const r = await runSmsc(args, { cwd: dir, env });
      strictEqual(r.code, 0, r.stderr);
    }
    const uplink = await startDaemon(["uplink"], { cwd: dir, env, ready: / Upstream link up / });
    daemons.push(uplink);
    const result = await fn(dir, uplink);
    ok = true;
    return result;
  } finally {
    for (const d of daemons.reverse()) await d.stop();
    // deno-lint-ignore no-console
    if (!ok) { for (const d of daemons) console.error(`--- instance B ---\n${d.output()}`); }
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("uplink: two SMSCs, B's uplink bound to A's downlink, exchange messages and receipts both ways", async () => {
  await withDownlinkSite({ peers: [BSITE, ESME] }, async (a) => {
    const esme = await NpmEsme.connect(a.ports.esme);
    strictEqual(await esme.bind("esme01", "e-pass"), 0);
    await withInstanceB(a.ports.bsite, async (bDir) => {
      // B -> A: a subscriber of B writes to A's ESME and asks for a status report.
      const sent = await runSmsc(["submit", "--srr", "+13035550100", "+17205550123"], {
        cwd: bDir,
        env: { SMSC_CONFIG: "config.toml" },
        stdin: "from B to the outside",
      });
      strictEqual(sent.code, 0, sent.stderr);
      const bId = Number(sent.stdout.trim().split(/\s+/)[0]);
      const got = await esme.waitDeliver((p) => p.destination_addr.endsWith("7205550123"));
      strictEqual(new TextDecoder().decode(shortMessageOf(got)), "from B to the outside");
      // The ESME's deliver_sm_resp makes A report to B, and B matches the receipt to its message.
      const report = await until("B's status report", async () => {
        const recs = await records(bDir);
        return recs.find((r) => r.report && r.sourceClass === "cli");
      });
      const p = decodeReportPayload(report.ud);
      deepStrictEqual(
        [p.kind, p.disposition, p.kind === "status" && p.originalId, report.da?.digits],
        ["status", "delivered", bId, "13035550100"],
      );
      const original = (await records(bDir))[bId];
      strictEqual(original.destClass, "upstream");
      strictEqual(original.disposition, "delivered");
      ok(/^[0-9]+$/.test(original.destMessageId), `A's message id kept: ${original.destMessageId}`);

      // A -> B: the ESME writes to B's local number, with a receipt request.
      const r = await esme.send("submit_sm", {
        source_addr_ton: 1,
        source_addr_npi: 1,
        source_addr: "17205550100",
        dest_addr_ton: 1,
        dest_addr_npi: 1,
        destination_addr: "13035550177",
        registered_delivery: 1,
        short_message: { message: Buffer.from("from A's ESME to B") },
      });
      strictEqual(r.command_status, 0);
      const stored = await until("the message in B", async () => {
        const recs = await records(bDir);
        return recs.find((x) => x.sourceClass === "upstream" && !x.report);
      });
      strictEqual(stored.disposition, "stored-only");
      strictEqual(stored.oa.digits, "17205550100");
      const receipt = await esme.waitDeliver((d) => d.receipted_message_id === r.message_id);
      strictEqual(receipt.message_state, 2);
    });
    await esme.close();
  });
});

Deno.test("uplink: over TLS to A's TLS listener, checking A's certificate against tls_ca", async () => {
  const certDir = await Deno.makeTempDir({ prefix: "smsc-tls-" });
  try {
    await makeCertificates(certDir);
    const tlsPort = freePort();
    const bsite = {
      ...BSITE,
      config: `tls_listen = "127.0.0.1:${tlsPort}"\ntls_cert = "${certDir}/cert.pem"\n` +
        `tls_key = "${certDir}/key.pem"\n`,
    };
    await withDownlinkSite({ peers: [bsite, ESME] }, async (a) => {
      const esme = await NpmEsme.connect(a.ports.esme);
      strictEqual(await esme.bind("esme01", "e-pass"), 0);
      await withInstanceB(tlsPort, async (bDir, uplink) => {
        const sent = await runSmsc(["submit", "+13035550100", "+17205550124"], {
          cwd: bDir,
          env: { SMSC_CONFIG: "config.toml" },
          stdin: "over TLS",
        });
        strictEqual(sent.code, 0, sent.stderr);
        const got = await esme.waitDeliver((p) => p.destination_addr.endsWith("7205550124"));
        strictEqual(new TextDecoder().decode(shortMessageOf(got)), "over TLS");
        ok(/Upstream link up/.test(uplink.output()));
      }, `tls = true\ntls_ca = "${certDir}/ca.pem"\n`);
      await esme.close();
    });
  } finally {
    await Deno.remove(certDir, { recursive: true });
  }
});
