import assert from "node:assert/strict";
import { DecodeError, EncodeError, UsageError } from "../lib/errors.ts";
import { toHex } from "../lib/bytes.ts";
import { decodePmsRecord, encodePmsRecord, type PmsRecord } from "../codec/pms/mod.ts";
import { parseSmsLang } from "../codec/sms_lang/mod.ts";
import { parseSubmitArgs } from "./submit_args.ts";
import {
  type BuildContext,
  buildSmsLangRecords,
  buildTextRecords,
  withMessageClass,
} from "./submit_records.ts";

/** Randomness that answers from a list, so references and TP-MR are known. */
function fixed(...values: number[]): BuildContext & { calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    nowMs: Date.UTC(2023, 11, 31, 23, 0, 0),
    random(maxExclusive) {
      calls.push(maxExclusive);
      return values.shift()! % maxExclusive;
    },
  };
}

function text(argv: string[], body: string, ctx = fixed(0x42, 7)): PmsRecord[] {
  const records = buildTextRecords(
    parseSubmitArgs([...argv, "+12125550100", "2125550101"]),
    body,
    ctx,
  );
  // Every record must be storable as is, and survive the trip through the record codec.
  for (const r of records) assert.deepEqual(decodePmsRecord(encodePmsRecord(r)), r);
  return records;
}

function lang(argv: string[], input: string, ctx = fixed(0x42, 7)): PmsRecord[] {
  const req = parseSubmitArgs(["--sms-lang", ...argv, "+12125550100", "2125550101"]);
  const records = buildSmsLangRecords(req, parseSmsLang(input), ctx);
  for (const r of records) assert.deepEqual(decodePmsRecord(encodePmsRecord(r)), r);
  return records;
}

Deno.test("buildTextRecords() builds one GSM 7 bit record for a short text", () => {
  const ctx = fixed(0x42, 7);
  const [r, ...rest] = text([], "hello", ctx);
  assert.equal(rest.length, 0);
  assert.deepEqual({ ...r, ud: toHex(r.ud) }, {
    state: "active",
    sourceClass: "cli",
    destClass: "gsm",
    entryTimeMs: 0,
    dischargeTimeMs: 0,
    expiryTimeMs: 0,
    validityS: 0,
    disposition: "none",
    attempts: 0,
    cause: 0,
    rd: false,
    srr: false,
    udhi: false,
    rp: false,
    imsiAddressed: false,
    mr: 7,
    pid: 0,
    dcs: 0,
    oa: { ton: 1, npi: 1, digits: "12125550100" },
    da: { ton: 0, npi: 1, digits: "2125550101" },
    routedDa: null,
    sourcePeer: "",
    udl: 5,
    ud: "e8329bfd06",
    destImsi: "",
    destPeer: "",
    destMessageId: "",
  });
});

Deno.test("buildTextRecords() concatenates a long text with an 8-bit reference and rising TP-MR", () => {
  const ctx = fixed(0x42, 255);
  const records = text([], "x".repeat(200), ctx);
  assert.deepEqual(ctx.calls, [256, 256]);
  assert.equal(records.length, 2);
  assert.deepEqual(records.map((r) => r.mr), [255, 0]);
  assert.deepEqual(records.map((r) => toHex(r.ud.subarray(0, 6))), [
    "050003420201",
    "050003420202",
  ]);
  assert.deepEqual(records.map((r) => [r.udhi, r.udl]), [[true, 160], [true, 7 + 47]]);
});

Deno.test("buildTextRecords() with --ref16 uses IEI 0x08 and a 16-bit reference", () => {
  const ctx = fixed(0x1234, 0);
  const records = text(["--ref16"], "y".repeat(200), ctx);
  assert.deepEqual(ctx.calls, [65536, 256]);
  assert.equal(toHex(records[0].ud.subarray(0, 7)), "06080412340201");
});

Deno.test("buildTextRecords() codes emoji as UCS-2, surrogate pairs kept whole", () => {
  const [r] = text([], "hi 😀");
  assert.equal(r.dcs, 0x08);
  assert.equal(r.udl, 10);
  assert.equal(toHex(r.ud), "006800690020d83dde00");
  const long = text([], "😀".repeat(40));
  assert.equal(long.length, 2);
  for (const seg of long) {
    // After the 6-octet UDH, a segment must start with a high surrogate (0xD83D).
    assert.equal(toHex(seg.ud.subarray(6, 8)), "d83d");
    assert.equal(seg.udl % 2, 0);
  }
});

Deno.test("buildTextRecords() uses a national shift table only when --lang allows it", () => {
  const [plain] = text([], "Işık");
  assert.equal(plain.dcs, 0x08);
  const [turkish] = text(["--lang", "turkish"], "Işık");
  assert.equal(turkish.dcs, 0x00);
  assert.equal(turkish.udhi, true);
  // TS 23.040 §9.2.3.24.16: IEI 0x25, length 1, language 1 (Turkish).
  assert.equal(toHex(turkish.ud.subarray(0, 4)), "03250101");
});

Deno.test("buildTextRecords() applies --ucs2, --class, --pid, --srr, --validity and --mr", () => {
  const [r] = text(
    ["--ucs2", "--class", "1", "--pid", "0x40", "--srr", "--validity", "3600", "--mr", "12"],
    "hello",
  );
  assert.equal(r.dcs, 0x19);
  assert.equal(r.udl, 10);
  assert.equal(r.pid, 0x40);
  assert.equal(r.srr, true);
  assert.equal(r.validityS, 3600);
  assert.equal(r.mr, 12);
  assert.equal(text(["--class", "0"], "hi")[0].dcs, 0x10);
});

