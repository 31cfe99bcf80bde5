/**
 * Frames of the local socket: length prefix, header, body
 * (docs/socket-protocol.md §2), and the stream framer that cuts frames out of
 * the bytes a stream socket delivers.
 *
 * @module
 */

import { ByteReader, ByteWriter } from "../../lib/bytes.ts";
import {
  FLAG_RESPONSE,
  FRAME_BYTES_MAX,
  FRAME_HEADER_BYTES,
  FRAME_PREFIX_BYTES,
  FRAME_PROTOCOL,
  FRAME_VERSION,
  MESSAGE_TYPE,
  MESSAGE_TYPE_DISCHARGE_REPORT_RESERVED,
} from "./constants.ts";
import { encodeError } from "./_fields.ts";
import { readRequestBody, writeRequestBody } from "./_requests.ts";
import { readResponseBody, writeResponseBody } from "./_responses.ts";
import type { Frame, MessageType, Side } from "./types.ts";

/** Which side originates the requests of each type (§3); the other side answers. */
export const REQUEST_SIDE: Readonly<Record<MessageType, Side>> = {
  SUBMIT: "client",
  CANCEL: "client",
  CHANGE_SRR: "client",
  STATUS: "client",
  QUERY: "client",
  REPLACE: "client",
  RH_REGISTER: "client",
  RH_SERVICE_STATE: "client",
  MT_DISCHARGE: "client",
  MT_FIND_IMSI: "core",
  MT_TRANSFER: "core",
  MT_CANCEL: "core",
  DELIVER_TO_PEER: "core",
};

const TYPE_BY_CODE = new Map<number, MessageType>(
  Object.entries(MESSAGE_TYPE).map(([name, code]) => [code, name as MessageType]),
);

/** Options of `decodeFrame` and `frameStream`. */
export interface FrameDecodeOptions {
  /**
   * The side that sent the bytes. When given, a request of a type the other
   * side originates, or a response to such a request, is malformed (§3).
   */
  from?: Side;
}

/**
 * Encodes a frame, length prefix included.
 *
 * @param frame the frame
 * @returns the bytes, at most `FRAME_BYTES_MAX`
 * @throws {EncodeError} on a value the wire cannot carry or a frame over `FRAME_BYTES_MAX`
 */
export function encodeFrame(frame: Frame): Uint8Array {
  scratch.truncate(0);
  encodeFrameInto(scratch, frame);
  return scratch.finish();
}

/** Reused by `encodeFrame`, which is synchronous, so that a frame costs one allocation. */
const scratch = new ByteWriter(FRAME_PROTOCOL, 1024);

/**
 * Appends a frame, length prefix included, to `w`: what a connection's output
 * buffer uses, so that frames queued for one write share one buffer. On an
 * error nothing is left appended.
 *
 * @param w the writer; the frame goes after what it holds
 * @param frame the frame
 * @throws {EncodeError} on a value the wire cannot carry or a frame over `FRAME_BYTES_MAX`
 */
export function encodeFrameInto(w: ByteWriter, frame: Frame): void {
  const message = frame.kind === "request" ? frame.request : frame.response;
  const code = MESSAGE_TYPE[message?.type];
  if (code === undefined) {
    throw encodeError("message type", `value ${JSON.stringify(message?.type)} is unknown`);
  }
  const start = w.length;
  try {
    w.u32(0, "length").u8(FRAME_VERSION, "version").u8(code, "message type");
    w.u8(frame.kind === "response" ? FLAG_RESPONSE : 0, "flags").u8(0, "spare");
    w.u32(frame.transactionId, "transaction id");
    if (frame.kind === "request") writeRequestBody(w, frame.request);
    else writeResponseBody(w, frame.response);
    const bytes = w.length - start;
    if (bytes > FRAME_BYTES_MAX) {
      throw encodeError("length", `frame of ${bytes} bytes exceeds ${FRAME_BYTES_MAX}`);
    }
    w.patchU32(start, bytes - FRAME_PREFIX_BYTES, "length");
  } catch (e) {
    w.truncate(start);
    throw e;
  }
}

/**
 * Decodes one whole frame, length prefix included; the length must cover the
 * rest of `bytes` exactly.
 *
 * @example
 * ```ts
 * import { decodeFrame } from "./mod.ts";
 * import { fromHex } from "../../lib/bytes.ts";
 * const f = decodeFrame(fromHex("00000008 01 04 00 00 00000007"));
 * // f = { kind: "request", transactionId: 7, request: { type: "STATUS" } }
 * ```
 *
 * @param bytes the frame
 * @param options the sending side, to check the direction
 * @returns the frame
 * @throws {DecodeError} on a bad length, version, type, flags, body or trailing bytes
 */
