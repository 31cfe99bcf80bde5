/**
 * Decoded RP messages, TS 24.011 §7.3. These plain objects are what
 * `smsc decode` prints as JSON; `Uint8Array` fields print as hex.
 *
 * @module
 */

/** Which way a message travels; the RP-MTI differs per direction, TS 24.011 Table 8.3. */
export type RpDirection = "ms-to-network" | "network-to-ms";

/** An RP address (called party BCD number layout), TS 24.011 §8.2.5.1-2, TS 24.008 §10.5.4.7. */
export interface RpAddress {
  /** Type of number, 3 bits (1 = international), TS 24.008 Table 10.5.118. */
  ton: number;
  /** Numbering plan identification, 4 bits (1 = E.164), TS 24.008 Table 10.5.118. */
  npi: number;
  /** Digits `0-9 * # a b c`, 1-20 of them. */
  digits: string;
}

/** RP-Cause, TS 24.011 §8.2.5.4. */
export interface RpCause {
  /** Cause value, 7 bits, TS 24.011 Table 8.4. */
  value: number;
  /** Optional diagnostic octet, TS 24.011 Figure 8.8. */
  diagnostic?: number;
}

/** RP-DATA from the MS: MO short message, TS 24.011 §7.3.1.2. */
export interface RpDataMsToNetwork {
  type: "RP-DATA";
  direction: "ms-to-network";
  /** RP-Message Reference, TS 24.011 §8.2.3. */
  messageReference: number;
  /** RP-Destination Address: the service centre, TS 24.011 §8.2.5.2. */
  destinationAddress: RpAddress;
  /** RP-User Data: the TPDU (normally SMS-SUBMIT), raw, TS 24.011 §8.2.5.3. */
  userData: Uint8Array;
}

/** RP-DATA from the network: MT short message, TS 24.011 §7.3.1.1. */
export interface RpDataNetworkToMs {
  type: "RP-DATA";
  direction: "network-to-ms";
  /** RP-Message Reference, TS 24.011 §8.2.3. */
  messageReference: number;
  /** RP-Originator Address: the service centre, TS 24.011 §8.2.5.1. */
  originatorAddress: RpAddress;
  /** RP-User Data: the TPDU (normally SMS-DELIVER), raw, TS 24.011 §8.2.5.3. */
  userData: Uint8Array;
}

/** RP-ACK, TS 24.011 §7.3.3. */
export interface RpAck {
  type: "RP-ACK";
  direction: RpDirection;
  /** RP-Message Reference of the RP-DATA or RP-SMMA acknowledged, TS 24.011 §8.2.3. */
  messageReference: number;
  /** Optional RP-User Data (IEI 0x41): an SMS-SUBMIT-REPORT or SMS-DELIVER-REPORT TPDU. */
  userData?: Uint8Array;
}

/** RP-ERROR, TS 24.011 §7.3.4. */
export interface RpError {
  type: "RP-ERROR";
  direction: RpDirection;
  /** RP-Message Reference of the RP-DATA or RP-SMMA refused, TS 24.011 §8.2.3. */
  messageReference: number;
  /** RP-Cause, TS 24.011 §8.2.5.4. */
  cause: RpCause;
  /** Optional RP-User Data (IEI 0x41): an SMS-SUBMIT-REPORT or SMS-DELIVER-REPORT TPDU. */
  userData?: Uint8Array;
}

/** RP-SMMA: the MS has memory again, TS 24.011 §7.3.2. Only sent by the MS. */
export interface RpSmma {
  type: "RP-SMMA";
  direction: "ms-to-network";
  /** RP-Message Reference, TS 24.011 §8.2.3. */
  messageReference: number;
}

/** RP-DATA in either direction. */
export type RpData = RpDataMsToNetwork | RpDataNetworkToMs;

/** Any RP message, tagged by `type` and `direction`. */
export type RpMessage = RpData | RpAck | RpError | RpSmma;

/** Options shared by the RP decoders. */
export interface RpDecodeOptions {
  /**
   * The direction the receiver expects. A message whose RP-MTI belongs to the other
   * direction is refused with cause #97, TS 24.011 §9.3.3.
   */
  direction?: RpDirection;
}
