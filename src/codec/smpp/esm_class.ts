/**
 * esm_class of SMPP 3.4 §5.2.12: messaging mode (bits 1-0), message type
 * (bits 5-2) and GSM network specific features (bits 7-6).
 *
 * @module
 */

import { EncodeError } from "../../lib/errors.ts";

/** Messaging mode, bits 1-0 (§5.2.12; meaningful in submit_sm, data_sm, submit_multi). */
export const ESM_MODE = { default: 0, datagram: 1, forward: 2, store_and_forward: 3 } as const;

/** Message type, bits 5-2 shifted down (§5.2.12). */
export const ESM_TYPE = {
  default: 0x0,
  /** 0x04: SMSC delivery receipt (deliver_sm, data_sm). */
  delivery_receipt: 0x1,
  /** 0x08: SME delivery acknowledgement. */
  delivery_ack: 0x2,
  /** 0x10: SME manual/user acknowledgement. */
  user_ack: 0x4,
  /** 0x18: conversation abort (Korean CDMA). */
  conversation_abort: 0x6,
  /** 0x20: intermediate delivery notification. */
  intermediate_notification: 0x8,
} as const;

/** GSM feature bit 6: UDHI, the short_message begins with a User Data Header (§5.2.12). */
export const ESM_UDHI = 0x40;
/** GSM feature bit 7: set reply path (§5.2.12). */
export const ESM_REPLY_PATH = 0x80;

/** esm_class split into its parts. */
export interface EsmClass {
  /** Messaging mode, bits 1-0 (0-3). */
  mode: number;
  /** Message type, bits 5-2 (0-15). */
  type: number;
  /** UDHI indicator, bit 6. */
  udhi: boolean;
  /** Reply path, bit 7. */
  replyPath: boolean;
}

/**
 * Splits an esm_class octet. Every octet decodes; reserved message types keep their value.
 *
 * @param value esm_class (0-255)
 * @returns the parts
 * @throws never
 */
export function decodeEsmClass(value: number): EsmClass {
  return {
    mode: value & 0x03,
    type: (value >> 2) & 0x0f,
    udhi: (value & ESM_UDHI) !== 0,
    replyPath: (value & ESM_REPLY_PATH) !== 0,
  };
}

/**
 * Builds an esm_class octet.
 *
 * @param esm the parts
 * @returns esm_class (0-255)
 * @throws {EncodeError} when mode is outside 0-3 or type outside 0-15
 */
export function encodeEsmClass(esm: EsmClass): number {
  const intIn = (v: number, max: number) => Number.isInteger(v) && v >= 0 && v <= max;
  if (!intIn(esm.mode, 3) || !intIn(esm.type, 15)) {
    throw new EncodeError(
      `Cannot encode esm_class: mode ${esm.mode} or type ${esm.type} out of range`,
      {
        protocol: "smpp",
        field: "esm_class",
      },
    );
  }
  return esm.mode | (esm.type << 2) | (esm.udhi ? ESM_UDHI : 0) |
    (esm.replyPath ? ESM_REPLY_PATH : 0);
}

/**
 * Names the message type of an esm_class for logs.
 *
 * @param value esm_class (0-255)
 * @returns e.g. `"delivery_receipt"`, or `"reserved"`
 * @throws never
 */
export function esmMessageTypeName(value: number): string {
  const type = (value >> 2) & 0x0f;
  const hit = Object.entries(ESM_TYPE).find(([, v]) => v === type);
  return hit ? hit[0] : "reserved";
}

/**
 * True when an esm_class marks a delivery receipt or an intermediate notification,
 * i.e. a deliver_sm that core must correlate instead of delivering (§5.2.12).
 *
 * @param value esm_class (0-255)
 * @returns whether the message type is 0x04 or 0x20
 * @throws never
 */
export function isEsmReceipt(value: number): boolean {
  const type = (value >> 2) & 0x0f;
  return type === ESM_TYPE.delivery_receipt || type === ESM_TYPE.intermediate_notification;
}
