import assert from "node:assert/strict";
import { fromHex, toHex } from "../lib/bytes.ts";
import { encodeGsm7, encodeUcs2 } from "../codec/gsm0338/mod.ts";
import { SMPP_STATUS as S } from "../codec/smpp/mod.ts";
import { decodeUdh, decodeUserData, encodeUdh, interpretIe, portIe } from "../codec/tpdu/mod.ts";
import { smppToRecords } from "./smpp_sm_in.ts";
import type { PmsRecord } from "../codec/pms/mod.ts";
import { CTX, octets, submitSm, tlv } from "./smpp_sm_fixtures.ts";

function payloadRecords(
  payload: Uint8Array,
  dataCoding = 0,
  esmClass = 0,
  extra = [] as ReturnType<typeof tlv>[],
) {
  const r = smppToRecords(
    submitSm({ short_message: new Uint8Array(0), data_coding: dataCoding, esm_class: esmClass }, [
      tlv("message_payload", payload),
      ...extra,
    ]),
    CTX,
  );
  if (!r.ok) throw new Error(`refused: ${r.reason}`);
  return r.records;
}

/** The concatenation IE of a record, interpreted. */
function concatOf(rec: PmsRecord) {
  const ie = decodeUdh(rec.ud).ies.find((e) => e.iei === 0x00 || e.iei === 0x08)!;
  return interpretIe(ie);
}

/** The text payload of a record (septets or octets after the UDH). */
function body(rec: PmsRecord, alphabet: "gsm7" | "8bit" | "ucs2"): Uint8Array {
  const u = decodeUserData(rec.ud, rec.udl, rec.udhi, alphabet);
  return alphabet === "gsm7" ? u.septets! : u.data;
}

Deno.test("message_payload that fits one SM gives one record without a concatenation IE (§5.3.2.32)", () => {
  const recs = payloadRecords(octets("a".repeat(160)));
  assert.equal(recs.length, 1);
  assert.deepEqual([recs[0].udl, recs[0].udhi, recs[0].ud.length], [160, false, 140]);
  const bin = payloadRecords(new Uint8Array(140).fill(0xff), 4);
  assert.deepEqual([bin.length, bin[0].udl], [1, 140]);
});

Deno.test("a long GSM 7-bit payload is cut into 153-septet parts with an 8-bit concatenation IE (TS 23.040 §9.2.3.24.1)", () => {
  const recs = payloadRecords(octets("x".repeat(400)));
  assert.deepEqual(recs.map((r) => r.udl), [160, 160, 7 + 94]);
  recs.forEach((r, i) => {
    assert.equal(r.udhi, true);
    assert.deepEqual(concatOf(r), {
      kind: "concat",
      reference: CTX.concatRef,
      total: 3,
      sequence: i + 1,
      ref16: false,
    });
    // Each part its own TP-MR: ctx.mr + part.
    assert.equal(r.mr, (CTX.mr + i) % 256);
  });
  const text = recs.map((r) => body(r, "gsm7")).flatMap((s) => [...s]);
  assert.equal(String.fromCharCode(...text), "x".repeat(400));
});

Deno.test("segmentation never splits a GSM 7-bit escape pair", () => {
  // 152 plain septets, then "€" (escape 0x1B 0x65): the pair does not fit 153 and moves on.
  const septets = encodeGsm7("a".repeat(152) + "€" + "b".repeat(10))!;
  const recs = payloadRecords(septets);
  const first = body(recs[0], "gsm7");
  assert.equal(first.length, 152);
  assert.notEqual(first[first.length - 1], 0x1b);
  assert.deepEqual([...body(recs[1], "gsm7").subarray(0, 2)], [0x1b, 0x65]);
});

Deno.test("segmentation never splits a UTF-16 surrogate pair", () => {
  // A part has 134 octets (67 units) after its 6-octet header; the pair would take units 67-68.
  const text = "a".repeat(66) + "\u{1F600}" + "b".repeat(10);
  const recs = payloadRecords(encodeUcs2(text), 8);
  assert.equal(recs.length, 2);
  assert.equal(body(recs[0], "ucs2").length, 132);
  assert.equal(toHex(body(recs[1], "ucs2").subarray(0, 4)), "d83dde00");
  // Every part's octets are even and within 140 with the header.
  for (const r of recs) assert.ok(r.udl <= 140 && (r.udl - 6) % 2 === 0);
});

