/**
 * `numbers.db`: the SQLite database of locally owned numbers, local short
 * numbers, downstream peers with their credentials and number pools, and
 * subscribers' MSISDN-to-IMSI map and SIP digest users (ARCHITECTURE §2,
 * seed §1.2 and §2.4).
 * Storage only, no policy: the router in `core` decides what a hit means.
 *
 * Lifecycle: `NumbersDb.open()` opens the file in WAL mode (readers never
 * block the one writer), and, when writable, migrates it to the current
 * schema in one transaction before anything else runs. The hot lookups use
 * statements prepared once at open. `close()` must run last; statements are
 * unusable after it. Several processes may hold the file open at once (core
 * reading, `smsc numbers` writing); a writer waits up to `busyTimeoutMs` for
 * another.
 *
 * @module
 */

import { DatabaseSync, type StatementSync } from "node:sqlite";
import { migrate, userVersion } from "./migrations.ts";
import { SCHEMA_VERSION } from "./schema.ts";
import {
  dummyHash,
  hashPassword,
  SCRYPT_DEFAULT,
  type ScryptParams,
  verifyPassword,
  verifyPasswordAsync,
} from "./password_hash.ts";
import { PeerStore } from "./_numbers_db_peers.ts";
import { SipUserStore } from "./_numbers_db_sip.ts";
import type { DigestCredential } from "../proto/sip_digest.ts";
import {
  NUMBER_KINDS,
  type NumberKind,
  NumbersDbError,
  type OwnedNumber,
  type Peer,
  type PeerSpec,
  type PoolEntry,
  type ShortLookup,
  type ShortNumber,
  type SipUser,
  type Subscriber,
} from "./numbers_db_types.ts";

export * from "./numbers_db_types.ts";

/** Options of `NumbersDb.open`. */
export interface OpenOptions {
  /** Open for reading only: no migration, and the schema must be current. */
  readOnly: boolean;
  /** How long a writer waits for another writer's lock. */
  busyTimeoutMs: number;
  /** scrypt cost of new password hashes. */
  scrypt?: ScryptParams;
}

type Row = Record<string, unknown>;

const E164 = /^[1-9][0-9]{0,14}$/;

/**
 * Checks E.164 digits: 1 to 15, not beginning with 0.
 *
 * @throws {NumbersDbError} code "invalid"
 */
export function checkE164(digits: string, what = "number"): void {
  if (!E164.test(digits)) {
    throw new NumbersDbError(
      "invalid",
      `Cannot use ${what} "${digits}": it must be 1-15 digits, not beginning with 0`,
    );
  }
}

function toOwned(row: Row): OwnedNumber {
  return {
    e164: row.e164 as string,
    kind: row.kind as NumberKind,
    maySendUpstream: row.may_send_upstream === 1,
  };
}

/** The number database. */
export class NumbersDb {
  readonly #db: DatabaseSync;
  readonly #peers: PeerStore;
  readonly #sipUsers: SipUserStore;
  readonly #lookupNumber: StatementSync;
  readonly #lookupShort: StatementSync;
  readonly #msisdnToImsi: StatementSync;
  readonly #dataVersion: StatementSync;

