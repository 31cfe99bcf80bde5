/**
 * Text lines of `smsc numbers … list`. Passwords are never shown, only
 * whether one is set.
 *
 * @module
 */

import type { Peer, PoolEntry, ShortNumber } from "../store/numbers_db.ts";

/** "+" and the digits. */
export function plus(e164: string): string {
  return `+${e164}`;
}

/** `CODE  -> +NUMBER` or `CODE  KIND`. */
export function formatShort(s: ShortNumber): string {
  return s.e164 !== undefined ? `${s.code}  -> ${plus(s.e164)}` : `${s.code}  ${s.kind}`;
}

/** One peer on one line, `key=value` after the name. */
export function formatPeer(p: Peer): string {
  return [
    p.name,
    `system_id=${p.systemId}`,
    `max_binds=${p.maxBinds}`,
    `upstream=${p.maySendUpstream ? "yes" : "no"}`,
    `enabled=${p.enabled ? "yes" : "no"}`,
    `password=${p.hasPassword ? "set" : "none"}`,
    `allow=${p.allow.length > 0 ? p.allow.join(",") : "none"}`,
  ].join(" ");
}

/** `PEER +NUMBER` or `PEER +PREFIX*`. */
export function formatPool(e: PoolEntry): string {
  return `${e.peer} ${plus(e.digits)}${e.prefix ? "*" : ""}`;
}