Deno.test("buildTextRecords() drops nothing of the text: an empty body is one empty SM", () => {
  const [r] = text([], "");
  assert.equal(r.udl, 0);
  assert.equal(r.ud.length, 0);
});

Deno.test("buildTextRecords() refuses a text beyond 255 parts", () => {
  const req = parseSubmitArgs(["1", "2"]);
  assert.throws(() => buildTextRecords(req, "z".repeat(153 * 255 + 1), fixed(1, 1)), EncodeError);
});

Deno.test("buildTextRecords() builds an alphanumeric source and an IMSI-addressed MT", () => {
  const req = parseSubmitArgs(["--alpha", "--imsi", "001010000000001", "Operator"]);
  const [r] = buildTextRecords(req, "hi", fixed(1, 1));
  assert.deepEqual(r.oa, { ton: 5, npi: 0, text: "Operator" });
  assert.equal(r.da, null);
  assert.equal(r.imsiAddressed, true);
  assert.equal(r.destImsi, "001010000000001");
  assert.equal(r.destClass, "gsm");
  assert.deepEqual(decodePmsRecord(encodePmsRecord(r)), r);
});

const LANG = [
  "dcs 0 septet",
  "pid 0x7f",
  "mr 9",
  "sr",
  "rd",
  "rp",
  "vp-rel 167",
  "user-addr +19995550000",
  "msg-udh 050003AA020148656C6C6F",
  "msg-udh 050003AA0202576F726C64",
  "",
].join("\n");

Deno.test("buildSmsLangRecords() takes the settings of the language", () => {
  const ctx = fixed();
  const records = lang([], LANG, ctx);
  assert.deepEqual(ctx.calls, [], "no randomness is needed when the input sets mr");
  assert.equal(records.length, 2);
  for (const r of records) {
    assert.equal(r.pid, 0x7f);
    assert.equal(r.srr, true);
    assert.equal(r.rd, true);
    assert.equal(r.rp, true);
    assert.equal(r.udhi, true);
    // vp-rel 167: 12 h + 24 × 30 min, TS 23.040 §9.2.3.12.1.
    assert.equal(r.validityS, 86400);
    // The command line's DEST wins over user-addr.
    assert.deepEqual(r.da, { ton: 0, npi: 1, digits: "2125550101" });
  }
  assert.deepEqual(records.map((r) => r.mr), [9, 10]);
  // UDHL 5 + 1 octets = 7 septets with the fill bit, then 5 septets of text.
  assert.deepEqual(records.map((r) => r.udl), [12, 12]);
});

Deno.test("buildSmsLangRecords() lets the options win over the language", () => {
  const [r] = lang(["--pid", "0", "--mr", "1", "--validity", "60", "--dcs", "0xf0"], LANG);
  assert.equal(r.pid, 0);
  assert.equal(r.mr, 1);
  assert.equal(r.validityS, 60);
  assert.equal(r.dcs, 0xf0);
  assert.equal(lang(["--class", "2"], LANG)[0].dcs, 0x12);
});

Deno.test("buildSmsLangRecords() defaults: TP-MR random, no SRR, no validity", () => {
  const ctx = fixed(77);
  const [r] = lang([], "dcs 8 octet\nmsg 00680069\n", ctx);
  assert.deepEqual([r.mr, r.srr, r.rd, r.rp, r.validityS, r.pid, r.dcs], [
    77,
    false,
    false,
    false,
    0,
    0,
    8,
  ]);
  assert.equal(r.udl, 4);
});

Deno.test("buildSmsLangRecords() turns vp-abs into seconds from now", () => {
  const [r] = lang([], "dcs 0 septet\nvp-abs 24/01/01,00:00:00+00\nmsg 41\n");
  assert.equal(r.validityS, 3600);
  assert.throws(
    () => lang([], "dcs 0 septet\nvp-abs 23/01/01,00:00:00+00\nmsg 41\n"),
    (e) => e instanceof DecodeError && /in the past/.test(e.message),
  );
});

Deno.test("buildSmsLangRecords() refuses input without dcs or msg, or with a DCS of the other unit", () => {
  assert.throws(() => lang([], "pid 0\n"), /has no "dcs" line/);
  assert.throws(() => lang([], "dcs 0 septet\n"), /has no "msg" or "msg-udh" line/);
  assert.throws(
    () => lang([], "dcs 0 octet\nmsg 41\n"),
    (e) =>
      e instanceof DecodeError &&
      /counts TP-UDL in septets, but the input is octet coded/.test(e.message),
  );
  assert.throws(
    () => lang(["--dcs", "4"], "dcs 0 septet\nmsg 41\n"),
    (e) =>
      e instanceof UsageError &&
      /Cannot use --dcs: TP-DCS 0x04 counts TP-UDL in octets/.test(e.message),
  );
  assert.throws(() => lang(["--class", "1"], "dcs 0xc0 septet\nmsg 41\n"), UsageError);
});

Deno.test("withMessageClass() sets the class bits of the groups that have them", () => {
  assert.equal(withMessageClass(0x00, 0), 0x10);
  assert.equal(withMessageClass(0x08, 1), 0x19);
  assert.equal(withMessageClass(0x15, 3), 0x17);
  assert.equal(withMessageClass(0x44, 2), 0x56);
  assert.equal(withMessageClass(0xf4, 2), 0xf6);
  assert.throws(() => withMessageClass(0xc0, 1), /TP-DCS 0xc0 has no message class/);
});
