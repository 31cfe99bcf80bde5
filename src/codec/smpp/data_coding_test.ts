import assert from "node:assert/strict";
import { smppDataCodingToTpDcs, tpDcsOctetForm, tpDcsToSmppDataCoding } from "./data_coding.ts";
import { ia5ToGsm7, latin1ToGsm7 } from "./text_conversion.ts";
import { SMPP_STATUS } from "./command_status.ts";

Deno.test("smppDataCodingToTpDcs() maps the SMPP 3.4 §5.2.19 values", () => {
  assert.deepEqual(smppDataCodingToTpDcs(0x00), {
    ok: true,
    tpDcs: 0,
    form: "gsm7-septets",
    conversion: "none",
  });
  const ia5 = smppDataCodingToTpDcs(0x01);
  assert.ok(ia5.ok && ia5.tpDcs === 0 && ia5.conversion === "ia5-to-gsm7");
  const latin1 = smppDataCodingToTpDcs(0x03);
  assert.ok(latin1.ok && latin1.tpDcs === 0 && latin1.conversion === "latin1-to-gsm7");
  for (const dc of [0x02, 0x04]) {
    const m = smppDataCodingToTpDcs(dc);
    assert.ok(m.ok && m.tpDcs === 0x04 && m.form === "8bit");
  }
  const ucs2 = smppDataCodingToTpDcs(0x08);
  assert.ok(ucs2.ok && ucs2.tpDcs === 0x08 && ucs2.form === "ucs2");
  for (const dc of [0xc0, 0xd8, 0xe0, 0xf0, 0xf1, 0xf5]) {
    const m = smppDataCodingToTpDcs(dc);
    assert.ok(m.ok && m.tpDcs === dc, dc.toString(16));
  }
});

Deno.test("smppDataCodingToTpDcs() rejects national alphabets, reserved values and 0xF8-0xFF", () => {
  for (const dc of [0x05, 0x06, 0x07, 0x09, 0x0a, 0x0b, 0x0d, 0x0e, 0x10, 0xbf, 0xf8, 0xff]) {
    const m = smppDataCodingToTpDcs(dc);
    assert.ok(!m.ok && m.commandStatus === SMPP_STATUS.ESME_RSUBMITFAIL, dc.toString(16));
  }
  const m = smppDataCodingToTpDcs(0x18, { reservedAsTpDcs: true });
  assert.ok(m.ok && m.tpDcs === 0x18 && m.form === "ucs2");
});

Deno.test("smppDataCodingToTpDcs() answers every value 0x00-0xFF", () => {
  for (let dc = 0; dc < 256; dc++) {
    const m = smppDataCodingToTpDcs(dc);
    if (m.ok) assert.equal(tpDcsOctetForm(m.tpDcs) !== undefined, true);
  }
});

Deno.test("tpDcsToSmppDataCoding() maps TS 23.038 groups and names what is lost", () => {
  assert.deepEqual(tpDcsToSmppDataCoding(0x00), { ok: true, dataCoding: 0x00, lost: [] });
  assert.deepEqual(tpDcsToSmppDataCoding(0x04), { ok: true, dataCoding: 0x04, lost: [] });
  assert.deepEqual(tpDcsToSmppDataCoding(0x08), { ok: true, dataCoding: 0x08, lost: [] });
  assert.deepEqual(tpDcsToSmppDataCoding(0x10), { ok: true, dataCoding: 0xf0, lost: [] });
  assert.deepEqual(tpDcsToSmppDataCoding(0x15), { ok: true, dataCoding: 0xf5, lost: [] });
  assert.deepEqual(tpDcsToSmppDataCoding(0x18), {
    ok: true,
    dataCoding: 0x08,
    lost: ["message class"],
  });
  assert.deepEqual(tpDcsToSmppDataCoding(0x40), {
    ok: true,
    dataCoding: 0x00,
    lost: ["automatic deletion"],
  });
  assert.deepEqual(tpDcsToSmppDataCoding(0xf6), { ok: true, dataCoding: 0xf6, lost: [] });
  assert.equal(tpDcsToSmppDataCoding(0x20).ok, false);
  assert.equal(tpDcsToSmppDataCoding(0x80).ok, false);
});

Deno.test("tpDcsToSmppDataCoding() and smppDataCodingToTpDcs() round-trip the class and MWI groups", () => {
  for (let v = 0xc0; v <= 0xf7; v++) {
    const back = tpDcsToSmppDataCoding(v);
    assert.ok(back.ok && back.dataCoding === v);
    const there = smppDataCodingToTpDcs(v);
    assert.ok(there.ok && there.tpDcs === v);
  }
});

Deno.test("ia5ToGsm7() maps ASCII to septets with escapes", () => {
  const text = new TextEncoder().encode("@$_{x}");
  assert.deepEqual(
    ia5ToGsm7(text),
    Uint8Array.from([0x00, 0x02, 0x11, 0x1b, 0x28, 0x78, 0x1b, 0x29]),
  );
  assert.throws(() => ia5ToGsm7(Uint8Array.from([0x60])), { name: "EncodeError" });
  assert.throws(() => ia5ToGsm7(Uint8Array.from([0xe9])), { name: "EncodeError" });
});

Deno.test("latin1ToGsm7() maps Latin-1 letters of the default alphabet", () => {
  assert.deepEqual(
    latin1ToGsm7(Uint8Array.from([0xe9, 0xa3, 0xdc, 0x0a])),
    Uint8Array.from([0x05, 0x01, 0x5e, 0x0a]),
  );
  assert.throws(() => latin1ToGsm7(Uint8Array.from([0xe2])), { name: "EncodeError" });
});
