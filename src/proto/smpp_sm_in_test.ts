import assert from "node:assert/strict";
import { fromHex, toHex } from "../lib/bytes.ts";
import { decodeSmppPdu, SMPP_STATUS as S, type SmppPdu } from "../codec/smpp/mod.ts";
import { smppToRecords } from "./smpp_sm_in.ts";
import type { InCtx, InResult } from "./smpp_sm_types.ts";
import { CTX, octets, pdu, smFields, submitSm, tlv } from "./smpp_sm_fixtures.ts";

function records(r: InResult) {
  if (!r.ok) throw new Error(`refused: ${r.reason}`);
  return r.records;
}

function refused(p: SmppPdu, status: number, ctx: InCtx = CTX): string {
  const r = smppToRecords(p, ctx);
  assert.ok(!r.ok, "expected a refusal");
  assert.equal(r.commandStatus, status, r.reason);
  assert.ok(r.reason.length > 0 && !r.reason.includes("\n"));
  return r.reason;
}

Deno.test("smppToRecords() maps a submit_sm of GSM 7-bit text to one packed record (SMPP 3.4 §4.4.1)", () => {
  // submit_sm, seq 1, +1 212 555 0100 -> +1 212 555 0101, registered_delivery 1, "hello".
  const hex = "0000003c000000040000000000000001" + "00" + "0101313231323535353031303000" +
    "0101313231323535353031303100" + "000000000001000000" + "0568656c6c6f";
  const [rec] = records(smppToRecords(decodeSmppPdu(fromHex(hex)), CTX));
  assert.deepEqual(rec.oa, { ton: 1, npi: 1, digits: "12125550100" });
  assert.deepEqual(rec.da, { ton: 1, npi: 1, digits: "12125550101" });
  // TS 23.038 §6.1.2.1.1 packing of "hello".
  assert.equal(toHex(rec.ud), "e8329bfd06");
  assert.equal(rec.udl, 5);
  assert.equal(rec.dcs, 0);
  assert.equal(rec.srr, true);
  assert.equal(rec.mr, CTX.mr);
  assert.equal(rec.sourceClass, "downstream");
  assert.equal(rec.sourcePeer, "acme");
  assert.equal(rec.state, "active");
  assert.equal(rec.destClass, "gsm");
  assert.equal(rec.validityS, 0);
  assert.equal(rec.entryTimeMs, 0);
});

Deno.test("smppToRecords() keeps a UDH raw and packs the septets after its fill bits (TS 23.040 §9.2.3.24)", () => {
  // UDHL 5, concat IE ref 0x11, 2 parts, part 1; then "hi": 6 header octets = 7 septets with 1 fill bit.
  const sm = fromHex("050003110201" + "6869");
  const [rec] = records(smppToRecords(submitSm({ esm_class: 0x40, short_message: sm }), CTX));
  assert.equal(rec.udhi, true);
  assert.equal(rec.udl, 7 + 2);
  assert.equal(toHex(rec.ud.subarray(0, 6)), "050003110201");
  // One fill bit, then "h" 0x68 in bits 1-7 (0xd0) and "i" 0x69 in the next octet.
  assert.equal(toHex(rec.ud.subarray(6)), "d069");
});

Deno.test("smppToRecords() passes 8-bit and UCS-2 octets unchanged", () => {
  const bin = fromHex("00ff1b80");
  const [b] = records(smppToRecords(submitSm({ data_coding: 0x04, short_message: bin }), CTX));
  assert.deepEqual([b.dcs, b.udl, toHex(b.ud)], [0x04, 4, "00ff1b80"]);
  const ucs2 = fromHex("004100e9d83dde00");
  const [u] = records(smppToRecords(submitSm({ data_coding: 0x08, short_message: ucs2 }), CTX));
  assert.deepEqual([u.dcs, u.udl, toHex(u.ud)], [0x08, 8, "004100e9d83dde00"]);
  const [c] = records(smppToRecords(submitSm({ data_coding: 0xf5, short_message: bin }), CTX));
  assert.equal(c.dcs, 0xf5);
});