Deno.test("segmentation keeps the non-concatenation IEs of the payload's UDH in every part", () => {
  const udh = encodeUdh([portIe(0x0b84, 0x23f0, { port16: true })]);
  const data = new Uint8Array(300).fill(0x55);
  const recs = payloadRecords(Uint8Array.of(...udh, ...data), 4, 0x40);
  // Header: UDHL + port IE (6) + concat IE (5) = 12 octets; 128 octets of data per part.
  assert.deepEqual(recs.map((r) => r.udl), [140, 140, 12 + 44]);
  for (const r of recs) {
    const ies = decodeUdh(r.ud).ies;
    assert.deepEqual(ies.map((e) => e.iei), [0x05, 0x00]);
  }
});

Deno.test("a long message that already carries a concatenation IE, or needs > 255 parts, is refused", () => {
  const udh = fromHex("050003010201");
  const r = smppToRecords(
    submitSm({ short_message: new Uint8Array(0), data_coding: 4, esm_class: 0x40 }, [
      tlv("message_payload", Uint8Array.of(...udh, ...new Uint8Array(200))),
    ]),
    CTX,
  );
  assert.ok(!r.ok && r.commandStatus === S.ESME_RINVMSGLEN);
  const huge = new Uint8Array(134 * 255 + 1);
  const h = smppToRecords(
    submitSm({ short_message: new Uint8Array(0), data_coding: 4 }, [tlv("message_payload", huge)]),
    CTX,
  );
  assert.ok(!h.ok && h.commandStatus === S.ESME_RINVMSGLEN, h.ok ? "" : h.reason);
  assert.equal(payloadRecords(new Uint8Array(134 * 255), 4).length, 255);
});

Deno.test("a UDH that leaves no room for a character in a part is refused", () => {
  // UDHL + one IE of 131 octets = 134 octets; with the concat IE 139: no room for a UCS-2 unit.
  const udh = encodeUdh([{ iei: 0x70, data: new Uint8Array(131) }]);
  const r = smppToRecords(
    submitSm({ short_message: new Uint8Array(0), data_coding: 8, esm_class: 0x40 }, [
      tlv("message_payload", Uint8Array.of(...udh, ...new Uint8Array(10))),
    ]),
    CTX,
  );
  assert.ok(!r.ok && r.commandStatus === S.ESME_RINVMSGLEN);
});

Deno.test("a long short_message is cut like a payload (IA5 text that grows past 160 septets)", () => {
  // 150 "[" become 300 septets.
  const r = smppToRecords(
    submitSm({ data_coding: 1, short_message: octets("[".repeat(150)) }),
    CTX,
  );
  assert.ok(r.ok);
  assert.equal(r.records.length, 2);
  assert.equal(body(r.records[0], "gsm7").length, 152);
});

Deno.test("sar_* on one short_message add a 16-bit concatenation IE (§5.3.2.22-24, TS 23.040 §9.2.3.24.8)", () => {
  const sar = [
    tlv("sar_msg_ref_num", 0x1234),
    tlv("sar_total_segments", 3),
    tlv("sar_segment_seqnum", 2),
  ];
  const r = smppToRecords(submitSm({}, sar), CTX);
  assert.ok(r.ok);
  const [rec] = r.records;
  assert.equal(toHex(rec.ud.subarray(0, 7)), "060804123403" + "02");
  // 7 header octets = 8 septets, + "hello".
  assert.equal(rec.udl, 13);
  assert.equal(String.fromCharCode(...body(rec, "gsm7")), "hello");
  // With a UDH already there the IE is appended.
  const port = encodeUdh([portIe(1, 2)]);
  const p = smppToRecords(
    submitSm({ data_coding: 4, esm_class: 0x40, short_message: Uint8Array.of(...port, 9) }, sar),
    CTX,
  );
  assert.ok(p.ok);
  assert.equal(toHex(p.records[0].ud), "0a" + "04020102" + "080412340302" + "09");
});

Deno.test("sar_* refusals: bad numbers, a concatenation IE already there, a segment too long", () => {
  const sar = (ref: number, total: number, seq: number) => [
    tlv("sar_msg_ref_num", ref),
    tlv("sar_total_segments", total),
    tlv("sar_segment_seqnum", seq),
  ];
  const status = (fields: Parameters<typeof submitSm>[0], tlvs: ReturnType<typeof sar>) => {
    const r = smppToRecords(submitSm(fields, tlvs), CTX);
    return r.ok ? 0 : r.commandStatus;
  };
  assert.equal(status({}, sar(1, 0, 0)), S.ESME_RINVOPTPARAMVAL);
  assert.equal(status({}, sar(1, 2, 3)), S.ESME_RINVOPTPARAMVAL);
  assert.equal(
    status({ esm_class: 0x40, short_message: fromHex("05000301020141") }, sar(1, 2, 1)),
    S.ESME_RINVOPTPARAMVAL,
  );
  assert.equal(status({ short_message: octets("a".repeat(160)) }, sar(1, 2, 1)), S.ESME_RINVMSGLEN);
});
