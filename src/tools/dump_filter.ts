/**
 * Which records `smsc dump` prints: the filters of seed §2.2.3 (number, SME
 * class, peer, state, disposition) as one value, and the predicate that
 * applies them. Options of different kinds combine with AND; several values
 * of one option (`--class gsm --class local`) combine with OR.
 *
 * Numbers are compared as whole digit strings, never as prefixes or
 * suffixes, so that `--number 2125550100` cannot select `12125550100`.
 *
 * @module
 */

import { UsageError } from "../lib/errors.ts";
import type { DestClass, Disposition, PmsRecord, PmsState, SourceClass } from "../codec/pms/mod.ts";
import { TON_ALPHANUMERIC } from "../codec/tpdu/mod.ts";

/** The filters of one dump; absent fields do not filter. */
export interface DumpFilter {
  /** Digits that OA, DA as submitted or the routed DA must equal. */
  number?: string;
  /** Digits that OA must equal. */
  fromNumber?: string;
  /** Digits that DA as submitted or the routed DA must equal. */
  toNumber?: string;
  /**
   * The end-user restriction (`smsc user`): OA or the routed DA must equal
   * these digits. The DA as submitted is not used: routing decided who the
   * recipient is, and the submitted form may name someone else under another
   * numbering plan.
   */
  owner?: string;
  destClasses?: readonly DestClass[];
  sourceClasses?: readonly SourceClass[];
  /** Name of the source or destination downstream peer. */
  peer?: string;
  states?: readonly PmsState[];
  dispositions?: readonly Disposition[];
}

/**
 * Normalizes a number given on the command line: drops one leading "+" and
 * any dashes, dots or spaces, then requires 1-20 digits (TS 23.040 §9.1.2.5
 * allows 20 semi-octets).
 *
 * @param text the number as typed
 * @param option the option name, for the error
 * @returns the digits
 * @throws {UsageError} when what is left is not 1-20 digits
 */
export function normalizeNumber(text: string, option: string): string {
  const digits = text.trim().replace(/^\+/, "").replace(/[-.\s]/g, "");
  if (!/^[0-9]{1,20}$/.test(digits)) {
    throw new UsageError(`${option} "${text}": expected a number like +12125550100`);
  }
  return digits;
}

/** The digits of a TP address, or undefined for an alphanumeric one. */
function digitsOf(a: { ton: number; digits?: string } | null): string | undefined {
  if (a === null || a.ton === TON_ALPHANUMERIC) return undefined;
  return a.digits;
}

/**
 * Applies `filter` to a decoded record.
 *
 * @param rec the record
 * @param filter the filters
 * @returns true when every given filter matches
 */
export function matchRecord(rec: PmsRecord, filter: DumpFilter): boolean {
  const oa = digitsOf(rec.oa);
  const da = digitsOf(rec.da);
  const routed = rec.routedDa?.digits;
  const toMatches = (n: string) => da === n || routed === n;
  if (filter.owner !== undefined && oa !== filter.owner && routed !== filter.owner) return false;
  if (filter.number !== undefined && oa !== filter.number && !toMatches(filter.number)) {
    return false;
  }
  if (filter.fromNumber !== undefined && oa !== filter.fromNumber) return false;
  if (filter.toNumber !== undefined && !toMatches(filter.toNumber)) return false;
  if (filter.destClasses && !filter.destClasses.includes(rec.destClass)) return false;
  if (filter.sourceClasses && !filter.sourceClasses.includes(rec.sourceClass)) return false;
  if (filter.peer !== undefined && rec.sourcePeer !== filter.peer && rec.destPeer !== filter.peer) {
    return false;
  }
  if (filter.states && !filter.states.includes(rec.state)) return false;
  if (filter.dispositions && !filter.dispositions.includes(rec.disposition)) return false;
  return true;
}

/**
 * Checks the values of a repeated choice option (`--class`, `--state` …).
 *
 * @param values the values given, or undefined when the option was absent
 * @param allowed the valid values
 * @param option the option name, for the error
 * @returns the values, or undefined when the option was absent
 * @throws {UsageError} on a value outside `allowed`
 */
export function choices<T extends string>(
  values: string[] | undefined,
  allowed: readonly T[],
  option: string,
): T[] | undefined {
  if (values === undefined) return undefined;
  for (const v of values) {
    if (!(allowed as readonly string[]).includes(v)) {
      throw new UsageError(`${option} "${v}": expected one of ${allowed.join(", ")}`);
    }
  }
  return values as T[];
}
