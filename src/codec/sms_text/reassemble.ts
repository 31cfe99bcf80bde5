/**
 * Concatenated short messages back to texts, TS 23.040 §9.2.3.24.1/8.
 *
 * @module
 */

import { DecodeError } from "../../lib/errors.ts";
import { type InformationElement, interpretIe } from "../tpdu/udh.ts";

/** One received part: its header elements and its decoded text. */
export interface ReceivedPart {
  /** User Data Header elements, or null. */
  udh: InformationElement[] | null;
  /** The part's decoded text. */
  text: string;
}

/** One message put back together. */
export interface ReassembledMessage {
  /** Concatenated short message reference number; null for a part that is not concatenated. */
  reference: number | null;
  /** True when the reference came from IEI 0x08 (16-bit). */
  ref16: boolean;
  /** Number of parts announced by the senders (1 for a single message). */
  total: number;
  /** True when every sequence number 1-total arrived. */
  complete: boolean;
  /** The texts of the parts that arrived, in sequence order. */
  text: string;
  /** Sequence numbers that did not arrive, ascending. */
  missing: number[];
}

interface Concat {
  reference: number;
  total: number;
  sequence: number;
  ref16: boolean;
}

function concatOf(udh: InformationElement[] | null): Concat | null {
  for (const ie of udh ?? []) {
    try {
      const v = interpretIe(ie);
      if (v.kind === "concat") return v;
    } catch (e) {
      // A malformed concatenation element is ignored (TS 23.040 §9.2.3.24.1).
      if (!(e instanceof DecodeError)) throw e;
    }
  }
  return null;
}

/**
 * Groups parts into messages by (reference width, reference, total), orders
 * each group by sequence number and joins the texts. A repeated sequence
 * number keeps the first copy. A part without a valid concatenation element
 * is a message of its own. Parts from different originators must be passed
 * in separate calls, since the reference is only unique per originator.
 *
 * @param parts received parts, in any order
 * @returns one entry per message, in order of each message's first part
 */
export function reassemble(parts: ReceivedPart[]): ReassembledMessage[] {
  const out: ReassembledMessage[] = [];
  const groups = new Map<string, { message: ReassembledMessage; texts: Map<number, string> }>();
  for (const part of parts) {
    const c = concatOf(part.udh);
    if (c === null) {
      out.push({
        reference: null,
        ref16: false,
        total: 1,
        complete: true,
        text: part.text,
        missing: [],
      });
      continue;
    }
    const key = `${c.ref16 ? 16 : 8}:${c.reference}:${c.total}`;
    let g = groups.get(key);
    if (g === undefined) {
      const message: ReassembledMessage = {
        reference: c.reference,
        ref16: c.ref16,
        total: c.total,
        complete: false,
        text: "",
        missing: [],
      };
      g = { message, texts: new Map() };
      groups.set(key, g);
      out.push(message);
    }
    if (!g.texts.has(c.sequence)) g.texts.set(c.sequence, part.text);
  }
  for (const { message, texts } of groups.values()) {
    let text = "";
    for (let seq = 1; seq <= message.total; seq++) {
      const t = texts.get(seq);
      if (t === undefined) message.missing.push(seq);
      else text += t;
    }
    message.text = text;
    message.complete = message.missing.length === 0;
  }
  return out;
}
