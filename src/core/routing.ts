/**
 * Routing of a submitted SM by its destination (seed 003 §2.4.1) and the
 * permission to send to the upstream (§2.4.2). Pure policy: the number
 * database and the numbering plan come in as parameters.
 *
 * Rules, in order:
 * 1. The plan classifies the destination; invalid numbers are refused.
 * 2. Public short codes go to the upstream.
 * 3. Local short numbers (local origins only) resolve through the number
 *    database to a local mailbox, a subscriber, or a full number.
 * 4. A full number owned here is a subscriber (gsm), a mailbox (local), or
 *    refused (nosms); else a downstream peer's pool (exact beats prefix);
 *    else the upstream.
 * 5. Nothing from the upstream may go back to it: an unknown number from the
 *    upstream means a misconfiguration somewhere, and is refused.
 *
 * @module
 */

import type { Classification, NumberingPlan, Origin } from "./numbering/mod.ts";
import type { DestClass, RoutedAddress, SourceClass } from "../codec/pms/mod.ts";
import type { AdmissionReasonName } from "../codec/frame/admission.ts";

/** What routing needs from the number database. */
export interface NumberLookup {
  lookupNumber(
    e164: string,
  ): { kind: "gsm" | "local" | "nosms"; maySendUpstream: boolean } | undefined;
  lookupShort(
    code: string,
  ): { kind: "gsm" | "local" | "nosms"; e164?: string; maySendUpstream: boolean } | undefined;
  findPeerByNumber(e164: string): { peer: string } | undefined;
  getPeer(name: string): { maySendUpstream: boolean; enabled: boolean } | undefined;
}

/** A route, or the reason there is none. */
export type Route =
  | { ok: true; destClass: DestClass; routedDa: RoutedAddress; destPeer: string }
  | { ok: false; reason: AdmissionReasonName };

/** The origin class of seed §2.4.1: GSM MO and the command line are local. */
export function originOf(source: SourceClass): Origin {
  return source === "gsm" || source === "cli" ? "local" : "remote";
}

function international(e164: string): RoutedAddress {
  return { ton: 1, npi: 1, digits: e164 };
}

function byOwnedNumber(e164: string, kind: "gsm" | "local" | "nosms"): Route {
  if (kind === "nosms") return { ok: false, reason: "dest-no-sms" };
  return { ok: true, destClass: kind, routedDa: international(e164), destPeer: "" };
}

function byE164(e164: string, numbers: NumberLookup): Route {
  const owned = numbers.lookupNumber(e164);
  if (owned) return byOwnedNumber(e164, owned.kind);
  const pool = numbers.findPeerByNumber(e164);
  if (pool) {
    return {
      ok: true,
      destClass: "downstream",
      routedDa: international(e164),
      destPeer: pool.peer,
    };
  }
  return { ok: true, destClass: "upstream", routedDa: international(e164), destPeer: "" };
}

function byClassification(c: Classification, numbers: NumberLookup): Route {
  switch (c.kind) {
    case "invalid":
      return { ok: false, reason: "dest-invalid" };
    case "short-code":
      return {
        ok: true,
        destClass: "upstream",
        routedDa: { ton: 0, npi: 1, digits: c.digits },
        destPeer: "",
      };
    case "local-short": {
      const s = numbers.lookupShort(c.digits);
      if (!s) return { ok: false, reason: "dest-unroutable" };
      if (s.e164 !== undefined) return byE164(s.e164, numbers);
      if (s.kind === "nosms") return { ok: false, reason: "dest-no-sms" };
      return {
        ok: true,
        destClass: s.kind,
        routedDa: { ton: 0, npi: 1, digits: c.digits },
        destPeer: "",
      };
    }
    case "e164":
      return byE164(c.e164, numbers);
  }
}

/**
 * Routes a destination.
 *
 * @param da the destination as submitted
 * @param source the submitting source class and peer
 * @param plan the numbering plan
 * @param numbers the number database
 * @returns the destination class, normalized address and peer; or a reason
 */
export function routeDestination(
  da: { ton: number; npi: number; digits?: string },
  source: { sourceClass: SourceClass; sourcePeer: string },
  plan: NumberingPlan,
  numbers: NumberLookup,
): Route {
  if (da.digits === undefined) return { ok: false, reason: "dest-invalid" };
  const c = plan.classifyDestination(
    { ton: da.ton, npi: da.npi, digits: da.digits },
    originOf(source.sourceClass),
  );
  const route = byClassification(c, numbers);
  if (!route.ok) return route;
  if (source.sourceClass === "upstream" && route.destClass === "upstream") {
    return { ok: false, reason: "dest-unroutable" };
  }
  if (
    source.sourceClass === "downstream" && route.destClass === "downstream" &&
    route.destPeer === source.sourcePeer
  ) {
    return { ok: false, reason: "dest-unroutable" };
  }
  return route;
}

/**
 * Seed §2.4.2: may this sender reach the upstream? A local sender needs a
 * locally owned number with the upstream flag; a downstream peer needs the
 * peer's upstream flag.
 *
 * @param oa the source as submitted
 * @param source the submitting source class and peer
 * @param plan the numbering plan
 * @param numbers the number database
 * @returns true when the message may go upstream
 */
export function maySendUpstream(
  oa: { ton: number; npi: number; digits?: string; text?: string },
  source: { sourceClass: SourceClass; sourcePeer: string },
  plan: NumberingPlan,
  numbers: NumberLookup,
): boolean {
  if (source.sourceClass === "downstream") {
    const peer = numbers.getPeer(source.sourcePeer);
    return peer !== undefined && peer.enabled && peer.maySendUpstream;
  }
  if (source.sourceClass === "upstream" || oa.digits === undefined) return false;
  const c = plan.classifySource(
    { ton: oa.ton, npi: oa.npi, digits: oa.digits },
    originOf(source.sourceClass),
  );
  if (c.kind === "e164") return numbers.lookupNumber(c.e164)?.maySendUpstream === true;
  if (c.kind === "local-short") return numbers.lookupShort(c.digits)?.maySendUpstream === true;
  return false;
}
