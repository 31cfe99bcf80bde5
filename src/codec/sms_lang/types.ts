/**
 * The parsed form of the FreeCalypso sms-encode-text / sms-gen-tpdu line
 * language: TPDU header settings plus one user-data segment per `msg` line.
 *
 * @module
 */

/** An address from `user-addr` or `sc-addr`, TS 23.040 §9.1.2.5. */
export interface SmsLangAddress {
  /** Type of number, 3 bits (1 = international). */
  ton: number;
  /** Numbering plan identification, 4 bits (1 = E.164). */
  npi: number;
  /** Digits `0-9 * # a b c`, 1-20 of them. */
  digits: string;
}

/** Header settings; a key is absent when its line is. */
export interface SmsLangSettings {
  /** TP-DCS octet, TS 23.040 §9.2.3.10, from `dcs N septet|octet`. */
  dcs?: number;
  /** How `msg` hex is coded: one septet per hex byte, or octets. */
  dcsCoding?: "septet" | "octet";
  /** TP-PID, TS 23.040 §9.2.3.9, from `pid N`. */
  pid?: number;
  /** TP-MR, TS 23.040 §9.2.3.6, from `mr N`. */
  mr?: number;
  /** TP-SRR (SMS-SUBMIT) or TP-SRI (SMS-DELIVER), TS 23.040 §9.2.3.4-5, from `sr`. */
  srr?: boolean;
  /** TP-RP, TS 23.040 §9.2.3.17, from `rp`. */
  replyPath?: boolean;
  /** TP-RD, TS 23.040 §9.2.3.25, from `rd` (SMS-SUBMIT only). */
  rd?: boolean;
  /** TP-MMS "more messages are waiting", TS 23.040 §9.2.3.2, from `mms` (SMS-DELIVER only). */
  mms?: boolean;
  /** TP-LP, TS 23.040 §9.2.3.28, from `lp`. */
  lp?: boolean;
  /** TP-VP relative format octet, TS 23.040 §9.2.3.12.1, from `vp-rel N`. */
  vpRelative?: number;
  /** TP-VP absolute format, 7 semi-octet octets, TS 23.040 §9.2.3.12.2, from `vp-abs`. */
  vpAbsolute?: Uint8Array;
  /** TP-DA (SMS-SUBMIT) or TP-OA (SMS-DELIVER), from `user-addr`. */
  userAddr?: SmsLangAddress;
  /** Service centre address (RP or AT+CMGS prefix), from `sc-addr`. */
  scAddr?: SmsLangAddress;
  /** TP-SCTS, 7 semi-octet octets, TS 23.040 §9.2.3.11, from `sc-ts`. */
  scTs?: Uint8Array;
}

/** One user-data segment, from one `msg` or `msg-udh` line. */
export interface SmsLangMessage {
  /** TP-UDHI, TS 23.040 §9.2.3.23: true for `msg-udh`. */
  udhi: boolean;
  /** TP-UDL, TS 23.040 §9.2.3.16: septets (header included) or octets. */
  udl: number;
  /** TP-UD as it goes on the wire: UDH, fill bits and packed septets, or octets. */
  ud: Uint8Array;
}

/** The whole parsed text. */
export interface SmsLangDocument {
  settings: SmsLangSettings;
  messages: SmsLangMessage[];
}
