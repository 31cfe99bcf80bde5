/**
 * The typed view of a PMS record and the code tables of its enumerated
 * octets. The numeric codes are part of the file format: never renumber them;
 * add new ones at the end.
 *
 * @module
 */

import type { TpAddress } from "../tpdu/mod.ts";

/** Active: some component must still act on it. Historical: immutable. */
export type PmsState = "active" | "historical";

/** Where an SM came from (seed 2.4). */
export type SourceClass = "cli" | "gsm" | "downstream" | "upstream";

/** Where routing sent it (seed 2.4.1). "local" means stored-only. */
export type DestClass = "local" | "gsm" | "downstream" | "upstream";

/** How a historical record was discharged; "none" while active. */
export type Disposition =
  | "none"
  | "delivered"
  | "failed-permanent"
  | "expired"
  | "cancelled"
  | "stored-only";

/** A routed (normalized) destination: digits 0-9 only, at most 16 of them. */
export interface RoutedAddress {
  /** Type of number, 0-7, TS 23.040 §9.1.2.5. */
  ton: number;
  /** Numbering plan identification, 0-15. */
  npi: number;
  /** The normalized digits, e.g. "15550100" for +1 555 0100. */
  digits: string;
}

/** One SM as stored in `pms.bin`. Its id is its index in the file. */
export interface PmsRecord {
  state: PmsState;
  sourceClass: SourceClass;
  destClass: DestClass;
  /** When core accepted it; non-decreasing in file order. */
  entryTimeMs: number;
  /** When it became historical; 0 while active. */
  dischargeTimeMs: number;
  /** When core gives up delivering it (entry + effective validity). */
  expiryTimeMs: number;
  /** Validity period as the sender gave it, seconds; 0 = not given (seed 2.4.4). */
  validityS: number;
  disposition: Disposition;
  /** Delivery attempts made so far, saturating at 255. */
  attempts: number;
  /** Error code of the last failure or of the discharge; its space is given by `destClass`. */
  cause: number;
  /** TP-RD, TS 23.040 §9.2.3.25. */
  rd: boolean;
  /** TP-SRR, TS 23.040 §9.2.3.5. */
  srr: boolean;
  /** TP-UDHI, TS 23.040 §9.2.3.23. */
  udhi: boolean;
  /** TP-RP, TS 23.040 §9.2.3.17. */
  rp: boolean;
  /** The destination was given as an IMSI and routing was skipped. */
  imsiAddressed: boolean;
  /** Present (true) when the record is a status report or receipt (`report.ts`). */
  report?: true;
  /** TP-MR, TS 23.040 §9.2.3.6, as the originator set it. */
  mr: number;
  /** TP-PID, TS 23.040 §9.2.3.9. */
  pid: number;
  /** TP-DCS, TS 23.038 §4. */
  dcs: number;
  /** Originating address (TP-OA form); alphanumeric TON 5 allowed. */
  oa: TpAddress;
  /** Destination as submitted; null for an IMSI-addressed MT. */
  da: TpAddress | null;
  /** Destination after the numbering plan; null for an IMSI-addressed MT. */
  routedDa: RoutedAddress | null;
  /** Name of the downstream peer it came from; "" for other sources. */
  sourcePeer: string;
  /** TP-UDL: septets for GSM 7 bit, octets otherwise. */
  udl: number;
  /** TP-UD, exactly as many octets as TP-UDL and TP-DCS imply. */
  ud: Uint8Array;
  /** Destination IMSI once looked up (destClass "gsm" only); "" until then. */
  destImsi: string;
  /** Downstream peer name (destClass "downstream" only); "" otherwise. */
  destPeer: string;
  /** The upstream's message_id (destClass "upstream" only); "" until known. */
  destMessageId: string;
}

/** File codes of `state`. 0 is never valid, so a zeroed record is rejected. */
export const STATE_CODES: Readonly<Record<PmsState, number>> = { active: 1, historical: 2 };

/** File codes of the SME classes, shared by source and destination. */
export const CLASS_CODES: Readonly<Record<SourceClass | DestClass, number>> = {
  local: 1,
  gsm: 2,
  downstream: 3,
  upstream: 4,
  cli: 5,
};

/** File codes of `disposition`. */
export const DISPOSITION_CODES: Readonly<Record<Disposition, number>> = {
  none: 0,
  delivered: 1,
  "failed-permanent": 2,
  expired: 3,
  cancelled: 4,
  "stored-only": 5,
};

/** Source classes in file-code order, for generators and docs. */
export const SOURCE_CLASSES: readonly SourceClass[] = ["gsm", "downstream", "upstream", "cli"];
/** Destination classes in file-code order. */
export const DEST_CLASSES: readonly DestClass[] = ["local", "gsm", "downstream", "upstream"];
/** Dispositions in file-code order. */
export const DISPOSITIONS: readonly Disposition[] = Object.keys(DISPOSITION_CODES) as Disposition[];
