// Table-driven vectors and the hostile-input sweep for every TPDU decoder
// (STYLE.md §5 layers 1 and 3).
import assert from "node:assert/strict";
import { fuzzDecoder, runVectors, type Vector } from "../../../tests/support/codec_harness.ts";
import { fromHex } from "../../lib/bytes.ts";
import submitCases from "../../../tests/vectors/tpdu/sms_submit.json" with { type: "json" };
import deliverCases from "../../../tests/vectors/tpdu/sms_deliver.json" with { type: "json" };
import statusCases from "../../../tests/vectors/tpdu/status_report.json" with { type: "json" };
import commandCases from "../../../tests/vectors/tpdu/sms_command.json" with { type: "json" };
import submitReportCases from "../../../tests/vectors/tpdu/submit_report.json" with {
  type: "json",
};
import deliverReportCases from "../../../tests/vectors/tpdu/deliver_report.json" with {
  type: "json",
};
import {
  decodeSmsCommand,
  decodeSmsDeliver,
  decodeSmsDeliverReport,
  decodeSmsStatusReport,
  decodeSmsSubmit,
  decodeSmsSubmitReport,
  decodeTpdu,
  describeUserData,
  encodeSmsCommand,
  encodeSmsDeliver,
  encodeSmsDeliverReport,
  encodeSmsStatusReport,
  encodeSmsSubmit,
  encodeSmsSubmitReport,
  encodeTpdu,
  type ReportOptions,
} from "./mod.ts";

// deno-lint-ignore no-explicit-any
type AnyCodec = [string, Vector[], (b: Uint8Array, o?: any) => any, (v: any) => Uint8Array];

const CODECS: AnyCodec[] = [
  ["decodeSmsSubmit()", submitCases as Vector[], decodeSmsSubmit, encodeSmsSubmit],
  ["decodeSmsDeliver()", deliverCases as Vector[], decodeSmsDeliver, encodeSmsDeliver],
  [
    "decodeSmsStatusReport()",
    statusCases as Vector[],
    decodeSmsStatusReport,
    encodeSmsStatusReport,
  ],
  ["decodeSmsCommand()", commandCases as Vector[], decodeSmsCommand, encodeSmsCommand],
  [
    "decodeSmsSubmitReport()",
    submitReportCases as Vector[],
    (b, o?: ReportOptions) => decodeSmsSubmitReport(b, o),
    encodeSmsSubmitReport,
  ],
  [
    "decodeSmsDeliverReport()",
    deliverReportCases as Vector[],
    (b, o?: ReportOptions) => decodeSmsDeliverReport(b, o),
    encodeSmsDeliverReport,
  ],
];

for (const [name, cases, decode, encode] of CODECS) {
  Deno.test(`${name} decodes the vectors and re-encodes them byte for byte`, async (t) => {
    await runVectors(t, cases, decode, encode);
  });

  Deno.test(`${name} throws only DecodeError on hostile input`, () => {
    const seeds = cases.map((c) => fromHex(c.hex));
    const options = cases.map((c) => c.options as ReportOptions | undefined);
    // The report decoders depend on an option; sweep both forms and the rule.
    for (const o of new Set([undefined, ...options])) {
      const counts = fuzzDecoder((b) => decode(b, o), seeds, { randomCount: 2000, seed: 42 });
      assert.ok(counts.calls > 1000);
    }
  });
}

Deno.test("decodeTpdu() dispatches every valid vector by TP-MTI and direction", () => {
  const byDirection: [Vector[], "ms-to-sc" | "sc-to-ms"][] = [
    [submitCases as Vector[], "ms-to-sc"],
    [commandCases as Vector[], "ms-to-sc"],
    [deliverReportCases as Vector[], "ms-to-sc"],
    [deliverCases as Vector[], "sc-to-ms"],
    [statusCases as Vector[], "sc-to-ms"],
    [submitReportCases as Vector[], "sc-to-ms"],
  ];
  for (const [cases, direction] of byDirection) {
    for (const c of cases.filter((c) => c.error === undefined)) {
      const bytes = fromHex(c.hex);
      const v = decodeTpdu(bytes, direction, c.options as ReportOptions);
      assert.deepEqual(encodeTpdu(v), bytes, c.name);
    }
  }
});

Deno.test("decodeTpdu() rejects TP-MTI 3 with TP-FCS 0xB0 in both directions", () => {
  for (const direction of ["ms-to-sc", "sc-to-ms"] as const) {
    assert.throws(
      () => decodeTpdu(fromHex("0300"), direction),
      (e: Error & { field?: string; code?: number }) =>
        e.name === "DecodeError" && e.field === "TP-MTI" && e.code === 0xb0,
    );
  }
  assert.throws(() => decodeTpdu(new Uint8Array(), "ms-to-sc"), { name: "DecodeError" });
});

Deno.test("decodeTpdu() throws only DecodeError on hostile input in both directions", () => {
  const seeds = [...submitCases, ...deliverCases, ...statusCases].map((c) => fromHex(c.hex));
  for (const direction of ["ms-to-sc", "sc-to-ms"] as const) {
    fuzzDecoder((b) => decodeTpdu(b, direction), seeds, { randomCount: 1000, seed: 7 });
  }
});

Deno.test("describeUserData() gives the text of the classic hellohello SMS-DELIVER", () => {
  const d = decodeSmsDeliver(fromHex("040bc87238880900f10000993092516195800ae8329bfd4697d9ec37"));
  assert.equal(describeUserData(d)?.text, "hellohello");
});

Deno.test("describeUserData() reads the concatenation header and the text after the fill bit", () => {
  const v = (deliverCases as Vector[]).find((c) => c.name.startsWith("GSM 7 bit part 2"))!;
  const u = describeUserData(decodeSmsDeliver(fromHex(v.hex)));
  assert.equal(u?.text, "second part");
  assert.equal(u?.udh?.length, 1);
  assert.equal(u?.fillBits, 1);
});

Deno.test("describeUserData() returns undefined without user data", () => {
  assert.equal(describeUserData(decodeSmsDeliverReport(fromHex("0000"))), undefined);
});
