/**
 * The downstream-peer tables of `numbers.db` (peer, peer_allow, peer_pool),
 * private to `numbers_db.ts`.
 *
 * @module
 */

import type { DatabaseSync, StatementSync } from "node:sqlite";
import { formatCidr, parseCidr } from "./cidr.ts";
import { NumbersDbError, type Peer, type PeerSpec, type PoolEntry } from "./numbers_db_types.ts";

type Row = Record<string, unknown>;

function checkName(name: string): void {
  if (!/^[a-z0-9][a-z0-9_-]{0,31}$/.test(name)) {
    throw new NumbersDbError(
      "invalid",
      `Cannot use peer name "${name}": it must be 1-32 of a-z 0-9 _ -, beginning with a letter or digit`,
    );
  }
}

// SMPP 3.4 §5.2.1 and §5.2.2: system_id up to 15 and password up to 8
// printable characters before the NUL; a longer one could never be sent.
function checkSystemId(systemId: string): void {
  if (!/^[\x21-\x7e]{1,15}$/.test(systemId)) {
    throw new NumbersDbError(
      "invalid",
      `Cannot use system_id "${systemId}": it must be 1-15 printable ASCII characters`,
    );
  }
}

function checkPassword(password: string): void {
  if (!/^[\x20-\x7e]{1,8}$/.test(password)) {
    throw new NumbersDbError(
      "invalid",
      "Cannot use the password: SMPP 3.4 allows 1-8 printable ASCII characters",
    );
  }
}

function normalizeCidr(text: string): string {
  const cidr = parseCidr(text);
  if (!cidr) {
    throw new NumbersDbError("invalid", `Cannot use network "${text}": it is not address/length`);
  }
  return formatCidr(cidr);
}

function checkPoolDigits(digits: string): void {
  if (!/^[1-9][0-9]{0,14}$/.test(digits)) {
    throw new NumbersDbError(
      "invalid",
      `Cannot use pool entry "${digits}": it must be 1-15 digits, not beginning with 0`,
    );
  }
}

/** SQL for the peer tables, with the hash functions injected. */
export class PeerStore {
  readonly #db: DatabaseSync;
  readonly #hash: (password: string) => string;
  readonly #verify: (password: string, stored: string) => boolean;
  readonly #credentials: StatementSync;
  readonly #findExact: StatementSync;
  readonly #findPrefix: StatementSync;
  readonly #dummy: string;

