/**
 * Constants of the RP layer, 3GPP TS 24.011 §8.2 (Release 17 text; the RP
 * message layout has not changed since GSM 04.11 Phase 2+).
 *
 * @module
 */

/** RP-MTI mask: bits 1-3 of the first octet, TS 24.011 §8.2.2. */
export const RP_MTI_MASK = 0x07;

/** RP-DATA, MS to network, TS 24.011 Table 8.3. */
export const RP_MTI_DATA_MS_TO_NETWORK = 0;
/** RP-DATA, network to MS, TS 24.011 Table 8.3. */
export const RP_MTI_DATA_NETWORK_TO_MS = 1;
/** RP-ACK, MS to network, TS 24.011 Table 8.3. */
export const RP_MTI_ACK_MS_TO_NETWORK = 2;
/** RP-ACK, network to MS, TS 24.011 Table 8.3. */
export const RP_MTI_ACK_NETWORK_TO_MS = 3;
/** RP-ERROR, MS to network, TS 24.011 Table 8.3. */
export const RP_MTI_ERROR_MS_TO_NETWORK = 4;
/** RP-ERROR, network to MS, TS 24.011 Table 8.3. */
export const RP_MTI_ERROR_NETWORK_TO_MS = 5;
/** RP-SMMA, MS to network, TS 24.011 Table 8.3 (value 7 is reserved in both directions). */
export const RP_MTI_SMMA_MS_TO_NETWORK = 6;

/** RP-User Data IEI, used in its TLV form in RP-ACK and RP-ERROR, TS 24.011 §8.2.5.3. */
export const RP_IEI_USER_DATA = 0x41;
/** RP-Cause IEI, TS 24.011 §8.2.5.4; RP-ERROR carries the cause in LV form, so it never appears on the wire. */
export const RP_IEI_CAUSE = 0x42;

/** Minimum RP address length octet when an address is present, TS 24.011 §8.2.5.1/§8.2.5.2. */
export const RP_ADDRESS_OCTETS_MIN = 2;
/** Maximum RP address length octet, TS 24.011 §8.2.5.1/§8.2.5.2 (TON/NPI + 10 digit octets). */
export const RP_ADDRESS_OCTETS_MAX = 11;
/** Maximum digits of an RP address: 10 octets of two semi-octets, TS 24.008 §10.5.4.7. */
export const RP_ADDRESS_DIGITS_MAX = 20;

/** Maximum TPDU length inside RP-User Data, TS 24.011 §8.2.5.3 (233-octet LV). */
export const RP_USER_DATA_OCTETS_MAX = 232;

/** RP-Cause contents: cause octet plus at most one diagnostic octet, TS 24.011 Table 7.4 (LV 2-3). */
export const RP_CAUSE_OCTETS_MAX = 2;

/** Extension bit of the TON/NPI octet; 1 means "no extension", TS 24.008 §10.5.4.7. */
export const RP_ADDRESS_EXT_BIT = 0x80;
