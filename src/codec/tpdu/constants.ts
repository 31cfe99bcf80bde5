/**
 * Constants of 3GPP TS 23.040 (SMS point-to-point, technical realization) and
 * of TS 23.038 §4 (data coding scheme), each with the section that defines it.
 * Values only: no logic beyond the name tables used for display.
 *
 * @module
 */

/** Protocol name put into every `DecodeError`/`EncodeError` of this layer. */
export const TPDU_PROTOCOL = "tpdu";

// ---------------------------------------------------------------------------
// TP-MTI, TS 23.040 §9.2.3.1: the meaning depends on the direction.

/** TP-MTI mask: bits 1-0 of the first octet, TS 23.040 §9.2.3.1. */
export const TP_MTI_MASK = 0x03;
/** SMS-DELIVER (SC to MS) and SMS-DELIVER-REPORT (MS to SC), TS 23.040 §9.2.3.1. */
export const TP_MTI_SMS_DELIVER = 0x00;
/** SMS-DELIVER-REPORT (MS to SC), TS 23.040 §9.2.3.1. */
export const TP_MTI_SMS_DELIVER_REPORT = 0x00;
/** SMS-SUBMIT (MS to SC), TS 23.040 §9.2.3.1. */
export const TP_MTI_SMS_SUBMIT = 0x01;
/** SMS-SUBMIT-REPORT (SC to MS), TS 23.040 §9.2.3.1. */
export const TP_MTI_SMS_SUBMIT_REPORT = 0x01;
/** SMS-STATUS-REPORT (SC to MS), TS 23.040 §9.2.3.1. */
export const TP_MTI_SMS_STATUS_REPORT = 0x02;
/** SMS-COMMAND (MS to SC), TS 23.040 §9.2.3.1. */
export const TP_MTI_SMS_COMMAND = 0x02;
/** Reserved, TS 23.040 §9.2.3.1; a receiver treats it as SMS-DELIVER or SMS-SUBMIT. */
export const TP_MTI_RESERVED = 0x03;

// ---------------------------------------------------------------------------
// First-octet flags.

/** TP-RD, reject duplicates (SMS-SUBMIT bit 2), TS 23.040 §9.2.3.25. */
export const TP_RD = 0x04;
/** TP-MMS, more messages to send (DELIVER / STATUS-REPORT bit 2), TS 23.040 §9.2.3.2. */
export const TP_MMS = 0x04;
/** TP-LP, loop prevention (DELIVER / STATUS-REPORT bit 3), TS 23.040 §9.2.3.28. */
export const TP_LP = 0x08;
/** TP-VPF mask, bits 4-3 of SMS-SUBMIT, TS 23.040 §9.2.3.3. */
export const TP_VPF_MASK = 0x18;
/** TP-VPF shift, TS 23.040 §9.2.3.3. */
export const TP_VPF_SHIFT = 3;
/** TP-SRR, status report request (SUBMIT / COMMAND bit 5), TS 23.040 §9.2.3.5. */
export const TP_SRR = 0x20;
/** TP-SRI, status report indication (DELIVER bit 5), TS 23.040 §9.2.3.4. */
export const TP_SRI = 0x20;
/** TP-SRQ, status report qualifier (STATUS-REPORT bit 5), TS 23.040 §9.2.3.26. */
export const TP_SRQ = 0x20;
/** TP-UDHI, user data header indicator (bit 6 of every TPDU), TS 23.040 §9.2.3.23. */
export const TP_UDHI = 0x40;
/** TP-RP, reply path (SUBMIT / DELIVER bit 7), TS 23.040 §9.2.3.17. */
export const TP_RP = 0x80;

// ---------------------------------------------------------------------------
// TP-VPF values, TS 23.040 §9.2.3.3.

/** TP-VP field not present, TS 23.040 §9.2.3.3. */
export const TP_VPF_NONE = 0;
/** TP-VP enhanced format (7 octets), TS 23.040 §9.2.3.3. */
export const TP_VPF_ENHANCED = 1;
/** TP-VP relative format (1 octet), TS 23.040 §9.2.3.3. */
export const TP_VPF_RELATIVE = 2;
/** TP-VP absolute format (7 octets), TS 23.040 §9.2.3.3. */
export const TP_VPF_ABSOLUTE = 3;

