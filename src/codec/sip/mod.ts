/**
 * SIP message codec: RFC 3261 (June 2002) §7 message syntax, §18.3 stream
 * framing, §19.1 URIs, §20 header fields and the §25 ABNF, as used for SMS
 * over IP (3GPP TS 24.341: MESSAGE carrying `application/vnd.3gpp.sms`, and
 * REGISTER) over TCP and over WebSocket (RFC 7118, one message per frame).
 *
 * - `parseSipMessage` / `serializeSipMessage`: one complete message. Header
 *   fields keep their order, names and text, so that serializing a parsed
 *   well-formed message gives back the same bytes. The body stays raw bytes.
 * - `frameSipStream` / `SipStreamFramer`: cut a TCP stream into messages.
 * - `checkMandatoryHeaders`: RFC 3261 §8.1.1 header presence and syntax.
 * - Structured values: `parseSipUri`, `parseVia`, `parseNameAddr`,
 *   `parseContact`, `parseCSeq`, `parseContentType`, `parseContentLength`,
 *   `parseMaxForwards`, with serializers.
 * - Accessors: `findHeaders`, `getHeaderValue`, `getHeaderValues` see through
 *   case, compact forms (RFC 3261 §7.3.3) and comma lists.
 *
 * Every error is a `DecodeError` with protocol "sip", `field` naming the
 * part (a header name, "Request-Line", "Request-URI", "SIP-Version",
 * "Status-Code", "message-header", "message-body"...) and `code` the status
 * to answer with.
 *
 * Limits (what it rejects):
 * - A header section over `maxHeaderBytes` (default 16384) or with more than
 *   `maxHeaders` (128) fields: 513. A body over `maxBodyBytes` (65536): 413.
 * - NUL anywhere in the header section, even inside a quoted-pair where the
 *   RFC 3261 grammar allows it (RFC 4475 §3.1.1.2 is therefore refused): 400.
 * - Header text that is not valid UTF-8: 400.
 * - A start line with more than one SP between elements or trailing SP, a
 *   Request-URI in angle brackets or with headers: 400. A version other than
 *   SIP/2.0: 505.
 * - Content-Length that is not digits, disagrees with a repeated one, or
 *   exceeds the bytes received: 400. No Content-Length on a stream: 400.
 * - Leading CRLFs are not skipped by `parseSipMessage` (the framer consumes
 *   them as keep-alives). Bare LF line ends are accepted but re-serialized as CRLF.
 * - Not checked: Date, Expires, Warning and other header grammars beyond the
 *   ones named above; multipart bodies; `%HH` unescaping.
 *
 * @module
 */

export { SIP_VERSION } from "./constants.ts";
export { type ParsedUri, parseSipUri, serializeSipUri, type SipUri, type TelUri } from "./uri.ts";
export { getParam, type SipParam } from "./_scanner.ts";
export {
  expandCompactForm,
  findHeaders,
  getHeaderValue,
  getHeaderValues,
  type HasHeaders,
  headerKey,
  type SipHeader,
  splitHeaderValues,
  unfoldHeaderValue,
} from "./headers.ts";
export { parseVia, serializeVia, type Via } from "./via.ts";
export { type NameAddr, parseContact, parseNameAddr, serializeNameAddr } from "./name_addr.ts";
export {
  type ContentType,
  type CSeq,
  parseContentLength,
  parseContentType,
  parseCSeq,
  parseMaxForwards,
  serializeContentType,
  serializeCSeq,
} from "./fields.ts";
export {
  parseSipMessage,
  serializeSipMessage,
  type SipLimits,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from "./message.ts";
export { frameSipStream, type SipFrame, SipStreamFramer } from "./framing.ts";
export {
  checkMandatoryHeaders,
  type MandatoryHeaders,
  type MandatoryOptions,
} from "./mandatory.ts";
