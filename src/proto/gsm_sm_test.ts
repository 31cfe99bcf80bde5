import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { encodeReportPayload, examplePmsRecord, type PmsRecord } from "../codec/pms/mod.ts";
import {
  decodeSmsSubmit,
  decodeTpdu,
  encodeTpdu,
  sctsFromEpochMs,
  type SmsSubmit,
} from "../codec/tpdu/mod.ts";
import { fromHex } from "../lib/bytes.ts";
import { recordToHandset, submitToRecord, submitValidityS, tpStatusOf } from "./gsm_sm.ts";

// SMS-SUBMIT, TP-VPF relative, MR 0x0c, DA +12125550101, PID 0, DCS 0, VP 0xAA (4 days),
// "hello" in 7-bit (TS 23.040 §9.2.2.2, hand-built).
const SUBMIT = fromHex("110c0b912121550501f10000aa05e8329bfd06");

Deno.test("submitToRecord() keeps TP-UD, DCS, PID, MR and flags, and takes the sender from auth", () => {
  const submit = decodeSmsSubmit(SUBMIT);
  const validityS = submitValidityS(submit, 0)!;
  strictEqual(validityS, 4 * 86400);
  const rec = submitToRecord(submit, "12125550100", validityS);
  deepStrictEqual(
    [rec.sourceClass, rec.oa, rec.da?.digits, rec.mr, rec.dcs, rec.pid, rec.udl, rec.validityS],
    ["gsm", { ton: 1, npi: 1, digits: "12125550100" }, "12125550101", 12, 0, 0, 5, 345600],
  );
  deepStrictEqual(rec.ud, submit.ud);
});

Deno.test("submitValidityS() reads absolute times against now and refuses past ones", () => {
  const submit = decodeSmsSubmit(SUBMIT);
  const at = 1_800_000_000_000;
  const abs: SmsSubmit = {
    ...submit,
    vpf: 3,
    vp: { format: "absolute", time: sctsFromEpochMs(at + 3600_000) },
  };
  strictEqual(submitValidityS(abs, at), 3600);
  strictEqual(submitValidityS(abs, at + 7200_000), undefined);
  strictEqual(submitValidityS({ ...submit, vpf: 0, vp: undefined }, at), 0);
});

Deno.test("recordToHandset() gives an SMS-DELIVER with the stored TP-UD, and TP-MMS for more waiting", () => {
  const submit = decodeSmsSubmit(SUBMIT);
  const rec: PmsRecord = {
    ...submitToRecord(submit, "12125550100", 0),
    entryTimeMs: 1_800_000_000_000,
  };
  const d = recordToHandset(rec, true);
  const bytes = encodeTpdu(d);
  const back = decodeTpdu(bytes, "sc-to-ms");
  if (back.type !== "sms-deliver") throw new Error(back.type);
  deepStrictEqual([back.oa.digits, back.udl, back.mms], ["12125550100", 5, false]);
  deepStrictEqual(back.ud, submit.ud);
});

Deno.test("recordToHandset() renders a status report record as an SMS-STATUS-REPORT", () => {
  const ud = encodeReportPayload({
    kind: "status",
    disposition: "expired",
    cause: 0,
    dischargeTimeMs: 1_800_000_100_000,
    originalId: 7,
    originalEntryTimeMs: 1_800_000_000_000,
    originalMr: 0x33,
  });
  const rec: PmsRecord = {
    ...examplePmsRecord(0),
    report: true,
    dcs: 0x04,
    udhi: false,
    udl: ud.length,
    ud,
    oa: { ton: 1, npi: 1, digits: "12125550101" },
  };
  const sr = decodeTpdu(encodeTpdu(recordToHandset(rec, false)), "sc-to-ms");
  if (sr.type !== "sms-status-report") throw new Error(sr.type);
  deepStrictEqual([sr.mr, sr.ra.digits, sr.st, sr.mms], [0x33, "12125550101", 0x46, true]);
  strictEqual(tpStatusOf("delivered"), 0);
  strictEqual(tpStatusOf("cancelled"), 0x48);
});
