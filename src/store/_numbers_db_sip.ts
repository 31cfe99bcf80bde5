/**
 * The sip_user table of `numbers.db`: subscribers' SIP digest credentials,
 * private to `numbers_db.ts`. Only HA1 values are stored (MD5 and SHA-256,
 * RFC 7616 §3.4.2), never the password: that is all digest verification
 * needs, and a stolen file then opens only this realm.
 *
 * @module
 */

import type { DatabaseSync, StatementSync } from "node:sqlite";
import { type DigestCredential, ha1 } from "../proto/sip_digest.ts";
import { NumbersDbError, type SipUser } from "./numbers_db_types.ts";

type Row = Record<string, unknown>;

/** Kinds of owned number that may have a SIP user: subscribers reached by gsmif. */
const SIP_KINDS: readonly string[] = ["gsm"];

// Printable ASCII without ":" (HA1 joins fields with it), DQUOTE, backslash
// or SP, so that the name travels unchanged in a quoted-string.
const USERNAME = /^[\x21\x23-\x39\x3b-\x5b\x5d-\x7e]{1,128}$/;
const REALM = /^[A-Za-z0-9.-]{1,253}$/;
const PASSWORD_MAX = 128;
// deno-lint-ignore no-control-regex -- control characters are what is refused
const CONTROL = /[\x00-\x1f\x7f]/;

function check(ok: boolean, message: string): void {
  if (!ok) throw new NumbersDbError("invalid", message);
}

function toCredential(row: Row): { e164: string; credential: DigestCredential } {
  return {
    e164: row.e164 as string,
    credential: {
      username: row.username as string,
      realm: row.realm as string,
      ha1: { "MD5": row.ha1_md5 as string, "SHA-256": row.ha1_sha256 as string },
    },
  };
}

/** SQL for sip_user. */
export class SipUserStore {
  readonly #db: DatabaseSync;
  readonly #byUsername: StatementSync;
  readonly #loginByUsername: StatementSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#byUsername = db.prepare("SELECT * FROM sip_user WHERE username = ?");
    // A number whose kind changed from gsm keeps its row but may not log in.
    this.#loginByUsername = db.prepare(
      `SELECT s.* FROM sip_user s JOIN owned_number o ON o.e164 = s.e164
       WHERE s.username = ? AND o.kind = 'gsm'`,
    );
  }

  set(e164: string, password: string, realm: string, username: string): void {
    check(
      USERNAME.test(username),
      `Cannot use SIP username "${username}": it must be 1-128 printable ASCII characters ` +
        'without ":", quotes, backslash or space',
    );
    check(REALM.test(realm), `Cannot use realm "${realm}": it must be a domain name`);
    check(
      password.length >= 1 && password.length <= PASSWORD_MAX,
      `Cannot use the SIP password: it must be 1-${PASSWORD_MAX} characters`,
    );
    check(
      !CONTROL.test(password),
      "Cannot use the SIP password: it holds a control character",
    );
    const owned = this.#db.prepare("SELECT kind FROM owned_number WHERE e164 = ?").get(e164) as
      | Row
      | undefined;
    if (!owned) {
      throw new NumbersDbError(
        "not-found",
        `Cannot add SIP user for ${e164}: it is not a local number`,
      );
    }
    check(
      SIP_KINDS.includes(owned.kind as string),
      `Cannot add SIP user for ${e164}: its kind is ${owned.kind}, not ${SIP_KINDS.join(" or ")}`,
    );
    const other = this.#byUsername.get(username) as Row | undefined;
    if (other && other.e164 !== e164) {
      throw new NumbersDbError(
        "exists",
        `Cannot use SIP username "${username}": it belongs to ${other.e164}`,
      );
    }
    this.#db.prepare(
      `INSERT INTO sip_user (e164, username, realm, ha1_md5, ha1_sha256) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (e164) DO UPDATE SET username = excluded.username, realm = excluded.realm,
         ha1_md5 = excluded.ha1_md5, ha1_sha256 = excluded.ha1_sha256`,
    ).run(
      e164,
      username,
      realm,
      ha1("MD5", username, realm, password),
      ha1("SHA-256", username, realm, password),
    );
  }

  remove(e164: string): boolean {
    return this.#db.prepare("DELETE FROM sip_user WHERE e164 = ?").run(e164).changes > 0;
  }

  list(): SipUser[] {
    const rows = this.#db.prepare("SELECT e164, username, realm FROM sip_user ORDER BY e164")
      .all() as Row[];
    return rows.map((r) => ({
      e164: r.e164 as string,
      username: r.username as string,
      realm: r.realm as string,
    }));
  }

  credential(username: string): { e164: string; credential: DigestCredential } | undefined {
    const row = this.#loginByUsername.get(username) as Row | undefined;
    return row ? toCredential(row) : undefined;
  }
}
