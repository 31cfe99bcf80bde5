/**
 * Request-Line and Status-Line, RFC 3261 §7.1 and §7.2. Private to this
 * folder.
 *
 * @module
 */

import { hasBareControl, isToken } from "./_chars.ts";
import { sipError } from "./_header_section.ts";
import {
  SIP_VERSION,
  STATUS_BAD_REQUEST,
  STATUS_CODE_MAX,
  STATUS_CODE_MIN,
  STATUS_VERSION_NOT_SUPPORTED,
} from "./constants.ts";
import { isAbsoluteUri, parseSipUri } from "./uri.ts";

/** The parsed start line; `kind` tells which fields are set. */
export type StartLine =
  | { kind: "request"; method: string; uri: string; version: string }
  | { kind: "response"; version: string; status: number; reason: string };

/** SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT, "SIP" case-insensitive (RFC 3261 §25.1). */
const VERSION = /^SIP\/[0-9]+\.[0-9]+$/i;

function checkVersion(version: string, offset: number): void {
  if (!VERSION.test(version)) {
    throw sipError("SIP-Version", `"${version}" is not a SIP-Version`, offset, STATUS_BAD_REQUEST);
  }
  // RFC 3261 §21.5.6: 505 for a version we do not support.
  if (version.toUpperCase() !== SIP_VERSION) {
    throw sipError(
      "SIP-Version",
      `version "${version}" is not supported`,
      offset,
      STATUS_VERSION_NOT_SUPPORTED,
    );
  }
}

/**
 * Checks a Request-URI: sip, sips and tel must parse, and a SIP Request-URI
 * must not carry headers (RFC 3261 §19.1.1 table: headers are "not allowed"
 * in the Request-URI; RFC 4475 §3.1.2.11). Other schemes only need to look
 * like an absoluteURI; the server then answers 416.
 */
export function checkRequestUri(uri: string, offset: number): void {
  if (/^(sips?|tel):/i.test(uri)) {
    let parsed;
    try {
      parsed = parseSipUri(uri, "Request-URI");
    } catch (e) {
      throw sipError("Request-URI", (e as Error).message, offset, STATUS_BAD_REQUEST);
    }
    if (parsed.scheme !== "tel" && parsed.headers.length > 0) {
      throw sipError(
        "Request-URI",
        "headers are not allowed in a Request-URI",
        offset,
        STATUS_BAD_REQUEST,
      );
    }
    return;
  }
  if (!isAbsoluteUri(uri)) {
    throw sipError("Request-URI", `"${uri}" is not an absolute URI`, offset, STATUS_BAD_REQUEST);
  }
}

function parseStatusLine(line: string, offset: number): StartLine {
  const sp1 = line.indexOf(" ");
  const version = sp1 < 0 ? line : line.slice(0, sp1);
  checkVersion(version, offset);
  // Status-Code is exactly 3DIGIT followed by SP (the Reason-Phrase may be empty).
  const code = line.slice(sp1 + 1, sp1 + 4);
  if (sp1 < 0 || !/^[0-9]{3}$/.test(code) || line[sp1 + 4] !== " ") {
    throw sipError(
      "Status-Code",
      "Status-Code is not 3 digits followed by SP",
      offset + sp1 + 1,
      STATUS_BAD_REQUEST,
    );
  }
  const status = Number(code);
  if (status < STATUS_CODE_MIN || status > STATUS_CODE_MAX) {
    throw sipError(
      "Status-Code",
      `Status-Code ${status} is not 100-699`,
      offset + sp1 + 1,
      STATUS_BAD_REQUEST,
    );
  }
  const reason = line.slice(sp1 + 5);
  if (hasBareControl(reason)) {
    throw sipError(
      "Reason-Phrase",
      "control character in Reason-Phrase",
      offset + sp1 + 5,
      STATUS_BAD_REQUEST,
    );
  }
  return { kind: "response", version, status, reason };
}

function parseRequestLine(line: string, offset: number): StartLine {
  const parts = line.split(" ");
  // Exactly one SP between elements and none at the end (RFC 3261 §7.1;
  // RFC 4475 §3.1.2.8-3.1.2.10 show the ways this goes wrong).
  if (parts.length !== 3 || parts.some((p) => p === "")) {
    throw sipError(
      "Request-Line",
      "Request-Line is not Method SP Request-URI SP SIP-Version",
      offset,
      STATUS_BAD_REQUEST,
    );
  }
  const [method, uri, version] = parts;
  if (!isToken(method)) {
    throw sipError("Method", `Method "${method}" is not a token`, offset, STATUS_BAD_REQUEST);
  }
  const uriOffset = offset + method.length + 1;
  checkVersion(version, uriOffset + uri.length + 1);
  checkRequestUri(uri, uriOffset);
  return { kind: "request", method, uri, version };
}

/**
 * Parses a start line. A line whose first word starts with "SIP/" is a
 * Status-Line; anything else must be a Request-Line (a Method cannot hold "/").
 *
 * @throws {DecodeError} 400 on malformed syntax, 505 on another SIP version
 */
export function parseStartLine(line: string, offset: number): StartLine {
  if (line === "") {
    throw sipError("start-line", "missing start line", offset, STATUS_BAD_REQUEST);
  }
  if (hasBareControl(line)) {
    throw sipError("start-line", "control character in start line", offset, STATUS_BAD_REQUEST);
  }
  if (/^SIP\//i.test(line)) return parseStatusLine(line, offset);
  return parseRequestLine(line, offset);
}
