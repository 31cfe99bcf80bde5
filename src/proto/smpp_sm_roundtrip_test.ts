import assert from "node:assert/strict";
import fc from "fast-check";
import { toHex } from "../lib/bytes.ts";
import { examplePmsRecord, type PmsRecord } from "../codec/pms/mod.ts";
import { tpDcsOctetForm, tpDcsToSmppDataCoding } from "../codec/smpp/mod.ts";
import {
  decodeUdh,
  decodeUserData,
  encodeUserData,
  type InformationElement,
  type TpAddress,
} from "../codec/tpdu/mod.ts";
import { smppToRecords } from "./smpp_sm_in.ts";
import { recordToSmpp } from "./smpp_sm_out.ts";
import { CTX, pdu, tlv } from "./smpp_sm_fixtures.ts";

/** TP-DCS values whose data_coding maps back to the same TP-DCS (SMPP 3.4 §5.2.19). */
const SAME_DCS = (d: number) => d === 0x00 || d === 0x04 || d === 0x08 || d >= 0xc0;

const digitAddress = fc.record({
  ton: fc.constantFrom(0, 1, 2, 3, 4, 6),
  npi: fc.integer({ min: 0, max: 15 }),
  digits: fc.stringMatching(/^[0-9*#abc]{1,20}$/),
});
const textAddress = fc.record({
  ton: fc.constant(5),
  npi: fc.integer({ min: 0, max: 15 }),
  text: fc.stringMatching(/^[A-Za-z0-9 @$!?&*()=<>%#"',.:;+\/-]{1,11}$/),
});
const address: fc.Arbitrary<TpAddress> = fc.oneof(digitAddress, textAddress);

const ie: fc.Arbitrary<InformationElement> = fc.record({
  iei: fc.integer({ min: 0, max: 255 }),
  data: fc.uint8Array({ maxLength: 6 }),
});

/** Every TP-DCS that has a data_coding, weighted toward the ones that map back exactly. */
const dcs = fc.oneof(
  fc.constantFrom(0x00, 0x04, 0x08, 0xc0, 0xd5, 0xe3, 0xf0, 0xf3, 0xf4, 0xf7),
  fc.integer({ min: 0, max: 255 }).filter((d) => tpDcsToSmppDataCoding(d).ok),
);

/** A record with valid user data: header elements and a payload that fits. */
const record: fc.Arbitrary<PmsRecord> = fc.record({
  oa: address,
  da: address,
  dcs,
  pid: fc.integer({ min: 0, max: 255 }),
  udh: fc.option(fc.array(ie, { maxLength: 3 }), { nil: null }),
  body: fc.uint8Array({ maxLength: 160, size: "max" }),
  rp: fc.boolean(),
  srr: fc.boolean(),
}).map((g) => {
  const form = tpDcsOctetForm(g.dcs)!;
  const alphabet = form === "gsm7-septets" ? "gsm7" : form;
  const header = g.udh === null ? 0 : 1 + g.udh.reduce((n, e) => n + 2 + e.data.length, 0);
  let room = Math.min(
    g.body.length,
    alphabet === "gsm7" ? 160 - Math.ceil((header * 8) / 7) : 140 - header,
  );
  // UCS-2 from an ESME must be whole 16-bit units.
  if (alphabet === "ucs2") room -= room % 2;
  const payload = g.body.subarray(0, Math.max(0, room)).map((b) =>
    alphabet === "gsm7" ? b & 0x7f : b
  );
  const ud = alphabet === "gsm7"
    ? encodeUserData({ udh: g.udh, septets: payload }, "gsm7")
    : encodeUserData({ udh: g.udh, data: payload }, alphabet);
  return {
    ...examplePmsRecord(),
    expiryTimeMs: CTX.nowMs + 3_600_000,
    oa: g.oa,
    da: g.da,
    dcs: g.dcs,
    pid: g.pid,
    rp: g.rp,
    srr: g.srr,
    udhi: ud.udhi,
    udl: ud.udl,
    ud: ud.ud,
  };
});

Deno.test("smppToRecords(recordToSmpp(r)) gives back TP-UD, UDL, DCS, PID, UDHI, RP and addresses (property)", () => {
  fc.assert(
    fc.property(
      record,
      fc.constantFrom("deliver_sm", "submit_sm") as fc.Arbitrary<"deliver_sm" | "submit_sm">,
      (rec, command) => {
        const out = recordToSmpp(rec, 1, command);
        if (!out.ok) throw new Error(out.reason);
        const back = smppToRecords(pdu(command, out.fields, out.tlvs), CTX);
        if (!back.ok) throw new Error(back.reason);
        assert.equal(back.records.length, 1);
        const [r] = back.records;
        assert.equal(toHex(r.ud), toHex(rec.ud));
        assert.deepEqual([r.udl, r.udhi, r.pid, r.rp], [rec.udl, rec.udhi, rec.pid, rec.rp]);
        assert.deepEqual(r.oa, { ...rec.oa });
        assert.deepEqual(r.da, { ...rec.da });
        // The alphabet always survives; the value itself where data_coding can carry it.
        assert.equal(tpDcsOctetForm(r.dcs), tpDcsOctetForm(rec.dcs));
        if (SAME_DCS(rec.dcs)) assert.equal(r.dcs, rec.dcs);
        if (command === "submit_sm") {
          assert.equal(r.srr, rec.srr);
          assert.equal(r.validityS, 3600);
        }
      },
    ),
    { seed: 20240301, numRuns: 1500 },
  );
});

/** Positions where a character starts: escape pairs and surrogate pairs are one character. */
function starts(alphabet: "gsm7" | "8bit" | "ucs2", p: Uint8Array): Set<number> {
  const out = new Set<number>();
  let i = 0;
  while (i < p.length) {
    out.add(i);
    if (alphabet === "gsm7") i += p[i] === 0x1b && i + 1 < p.length ? 2 : 1;
    else if (alphabet === "8bit") i += 1;
    else {
      const u = (p[i] << 8) | p[i + 1];
      const v = i + 3 < p.length ? (p[i + 2] << 8) | p[i + 3] : 0;
      i += u >= 0xd800 && u <= 0xdbff && v >= 0xdc00 && v <= 0xdfff ? 4 : 2;
    }
  }
  out.add(p.length);
  return out;
}

Deno.test("segmented message_payload reassembles exactly and cuts only between characters (property)", () => {
  let multi = 0;
  const gen = fc.record({
    alphabet: fc.constantFrom("gsm7", "8bit", "ucs2") as fc.Arbitrary<"gsm7" | "8bit" | "ucs2">,
    // Escapes and surrogates are frequent so that cuts land on them.
    units: fc.array(fc.constantFrom(0x1b, 0x41, 0xd8, 0x3d, 0xdc, 0x00, 0x7f), {
      maxLength: 2000,
      size: "max",
    }),
  });
  fc.assert(
    fc.property(gen, ({ alphabet, units }) => {
      let payload = Uint8Array.from(units);
      if (alphabet === "gsm7") payload = payload.map((b) => b & 0x7f);
      if (alphabet === "ucs2") payload = payload.subarray(0, payload.length - (payload.length % 2));
      const dataCoding = { gsm7: 0, "8bit": 4, ucs2: 8 }[alphabet];
      const r = smppToRecords(
        pdu("submit_sm", { ...baseFields(), data_coding: dataCoding }, [
          tlv("message_payload", payload),
        ]),
        CTX,
      );
      if (!r.ok) throw new Error(r.reason);
      const cuts = starts(alphabet, payload);
      let at = 0;
      const parts: number[] = [];
      for (const rec of r.records) {
        const u = decodeUserData(rec.ud, rec.udl, rec.udhi, alphabet);
        const chunk = alphabet === "gsm7" ? u.septets! : u.data;
        assert.deepEqual([...chunk], [...payload.subarray(at, at + chunk.length)]);
        at += chunk.length;
        assert.ok(cuts.has(at), `cut at ${at} splits a character`);
        if (r.records.length > 1) parts.push(decodeUdh(rec.ud).ies[0].data[2]);
      }
      assert.equal(at, payload.length);
      if (r.records.length > 1) multi++;
      if (r.records.length > 1) assert.deepEqual(parts, r.records.map((_, i) => i + 1));
    }),
    { seed: 42, numRuns: 400 },
  );
  assert.ok(multi > 200, `only ${multi} runs were segmented`);
});

function baseFields() {
  return {
    service_type: "",
    source_addr_ton: 1,
    source_addr_npi: 1,
    source_addr: "1",
    dest_addr_ton: 1,
    dest_addr_npi: 1,
    destination_addr: "2",
    esm_class: 0,
    protocol_id: 0,
    priority_flag: 0,
    schedule_delivery_time: "",
    validity_period: "",
    registered_delivery: 0,
    replace_if_present_flag: 0,
    data_coding: 0,
    sm_default_msg_id: 0,
    short_message: new Uint8Array(0),
  };
}
