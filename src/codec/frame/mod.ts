/**
 * The local socket protocol between core and every other component
 * (docs/socket-protocol.md; seed §2.5, ARCHITECTURE §3): length-prefixed
 * binary frames over a Unix stream socket, each a request or a response
 * matched by transaction id, requests in both directions. SMs travel as their
 * 256-byte PMS record, which this codec treats as opaque bytes.
 *
 * All integers are big-endian. `decodeFrame` takes a whole frame, length
 * prefix included; `frameStream` cuts frames out of a stream buffer.
 *
 * Limits (what the decoders reject with `DecodeError`):
 * - a length below the 8-byte header or a frame above `FRAME_BYTES_MAX`
 *   (or the caller's smaller bound), or a length that does not match the bytes;
 * - a version other than 1, an unknown or reserved message type, spare flag
 *   bits or a non-zero spare octet;
 * - with `options.from`, a request or response in the wrong direction;
 * - a body that is short, has trailing bytes, an unknown result, role, target
 *   form, submit flag or QUERY state, a boolean other than 0/1, a record
 *   index or a time above 2^53 - 1, a record that is not 256 bytes, or text
 *   outside its alphabet and length bounds (peer names `A-Za-z0-9._-` up to
 *   32; MSISDN 1-20 digits; IMSI 6-15 digits; reason and failure texts
 *   printable ASCII up to 255).
 *
 * @module
 */

export * from "./constants.ts";
export * from "./reasons.ts";
export * from "./admission.ts";
export type * from "./types.ts";
export { RESULT_CODES } from "./_responses.ts";
export {
  decodeFrame,
  encodeFrame,
  encodeFrameInto,
  type FrameDecodeOptions,
  frameStream,
  type FrameStreamResult,
  REQUEST_SIDE,
} from "./frame.ts";