// ---------------------------------------------------------------------------
// Lengths.

/** Largest Address-Length in digits (semi-octets), TS 23.040 §9.1.2.5 (max 12 octets). */
export const TP_ADDRESS_DIGITS_MAX = 20;
/** Largest TP-UDL in septets for uncompressed GSM 7 bit text, TS 23.040 §9.2.3.16. */
export const TP_UDL_SEPTETS_MAX = 160;
/** Largest TP-UD in octets, TS 23.040 §9.2.3.16 and §9.2.3.24. */
export const TP_UD_OCTETS_MAX = 140;
/** Largest TP-CD in octets, TS 23.040 §9.2.3.20. */
export const TP_CD_OCTETS_MAX = 157;
/** TP-SCTS and absolute TP-VP length in octets, TS 23.040 §9.2.3.11. */
export const TP_SCTS_OCTETS = 7;

// ---------------------------------------------------------------------------
// TP-PI bits, TS 23.040 §9.2.3.27.

/** TP-PI bit 0: TP-PID present, TS 23.040 §9.2.3.27. */
export const TP_PI_PID = 0x01;
/** TP-PI bit 1: TP-DCS present, TS 23.040 §9.2.3.27. */
export const TP_PI_DCS = 0x02;
/** TP-PI bit 2: TP-UDL (and TP-UD) present, TS 23.040 §9.2.3.27. */
export const TP_PI_UDL = 0x04;
/** TP-PI bit 7: another TP-PI octet follows, TS 23.040 §9.2.3.27. */
export const TP_PI_EXTENSION = 0x80;

// ---------------------------------------------------------------------------
// Type-of-Address, TS 23.040 §9.1.2.5.

/** Type-of-number names (bits 6-4 of Type-of-Address), TS 23.040 §9.1.2.5. */
export const TON_NAMES: Readonly<Record<number, string>> = {
  0: "unknown",
  1: "international",
  2: "national",
  3: "network-specific",
  4: "subscriber",
  5: "alphanumeric",
  6: "abbreviated",
  7: "reserved",
};
/** TON 5: alphanumeric address in GSM 7 bit default alphabet, TS 23.040 §9.1.2.5. */
export const TON_ALPHANUMERIC = 5;
/** TON 1: international number, TS 23.040 §9.1.2.5. */
export const TON_INTERNATIONAL = 1;

/** Numbering-plan names (bits 3-0 of Type-of-Address), TS 23.040 §9.1.2.5; others are reserved. */
export const NPI_NAMES: Readonly<Record<number, string>> = {
  0: "unknown",
  1: "isdn-telephone",
  3: "data",
  4: "telex",
  5: "sc-specific-5",
  6: "sc-specific-6",
  8: "national",
  9: "private",
  10: "ermes",
  15: "reserved-extension",
};
/** NPI 1: ISDN/telephone numbering plan (E.164/E.163), TS 23.040 §9.1.2.5. */
export const NPI_ISDN = 1;

// ---------------------------------------------------------------------------
// TP-CT, TS 23.040 §9.2.3.19.

/** TP-Command-Type names, TS 23.040 §9.2.3.19; 0x04-0x1F reserved, 0xE0-0xFF SC specific. */
export const TP_CT_NAMES: Readonly<Record<number, string>> = {
  0x00: "enquiry",
  0x01: "cancel-srr",
  0x02: "delete",
  0x03: "enable-srr",
};

// ---------------------------------------------------------------------------
// TP-FCS, TS 23.040 §9.2.3.22.