  constructor(
    db: DatabaseSync,
    hash: (password: string) => string,
    verify: (password: string, stored: string) => boolean,
    dummy: string,
  ) {
    this.#db = db;
    this.#hash = hash;
    this.#verify = verify;
    this.#credentials = db.prepare(
      "SELECT password_hash, enabled FROM peer WHERE system_id = ?",
    );
    this.#findExact = db.prepare(
      `SELECT p.name, pp.digits FROM peer_pool pp JOIN peer p ON p.id = pp.peer_id
       WHERE pp.is_prefix = 0 AND pp.digits = ?`,
    );
    this.#findPrefix = db.prepare(
      `SELECT p.name, pp.digits FROM peer_pool pp JOIN peer p ON p.id = pp.peer_id
       WHERE pp.is_prefix = 1 AND pp.digits IN (SELECT value FROM json_each(?))
       ORDER BY length(pp.digits) DESC LIMIT 1`,
    );
    this.#dummy = dummy;
  }

  #id(name: string): number {
    const row = this.#db.prepare("SELECT id FROM peer WHERE name = ?").get(name) as Row | undefined;
    if (!row) throw new NumbersDbError("not-found", `Cannot find peer "${name}"`);
    return row.id as number;
  }

  add(spec: PeerSpec): void {
    checkName(spec.name);
    checkSystemId(spec.systemId);
    if (spec.password !== undefined) checkPassword(spec.password);
    if (!Number.isInteger(spec.maxBinds) || spec.maxBinds < 1 || spec.maxBinds > 64) {
      throw new NumbersDbError("invalid", `Cannot use max binds ${spec.maxBinds}: it must be 1-64`);
    }
    const allow = [...new Set(spec.allow.map(normalizeCidr))];
    if (this.get("name", spec.name)) {
      throw new NumbersDbError("exists", `Cannot add peer "${spec.name}": it is already there`);
    }
    if (this.get("system_id", spec.systemId)) {
      throw new NumbersDbError(
        "exists",
        `Cannot add peer "${spec.name}": system_id "${spec.systemId}" is taken`,
      );
    }
    const hash = spec.password === undefined ? null : this.#hash(spec.password);
    const result = this.#db.prepare(
      `INSERT INTO peer (name, system_id, password_hash, max_binds, may_send_upstream, enabled)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(
      spec.name,
      spec.systemId,
      hash,
      spec.maxBinds,
      spec.maySendUpstream ? 1 : 0,
      spec.enabled ? 1 : 0,
    );
    const insert = this.#db.prepare("INSERT INTO peer_allow (peer_id, cidr) VALUES (?, ?)");
    for (const cidr of allow) insert.run(result.lastInsertRowid, cidr);
  }

  remove(name: string): boolean {
    return this.#db.prepare("DELETE FROM peer WHERE name = ?").run(name).changes > 0;
  }

  get(column: "name" | "system_id", value: string): Peer | undefined {
    const row = this.#db.prepare(`SELECT * FROM peer WHERE ${column} = ?`).get(value) as
      | Row
      | undefined;
    return row ? this.#toPeer(row) : undefined;
  }

  list(): Peer[] {
    const rows = this.#db.prepare("SELECT * FROM peer ORDER BY name").all() as Row[];
    return rows.map((r) => this.#toPeer(r));
  }

  #toPeer(row: Row): Peer {
    const allow = this.#db.prepare("SELECT cidr FROM peer_allow WHERE peer_id = ? ORDER BY cidr")
      .all(row.id as number) as Row[];
    return {
      name: row.name as string,
      systemId: row.system_id as string,
      allow: allow.map((a) => a.cidr as string),
      maxBinds: row.max_binds as number,
      maySendUpstream: row.may_send_upstream === 1,
      enabled: row.enabled === 1,
      hasPassword: row.password_hash !== null,
    };
  }

  setPassword(name: string, password: string): void {
    checkPassword(password);
    const id = this.#id(name);
    this.#db.prepare("UPDATE peer SET password_hash = ? WHERE id = ?").run(
      this.#hash(password),
      id,
    );
  }

  setEnabled(name: string, enabled: boolean): void {
    const id = this.#id(name);
    this.#db.prepare("UPDATE peer SET enabled = ? WHERE id = ?").run(enabled ? 1 : 0, id);
  }

  /** `verify` with the hash work off the event loop. */
  async verifyAsync(
    systemId: string,
    password: string,
    verifyAsync: (password: string, stored: string) => Promise<boolean>,
  ): Promise<boolean> {
    const row = this.#credentials.get(systemId) as Row | undefined;
    const stored = row?.password_hash;
    if (!row || typeof stored !== "string" || row.enabled !== 1) {
      await verifyAsync(password, this.#dummy);
      return false;
    }
    return await verifyAsync(password, stored);
  }

  verify(systemId: string, password: string): boolean {
    const row = this.#credentials.get(systemId) as Row | undefined;
    const stored = row?.password_hash;
    if (!row || typeof stored !== "string" || row.enabled !== 1) {
      this.#verify(password, this.#dummy);
      return false;
    }
    return this.#verify(password, stored);
  }

  addPool(peer: string, digits: string, prefix: boolean): void {
    checkPoolDigits(digits);
    const id = this.#id(peer);
    const owner = this.#db.prepare(
      `SELECT p.name FROM peer_pool pp JOIN peer p ON p.id = pp.peer_id
       WHERE pp.digits = ? AND pp.is_prefix = ?`,
    ).get(digits, prefix ? 1 : 0) as Row | undefined;
    if (owner) {
      const what = prefix ? `prefix ${digits}*` : `number ${digits}`;
      throw new NumbersDbError("exists", `Cannot add ${what}: it belongs to peer "${owner.name}"`);
    }
    this.#db.prepare("INSERT INTO peer_pool (peer_id, digits, is_prefix) VALUES (?, ?, ?)")
      .run(id, digits, prefix ? 1 : 0);
  }

  removePool(peer: string, digits: string, prefix: boolean): boolean {
    const id = this.#id(peer);
    return this.#db.prepare(
      "DELETE FROM peer_pool WHERE peer_id = ? AND digits = ? AND is_prefix = ?",
    ).run(id, digits, prefix ? 1 : 0).changes > 0;
  }

  listPools(peer?: string): PoolEntry[] {
    const sql = `SELECT p.name, pp.digits, pp.is_prefix FROM peer_pool pp
      JOIN peer p ON p.id = pp.peer_id ${peer === undefined ? "" : "WHERE p.name = ?"}
      ORDER BY p.name, pp.digits, pp.is_prefix`;
    const stmt = this.#db.prepare(sql);
    const rows = (peer === undefined ? stmt.all() : stmt.all(peer)) as Row[];
    return rows.map((r) => ({
      peer: r.name as string,
      digits: r.digits as string,
      prefix: r.is_prefix === 1,
    }));
  }

  findByNumber(e164: string): PoolEntry | undefined {
    const exact = this.#findExact.get(e164) as Row | undefined;
    if (exact) return { peer: exact.name as string, digits: e164, prefix: false };
    const prefixes = [];
    for (let n = 1; n <= e164.length; n++) prefixes.push(e164.slice(0, n));
    const row = this.#findPrefix.get(JSON.stringify(prefixes)) as Row | undefined;
    return row
      ? { peer: row.name as string, digits: row.digits as string, prefix: true }
      : undefined;
  }
}
