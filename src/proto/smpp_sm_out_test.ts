import assert from "node:assert/strict";
import { fromHex, toHex } from "../lib/bytes.ts";
import {
  encodeReportPayload,
  examplePmsRecord,
  type PmsRecord,
  type ReportPayload,
} from "../codec/pms/mod.ts";
import { MESSAGE_STATE, type SmppTlv } from "../codec/smpp/mod.ts";
import { recordToSmpp } from "./smpp_sm_out.ts";
import { formatMessageId, parseMessageId, smppReceiptOf } from "./smpp_sm_receipt.ts";
import type { OutResult } from "./smpp_sm_types.ts";
import { octets, pdu, smFields, tlv } from "./smpp_sm_fixtures.ts";

function ok(r: OutResult) {
  if (!r.ok) throw new Error(`failed: ${r.reason}`);
  // The codec must accept what the mapping gives.
  pdu("deliver_sm", r.fields, r.tlvs);
  return r;
}

function text(v: unknown): string {
  return String.fromCharCode(...(v as Uint8Array));
}

Deno.test("recordToSmpp() maps a GSM 7-bit record to a deliver_sm (SMPP 3.4 §4.6.1)", () => {
  const r = ok(recordToSmpp(examplePmsRecord(), 1, "deliver_sm"));
  assert.deepEqual(r.fields, {
    ...smFields({
      source_addr: "15555550101",
      dest_addr_ton: 0,
      destination_addr: "5555550102",
    }),
  });
  assert.deepEqual(r.tlvs, []);
});

Deno.test("recordToSmpp() adds registered_delivery and the expiry time to a submit_sm (§5.2.15, §5.2.17)", () => {
  const r = ok(recordToSmpp(examplePmsRecord(), 1, "submit_sm"));
  assert.equal(r.fields.registered_delivery, 1);
  // 1.7e12 ms is 2023-11-14T22:13:20Z; the example expires a day later.
  assert.equal(r.fields.validity_period, "231115221320000+");
  const n = ok(
    recordToSmpp({ ...examplePmsRecord(), srr: false, expiryTimeMs: 0 }, 1, "submit_sm"),
  );
  assert.deepEqual([n.fields.registered_delivery, n.fields.validity_period], [0, ""]);
});

Deno.test("recordToSmpp() unpacks GSM 7-bit after a raw UDH and sets UDHI and reply path (§5.2.12)", () => {
  // UDHL 5 concat IE, one fill bit, then "h" "i" (see smpp_sm_in_test).
  const rec: PmsRecord = {
    ...examplePmsRecord(),
    udhi: true,
    rp: true,
    udl: 9,
    ud: fromHex("050003110201d069"),
    oa: { ton: 5, npi: 0, text: "Acme Bank" },
    pid: 0x41,
    dcs: 0xf2,
  };
  const r = ok(recordToSmpp(rec, 1, "deliver_sm"));
  assert.equal(toHex(r.fields.short_message as Uint8Array), "0500031102016869");
  assert.deepEqual(
    [r.fields.esm_class, r.fields.protocol_id, r.fields.data_coding],
    [0xc0, 0x41, 0xf2],
  );
  assert.deepEqual(
    [r.fields.source_addr_ton, r.fields.source_addr_npi, r.fields.source_addr],
    [5, 0, "Acme Bank"],
  );
});

Deno.test("recordToSmpp() passes 8-bit and UCS-2 TP-UD unchanged", () => {
  const rec = { ...examplePmsRecord(), dcs: 0x08, udl: 4, ud: fromHex("d83dde00") };
  const r = ok(recordToSmpp(rec, 1, "deliver_sm"));
  assert.deepEqual([r.fields.data_coding, toHex(r.fields.short_message as Uint8Array)], [
    8,
    "d83dde00",
  ]);
});

