/**
 * The values `NumbersDb` reads and writes, and its one error type.
 *
 * @module
 */

/** How a locally owned number takes SMs (seed §2.4.1). */
export type NumberKind = "gsm" | "local" | "nosms";

/** Every kind, for argument checking. */
export const NUMBER_KINDS: readonly NumberKind[] = ["gsm", "local", "nosms"];

/** A locally owned number. */
export interface OwnedNumber {
  /** E.164 digits without "+". */
  e164: string;
  kind: NumberKind;
  /** Seed §2.4.2 NUMBER_FLAG_SMSPROV. */
  maySendUpstream: boolean;
}

/** A 4-digit local number as stored: an abbreviation (`e164`) or its own `kind`. */
export type ShortNumber =
  | { code: string; e164: string; kind?: undefined }
  | { code: string; kind: NumberKind; e164?: undefined };

/**
 * The answer of `lookupShort`: the effective kind, and the full number an
 * abbreviation stands for (undefined for a standalone number, whose MSISDN is
 * the code itself).
 */
export interface ShortLookup {
  code: string;
  kind: NumberKind;
  e164?: string;
  maySendUpstream: boolean;
}

/** A downstream peer, without its password hash. */
export interface Peer {
  name: string;
  /** SMPP 3.4 §5.2.1 system_id. */
  systemId: string;
  /** Normalized `address/length` networks the peer may bind from. */
  allow: string[];
  maxBinds: number;
  maySendUpstream: boolean;
  enabled: boolean;
  hasPassword: boolean;
}

/** What `addPeer` takes. */
export interface PeerSpec {
  name: string;
  systemId: string;
  /** Plain password; hashed before it is stored. */
  password?: string;
  allow: string[];
  maxBinds: number;
  maySendUpstream: boolean;
  enabled: boolean;
}

/** One entry of a peer's number pool. */
export interface PoolEntry {
  peer: string;
  digits: string;
  /** true: every number beginning with `digits`; false: exactly `digits`. */
  prefix: boolean;
}

/** One MSISDN-to-IMSI mapping. */
export interface Subscriber {
  msisdn: string;
  imsi: string;
}

/** A subscriber's SIP digest user, without its HA1 values. */
export interface SipUser {
  /** The owned number, E.164 digits without "+". */
  e164: string;
  /** The digest username. */
  username: string;
  /** The realm its HA1 values were computed for. */
  realm: string;
}

/** Why an admin operation was refused. */
export type NumbersDbErrorCode = "exists" | "not-found" | "invalid";

/**
 * A refused admin operation: bad data from the operator, not a program
 * error. `smsc numbers` prints it and exits 65.
 */
export class NumbersDbError extends Error {
  override name = "NumbersDbError";
  readonly code: NumbersDbErrorCode;

  constructor(code: NumbersDbErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
