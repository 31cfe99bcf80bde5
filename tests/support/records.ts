/**
 * Records as a submitter builds them, for tests that talk to core directly.
 *
 * @module
 */

import { encodePmsRecord, examplePmsRecord, type PmsRecord } from "../../src/codec/pms/mod.ts";
import { planText } from "../../src/codec/sms_text/mod.ts";
import { dcsForAlphabet } from "../../src/codec/tpdu/mod.ts";

/**
 * A one-segment command-line record from `from` to `to` carrying `text`
 * (GSM 7 bit or UCS-2, at most one segment).
 */
export function cliRecord(
  from: string,
  to: string,
  text: string,
  fields: Partial<PmsRecord> = {},
): PmsRecord {
  const plan = planText(text, { reference: 1 });
  if (plan.segments.length !== 1) throw new Error("cliRecord() takes one segment of text");
  const [seg] = plan.segments;
  return {
    ...examplePmsRecord(0),
    sourceClass: "cli",
    srr: false,
    mr: 0,
    expiryTimeMs: 0,
    oa: { ton: from.startsWith("+") ? 1 : 0, npi: 1, digits: from.replace(/^\+/, "") },
    da: { ton: to.startsWith("+") ? 1 : 0, npi: 1, digits: to.replace(/^\+/, "") },
    routedDa: null,
    destClass: "gsm",
    dcs: dcsForAlphabet(plan.alphabet).raw,
    udhi: seg.udhi,
    udl: seg.udl,
    ud: seg.ud,
    ...fields,
  };
}

/** The same, encoded as the 256 bytes SUBMIT carries. */
export function cliRecordBytes(
  from: string,
  to: string,
  text: string,
  fields: Partial<PmsRecord> = {},
): Uint8Array {
  return encodePmsRecord(cliRecord(from, to, text, fields));
}