Deno.test("recordToSmpp() says why it cannot map a record", () => {
  const base = examplePmsRecord();
  const reason = (rec: PmsRecord, command: "deliver_sm" | "submit_sm" = "deliver_sm") => {
    const r = recordToSmpp(rec, 9, command);
    assert.ok(!r.ok);
    assert.match(r.reason, /^message 9: /);
    return r.reason;
  };
  assert.match(reason({ ...base, da: null }), /IMSI/);
  assert.match(reason({ ...base, dcs: 0x24 }), /compressed or reserved/);
  assert.match(reason({ ...base, udl: 10 }), /TP-UD/);
  assert.match(reason({ ...base, oa: { ton: 5, npi: 0, text: "ΔΣ" } }), /source/);
  assert.match(reason({ ...base, oa: { ton: 1, npi: 1, digits: "" } }), /source/);
  assert.match(reason({ ...base, da: { ton: 1, npi: 1, digits: "1".repeat(21) } }), /destination/);
});

function reportRecord(p: ReportPayload): PmsRecord {
  const ud = encodeReportPayload(p);
  return {
    ...examplePmsRecord(),
    report: true,
    srr: false,
    dcs: 0x04,
    oa: { ton: 1, npi: 1, digits: "5555550102" },
    da: { ton: 1, npi: 1, digits: "15555550101" },
    udl: ud.length,
    ud,
  };
}

const DELIVERED: ReportPayload = {
  kind: "status",
  disposition: "delivered",
  cause: 0,
  dischargeTimeMs: Date.UTC(2023, 10, 14, 22, 14, 30),
  originalId: 42,
  originalEntryTimeMs: Date.UTC(2023, 10, 14, 22, 13, 20),
  originalMr: 7,
};

Deno.test("recordToSmpp() renders a status report as a receipt deliver_sm (§5.2.12, Appendix B)", () => {
  const r = ok(recordToSmpp(reportRecord(DELIVERED), 43, "deliver_sm"));
  assert.equal(r.fields.esm_class, 0x04);
  assert.equal(r.fields.data_coding, 0);
  assert.equal(r.fields.registered_delivery, 0);
  assert.equal(r.fields.source_addr, "5555550102");
  assert.equal(r.fields.destination_addr, "15555550101");
  assert.equal(
    text(r.fields.short_message),
    "id:42 sub:001 dlvrd:001 submit date:2311142213 done date:2311142214 stat:DELIVRD err:000 text:",
  );
  assert.deepEqual(r.tlvs.map((t: SmppTlv) => [t.name, t.value]), [
    ["receipted_message_id", "42"],
    ["message_state", MESSAGE_STATE.DELIVERED],
  ]);
  const failed = ok(
    recordToSmpp(
      reportRecord({ ...DELIVERED, disposition: "failed-permanent", cause: 1234 }),
      43,
      "deliver_sm",
    ),
  );
  assert.match(text(failed.fields.short_message), / dlvrd:000 .* stat:UNDELIV err:234 text:$/);
  // network_error_code: type 8 (message center specific), then the cause in two octets.
  assert.equal(toHex(failed.tlvs[2].value as Uint8Array), "0804d2");
  const states = (["expired", "cancelled", "stored-only"] as const).map((d) => {
    const x = ok(recordToSmpp(reportRecord({ ...DELIVERED, disposition: d }), 1, "deliver_sm"));
    return x.tlvs[1].value;
  });
  assert.deepEqual(states, [MESSAGE_STATE.EXPIRED, MESSAGE_STATE.DELETED, MESSAGE_STATE.DELIVERED]);
});

Deno.test("recordToSmpp() refuses reports toward an SMSC, peer receipts and malformed payloads", () => {
  const r1 = recordToSmpp(reportRecord(DELIVERED), 1, "submit_sm");
  assert.ok(!r1.ok && /SMSC/.test(r1.reason));
  const peer = reportRecord({
    kind: "receipt",
    disposition: "delivered",
    cause: 0,
    doneTimeMs: 0,
    messageId: "abc",
  });
  const r2 = recordToSmpp(peer, 1, "deliver_sm");
  assert.ok(!r2.ok && /core/.test(r2.reason));
  const r3 = recordToSmpp(
    { ...reportRecord(DELIVERED), ud: fromHex("09"), udl: 1 },
    1,
    "deliver_sm",
  );
  assert.ok(!r3.ok && /malformed/.test(r3.reason));
});

const RECEIPT_TEXT =
  "id:ABC123 sub:001 dlvrd:001 submit date:2403011155 done date:2403011200 stat:DELIVRD err:012 text:hello";

