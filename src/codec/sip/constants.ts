/**
 * Constants of RFC 3261 (SIP) and the extensions that define compact header
 * names. Each constant names the section it comes from.
 *
 * @module
 */

/** The only protocol version we speak, RFC 3261 §7.1 ("SIP/2.0"). */
export const SIP_VERSION = "SIP/2.0";

/** 400 Bad Request, RFC 3261 §21.4.1: malformed syntax. */
export const STATUS_BAD_REQUEST = 400;
/** 413 Request Entity Too Large, RFC 3261 §21.4.11: body beyond our limit. */
export const STATUS_ENTITY_TOO_LARGE = 413;
/** 505 Version Not Supported, RFC 3261 §21.5.6. */
export const STATUS_VERSION_NOT_SUPPORTED = 505;
/** 513 Message Too Large, RFC 3261 §21.5.7: header section beyond our limits. */
export const STATUS_MESSAGE_TOO_LARGE = 513;

/** Lowest and highest Status-Code, RFC 3261 §7.2 (classes 1xx-6xx). */
export const STATUS_CODE_MIN = 100;
export const STATUS_CODE_MAX = 699;

/** Max-Forwards is "an integer in the range 0-255", RFC 3261 §20.22. */
export const MAX_FORWARDS_MAX = 255;
/** CSeq "MUST be expressible as a 32-bit unsigned integer", RFC 3261 §8.1.1.5. */
export const CSEQ_MAX = 0xffffffff;

/**
 * Compact header names (RFC 3261 §7.3.3 and the IANA "Header Fields"
 * registry), lower-case letter to the long name in its conventional case.
 */
export const COMPACT_FORMS: Readonly<Record<string, string>> = {
  a: "Accept-Contact", // RFC 3841 §9.1
  b: "Referred-By", // RFC 3892 §3
  c: "Content-Type", // RFC 3261 §20.15
  d: "Request-Disposition", // RFC 3841 §9.1
  e: "Content-Encoding", // RFC 3261 §20.12
  f: "From", // RFC 3261 §20.20
  i: "Call-ID", // RFC 3261 §20.8
  j: "Reject-Contact", // RFC 3841 §9.1
  k: "Supported", // RFC 3261 §20.37
  l: "Content-Length", // RFC 3261 §20.14
  m: "Contact", // RFC 3261 §20.10
  n: "Identity-Info", // RFC 4474 §9.1 (obsoleted by RFC 8224, name still registered)
  o: "Event", // RFC 6665 §8.2.1
  r: "Refer-To", // RFC 3515 §2.1
  s: "Subject", // RFC 3261 §20.36
  t: "To", // RFC 3261 §20.39
  u: "Allow-Events", // RFC 6665 §8.2.2
  v: "Via", // RFC 3261 §20.42
  x: "Session-Expires", // RFC 4028 §4
  y: "Identity", // RFC 8224 §4
};

/**
 * Header fields whose grammar is a comma-separated list (RFC 3261 §7.3.1:
 * "Multiple header field rows with the same field-name MAY be present ... if
 * and only if the entire field-value for that header field is defined as a
 * comma-separated list"). Lower-case long names. Authorization-like headers
 * are absent on purpose: their commas separate auth-params, not values.
 */
export const LIST_HEADERS: ReadonlySet<string> = new Set([
  "accept",
  "accept-contact",
  "accept-encoding",
  "accept-language",
  "alert-info",
  "allow",
  "allow-events",
  "call-info",
  "contact",
  "content-encoding",
  "content-language",
  "error-info",
  "in-reply-to",
  "p-asserted-identity",
  "p-associated-uri",
  "p-preferred-identity",
  "path",
  "proxy-require",
  "reason",
  "record-route",
  "reject-contact",
  "request-disposition",
  "require",
  "route",
  "security-client",
  "security-server",
  "security-verify",
  "service-route",
  "supported",
  "unsupported",
  "via",
  "warning",
]);

/** Defaults for {@link SipLimits}: generous for SMS, small enough for a hostile peer. */
export const DEFAULT_MAX_HEADER_BYTES = 16384;
export const DEFAULT_MAX_BODY_BYTES = 65536;
export const DEFAULT_MAX_HEADERS = 128;
