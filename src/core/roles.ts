/**
 * Role handler registrations (seed 003 §2.5.2): one claimant per role, the
 * service state each claimant declared, and what a connection's roles make
 * of its SUBMITs. A claim ends when its connection closes.
 *
 * @module
 */

import { type ResponseOf, type RoleClaim, socketReason } from "../codec/frame/mod.ts";
import type { SourceClass } from "../codec/pms/mod.ts";
import type { Logger } from "../lib/log.ts";
import type { FrameConnection } from "../transport/unix_socket.ts";

/** Told when a claim's handler becomes usable (up) or not (undefined). */
export type HandlerChange = (claim: RoleClaim, conn: FrameConnection | undefined) => void;

/** The registry of claims. */
export class RoleRegistry {
  readonly #claims = new Map<string, FrameConnection>();
  readonly #connClaims = new Map<FrameConnection, RoleClaim[]>();
  readonly #serviceUp = new Map<string, boolean>();
  readonly #logger: Logger;
  readonly #peerExists: (name: string) => boolean;
  readonly #changed: HandlerChange;

  /**
   * @param logger for role events
   * @param peerExists whether a downstream peer name is configured
   * @param changed called when a handler goes up or down
   */
  constructor(logger: Logger, peerExists: (name: string) => boolean, changed: HandlerChange) {
    this.#logger = logger;
    this.#peerExists = peerExists;
    this.#changed = changed;
  }

  /** RH_REGISTER: grants the role unless another connection holds it. */
  register(claim: RoleClaim, conn: FrameConnection): ResponseOf<"RH_REGISTER"> {
    const refuse = (name: "already-claimed" | "unknown-peer" | "bad-request") => {
      this.#logger.notice("Role refused", {
        role: claim.role,
        peer: claim.peer,
        reason: name,
        conn: conn.id,
      });
      return { type: "RH_REGISTER", result: "refused", reason: socketReason(name) } as const;
    };
    if (claim.role !== "peer" && claim.peer !== "") return refuse("bad-request");
    if (claim.role === "peer" && claim.peer !== "" && !this.#peerExists(claim.peer)) {
      return refuse("unknown-peer");
    }
    const key = `${claim.role}:${claim.peer}`;
    const holder = this.#claims.get(key);
    if (holder === conn) return { type: "RH_REGISTER", result: "ok" };
    if (holder !== undefined) return refuse("already-claimed");
    this.#claims.set(key, conn);
    this.#connClaims.set(conn, [...(this.#connClaims.get(conn) ?? []), claim]);
    this.#logger.info("Role registered", { role: claim.role, peer: claim.peer, conn: conn.id });
    return { type: "RH_REGISTER", result: "ok" };
  }

  /** RH_SERVICE_STATE for one of the connection's claims, or all of them. */
  serviceState(
    up: boolean,
    claim: RoleClaim | "all",
    conn: FrameConnection,
  ): ResponseOf<"RH_SERVICE_STATE"> {
    const held = this.#connClaims.get(conn) ?? [];
    const chosen = claim === "all"
      ? held
      : held.filter((c) => c.role === claim.role && c.peer === claim.peer);
    if (chosen.length === 0) {
      return {
        type: "RH_SERVICE_STATE",
        result: "refused",
        reason: socketReason("not-registered"),
      };
    }
    for (const c of chosen) {
      this.#serviceUp.set(`${c.role}:${c.peer}`, up);
      this.#logger.info(up ? "Service up" : "Service down", { role: c.role, peer: c.peer });
      this.#changed(c, up ? conn : undefined);
    }
    return { type: "RH_SERVICE_STATE", result: "ok" };
  }

  /** Ends the claims of a closed connection. */
  released(conn: FrameConnection): void {
    for (const claim of this.#connClaims.get(conn) ?? []) {
      const key = `${claim.role}:${claim.peer}`;
      this.#claims.delete(key);
      this.#serviceUp.delete(key);
      this.#logger.info("Role released", { role: claim.role, peer: claim.peer, conn: conn.id });
      this.#changed(claim, undefined);
    }
    this.#connClaims.delete(conn);
  }

  /** Whether the connection holds `role`. */
  holds(conn: FrameConnection, role: RoleClaim["role"]): boolean {
    return (this.#connClaims.get(conn) ?? []).some((c) => c.role === role);
  }

  /** The source class a connection submits as: set by the role it holds. */
  sourceOf(conn: FrameConnection): { sourceClass: SourceClass; sourcePeer: string } {
    const claims = this.#connClaims.get(conn) ?? [];
    const peer = claims.find((c) => c.role === "peer");
    if (peer) {
      return peer.peer === ""
        ? { sourceClass: "upstream", sourcePeer: "" }
        : { sourceClass: "downstream", sourcePeer: peer.peer };
    }
    if (claims.length > 0) return { sourceClass: "gsm", sourcePeer: "" };
    return { sourceClass: "cli", sourcePeer: "" };
  }

  /** STATUS entries: `role.<role>:<peer>` → `conn=N up|down`. */
  statusEntries(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, conn] of this.#claims) {
      out[`role.${key}`] = `conn=${conn.id} ${this.#serviceUp.get(key) ? "up" : "down"}`;
    }
    return out;
  }
}
