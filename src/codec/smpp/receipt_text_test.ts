import assert from "node:assert/strict";
import fc from "fast-check";
import {
  buildReceiptText,
  MESSAGE_STATE,
  messageStateName,
  parseReceiptText,
  sameMessageId,
} from "./receipt_text.ts";

Deno.test("buildReceiptText() writes the SMPP 3.4 Appendix B form", () => {
  const t = buildReceiptText({
    id: "0059113978",
    sub: 1,
    dlvrd: 1,
    submitDate: "1002101730",
    doneDate: "1002101731",
    messageState: MESSAGE_STATE.DELIVERED,
    err: 0,
    text: "@$#!%&/:and more than twenty",
  });
  assert.equal(
    t,
    "id:0059113978 sub:001 dlvrd:001 submit date:1002101730 done date:1002101731 stat:DELIVRD err:000 text:@$#!%&/:and more tha",
  );
});

Deno.test("parseReceiptText() reads the cloudhopper capture", () => {
  const r = parseReceiptText(
    "id:0059113978 sub:001 dlvrd:001 submit date:1002101730 done date:1002101731 stat:DELIVRD err:000 text:@$#!%&/:",
  );
  assert.deepEqual(r, {
    id: "0059113978",
    sub: "001",
    dlvrd: "001",
    submitDate: "1002101730",
    doneDate: "1002101731",
    stat: "DELIVRD",
    messageState: 2,
    err: "000",
    text: "@$#!%&/:",
    extra: {},
  });
});

Deno.test("parseReceiptText() tolerates case, underscores, seconds, extras and a cut text", () => {
  const r = parseReceiptText(
    "ID:7F3A SUB:1 DLVRD:0 SUBMIT_DATE:240131120059 DONE_DATE:240131120110 STAT:undeliv ERR:0b1 MCCMNC:26201 TEXT:Hello wor",
  );
  assert.equal(r?.id, "7F3A");
  assert.equal(r?.submitDate, "240131120059");
  assert.equal(r?.doneDate, "240131120110");
  assert.equal(r?.messageState, 5);
  assert.equal(r?.err, "0b1");
  assert.equal(r?.text, "Hello wor");
  assert.deepEqual(r?.extra, { mccmnc: "26201" });
  const cut = parseReceiptText(
    new TextEncoder().encode(
      "id:0000003005 sub:001 dlvrd:001 submit date:1001181431 done date:1001181431 stat:DELIVRD err:000 te",
    ),
  );
  assert.equal(cut?.stat, "DELIVRD");
  assert.equal(cut?.text, undefined);
  assert.equal(parseReceiptText("hello world"), undefined);
  assert.equal(parseReceiptText("id:1 stat:ENROUTE")?.messageState, 1);
});

Deno.test("parseReceiptText(buildReceiptText(r)) returns the fields", () => {
  const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));
  fc.assert(
    fc.property(
      fc.record({
        id: fc.stringMatching(/^[0-9A-Za-z]{1,20}$/),
        sub: fc.integer({ min: 0, max: 999 }),
        dlvrd: fc.integer({ min: 0, max: 999 }),
        submitDate: digits(10),
        doneDate: digits(10),
        messageState: fc.integer({ min: 1, max: 8 }),
        err: fc.integer({ min: 0, max: 999 }),
        text: fc.string({ maxLength: 20 }),
      }),
      (r) => {
        const p = parseReceiptText(buildReceiptText(r));
        assert.equal(p?.id, r.id);
        assert.equal(Number(p?.sub), r.sub);
        assert.equal(p?.messageState, r.messageState);
        assert.equal(p?.doneDate, r.doneDate);
        assert.equal(p?.text, r.text);
      },
    ),
    { seed: 42, numRuns: 300 },
  );
});

Deno.test("sameMessageId() matches decimal and hexadecimal forms", () => {
  assert.ok(sameMessageId("38601fa", "38601FA"));
  // The cloudhopper receipt capture: text id decimal, receipted_message_id hexadecimal.
  assert.ok(sameMessageId("0059113978", "38601fa"));
  assert.ok(sameMessageId("0059113978", "59113978"));
  assert.ok(!sameMessageId("12", "13"));
});

Deno.test("messageStateName() names §5.2.28 values", () => {
  assert.equal(messageStateName(2), "DELIVERED");
  assert.equal(messageStateName(0), "reserved");
});
