/**
 * Character classes of the RFC 3261 §25.1 grammar, as a lookup table.
 *
 * @module
 */

const ALNUM = 1;
const TOKEN = 2; // token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
const UNRESERVED = 4; // unreserved = alphanum / mark
const USER = 8; // user-unreserved = "&" / "=" / "+" / "$" / "," / ";" / "?" / "/"
const PASSWORD = 16; // "&" / "=" / "+" / "$" / ","
const PARAM = 32; // param-unreserved = "[" / "]" / "/" / ":" / "&" / "+" / "$"
const HNV = 64; // hnv-unreserved = "[" / "]" / "/" / "?" / ":" / "+" / "$"
const WORD = 128; // word = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" / "(" / ")" / "<" / ">" / ":" / "\" / DQUOTE / "/" / "[" / "]" / "?" / "{" / "}")

const TABLE = new Uint8Array(128);
function mark(chars: string, flag: number): void {
  for (const c of chars) TABLE[c.charCodeAt(0)] |= flag;
}
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9]/.test(ch)) TABLE[c] |= ALNUM | TOKEN | UNRESERVED | WORD;
}
mark("-.!%*_+`'~", TOKEN);
mark("-_.!~*'()", UNRESERVED); // mark, RFC 3261 §25.1
mark("&=+$,;?/", USER);
mark("&=+$,", PASSWORD);
mark("[]/:&+$", PARAM);
mark("[]/?:+$", HNV);
mark("-.!%*_+`'~()<>:\\\"/[]?{}", WORD);

function has(code: number, flag: number): boolean {
  return code < 128 && (TABLE[code] & flag) !== 0;
}

/** True for a `token` character, RFC 3261 §25.1. */
export function isTokenChar(code: number): boolean {
  return has(code, TOKEN);
}

/** True when `text` is a non-empty `token`. */
export function isToken(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) if (!has(text.charCodeAt(i), TOKEN)) return false;
  return true;
}

/** True when `text` is a non-empty `word` (Call-ID parts), RFC 3261 §25.1. */
export function isWord(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) if (!has(text.charCodeAt(i), WORD)) return false;
  return true;
}

function isHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

/**
 * True when every character of `text` is unreserved, one of `extra`'s
 * classes, or an `escaped` triplet ("%" HEX HEX). Empty text passes.
 */
function escapedRun(text: string, flags: number): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 37) {
      if (!isHex(text.charCodeAt(i + 1)) || !isHex(text.charCodeAt(i + 2))) return false;
      i += 2;
      continue;
    }
    if (!has(c, UNRESERVED | flags)) return false;
  }
  return true;
}

/** `user` of a SIP-URI, RFC 3261 §25.1 (non-empty). */
export function isUriUser(text: string): boolean {
  return text.length > 0 && escapedRun(text, USER);
}

/** `password` of a SIP-URI, RFC 3261 §25.1 (may be empty). */
export function isUriPassword(text: string): boolean {
  return escapedRun(text, PASSWORD);
}

/** `pname` / `pvalue` of a uri-parameter, RFC 3261 §25.1 (non-empty). */
export function isUriParamText(text: string): boolean {
  return text.length > 0 && escapedRun(text, PARAM);
}

/** `hname` / `hvalue` of a URI header, RFC 3261 §25.1 (`allowEmpty` for hvalue). */
export function isUriHeaderText(text: string, allowEmpty: boolean): boolean {
  return (allowEmpty || text.length > 0) && escapedRun(text, HNV);
}

/** True for ASCII digits only, non-empty. */
export function isDigits(text: string): boolean {
  return /^[0-9]+$/.test(text);
}

/**
 * True when `text` holds a control character other than HTAB that is not
 * protected by a preceding backslash (quoted-pair, RFC 3261 §25.1). NUL is
 * never allowed.
 */
export function hasBareControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 9) continue;
    if (c < 0x20 || c === 0x7f) {
      if (c === 0 || c === 10 || c === 13 || text.charCodeAt(i - 1) !== 92) return true;
    }
  }
  return false;
}
