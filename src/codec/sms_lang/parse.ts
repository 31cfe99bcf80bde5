/**
 * Parser of the FreeCalypso sms-encode-text / sms-gen-tpdu line language.
 *
 * @module
 */

import { parseAddress, parseHex, parseInteger, parseTime } from "./_args.ts";
import { buildMessage } from "./_messages.ts";
import { type Line, lineError, tokenize } from "./_tokens.ts";
import type { SmsLangDocument, SmsLangSettings } from "./types.ts";

type Handler = (line: Line, args: string[], doc: SmsLangDocument) => void;

const FLAGS: Record<string, keyof SmsLangSettings> = {
  sr: "srr",
  rp: "replyPath",
  rd: "rd",
  mms: "mms",
  lp: "lp",
};

/** Settings keyword -> the key it sets, to refuse a second line for the same key. */
const SETS: Record<string, keyof SmsLangSettings> = {
  ...FLAGS,
  dcs: "dcs",
  pid: "pid",
  mr: "mr",
  "vp-rel": "vpRelative",
  "vp-abs": "vpAbsolute",
  "user-addr": "userAddr",
  "sc-addr": "scAddr",
  "sc-ts": "scTs",
};

function arity(line: Line, args: string[], count: number): void {
  if (args.length !== count) {
    throw lineError(line, `"${line.words[0]}" takes ${count} argument(s), got ${args.length}`);
  }
}

const HANDLERS: Record<string, Handler> = {
  dcs(line, args, doc) {
    arity(line, args, 2);
    if (args[1] !== "septet" && args[1] !== "octet") {
      throw lineError(line, `dcs coding "${args[1]}" must be septet or octet`);
    }
    doc.settings.dcs = parseInteger(line, args[0], 0xff, "dcs");
    doc.settings.dcsCoding = args[1];
  },
  pid(line, args, doc) {
    arity(line, args, 1);
    doc.settings.pid = parseInteger(line, args[0], 0xff, "pid");
  },
  mr(line, args, doc) {
    arity(line, args, 1);
    doc.settings.mr = parseInteger(line, args[0], 0xff, "mr");
  },
  "vp-rel"(line, args, doc) {
    arity(line, args, 1);
    if (doc.settings.vpAbsolute) throw lineError(line, "vp-rel conflicts with vp-abs");
    doc.settings.vpRelative = parseInteger(line, args[0], 0xff, "vp-rel");
  },
  "vp-abs"(line, args, doc) {
    arity(line, args, 1);
    if (doc.settings.vpRelative !== undefined) {
      throw lineError(line, "vp-abs conflicts with vp-rel");
    }
    doc.settings.vpAbsolute = parseTime(line, args[0], "vp-abs");
  },
  "sc-ts"(line, args, doc) {
    arity(line, args, 1);
    doc.settings.scTs = parseTime(line, args[0], "sc-ts");
  },
  "user-addr"(line, args, doc) {
    doc.settings.userAddr = parseAddress(line, args, "user-addr");
  },
  "sc-addr"(line, args, doc) {
    doc.settings.scAddr = parseAddress(line, args, "sc-addr");
  },
  msg(line, args, doc) {
    message(line, args, doc, false);
  },
  "msg-udh"(line, args, doc) {
    message(line, args, doc, true);
  },
};

function message(line: Line, args: string[], doc: SmsLangDocument, udhi: boolean): void {
  arity(line, args, 1);
  const coding = doc.settings.dcsCoding;
  if (coding === undefined) throw lineError(line, `"${line.words[0]}" needs a dcs line before it`);
  const data = parseHex(line, args[0], line.words[0]);
  doc.messages.push(buildMessage(line, data, udhi, coding));
}

/**
 * Parses the text that FreeCalypso's `sms-encode-text` prints and `sms-gen-tpdu`
 * reads: one keyword per line with its arguments, `#` comments, `"…"` quoted
 * arguments. Settings lines (`dcs`, `pid`, `mr`, `sr`, `rp`, `rd`, `mms`, `lp`,
 * `vp-rel`, `vp-abs`, `user-addr`, `sc-addr`, `sc-ts`) may each appear once;
 * every `msg` / `msg-udh` line adds one segment, coded per the `dcs` line that
 * must precede it.
 *
 * @example
 * ```ts
 * import { parseSmsLang } from "./mod.ts";
 * const doc = parseSmsLang('dcs 0 septet\nmsg 48656C6C6F\n');
 * // doc.messages[0]: { udhi: false, udl: 5, ud: c8329bfd06 }
 * ```
 *
 * @param text the whole input
 * @returns the settings and the segments, in input order
 * @throws {DecodeError} with `field` `"line N"` and a message naming line N, on an
 *   unknown keyword, a wrong argument, a repeated setting, a `msg` before `dcs`,
 *   a non-septet octet in septet coding, or user data beyond 140 octets / 160 septets
 */
export function parseSmsLang(text: string): SmsLangDocument {
  const doc: SmsLangDocument = { settings: {}, messages: [] };
  const seen = new Map<string, number>();
  for (const line of tokenize(text)) {
    const [keyword, ...args] = line.words;
    const flag = Object.hasOwn(FLAGS, keyword) ? FLAGS[keyword] : undefined;
    const handler = Object.hasOwn(HANDLERS, keyword) ? HANDLERS[keyword] : undefined;
    if (flag === undefined && handler === undefined) {
      throw lineError(line, `unknown keyword "${keyword.slice(0, 40)}"`);
    }
    const key = Object.hasOwn(SETS, keyword) ? SETS[keyword] : undefined;
    if (key !== undefined) {
      const first = seen.get(key);
      if (first !== undefined) {
        throw lineError(line, `"${keyword}" was already given on line ${first}`);
      }
      seen.set(key, line.number);
    }
    if (flag !== undefined) {
      arity(line, args, 0);
      (doc.settings as Record<string, unknown>)[flag] = true;
    } else {
      handler!(line, args, doc);
    }
  }
  return doc;
}