  private constructor(db: DatabaseSync, scrypt: ScryptParams) {
    this.#db = db;
    this.#peers = new PeerStore(
      db,
      (p) => hashPassword(p, scrypt),
      verifyPassword,
      dummyHash(scrypt),
    );
    this.#sipUsers = new SipUserStore(db);
    this.#lookupNumber = db.prepare("SELECT * FROM owned_number WHERE e164 = ?");
    this.#lookupShort = db.prepare(
      `SELECT s.code, coalesce(s.kind, o.kind) AS kind, s.e164,
              coalesce(o.may_send_upstream, 0) AS may_send_upstream
       FROM short_number s LEFT JOIN owned_number o ON o.e164 = s.e164 WHERE s.code = ?`,
    );
    this.#msisdnToImsi = db.prepare("SELECT imsi FROM subscriber WHERE msisdn = ?");
    this.#dataVersion = db.prepare("PRAGMA data_version");
  }

  /**
   * Opens (and when writable creates and migrates) the database file.
   *
   * @param path the file, usually `state_dir/numbers.db`; ":memory:" for tests
   * @param options read-only or not, busy timeout, scrypt cost
   * @returns the open database
   * @throws {Error} "Cannot open numbers.db: …" for a missing file opened
   *   read-only, a schema newer than this program, or one that needs an
   *   upgrade while opened read-only; SQLite's own errors as their cause
   */
  static open(path: string, options: OpenOptions): NumbersDb {
    let db: DatabaseSync;
    try {
      db = new DatabaseSync(path, { readOnly: options.readOnly });
    } catch (e) {
      // SQLite's message may already end with the path; say it once.
      const reason = (e as Error).message.replace(`: ${path}`, "");
      throw new Error(`Cannot open numbers.db at ${path}: ${reason}`, { cause: e });
    }
    try {
      db.exec(`PRAGMA busy_timeout = ${Math.trunc(options.busyTimeoutMs)}`);
      db.exec("PRAGMA foreign_keys = ON");
      if (options.readOnly) {
        const version = userVersion(db);
        if (version !== SCHEMA_VERSION) {
          throw new Error(
            `Cannot open numbers.db read-only: schema version ${version} is not ` +
              `${SCHEMA_VERSION}; open it once for writing to create or upgrade it`,
          );
        }
      } else {
        db.exec("PRAGMA journal_mode = WAL");
        migrate(db);
      }
      return new NumbersDb(db, options.scrypt ?? SCRYPT_DEFAULT);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /** Closes the file; the object is unusable afterwards. */
  close(): void {
    this.#db.close();
  }

  /**
   * SQLite's `PRAGMA data_version`: it changes when another connection (the
   * admin tool) commits, so that a cache in front of this database knows when
   * to forget what it holds.
   */
  dataVersion(): number {
    const row = this.#dataVersion.get() as Row;
    return Number(row.data_version);
  }

  /** The schema version of the open file (`PRAGMA user_version`). */
  schemaVersion(): number {
    return userVersion(this.#db);
  }

  /**
   * Runs `fn` in one immediate transaction: all of it or none of it.
   *
   * @param fn the work; it must not start another transaction
   * @returns what `fn` returns
   * @throws whatever `fn` throws, after rolling back
   */
  transaction<T>(fn: () => T): T {
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      const result = fn();
      this.#db.exec("COMMIT");
      return result;
    } catch (e) {
      this.#db.exec("ROLLBACK");
      throw e;
    }
  }

  // --- Locally owned numbers (seed §2.4.1, §2.4.2) ---

  /**
   * Looks up a locally owned number.
   *
   * @param e164 digits without "+"
   * @returns the number, or undefined when it is not ours
   */
  lookupNumber(e164: string): OwnedNumber | undefined {
    const row = this.#lookupNumber.get(e164) as Row | undefined;
    return row ? toOwned(row) : undefined;
  }

  /** Every locally owned number, in digit order. */
  listNumbers(): OwnedNumber[] {
    return (this.#db.prepare("SELECT * FROM owned_number ORDER BY e164").all() as Row[])
      .map(toOwned);
  }

  /**
   * Adds a locally owned number, or with `replace` changes an existing one.
   *
   * @param n the number
   * @param replace overwrite the kind and flag of an existing number
   * @throws {NumbersDbError} "invalid" for bad digits or kind, "exists" when
   *   the number is there and `replace` is false
   */
  addNumber(n: OwnedNumber, replace = false): void {
    checkE164(n.e164);
    if (!NUMBER_KINDS.includes(n.kind)) {
      throw new NumbersDbError(
        "invalid",
        `Cannot use kind "${n.kind}": it is not gsm, local or nosms`,
      );
    }
    if (!replace && this.lookupNumber(n.e164)) {
      throw new NumbersDbError("exists", `Cannot add number ${n.e164}: it is already there`);
    }
    this.#db.prepare(
      `INSERT INTO owned_number (e164, kind, may_send_upstream) VALUES (?, ?, ?)
       ON CONFLICT (e164) DO UPDATE SET kind = excluded.kind,
         may_send_upstream = excluded.may_send_upstream`,
    ).run(n.e164, n.kind, n.maySendUpstream ? 1 : 0);
  }

  /**
   * Removes a locally owned number, and the short numbers that abbreviate it.
   *
   * @returns whether it was there
   */
  removeNumber(e164: string): boolean {
    return this.#db.prepare("DELETE FROM owned_number WHERE e164 = ?").run(e164).changes > 0;
  }

  // --- Local short numbers (seed §2.4.1, local origins only) ---

  /**
   * Looks up a 4-digit local number, resolving an abbreviation to the kind of
   * the number it stands for.
   *
   * @param code the 4 digits
   * @returns the effective kind and target, or undefined
   */
  lookupShort(code: string): ShortLookup | undefined {
    const row = this.#lookupShort.get(code) as Row | undefined;
    if (!row) return undefined;
    return {
      code,
      kind: row.kind as NumberKind,
      e164: (row.e164 as string | null) ?? undefined,
      maySendUpstream: row.may_send_upstream === 1,
    };
  }

  /** Every short number as stored, in code order. */
  listShorts(): ShortNumber[] {
    const rows = this.#db.prepare("SELECT * FROM short_number ORDER BY code").all() as Row[];
    return rows.map((r) =>
      r.e164 === null
        ? { code: r.code as string, kind: r.kind as NumberKind }
        : { code: r.code as string, e164: r.e164 as string }
    );
  }

  /**
   * Adds a 4-digit local number: an abbreviation of an owned number, or a
   * number of its own kind.
   *
   * @throws {NumbersDbError} "invalid" for a bad code or kind, "not-found"
   *   when the abbreviated number is not owned, "exists" when the code is taken
   */
  addShort(s: ShortNumber): void {
    if (!/^[0-9]{4}$/.test(s.code)) {
      throw new NumbersDbError(
        "invalid",
        `Cannot use short number "${s.code}": it must be 4 digits`,
      );
    }
    if (s.e164 !== undefined && !this.lookupNumber(s.e164)) {
      throw new NumbersDbError(
        "not-found",
        `Cannot abbreviate ${s.e164}: it is not a local number`,
      );
    }
    if (s.kind !== undefined && !NUMBER_KINDS.includes(s.kind)) {
      throw new NumbersDbError(
        "invalid",
        `Cannot use kind "${s.kind}": it is not gsm, local or nosms`,
      );
    }
    if (this.lookupShort(s.code)) {
      throw new NumbersDbError("exists", `Cannot add short number ${s.code}: it is already there`);
    }
    this.#db.prepare("INSERT INTO short_number (code, e164, kind) VALUES (?, ?, ?)")
      .run(s.code, s.e164 ?? null, s.kind ?? null);
  }

  /** Removes a short number; returns whether it was there. */
  removeShort(code: string): boolean {
    return this.#db.prepare("DELETE FROM short_number WHERE code = ?").run(code).changes > 0;
  }

  // --- Downstream peers (seed §1.2) ---

  /** Adds a peer. @throws {NumbersDbError} "invalid" or "exists" */
  addPeer(spec: PeerSpec): void {
    this.#peers.add(spec);
  }

  /** Removes a peer with its pool and networks; returns whether it was there. */
  removePeer(name: string): boolean {
    return this.#peers.remove(name);
  }

  /** A peer by name, without its password hash. */
  getPeer(name: string): Peer | undefined {
    return this.#peers.get("name", name);
  }

  /** A peer by SMPP system_id, without its password hash. */
  getPeerBySystemId(systemId: string): Peer | undefined {
    return this.#peers.get("system_id", systemId);
  }

  /** Every peer, in name order. */
  listPeers(): Peer[] {
    return this.#peers.list();
  }

  /** Sets a peer's password. @throws {NumbersDbError} "invalid" or "not-found" */
  setPeerPassword(name: string, password: string): void {
    this.#peers.setPassword(name, password);
  }

  /** Enables or disables a peer. @throws {NumbersDbError} "not-found" */
  setPeerEnabled(name: string, enabled: boolean): void {
    this.#peers.setEnabled(name, enabled);
  }

  /**
   * Checks an SMPP bind's password in constant time. An unknown or disabled
   * system_id, or a peer without a password, costs the same hash work and
   * answers false, so that timing does not reveal which system_ids exist.
   *
   * @returns whether the bind may proceed
   */
  verifyPeerPassword(systemId: string, password: string): boolean {
    return this.#peers.verify(systemId, password);
  }

  /** `verifyPeerPassword` with the hash work off the event loop (for daemons). */
  verifyPeerPasswordAsync(systemId: string, password: string): Promise<boolean> {
    return this.#peers.verifyAsync(systemId, password, verifyPasswordAsync);
  }

  /** Adds a pool entry. @throws {NumbersDbError} "invalid", "not-found" or "exists" */
  addPool(peer: string, digits: string, prefix: boolean): void {
    this.#peers.addPool(peer, digits, prefix);
  }

  /** Removes a pool entry; returns whether it was there. */
  removePool(peer: string, digits: string, prefix: boolean): boolean {
    return this.#peers.removePool(peer, digits, prefix);
  }

  /** Pool entries, of one peer or of all, in peer and digit order. */
  listPools(peer?: string): PoolEntry[] {
    return this.#peers.listPools(peer);
  }

  /**
   * Finds the downstream peer a number belongs to: an exact entry beats any
   * prefix, a longer prefix beats a shorter one.
   *
   * @param e164 digits without "+"
   * @returns the matching entry, or undefined when no peer has the number
   */
  findPeerByNumber(e164: string): PoolEntry | undefined {
    return this.#peers.findByNumber(e164);
  }

  // --- MSISDN-to-IMSI map (seed §2.5.3) ---

  /** The IMSI of a subscriber's MSISDN, or undefined. */
  msisdnToImsi(msisdn: string): string | undefined {
    const row = this.#msisdnToImsi.get(msisdn) as Row | undefined;
    return row ? row.imsi as string : undefined;
  }

  /**
   * Maps an MSISDN to an IMSI, replacing an earlier mapping of the MSISDN.
   *
   * @throws {NumbersDbError} "invalid" for bad digits, "exists" when the IMSI
   *   belongs to another MSISDN
   */
  setImsi(msisdn: string, imsi: string): void {
    if (!/^[0-9]{1,15}$/.test(msisdn)) {
      throw new NumbersDbError("invalid", `Cannot use MSISDN "${msisdn}": it must be 1-15 digits`);
    }
    if (!/^[0-9]{6,15}$/.test(imsi)) {
      throw new NumbersDbError("invalid", `Cannot use IMSI "${imsi}": it must be 6-15 digits`);
    }
    const other = this.#db.prepare("SELECT msisdn FROM subscriber WHERE imsi = ?").get(imsi) as
      | Row
      | undefined;
    if (other && other.msisdn !== msisdn) {
      throw new NumbersDbError("exists", `Cannot map IMSI ${imsi}: it belongs to ${other.msisdn}`);
    }
    this.#db.prepare(
      "INSERT INTO subscriber (msisdn, imsi) VALUES (?, ?) ON CONFLICT (msisdn) DO UPDATE SET imsi = excluded.imsi",
    ).run(msisdn, imsi);
  }

  /** Removes an MSISDN's mapping; returns whether it was there. */
  removeImsi(msisdn: string): boolean {
    return this.#db.prepare("DELETE FROM subscriber WHERE msisdn = ?").run(msisdn).changes > 0;
  }

  /** Every mapping, in MSISDN order. */
  listImsis(): Subscriber[] {
    return this.#db.prepare("SELECT msisdn, imsi FROM subscriber ORDER BY msisdn")
      .all() as unknown as Subscriber[];
  }

  // --- SIP digest users (issue 7, docs/sip-auth.md) ---

  /**
   * Sets, or replaces, the SIP digest user of a subscriber: stores HA1 for
   * MD5 and for SHA-256, never the password.
   *
   * @param e164 an owned number of kind gsm
   * @param password the plain password, 1-128 characters without controls
   * @param realm the digest realm (gsmif.domain)
   * @param username the digest username; default the number's digits
   * @throws {NumbersDbError} "invalid" for a bad username, realm, password
   *   or kind, "not-found" when the number is not owned, "exists" when the
   *   username belongs to another number
   */
  setSipUser(e164: string, password: string, realm: string, username: string = e164): void {
    checkE164(e164);
    this.#sipUsers.set(e164, password, realm, username);
  }

  /** Removes a subscriber's SIP user; returns whether there was one. */
  removeSipUser(e164: string): boolean {
    return this.#sipUsers.remove(e164);
  }

  /** Every SIP user, without HA1 values, in number order. */
  listSipUsers(): SipUser[] {
    return this.#sipUsers.list();
  }

  /**
   * The digest credential of a username, for `DigestAuth.verify`.
   *
   * @param username the Authorization's username
   * @returns the subscriber's number and credential, or undefined
   */
  getSipCredential(username: string): { e164: string; credential: DigestCredential } | undefined {
    return this.#sipUsers.credential(username);
  }
}
