import assert from "node:assert/strict";
import fc from "fast-check";
import { EncodeError } from "../../lib/errors.ts";
import { toHex } from "../../lib/bytes.ts";
import { decodeUserData } from "../tpdu/user_data.ts";
import { concatIe } from "../tpdu/udh.ts";
import { type PlanOptions, planText, reassemble, type TextPlan } from "./mod.ts";

function roundTrip(plan: TextPlan): string {
  const parts = plan.segments.map((s) => {
    const ud = decodeUserData(s.ud, s.udl, s.udhi, plan.alphabet);
    return { udh: ud.udh, text: ud.text ?? "" };
  });
  const messages = reassemble(parts);
  assert.equal(messages.length, 1);
  assert.ok(messages[0].complete);
  return messages[0].text;
}

Deno.test("planText() keeps 160 default-alphabet septets in one message", () => {
  const plan = planText("a".repeat(160), { reference: 1 });
  assert.equal(plan.alphabet, "gsm7");
  assert.equal(plan.segments.length, 1);
  assert.equal(plan.segments[0].udhi, false);
  assert.equal(plan.segments[0].udl, 160);
});

Deno.test("planText() splits 161 septets into 153 + 8 with an 8-bit reference", () => {
  const plan = planText("a".repeat(161), { reference: 0xcc });
  assert.deepEqual(plan.segments.map((s) => s.udl), [160, 15]);
  assert.equal(toHex(plan.segments[0].ud.subarray(0, 6)), "050003cc0201");
  assert.equal(toHex(plan.segments[1].ud.subarray(0, 6)), "050003cc0202");
});

Deno.test("planText() uses 152 septets per part with a 16-bit reference", () => {
  const plan = planText("a".repeat(161), { reference: 0x1234, ref16: true });
  assert.deepEqual(plan.segments.map((s) => s.udl), [160, 17]);
  assert.equal(toHex(plan.segments[0].ud.subarray(0, 7)), "06080412340201");
});

Deno.test("planText() never splits an escape sequence", () => {
  const text = "a".repeat(152) + "€" + "b".repeat(10);
  const plan = planText(text, { reference: 1 });
  // 152 + escape would end at septet 153 with its code in the next part: move it.
  assert.deepEqual(plan.segments.map((s) => s.udl), [7 + 152, 7 + 12]);
  assert.equal(roundTrip(plan), text);
});

Deno.test("planText() falls back to UCS-2 and never splits a surrogate pair", () => {
  assert.equal(planText("Ж".repeat(70), { reference: 1 }).segments.length, 1);
  const text = "Ж".repeat(66) + "😀" + "Ж".repeat(3);
  const plan = planText(text, { reference: 1 });
  assert.equal(plan.alphabet, "ucs2");
  assert.deepEqual(plan.segments.map((s) => s.udl), [6 + 132, 6 + 10]);
  assert.equal(roundTrip(plan), text);
});

Deno.test("planText() picks national tables only when they are allowed and help", () => {
  const text = "Işık ağaç";
  assert.equal(planText(text, { reference: 1 }).alphabet, "ucs2");
  const plan = planText(text, { reference: 1, languages: [1] });
  assert.equal(plan.alphabet, "gsm7");
  assert.equal(plan.lockingShift, 1);
  assert.equal(plan.singleShift, undefined);
  assert.equal(toHex(plan.segments[0].ud.subarray(0, 4)), "03250101");
  assert.equal(roundTrip(plan), text);
  // Plain text stays on the default tables even when languages are offered.
  const plain = planText("hello", { reference: 1, languages: [1, 2, 3] });
  assert.equal(plain.lockingShift, undefined);
  assert.equal(plain.segments[0].udhi, false);
});

Deno.test("planText() uses the Spanish single shift table for Spanish text", () => {
  const plan = planText("Canción útil", { reference: 1, languages: [2] });
  assert.equal(plan.alphabet, "gsm7");
  assert.equal(plan.singleShift, 2);
  assert.equal(plan.lockingShift, undefined);
});

Deno.test("planText() honours forceUcs2", () => {
  assert.equal(planText("hello", { reference: 1, forceUcs2: true }).alphabet, "ucs2");
});

Deno.test("planText() rejects more than 255 parts and a bad reference", () => {
  assert.equal(planText("a".repeat(153 * 255), { reference: 1 }).segments.length, 255);
  assert.throws(() => planText("a".repeat(153 * 255 + 1), { reference: 1 }), EncodeError);
  assert.throws(() => planText("a".repeat(200), { reference: 256 }), EncodeError);
});

Deno.test("reassemble() orders parts, drops duplicates and reports gaps", () => {
  const part = (ref: number, total: number, seq: number, text: string) => ({
    udh: [concatIe(ref, total, seq)],
    text,
  });
  const messages = reassemble([
    part(5, 3, 3, "C"),
    part(5, 3, 1, "A"),
    { udh: null, text: "single" },
    part(5, 3, 1, "A again"),
    part(6, 2, 2, "y"),
  ]);
  assert.deepEqual(messages.map((m) => [m.reference, m.complete, m.text, m.missing]), [
    [5, false, "AC", [2]],
    [null, true, "single", []],
    [6, false, "y", [1]],
  ]);
});

Deno.test("reassemble() treats a part with a malformed concatenation element as single", () => {
  const bad = { iei: 0x00, data: Uint8Array.of(1, 2, 0) };
  assert.deepEqual(reassemble([{ udh: [bad], text: "x" }])[0].reference, null);
});

const langs = [1, 2, 3];
const tableChars = [..."abcXYZ 019.,!?@£$¥èéùìòÇØøÅåΔ_ΦΓ€[]{}~\\^|çğışİŞĞáíóúÁÍÓÚãõêâÃÕÊÂªº"];
const arbText = fc.array(
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...tableChars) },
    { weight: 1, arbitrary: fc.constantFrom("😀", "Ж", "中", "\u0928") },
  ),
  { maxLength: 400 },
).map((a) => a.join(""));

Deno.test("planText() output decoded and reassembled gives back the text", () => {
  fc.assert(
    fc.property(arbText, fc.integer({ min: 0, max: 255 }), fc.boolean(), (text, ref, ref16) => {
      const options: PlanOptions = { reference: ref, ref16, languages: langs };
      const plan = planText(text, options);
      for (const s of plan.segments) {
        assert.ok(s.udl <= (plan.alphabet === "gsm7" ? 160 : 140));
      }
      assert.equal(roundTrip(plan), text);
    }),
    { seed: 42, numRuns: 300 },
  );
});
