/**
 * The error kinds of the project (STYLE.md §4).
 *
 * - `AssertionError` for programmer errors: the process dies and runit restarts it.
 * - `DecodeError` / `EncodeError` for bad bytes from outside and for values that
 *   cannot be put on the wire. `DecodeError.cause` may carry the protocol code
 *   the receiving side should answer with (RP cause, SMPP command_status, SIP status).
 * - `ConfigError` names the dotted key; `UsageError` is a bad command line.
 *
 * @module
 */

/** An invariant of our own code was broken. Never raised for peer input. */
export class AssertionError extends Error {
  override name = "AssertionError";
}

/**
 * Throws `AssertionError` when `condition` is false.
 *
 * @param condition the invariant that must hold
 * @param message what was expected, in the "Cannot …" style
 * @throws {AssertionError} when the condition is false
 */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}

/** Options shared by `DecodeError` and `EncodeError`. */
export interface CodecErrorOptions {
  /** Protocol layer, e.g. `"tpdu"`, `"rp"`, `"sip"`, `"smpp"`. */
  protocol: string;
  /** The spec's name of the field that failed, e.g. `"TP-UDL"`. */
  field?: string;
  /** Byte offset in the input where the failure was detected. */
  offset?: number;
  /** Protocol code the peer should be answered with (RP cause, SIP status …). */
  code?: number;
}

/**
 * Malformed input from outside. Extends `SyntaxError` as std's decoders do, so
 * that callers can tell it from programmer errors (`TypeError`, `RangeError`).
 */
export class DecodeError extends SyntaxError {
  override name = "DecodeError";
  readonly protocol: string;
  readonly field?: string;
  readonly offset?: number;
  readonly code?: number;

  constructor(message: string, options: CodecErrorOptions) {
    super(message);
    this.protocol = options.protocol;
    this.field = options.field;
    this.offset = options.offset;
    this.code = options.code;
  }
}

/** A value that cannot be represented on the wire (too long, out of range …). */
export class EncodeError extends RangeError {
  override name = "EncodeError";
  readonly protocol: string;
  readonly field?: string;
  readonly code?: number;

  constructor(message: string, options: CodecErrorOptions) {
    super(message);
    this.protocol = options.protocol;
    this.field = options.field;
    this.code = options.code;
  }
}

/** A bad configuration value; `key` is the dotted path, e.g. `"uplink.port"`. */
export class ConfigError extends Error {
  override name = "ConfigError";
  readonly key: string;

  constructor(key: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.key = key;
  }
}

/** A bad command line: unknown option, missing argument, bad value. */
export class UsageError extends Error {
  override name = "UsageError";
}