Deno.test("smppToRecords() converts IA5 and Latin-1 to GSM 7-bit, keeping the UDH (SMPP 3.4 §5.2.19)", () => {
  const [a] = records(
    smppToRecords(submitSm({ data_coding: 1, short_message: octets("a[") }), CTX),
  );
  // "a" 0x61, "[" = escape 0x1B + 0x3C: three septets.
  assert.equal(a.udl, 3);
  assert.equal(a.dcs, 0);
  const [l] = records(
    smppToRecords(
      submitSm({ data_coding: 3, esm_class: 0x40, short_message: fromHex("0400020102e9") }),
      CTX,
    ),
  );
  assert.equal(toHex(l.ud.subarray(0, 5)), "0400020102");
  // é (0xE9 Latin-1) is GSM 0x05; 5 header octets take 6 septets (fill 2 bits).
  assert.equal(l.udl, 7);
  assert.equal(toHex(l.ud.subarray(5)), "1400");
});

Deno.test("smppToRecords() reads addresses: '+', alphanumeric, case of a-c (TS 23.040 §9.1.2.5)", () => {
  const [r] = records(
    smppToRecords(
      submitSm({
        source_addr_ton: 5,
        source_addr_npi: 0,
        source_addr: "Acme Bank",
        dest_addr_ton: 0,
        dest_addr_npi: 0,
        destination_addr: "+4930*#A",
      }),
      CTX,
    ),
  );
  assert.deepEqual(r.oa, { ton: 5, npi: 0, text: "Acme Bank" });
  assert.deepEqual(r.da, { ton: 1, npi: 1, digits: "4930*#a" });
});

Deno.test("smppToRecords() refuses bad addresses with the status of §5.1.3", () => {
  refused(submitSm({ source_addr: "" }), S.ESME_RINVSRCADR);
  refused(submitSm({ source_addr: "12a4x" }), S.ESME_RINVSRCADR);
  const long = { ton: 1, npi: 1, addr: "1".repeat(21) };
  refused(submitSm(), S.ESME_RINVDSTADR, { ...CTX, dest: long });
  refused(submitSm({ source_addr: "+" }), S.ESME_RINVSRCADR);
  refused(submitSm({ source_addr_ton: 5, source_addr: "TwelveChars!" }), S.ESME_RINVSRCADR);
  // "[" takes two septets: 11 characters but 12 septets.
  refused(submitSm({ source_addr_ton: 5, source_addr: "[bcdefghijk" }), S.ESME_RINVSRCADR);
  refused(submitSm({ source_addr_ton: 5, source_addr: "caf\u00e7`" }), S.ESME_RINVSRCADR);
  refused(submitSm({ source_addr_ton: 7 }), S.ESME_RINVSRCTON);
  refused(submitSm({ source_addr_npi: 18 }), S.ESME_RINVSRCNPI);
  refused(submitSm({ destination_addr: "" }), S.ESME_RINVDSTADR);
  refused(submitSm({ destination_addr: "12-34" }), S.ESME_RINVDSTADR);
  refused(submitSm({ dest_addr_ton: 9 }), S.ESME_RINVDSTTON);
  refused(submitSm({ dest_addr_npi: 16 }), S.ESME_RINVDSTNPI);
  const [ok] = records(
    smppToRecords(submitSm({ source_addr_ton: 5, source_addr: "Elevenchars" }), CTX),
  );
  assert.equal(ok.oa.text, "Elevenchars");
});

Deno.test("smppToRecords() refuses a data_coding without TP-DCS and honours reservedAsTpDcs", () => {
  refused(submitSm({ data_coding: 0x06 }), S.ESME_RSUBMITFAIL);
  refused(submitSm({ data_coding: 0x10 }), S.ESME_RSUBMITFAIL);
  const [r] = records(
    smppToRecords(submitSm({ data_coding: 0x10 }), { ...CTX, reservedAsTpDcs: true }),
  );
  assert.equal(r.dcs, 0x10);
});

Deno.test("smppToRecords() refuses message octets it cannot carry", () => {
  refused(submitSm({ short_message: fromHex("6880") }), S.ESME_RSUBMITFAIL);
  refused(submitSm({ data_coding: 1, short_message: octets("`") }), S.ESME_RSUBMITFAIL);
  refused(submitSm({ data_coding: 3, short_message: fromHex("ff") }), S.ESME_RSUBMITFAIL);
  refused(submitSm({ data_coding: 8, short_message: fromHex("004100") }), S.ESME_RINVMSGLEN);
  refused(submitSm({ esm_class: 0x40, short_message: fromHex("0500031102") }), S.ESME_RINVESMCLASS);
  refused(submitSm({ esm_class: 0x40, short_message: new Uint8Array(0) }), S.ESME_RINVESMCLASS);
  refused(submitSm({ sm_default_msg_id: 3 }), S.ESME_RINVDFTMSGID);
});