export function decodeFrame(bytes: Uint8Array, options: FrameDecodeOptions = {}): Frame {
  const r = new ByteReader(bytes, FRAME_PROTOCOL);
  const length = r.u32("length");
  if (length !== bytes.length - FRAME_PREFIX_BYTES) {
    throw r.error(
      "length",
      `Cannot decode frame: length ${length} but ${r.remaining} bytes follow`,
    );
  }
  checkLength(r, length, FRAME_BYTES_MAX);
  const version = r.u8("version");
  if (version !== FRAME_VERSION) {
    throw r.error("version", `Cannot decode frame: version ${version} is not ${FRAME_VERSION}`);
  }
  const code = r.u8("message type");
  const type = TYPE_BY_CODE.get(code);
  if (type === undefined) {
    const what = code === MESSAGE_TYPE_DISCHARGE_REPORT_RESERVED ? "reserved" : "unknown";
    throw r.error("message type", `Cannot decode frame: message type 0x${hex(code)} is ${what}`);
  }
  const flags = r.u8("flags");
  if ((flags & ~FLAG_RESPONSE) !== 0) {
    throw r.error("flags", `Cannot decode frame: spare flag bits set in 0x${hex(flags)}`);
  }
  if (r.u8("spare") !== 0) throw r.error("spare", "Cannot decode frame: spare octet is not 0");
  const transactionId = r.u32("transaction id");
  const isResponse = flags === FLAG_RESPONSE;
  checkDirection(r, type, isResponse, options.from);
  const frame: Frame = isResponse
    ? { kind: "response", transactionId, response: readResponseBody(r, type) }
    : { kind: "request", transactionId, request: readRequestBody(r, type) };
  if (!r.done) {
    throw r.error("body", `Cannot decode ${type}: ${r.remaining} trailing bytes after the body`);
  }
  return frame;
}

function hex(n: number): string {
  return n.toString(16).padStart(2, "0");
}

function checkLength(r: ByteReader, length: number, maxBytes: number): void {
  if (length < FRAME_HEADER_BYTES) {
    throw r.error(
      "length",
      `Cannot decode frame: length ${length} is below the header size ${FRAME_HEADER_BYTES}`,
    );
  }
  if (length + FRAME_PREFIX_BYTES > maxBytes) {
    throw r.error(
      "length",
      `Cannot decode frame: ${length + FRAME_PREFIX_BYTES} bytes exceed the maximum ${maxBytes}`,
    );
  }
}

function checkDirection(r: ByteReader, type: MessageType, isResponse: boolean, from?: Side) {
  if (from === undefined) return;
  const requester = REQUEST_SIDE[type];
  const expected = isResponse ? requester !== from : requester === from;
  if (!expected) {
    const kind = isResponse ? "response" : "request";
    throw r.error(
      "message type",
      `Cannot decode frame: a ${type} ${kind} may not come from ${from}`,
    );
  }
}

/** What `frameStream` found at the start of a buffer. */
export type FrameStreamResult = { frame: Frame; consumed: number } | { need: "more" };

/**
 * Cuts the first frame out of the bytes received so far on a stream. A length
 * prefix beyond `maxBytes` is rejected as soon as its 4 bytes are in, before
 * any of the body is buffered.
 *
 * @param buffer bytes received and not yet consumed
 * @param maxBytes the largest frame accepted, prefix included (at most `FRAME_BYTES_MAX`)
 * @param options the sending side, to check the direction
 * @returns the frame and the bytes it used, or `{ need: "more" }`
 * @throws {DecodeError} on a bad length or a malformed frame
 */
export function frameStream(
  buffer: Uint8Array,
  maxBytes: number = FRAME_BYTES_MAX,
  options: FrameDecodeOptions = {},
): FrameStreamResult {
  if (buffer.length < FRAME_PREFIX_BYTES) return { need: "more" };
  const r = new ByteReader(buffer, FRAME_PROTOCOL);
  const length = r.u32("length");
  checkLength(r, length, Math.min(maxBytes, FRAME_BYTES_MAX));
  const total = length + FRAME_PREFIX_BYTES;
  if (buffer.length < total) return { need: "more" };
  return { frame: decodeFrame(buffer.subarray(0, total), options), consumed: total };
}
