/**
 * `smsc decode` through the real executable, one real PDU of each kind, and
 * its error contract (exit 65 with one line; exit 2 for usage).
 */

import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import { runSmsc } from "../support/spawn.ts";
import sipVectors from "../vectors/sip/sms_over_ip.json" with { type: "json" };
import { toHex } from "../../src/lib/bytes.ts";

// The SMS-SUBMIT "hellohello" of the widely circulated PDU-mode tutorials.
const SUBMIT = "11000b916407281553f80000aa0ae8329bfd4697d9ec37";
// An MO RP-DATA from a public Wireshark capture (see tests/vectors/rp/valid.json).
const RP = "001b00079152761701000211111b0781214365f30000ff05d330bb4e07";
// submit_sm "Hello wikipedia" (see tests/vectors/smpp/pdu.json).
const SMPP =
  "0000003C000000040000000000000005000208353535000101353535353535353535000000000000000000000F48656C6C6F2077696B697065646961";

Deno.test("smsc decode sms-submit prints the TPDU and its text as JSON", async () => {
  const r = await runSmsc(["decode", "sms-submit", SUBMIT, "--compact"]);
  strictEqual(r.code, 0, r.stderr);
  strictEqual(r.stderr, "");
  const v = JSON.parse(r.stdout);
  strictEqual(v.type, "sms-submit");
  deepStrictEqual(v.da, { ton: 1, npi: 1, digits: "46708251358" });
  deepStrictEqual(v.vp, { format: "relative", value: 170, seconds: 345600 });
  strictEqual(v.ud, "e8329bfd4697d9ec37");
  strictEqual(v.userData.text, "hellohello");
});

Deno.test("smsc decode sms-deliver reads hex from standard input", async () => {
  const r = await runSmsc(["decode", "sms-deliver", "-"], {
    stdin: "04 0b c8 72 38 88 09 00 f1 00 00 99 30 92 51 61 95 80 0a e8 32 9b fd 46 97 d9 ec 37\n",
  });
  strictEqual(r.code, 0, r.stderr);
  const v = JSON.parse(r.stdout);
  strictEqual(v.type, "sms-deliver");
  strictEqual(v.oa.digits, "27838890001");
  strictEqual(v.userData.text, "hellohello");
});

Deno.test("smsc decode rp decodes the TPDU inside RP-User Data", async () => {
  const r = await runSmsc(["decode", "rp", RP]);
  strictEqual(r.code, 0, r.stderr);
  const v = JSON.parse(r.stdout);
  strictEqual(v.type, "RP-DATA");
  strictEqual(v.direction, "ms-to-network");
  strictEqual(v.destinationAddress.digits, "256771100020");
  strictEqual(v.tpdu.type, "sms-submit");
  strictEqual(v.tpdu.userData.text, "Salut");
});

Deno.test("smsc decode smpp keeps short_message as hex and explains esm_class and data_coding", async () => {
  const r = await runSmsc(["decode", "smpp", SMPP]);
  strictEqual(r.code, 0, r.stderr);
  const v = JSON.parse(r.stdout);
  strictEqual(v.command, "submit_sm");
  strictEqual(v.fields.short_message, toHex(new TextEncoder().encode("Hello wikipedia")));
  strictEqual(v.notes.command_status_name, "ESME_ROK");
  strictEqual(v.notes.data_coding.ok, true);
});

Deno.test("smsc decode sip --raw decodes a MESSAGE with its RP body and TPDU", async () => {
  const vector = sipVectors.find((c) => c.name === "mo-message-rp-data")!;
  // The vector keeps the header text and the binary body (hex) apart.
  const body = vector.bodyHex!.match(/../g)!.map((h) => parseInt(h, 16));
  const bytes = new Uint8Array([...new TextEncoder().encode(vector.text), ...body]);
  const full = await runSmsc(["decode", "sip", "-", "--raw"], { stdin: bytes });
  strictEqual(full.code, 0, full.stderr);
  const v = JSON.parse(full.stdout);
  strictEqual(v.kind, "request");
  strictEqual(v.method, "MESSAGE");
  strictEqual(v.rp.type, "RP-DATA");
  strictEqual(v.rp.tpdu.type, "sms-submit");
});

Deno.test("smsc decode reports malformed input in one line and exits 65", async () => {
  const r = await runSmsc(["decode", "sms-deliver", "0011"]);
  strictEqual(r.code, 65);
  strictEqual(r.stdout, "");
  strictEqual(r.stderr, "smsc decode: Cannot decode TP-OA: needs 1 bytes but 0 remain\n");
  const hex = await runSmsc(["decode", "rp", "0g"]);
  strictEqual(hex.code, 65);
  match(hex.stderr, /^smsc decode: Cannot decode hex: invalid character at position 0\n$/);
});

Deno.test("smsc decode refuses an unknown KIND with a usage error", async () => {
  const r = await runSmsc(["decode", "gsup", "00"]);
  strictEqual(r.code, 2);
  match(
    r.stderr,
    /^smsc decode: unknown KIND "gsup": expected one of sms-submit, sms-deliver, rp, smpp, sip\n/,
  );
});
