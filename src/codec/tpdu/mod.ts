/**
 * The transfer-layer TPDUs of 3GPP TS 23.040 V18 (SMS point-to-point,
 * technical realization), §9: SMS-SUBMIT, SMS-DELIVER, SMS-STATUS-REPORT,
 * SMS-COMMAND, SMS-SUBMIT-REPORT and SMS-DELIVER-REPORT, with their fields
 * (addresses §9.1.2.5, TP-SCTS §9.2.3.11, TP-VP §9.2.3.12, TP-DCS per
 * TS 23.038 §4), the User Data Header (§9.2.3.24) and user data.
 *
 * Every codec is a pure function over `Uint8Array`. Decoded values are plain
 * objects whose field names are the spec's abbreviations camel-cased (TP-VPF
 * → `vpf`). Re-encoding a decoded value gives back the same octets: user
 * data stays raw (`udl`, `ud`), reserved bits are kept (`reservedBits`), and
 * addresses, time stamps and enhanced validity periods carry `raw` when the
 * received octets are not the canonical encoding of their fields.
 *
 * Limits: decoders throw `DecodeError` (protocol "tpdu", field = the spec's
 * field name, offset) on truncation, an Address-Length over 20 semi-octets,
 * TP-UDL beyond 160 septets (GSM 7 bit) or 140 octets, a TP-UDHL beyond
 * TP-UD, TP-CDL over 157, octets after the last field, and a TP-MTI that does
 * not fit the direction. TP-MTI 3 (reserved) is rejected in both directions
 * with code 0xB0 (TP-FCS "TPDU not supported"): an SC has no use for it,
 * while TS 23.040 §9.2.3.1 asks only an MS to read it as SMS-DELIVER.
 * Reserved first-octet bits, reserved TP-PI bits and reserved TP-DCS groups
 * are accepted and kept.
 *
 * @example
 * ```ts
 * import { decodeTpdu, encodeTpdu } from "./mod.ts";
 * import { fromHex } from "../../lib/bytes.ts";
 * const t = decodeTpdu(fromHex("11000b916407281553f80000aa0ae8329bfd4697d9ec37"), "ms-to-sc");
 * console.assert(t.type === "sms-submit" && encodeTpdu(t).length === 23);
 * ```
 *
 * @module
 */

import { DecodeError, EncodeError } from "../../lib/errors.ts";
import { TP_MTI_MASK, TPDU_PROTOCOL } from "./constants.ts";
import { decodeSmsSubmit, encodeSmsSubmit, type SmsSubmit } from "./sms_submit.ts";
import { decodeSmsDeliver, encodeSmsDeliver, type SmsDeliver } from "./sms_deliver.ts";
import {
  decodeSmsStatusReport,
  encodeSmsStatusReport,
  type SmsStatusReport,
} from "./status_report.ts";
import { decodeSmsCommand, encodeSmsCommand, type SmsCommand } from "./sms_command.ts";
import {
  decodeSmsSubmitReport,
  encodeSmsSubmitReport,
  type ReportOptions,
  type SmsSubmitReport,
} from "./submit_report.ts";
import {
  decodeSmsDeliverReport,
  encodeSmsDeliverReport,
  type SmsDeliverReport,
} from "./deliver_report.ts";

export * from "./constants.ts";
export * from "./address.ts";
export * from "./scts.ts";
export * from "./validity.ts";
export * from "./dcs.ts";
export * from "./semi_octets.ts";
export * from "./sms_submit.ts";
export * from "./sms_deliver.ts";
export * from "./status_report.ts";
export * from "./sms_command.ts";
export * from "./submit_report.ts";
export * from "./deliver_report.ts";
export * from "./describe.ts";
export * from "./udh.ts";
export * from "./user_data.ts";
export type { OptionalParameters, RawUserData } from "./_fields.ts";

/** Which way a TPDU travels; TP-MTI means different TPDUs in each, TS 23.040 §9.2.3.1. */
export type Direction = "ms-to-sc" | "sc-to-ms";

/** Any TPDU, tagged by `type`. */
export type Tpdu =
  | SmsSubmit
  | SmsDeliver
  | SmsStatusReport
  | SmsCommand
  | SmsSubmitReport
  | SmsDeliverReport;

/**
 * Decodes a TPDU of either direction by its TP-MTI, TS 23.040 §9.2.3.1.
 * MS to SC: 0 SMS-DELIVER-REPORT, 1 SMS-SUBMIT, 2 SMS-COMMAND. SC to MS:
 * 0 SMS-DELIVER, 1 SMS-SUBMIT-REPORT, 2 SMS-STATUS-REPORT.
 *
 * @param bytes the TPDU
 * @param direction "ms-to-sc" or "sc-to-ms"
 * @param options `{ rpError }` for the report TPDUs: whether it rides in RP-ERROR (with TP-FCS);
 *   when absent an octet 0x80 or above after the first is taken as TP-FCS
 * @returns the decoded TPDU, tagged by `type`
 * @throws {DecodeError} on an empty input, TP-MTI 3 (code 0xB0), or any error of the specific decoder
 */
export function decodeTpdu(
  bytes: Uint8Array,
  direction: Direction,
  options: ReportOptions = {},
): Tpdu {
  if (bytes.length === 0) {
    throw new DecodeError("Cannot decode TPDU: no octets", {
      protocol: TPDU_PROTOCOL,
      field: "TP-MTI",
      offset: 0,
    });
  }
  const mti = bytes[0] & TP_MTI_MASK;
  const toSc = direction === "ms-to-sc";
  switch (mti) {
    case 0:
      return toSc ? decodeSmsDeliverReport(bytes, options) : decodeSmsDeliver(bytes);
    case 1:
      return toSc ? decodeSmsSubmit(bytes) : decodeSmsSubmitReport(bytes, options);
    case 2:
      return toSc ? decodeSmsCommand(bytes) : decodeSmsStatusReport(bytes);
    default:
      throw new DecodeError("Cannot decode TPDU: TP-MTI 3 is reserved", {
        protocol: TPDU_PROTOCOL,
        field: "TP-MTI",
        offset: 0,
        code: 0xb0,
      });
  }
}

/**
 * Encodes any TPDU by its `type`.
 *
 * @param tpdu the TPDU value
 * @returns its octets
 * @throws {EncodeError} when a field cannot be represented
 */
export function encodeTpdu(tpdu: Tpdu): Uint8Array {
  switch (tpdu.type) {
    case "sms-submit":
      return encodeSmsSubmit(tpdu);
    case "sms-deliver":
      return encodeSmsDeliver(tpdu);
    case "sms-status-report":
      return encodeSmsStatusReport(tpdu);
    case "sms-command":
      return encodeSmsCommand(tpdu);
    case "sms-submit-report":
      return encodeSmsSubmitReport(tpdu);
    case "sms-deliver-report":
      return encodeSmsDeliverReport(tpdu);
  }
  throw new EncodeError(`Cannot encode TPDU: unknown type "${(tpdu as { type: unknown }).type}"`, {
    protocol: TPDU_PROTOCOL,
    field: "TP-MTI",
  });
}
