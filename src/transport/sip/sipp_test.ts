/**
 * Interoperability with sipp (Debian `sip-tester`), a SIP peer nobody here
 * wrote: over one TCP connection it registers, sends a MESSAGE and answers
 * the MESSAGE we send back on that connection. Skipped when sipp is not
 * installed. The scenario would live in tests/sipp/ once gsmif has its own
 * (uac-register-message-expect-mt.xml); here it is inline, as it exercises
 * the transport only.
 *
 * @module
 */

import assert from "node:assert/strict";
import { getHeaderValue, type SipRequest } from "../../codec/sip/mod.ts";
import { systemClock } from "../../lib/clock.ts";
import { captureLogs, testOptions } from "./_test_helpers.ts";
import { SipEndpoint } from "./mod.ts";

const SCENARIO = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="uac-register-message-expect-mt">
  <send>
    <![CDATA[
      REGISTER sip:smsc.local SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      From: <sip:+12125550100@smsc.local>;tag=[pid]SIPpTag00[call_number]
      To: <sip:+12125550100@smsc.local>
      Call-ID: [call_id]
      CSeq: 1 REGISTER
      Contact: <sip:+12125550100@[local_ip]:[local_port];transport=tcp>;+g.3gpp.smsip
      Max-Forwards: 70
      Expires: 600
      Content-Length: [len]

    ]]>
  </send>
  <recv response="200" />
  <send>
    <![CDATA[
      MESSAGE sip:+12125550101@smsc.local SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      From: <sip:+12125550100@smsc.local>;tag=[pid]SIPpTag00[call_number]
      To: <sip:+12125550101@smsc.local>
      Call-ID: [call_id]
      CSeq: 2 MESSAGE
      Max-Forwards: 70
      Content-Type: text/plain
      Content-Length: [len]

      hello smsc
    ]]>
  </send>
  <recv response="202" />
  <recv request="MESSAGE">
    <action>
      <ereg regexp="^rp-data-from-smsc$" search_in="body" check_it="true" assign_to="body" />
    </action>
  </recv>
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      X-Seen-Body: [$body]
      Content-Length: 0

    ]]>
  </send>
</scenario>
`;

/** True when a `sipp` executable runs (`sipp -v` exits 99 after printing its version). */
async function hasSipp(): Promise<boolean> {
  try {
    await new Deno.Command("sipp", { args: ["-v"], stdout: "null", stderr: "null" }).output();
    return true;
  } catch {
    return false;
  }
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

Deno.test({
  name: "sipp UAC over TCP: REGISTER, MESSAGE, then our MESSAGE on its connection",
  ignore: !(await hasSipp()),
  async fn() {
    const logs = captureLogs();
    const results: (number | string)[] = [];
    const ep: SipEndpoint = await SipEndpoint.start(testOptions(systemClock), (r) => {
      if (r.request.method === "REGISTER") return r.respond(200, "OK");
      r.respond(202, "Accepted");
      // sipp maps messages to its call by Call-ID, so the MT reuses it.
      const mt: SipRequest = {
        kind: "request",
        method: "MESSAGE",
        uri: "sip:+12125550100@127.0.0.1",
        version: "SIP/2.0",
        headers: [
          { name: "From", value: "<sip:smsc@smsc.local>;tag=smsc" },
          { name: "To", value: "<sip:+12125550100@smsc.local>" },
          { name: "Call-ID", value: getHeaderValue(r.request, "Call-ID")! },
          { name: "CSeq", value: "1 MESSAGE" },
          { name: "Content-Type", value: "text/plain" },
        ],
        body: new TextEncoder().encode("rp-data-from-smsc"),
      };
      ep.request(r.conn.id, mt).then(
        (res) => results.push(res.status),
        (e) => results.push(e.name),
      );
    });
    const dir = await Deno.makeTempDir({ prefix: "sipp-" });
    try {
      const file = `${dir}/uac-register-message-expect-mt.xml`;
      await Deno.writeTextFile(file, SCENARIO);
      const out = await new Deno.Command("sipp", {
        args: [
          `127.0.0.1:${ep.ports.tcp}`,
          ...["-sf", file, "-t", "t1", "-m", "1", "-i", "127.0.0.1", "-p", String(freePort())],
          ...["-nostdin", "-timeout", "20", "-timeout_error", "-recv_timeout", "10000"],
          ...["-trace_err", "-error_file", `${dir}/errors.log`],
        ],
        cwd: dir,
        stdout: "piped",
        stderr: "piped",
      }).output();
      if (out.code !== 0) {
        const errors = await Deno.readTextFile(`${dir}/errors.log`).catch(() => "");
        const stderr = new TextDecoder().decode(out.stderr);
        assert.fail(`sipp exited ${out.code}\n${stderr}\n${errors}\n${logs.lines.join("\n")}`);
      }
      await new Promise((r) => setTimeout(r, 0));
      assert.deepEqual(results, [200]);
    } finally {
      await ep.close();
      await Deno.remove(dir, { recursive: true });
      logs.restore();
    }
  },
});