/** TP-Failure-Cause names, TS 23.040 §9.2.3.22 (0x00-0x7F and unlisted values are reserved). */
export const TP_FCS_NAMES: Readonly<Record<number, string>> = {
  0x80: "Telematic interworking not supported",
  0x81: "Short message Type 0 not supported",
  0x82: "Cannot replace short message",
  0x8f: "Unspecified TP-PID error",
  0x90: "Data coding scheme (alphabet) not supported",
  0x91: "Message class not supported",
  0x9f: "Unspecified TP-DCS error",
  0xa0: "Command cannot be actioned",
  0xa1: "Command unsupported",
  0xaf: "Unspecified TP-Command error",
  0xb0: "TPDU not supported",
  0xc0: "SC busy",
  0xc1: "No SC subscription",
  0xc2: "SC system failure",
  0xc3: "Invalid SME address",
  0xc4: "Destination SME barred",
  0xc5: "SM Rejected-Duplicate SM",
  0xc6: "TP-VPF not supported",
  0xc7: "TP-VP not supported",
  0xd0: "(U)SIM SMS storage full",
  0xd1: "No SMS storage capability in (U)SIM",
  0xd2: "Error in MS",
  0xd3: "Memory Capacity Exceeded",
  0xd4: "(U)SIM Application Toolkit Busy",
  0xd5: "(U)SIM data download error",
  0xff: "Unspecified error cause",
};
/** TP-FCS 0xC5, SM Rejected-Duplicate SM (answer to TP-RD), TS 23.040 §9.2.3.22. */
export const TP_FCS_DUPLICATE_SM = 0xc5;
/** TP-FCS 0xD3, Memory Capacity Exceeded, TS 23.040 §9.2.3.22. */
export const TP_FCS_MEMORY_CAPACITY_EXCEEDED = 0xd3;
/** TP-FCS 0xFF, Unspecified error cause, TS 23.040 §9.2.3.22. */
export const TP_FCS_UNSPECIFIED = 0xff;

// ---------------------------------------------------------------------------
// TP-ST, TS 23.040 §9.2.3.15.

/** TP-Status names, TS 23.040 §9.2.3.15; unlisted values are reserved or SC specific. */
export const TP_ST_NAMES: Readonly<Record<number, string>> = {
  0x00: "Short message received by the SME",
  0x01: "Short message forwarded by the SC to the SME but the SC is unable to confirm delivery",
  0x02: "Short message replaced by the SC",
  0x20: "Congestion",
  0x21: "SME busy",
  0x22: "No response from SME",
  0x23: "Service rejected",
  0x24: "Quality of service not available",
  0x25: "Error in SME",
  0x40: "Remote procedure error",
  0x41: "Incompatible destination",
  0x42: "Connection rejected by SME",
  0x43: "Not obtainable",
  0x44: "Quality of service not available",
  0x45: "No interworking available",
  0x46: "SM Validity Period Expired",
  0x47: "SM Deleted by originating SME",
  0x48: "SM Deleted by SC Administration",
  0x49: "SM does not exist",
  0x60: "Congestion",
  0x61: "SME busy",
  0x62: "No response from SME",
  0x63: "Service rejected",
  0x64: "Quality of service not available",
  0x65: "Error in SME",
};
/** TP-ST 0x00, short message received by the SME, TS 23.040 §9.2.3.15. */
export const TP_ST_RECEIVED = 0x00;
/** TP-ST 0x46, SM validity period expired, TS 23.040 §9.2.3.15. */
export const TP_ST_VALIDITY_EXPIRED = 0x46;

/** The four classes of TP-ST (bits 6-5), TS 23.040 §9.2.3.15. */
export type TpStatusClass =
  | "completed"
  | "temporary-still-trying"
  | "permanent"
  | "temporary-no-more-trying";

/** TP-ST class by bits 6-5 (value >> 5 for 0x00-0x7F), TS 23.040 §9.2.3.15. */
export const TP_ST_CLASSES: readonly TpStatusClass[] = [
  "completed",
  "temporary-still-trying",
  "permanent",
  "temporary-no-more-trying",
];

// ---------------------------------------------------------------------------
// TP-DCS coding groups, TS 23.038 §4.

/** Message-waiting indication types (TP-DCS bits 1-0 in groups 1100-1110), TS 23.038 §4. */
export const MWI_TYPES = ["voicemail", "fax", "email", "other"] as const;