Deno.test("smppToRecords() refuses PDUs that are no short message", () => {
  refused(pdu("enquire_link", {}), S.ESME_RINVCMDID);
  refused(submitSm({ esm_class: 0x04 }), S.ESME_RINVESMCLASS);
  refused(submitSm({ esm_class: 0x20 }), S.ESME_RINVESMCLASS);
});

Deno.test("smppToRecords() maps registered_delivery bits 1-0, protocol_id, reply path and user_message_reference", () => {
  const srr = (v: number) =>
    records(smppToRecords(submitSm({ registered_delivery: v }), CTX))[0].srr;
  // §5.2.17: 0 none, 1 success or failure, 2 failure only (taken as 1), 3 reserved; bits 4-2 ignored.
  assert.deepEqual([0, 1, 2, 3, 0x1c].map(srr), [false, true, true, true, false]);
  const [r] = records(
    smppToRecords(
      submitSm({ protocol_id: 0x41, esm_class: 0x83 }, [tlv("user_message_reference", 0x1234)]),
      CTX,
    ),
  );
  assert.deepEqual([r.pid, r.rp, r.udhi, r.mr], [0x41, true, false, 0x34]);
});

Deno.test("smppToRecords() reads validity_period and refuses schedule_delivery_time (§7.1.1)", () => {
  const v = (s: string) => smppToRecords(submitSm({ validity_period: s }), CTX);
  // Relative: 1 day 2 hours 3 minutes 4 seconds.
  assert.equal(records(v("000001020304000R"))[0].validityS, 86400 + 7200 + 180 + 4);
  // Absolute, one hour after CTX.nowMs given in UTC+01:00 (04 quarter hours).
  assert.equal(records(v("240301140000004+"))[0].validityS, 3600);
  for (const bad of ["240301110000000+", "2403011200", "240231120000000+", "000000000000000R"]) {
    refused(submitSm({ validity_period: bad }), S.ESME_RINVEXPIRY);
  }
  refused(submitSm({ schedule_delivery_time: "000000010000000R" }), S.ESME_RINVSCHED);
});

Deno.test("smppToRecords() takes submit_multi's destination from the context", () => {
  const fields = smFields();
  delete fields.dest_addr_ton;
  delete fields.dest_addr_npi;
  delete fields.destination_addr;
  fields.dest_address = [
    { dest_flag: 1, dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: "111" },
    { dest_flag: 2, dl_name: "friends" },
  ];
  const multi = pdu("submit_multi", fields);
  refused(multi, S.ESME_RINVDSTADR);
  const [r] = records(smppToRecords(multi, { ...CTX, dest: { ton: 1, npi: 1, addr: "222" } }));
  assert.deepEqual(r.da, { ton: 1, npi: 1, digits: "222" });
});

Deno.test("smppToRecords() maps data_sm (§4.7.1) with message_payload and qos_time_to_live", () => {
  const data = pdu("data_sm", {
    service_type: "",
    source_addr_ton: 1,
    source_addr_npi: 1,
    source_addr: "12125550100",
    dest_addr_ton: 1,
    dest_addr_npi: 1,
    destination_addr: "12125550101",
    esm_class: 0,
    registered_delivery: 1,
    data_coding: 4,
  }, [tlv("message_payload", fromHex("0102")), tlv("qos_time_to_live", 600)]);
  const [r] = records(smppToRecords(data, { ...CTX, sourceClass: "upstream", sourcePeer: "" }));
  assert.deepEqual([r.udl, toHex(r.ud), r.validityS, r.pid, r.srr], [2, "0102", 600, 0, true]);
  assert.equal(r.sourceClass, "upstream");
});

Deno.test("smppToRecords() maps a deliver_sm from the upstream like a submit_sm", () => {
  const [r] = records(
    smppToRecords(pdu("deliver_sm", smFields()), { ...CTX, sourceClass: "upstream" }),
  );
  assert.equal(r.udl, 5);
});

Deno.test("smppToRecords() refuses short_message with message_payload, and incomplete sar_* sets", () => {
  refused(submitSm({}, [tlv("message_payload", fromHex("41"))]), S.ESME_RINVOPTPARAMVAL);
  const sar = [tlv("sar_msg_ref_num", 1), tlv("sar_total_segments", 2)];
  // §5.3.2.22-24: the three are used together; §5.1.3 0xC3 "Expected Optional Parameter missing".
  const reason = refused(submitSm({}, sar), S.ESME_RMISSINGOPTPARAM);
  assert.match(reason, /sar_segment_seqnum/);
  refused(submitSm({}, [tlv("sar_segment_seqnum", 1)]), S.ESME_RMISSINGOPTPARAM);
});
