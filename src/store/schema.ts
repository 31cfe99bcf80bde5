/**
 * The schema of `numbers.db`, current version, annotated with the sections of
 * the ThemWi design (seed) it serves, as osmo-hlr's `sql/hlr.sql` is. A fresh
 * database is created from this text in one step; an older one is brought
 * here by the steps of `migrations.ts`. A test checks that both roads end in
 * the same schema (tests/durability/numbers_db_upgrade_test.ts).
 *
 * Conventions: every table is STRICT; numbers are decimal digit strings
 * without "+", checked by the table itself so that no writer can store a
 * malformed one; booleans are INTEGER 0/1; credentials are never stored in
 * plain text.
 *
 * @module
 */

/** The `PRAGMA user_version` this program writes and expects. */
export const SCHEMA_VERSION = 2;

/**
 * The sip_user table (version 2), shared by the fresh schema and the upgrade
 * step so that both create it with the same text.
 */
export const SIP_USER_SQL = `
-- SIP digest credentials of subscribers (issue 7, docs/sip-auth.md): at most one per owned
-- number; gsmif looks a REGISTER's or MESSAGE's Authorization up by username.
CREATE TABLE sip_user (
  -- The subscriber: an owned number (of kind gsm when set; removing the number removes this).
  e164 TEXT PRIMARY KEY NOT NULL REFERENCES owned_number (e164) ON DELETE CASCADE,
  -- The digest username (RFC 7616 §3.4), by default the number's digits. Unique over all
  -- realms, because the lookup is by username alone; no ":" (it would make HA1 ambiguous).
  username TEXT NOT NULL UNIQUE
    CHECK (length(username) BETWEEN 1 AND 128 AND username NOT GLOB '*[:"\\ ]*'),
  -- The digest realm the HA1 values were computed for (gsmif.domain at the time).
  realm TEXT NOT NULL CHECK (length(realm) BETWEEN 1 AND 253),
  -- RFC 7616 §3.4.2 HA1 = H(username ":" realm ":" password) in lower-case hex, with MD5 and
  -- with SHA-256, so that either challenge can be answered; never the password.
  ha1_md5 TEXT NOT NULL CHECK (length(ha1_md5) = 32 AND ha1_md5 NOT GLOB '*[^0-9a-f]*'),
  ha1_sha256 TEXT NOT NULL
    CHECK (length(ha1_sha256) = 64 AND ha1_sha256 NOT GLOB '*[^0-9a-f]*')
) STRICT;
`;

