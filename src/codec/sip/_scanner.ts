/**
 * A cursor over one header value for the structured parsers (Via,
 * name-addr, CSeq, Content-Type). Private to this folder.
 *
 * Header values reach it unfolded (RFC 3261 §7.3.1), so linear white space
 * is only SP and HTAB here.
 *
 * @module
 */

import { DecodeError, EncodeError } from "../../lib/errors.ts";
import { isTokenChar } from "./_chars.ts";
import { STATUS_BAD_REQUEST } from "./constants.ts";

/** One `;name[=value]` parameter, in the order received. */
export interface SipParam {
  /** Parameter name as written (compare case-insensitively, RFC 3261 §19.1.4). */
  name: string;
  /**
   * Value as written, quotes included when it was a quoted-string; absent
   * for a parameter without "=".
   */
  value?: string;
}

export class TextScanner {
  readonly text: string;
  readonly field: string;
  pos = 0;

  constructor(text: string, field: string) {
    this.text = text;
    this.field = field;
  }

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  peek(): string {
    return this.text[this.pos] ?? "";
  }

  error(message: string): DecodeError {
    return new DecodeError(`Cannot parse ${this.field}: ${message}`, {
      protocol: "sip",
      field: this.field,
      offset: this.pos,
      code: STATUS_BAD_REQUEST,
    });
  }

  /** Skips SP and HTAB; returns how many were skipped. */
  skipWs(): number {
    const start = this.pos;
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c !== 32 && c !== 9) break;
      this.pos++;
    }
    return this.pos - start;
  }

  /** Consumes `ch` if it is next; returns whether it did. */
  eat(ch: string): boolean {
    if (this.text[this.pos] !== ch) return false;
    this.pos++;
    return true;
  }

  /** Consumes `ch` or throws, naming `what`. */
  expect(ch: string, what: string): void {
    if (!this.eat(ch)) throw this.error(`expected ${what} at offset ${this.pos}`);
  }

  /** Reads a run of characters accepted by `ok` (may be empty). */
  run(ok: (code: number) => boolean): string {
    const start = this.pos;
    while (this.pos < this.text.length && ok(this.text.charCodeAt(this.pos))) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** Reads a non-empty token or throws, naming `what`. */
  token(what: string): string {
    const t = this.run(isTokenChar);
    if (t.length === 0) throw this.error(`expected ${what} at offset ${this.pos}`);
    return t;
  }

  /**
   * Reads a quoted-string starting at the current DQUOTE and returns it
   * unescaped, or, with `raw`, exactly as written including the quotes.
   */
  quoted(raw = false): string {
    const start = this.pos;
    this.expect('"', "DQUOTE");
    let out = "";
    for (;;) {
      if (this.pos >= this.text.length) throw this.error("unterminated quoted-string");
      const ch = this.text[this.pos++];
      if (ch === '"') break;
      if (ch === "\\") {
        if (this.pos >= this.text.length) throw this.error("unterminated quoted-pair");
        out += this.text[this.pos++];
        continue;
      }
      out += ch;
    }
    return raw ? this.text.slice(start, this.pos) : out;
  }

  /** Throws unless only white space remains. */
  end(): void {
    this.skipWs();
    if (!this.done) throw this.error(`unexpected "${this.peek()}" at offset ${this.pos}`);
  }

  /**
   * Reads `*( SEMI generic-param )`, RFC 3261 §25.1: `token [ EQUAL
   * gen-value ]`, gen-value = token / host / quoted-string. Stops before any
   * character other than ";" (after white space).
   */
  params(): SipParam[] {
    const out: SipParam[] = [];
    for (;;) {
      const save = this.pos;
      this.skipWs();
      if (!this.eat(";")) {
        this.pos = save;
        return out;
      }
      this.skipWs();
      const name = this.token("parameter name");
      const before = this.pos;
      this.skipWs();
      if (!this.eat("=")) {
        this.pos = before;
        out.push({ name });
        continue;
      }
      this.skipWs();
      out.push({ name, value: this.genValue() });
    }
  }

  /** gen-value: token / host (incl. IPv6 reference) / quoted-string. */
  genValue(): string {
    if (this.peek() === '"') return this.quoted(true);
    const v = this.run((c) => isTokenChar(c) || c === 58 || c === 91 || c === 93);
    if (v.length === 0) throw this.error(`expected parameter value at offset ${this.pos}`);
    return v;
  }
}

/** Serializes parameters as `;name=value`, validating what `params()` would accept. */
export function serializeParams(
  params: SipParam[],
  check: (p: SipParam) => boolean,
  field: string,
): string {
  let out = "";
  for (const p of params) {
    if (!check(p)) {
      throw new EncodeError(`Cannot serialize ${field}: bad parameter ${JSON.stringify(p)}`, {
        protocol: "sip",
        field,
      });
    }
    out += p.value === undefined ? `;${p.name}` : `;${p.name}=${p.value}`;
  }
  return out;
}

/** True when `p` would survive `TextScanner.params()` unchanged. */
export function isGenericParam(p: SipParam): boolean {
  if (typeof p.name !== "string" || !/^[A-Za-z0-9\-.!%*_+`'~]+$/.test(p.name)) return false;
  if (p.value === undefined) return true;
  if (typeof p.value !== "string") return false;
  if (/^[A-Za-z0-9\-.!%*_+`'~:[\]]+$/.test(p.value)) return true;
  return isQuotedString(p.value);
}

/** True when `text` is exactly one well-formed quoted-string without CR, LF or NUL. */
export function isQuotedString(text: string): boolean {
  if (text.length < 2 || text[0] !== '"' || text[text.length - 1] !== '"') return false;
  for (let i = 1; i < text.length - 1; i++) {
    const c = text.charCodeAt(i);
    if (c === 0 || c === 10 || c === 13) return false;
    if (c === 92) {
      i++;
      if (i >= text.length - 1) return false;
      const n = text.charCodeAt(i);
      if (n === 0 || n === 10 || n === 13) return false;
      continue;
    }
    if (c === 34) return false;
  }
  return true;
}

/**
 * Returns the value of the first parameter named `name` (case-insensitive):
 * the value string, `""` for a parameter without value, or `undefined` when
 * absent.
 *
 * @param params parameters as parsed
 * @param name parameter name, e.g. `"branch"`
 * @returns the value as written, `""` when valueless, `undefined` when absent
 */
export function getParam(params: SipParam[], name: string): string | undefined {
  const n = name.toLowerCase();
  for (const p of params) if (p.name.toLowerCase() === n) return p.value ?? "";
  return undefined;
}
