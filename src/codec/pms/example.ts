/**
 * A small valid record for examples, tests and benchmarks.
 *
 * @module
 */

import type { PmsRecord } from "./types.ts";

/**
 * Returns a new active record: a GSM 7 bit "hello" from a local subscriber to
 * another, entered at `entryTimeMs`, with a one-day expiry. Callers change
 * what they need; every call returns a fresh object.
 *
 * @param entryTimeMs entry time, ms since the epoch (default 1.7e12)
 * @returns the record
 */
export function examplePmsRecord(entryTimeMs = 1_700_000_000_000): PmsRecord {
  return {
    state: "active",
    sourceClass: "gsm",
    destClass: "gsm",
    entryTimeMs,
    dischargeTimeMs: 0,
    expiryTimeMs: entryTimeMs + 86_400_000,
    validityS: 0,
    disposition: "none",
    attempts: 0,
    cause: 0,
    rd: false,
    srr: true,
    udhi: false,
    rp: false,
    imsiAddressed: false,
    mr: 7,
    pid: 0,
    dcs: 0,
    oa: { ton: 1, npi: 1, digits: "15555550101" },
    da: { ton: 0, npi: 1, digits: "5555550102" },
    routedDa: { ton: 1, npi: 1, digits: "15555550102" },
    sourcePeer: "",
    udl: 5,
    // "hello" packed as GSM 7 bit septets, TS 23.038 §6.1.2.1.1.
    ud: new Uint8Array([0xe8, 0x32, 0x9b, 0xfd, 0x06]),
    destImsi: "",
    destPeer: "",
    destMessageId: "",
  };
}