/** The SQL of the current schema, `SCHEMA_VERSION`. */
export const SCHEMA_SQL = `
-- Locally owned numbers (seed §1.2 "LOMTNs", §2.4.1 routing, §2.4.2 permission).
CREATE TABLE owned_number (
  -- E.164, country code first, no "+": 1 to 15 digits, not beginning with 0.
  e164 TEXT PRIMARY KEY NOT NULL
    CHECK (length(e164) BETWEEN 1 AND 15 AND e164 NOT GLOB '*[^0-9]*' AND e164 NOT GLOB '0*'),
  -- gsm: a GSM/IMS subscriber; MSISDN-to-IMSI lookup, then MT delivery (SME_CLASS_GSM).
  -- local: a stored-only mailbox; writing the PMS record is final delivery (SME_CLASS_LOCAL).
  -- nosms: owned, but "a type that cannot receive SMS" (seed §2.4.1); SMs to it are rejected.
  kind TEXT NOT NULL CHECK (kind IN ('gsm', 'local', 'nosms')),
  -- Seed §2.4.2 NUMBER_FLAG_SMSPROV: may be the source of an SM routed to the upstream.
  may_send_upstream INTEGER NOT NULL DEFAULT 0 CHECK (may_send_upstream IN (0, 1))
) STRICT;

-- Local 4-digit numbers, meaningful only to local origins (seed §2.4.1). Exactly one of
-- e164 (an abbreviation of an owned number, ThemWi "allow-abbrev": it takes that number's kind)
-- and kind (a number of its own, ThemWi's ITNs: the 4 digits are then the MSISDN).
CREATE TABLE short_number (
  code TEXT PRIMARY KEY NOT NULL CHECK (length(code) = 4 AND code NOT GLOB '*[^0-9]*'),
  e164 TEXT REFERENCES owned_number (e164) ON DELETE CASCADE,
  kind TEXT CHECK (kind IN ('gsm', 'local', 'nosms')),
  CHECK ((e164 IS NULL) <> (kind IS NULL))
) STRICT;
CREATE INDEX short_number_e164 ON short_number (e164);

-- Downstream peers (seed §1.2, §1.2.1): SMPP clients that bind to us.
CREATE TABLE peer (
  id INTEGER PRIMARY KEY,
  -- The name of the downlink process ("smsc downlink NAME") and of its log category.
  name TEXT NOT NULL UNIQUE
    CHECK (length(name) BETWEEN 1 AND 32 AND name GLOB '[a-z0-9]*' AND name NOT GLOB '*[^a-z0-9_-]*'),
  -- SMPP 3.4 §5.2.1: a C-Octet String of at most 16 octets, the NUL included.
  system_id TEXT NOT NULL UNIQUE CHECK (length(system_id) BETWEEN 1 AND 15),
  -- PHC-style "$scrypt$ln=…,r=…,p=…$salt$hash" (base64, per-peer random salt).
  -- NULL until a password is set: no bind succeeds then.
  password_hash TEXT,
  -- Simultaneous binds (transmitter, receiver, transceiver) the peer may hold.
  max_binds INTEGER NOT NULL DEFAULT 1 CHECK (max_binds BETWEEN 1 AND 64),
  -- Seed §2.4.2 applied to a peer: may its SMs go to the upstream?
  may_send_upstream INTEGER NOT NULL DEFAULT 0 CHECK (may_send_upstream IN (0, 1)),
  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1))
) STRICT;

-- Source networks a peer may bind from; a peer without rows may bind from nowhere.
CREATE TABLE peer_allow (
  peer_id INTEGER NOT NULL REFERENCES peer (id) ON DELETE CASCADE,
  -- "address/length", IPv4 or IPv6, normalized by the writer.
  cidr TEXT NOT NULL,
  PRIMARY KEY (peer_id, cidr)
) STRICT;

-- Numbers of downstream peers (seed §2.4.1 SME_CLASS_DOWNSTREAM): exact numbers and prefixes.
-- An exact number beats any prefix; a longer prefix beats a shorter one. One owner per entry.
CREATE TABLE peer_pool (
  peer_id INTEGER NOT NULL REFERENCES peer (id) ON DELETE CASCADE,
  digits TEXT NOT NULL
    CHECK (length(digits) BETWEEN 1 AND 15 AND digits NOT GLOB '*[^0-9]*' AND digits NOT GLOB '0*'),
  is_prefix INTEGER NOT NULL CHECK (is_prefix IN (0, 1)),
  PRIMARY KEY (digits, is_prefix)
) STRICT;
CREATE INDEX peer_pool_peer ON peer_pool (peer_id);

-- MSISDN-to-IMSI map of subscribers (seed §2.5.3 MT_FIND_IMSI, §2.6.1.2).
CREATE TABLE subscriber (
  -- An E.164 number, or a 4-digit local number of its own.
  msisdn TEXT PRIMARY KEY NOT NULL
    CHECK (length(msisdn) BETWEEN 1 AND 15 AND msisdn NOT GLOB '*[^0-9]*'),
  -- TS 23.003 §2.2: MCC (3) + MNC (2-3) + MSIN, at most 15 digits.
  imsi TEXT NOT NULL UNIQUE
    CHECK (length(imsi) BETWEEN 6 AND 15 AND imsi NOT GLOB '*[^0-9]*')
) STRICT;

${SIP_USER_SQL}`;