Deno.test("smppReceiptOf() reads the Appendix B text of a deliver_sm receipt", () => {
  const p = pdu("deliver_sm", smFields({ esm_class: 0x04, short_message: octets(RECEIPT_TEXT) }));
  assert.deepEqual(smppReceiptOf(p), {
    messageId: "ABC123",
    messageState: MESSAGE_STATE.DELIVERED,
    doneTimeMs: Date.UTC(2024, 2, 1, 12, 0),
    err: 12,
  });
});

Deno.test("smppReceiptOf() prefers the receipted_message_id, message_state and network_error_code TLVs", () => {
  const p = pdu("deliver_sm", smFields({ esm_class: 0x04, short_message: octets(RECEIPT_TEXT) }), [
    tlv("receipted_message_id", "XYZ"),
    tlv("message_state", MESSAGE_STATE.UNDELIVERABLE),
    tlv("network_error_code", Uint8Array.of(3, 0x00, 0x22)),
  ]);
  assert.deepEqual(smppReceiptOf(p), {
    messageId: "XYZ",
    messageState: MESSAGE_STATE.UNDELIVERABLE,
    doneTimeMs: Date.UTC(2024, 2, 1, 12, 0),
    err: 0x22,
  });
  // An id sent without its NUL, and no text at all.
  const bare = pdu("deliver_sm", smFields({ esm_class: 0x04, short_message: new Uint8Array(0) }), [
    tlv("receipted_message_id", octets("77")),
    tlv("message_state", MESSAGE_STATE.EXPIRED),
  ]);
  assert.deepEqual(smppReceiptOf(bare), { messageId: "77", messageState: MESSAGE_STATE.EXPIRED });
});

Deno.test("smppReceiptOf() reads a data_sm receipt from message_payload, and ignores what is no receipt", () => {
  const data = pdu("data_sm", {
    service_type: "",
    source_addr_ton: 1,
    source_addr_npi: 1,
    source_addr: "1",
    dest_addr_ton: 1,
    dest_addr_npi: 1,
    destination_addr: "2",
    esm_class: 0x04,
    registered_delivery: 0,
    data_coding: 0,
  }, [tlv("message_payload", octets(RECEIPT_TEXT))]);
  assert.equal(smppReceiptOf(data)?.messageId, "ABC123");
  assert.equal(
    smppReceiptOf(pdu("deliver_sm", smFields({ short_message: octets(RECEIPT_TEXT) }))),
    undefined,
  );
  assert.equal(smppReceiptOf(pdu("submit_sm", smFields({ esm_class: 0x04 }))), undefined);
  const noState = pdu(
    "deliver_sm",
    smFields({ esm_class: 0x04, short_message: octets("id:1 text:x") }),
  );
  assert.equal(smppReceiptOf(noState), undefined);
  const noId = pdu("deliver_sm", smFields({ esm_class: 0x04, short_message: new Uint8Array(0) }), [
    tlv("message_state", 2),
  ]);
  assert.equal(smppReceiptOf(noId), undefined);
});

Deno.test("a receipt we render is read back by smppReceiptOf()", () => {
  const r = ok(
    recordToSmpp(reportRecord({ ...DELIVERED, disposition: "expired", cause: 5 }), 1, "deliver_sm"),
  );
  const back = smppReceiptOf(pdu("deliver_sm", r.fields, r.tlvs));
  assert.deepEqual(back, {
    messageId: "42",
    messageState: MESSAGE_STATE.EXPIRED,
    doneTimeMs: Date.UTC(2023, 10, 14, 22, 14),
    err: 5,
  });
});

Deno.test("formatMessageId() and parseMessageId() use strict decimal", () => {
  assert.equal(formatMessageId(0), "0");
  assert.equal(formatMessageId(123456789), "123456789");
  assert.equal(parseMessageId("123456789"), 123456789);
  assert.equal(parseMessageId("0"), 0);
  assert.equal(parseMessageId(String(Number.MAX_SAFE_INTEGER)), Number.MAX_SAFE_INTEGER);
  for (const bad of ["", "01", "-1", "+1", "1.0", "1e3", "0x10", " 1", "9007199254740992", "abc"]) {
    assert.equal(parseMessageId(bad), undefined, bad);
  }
});
