/**
 * The line language of FreeCalypso sms-coding-utils (doc/Tool-workflow, 2023-2024
 * revisions): what `sms-encode-text` prints and `sms-gen-tpdu` reads. `smsc
 * submit` accepts it on stdin, as the ThemWi-SMSC design asks for its submit tool.
 *
 * The result is a plain object of TPDU parts, TS 23.040 V17: header settings and
 * one TP-UD/TP-UDL per `msg` or `msg-udh` line. In septet coding the hex holds
 * GSM 03.38 septets one per octet (high bit clear, not yet packed), after the
 * UDH octets for `msg-udh`; this parser packs them (TS 23.038 §6.1.2.1.1) with
 * the fill bits of TS 23.040 §9.2.3.24.
 *
 * Limits (what the parser rejects, always with a `DecodeError` whose `field` is
 * `"line N"`): unknown keywords; a missing, extra or malformed argument; a
 * setting given twice; `vp-rel` together with `vp-abs`; `msg` before `dcs`;
 * an octet above 0x7F among septets; a UDHL longer than the data; user data
 * above 140 octets or 160 septets; an unterminated quote. It does not check that
 * the settings suit SMS-SUBMIT or SMS-DELIVER; the TPDU encoders do.
 *
 * @module
 */

export type * from "./types.ts";
export { parseSmsLang } from "./parse.ts";
export { toSmsDelivers, toSmsSubmits } from "./to_tpdu.ts";
