/**
 * Bounds-checked cursors over `Uint8Array`, and hex helpers.
 *
 * Every codec reads through `ByteReader`, which throws `DecodeError` on any
 * overrun, so that a length field from a peer can never make us read past the
 * input (see the Kamailio anti-pattern in STYLE.md). `ByteWriter` grows as
 * needed and never exposes uninitialised bytes.
 *
 * @module
 */

import { DecodeError, EncodeError } from "./errors.ts";

/** A forward-only reader that throws `DecodeError` on overrun. */
export class ByteReader {
  readonly bytes: Uint8Array;
  readonly protocol: string;
  #offset: number;
  readonly #end: number;

  /**
   * @param bytes the input; not copied
   * @param protocol the protocol name put into errors
   * @param offset where to start
   * @param end one past the last byte that may be read (default: the end)
   */
  constructor(bytes: Uint8Array, protocol: string, offset = 0, end = bytes.length) {
    this.bytes = bytes;
    this.protocol = protocol;
    this.#offset = offset;
    this.#end = end;
  }

  /** Current offset from the start of `bytes`. */
  get offset(): number {
    return this.#offset;
  }

  /** Bytes left before the end. */
  get remaining(): number {
    return this.#end - this.#offset;
  }

  /** True when every byte has been consumed. */
  get done(): boolean {
    return this.#offset >= this.#end;
  }

  /** Throws unless `count` more bytes are available for `field`. */
  need(count: number, field: string): void {
    if (count < 0 || count > this.remaining) {
      throw new DecodeError(
        `Cannot decode ${field}: needs ${count} bytes but ${this.remaining} remain`,
        { protocol: this.protocol, field, offset: this.#offset },
      );
    }
  }

  /** Reads one octet. */
  u8(field: string): number {
    this.need(1, field);
    return this.bytes[this.#offset++];
  }

  /** Reads a big-endian 16-bit unsigned integer. */
  u16(field: string): number {
    this.need(2, field);
    const v = (this.bytes[this.#offset] << 8) | this.bytes[this.#offset + 1];
    this.#offset += 2;
    return v;
  }

  /** Reads a big-endian 32-bit unsigned integer. */
  u32(field: string): number {
    this.need(4, field);
    const b = this.bytes;
    const o = this.#offset;
    const v = ((b[o] << 24) >>> 0) + (b[o + 1] << 16) + (b[o + 2] << 8) + b[o + 3];
    this.#offset += 4;
    return v;
  }

  /** Returns the next octet without consuming it. */
  peek(field: string): number {
    this.need(1, field);
    return this.bytes[this.#offset];
  }

  /** Reads `count` bytes as a copy. */
  take(count: number, field: string): Uint8Array {
    this.need(count, field);
    const out = this.bytes.slice(this.#offset, this.#offset + count);
    this.#offset += count;
    return out;
  }

  /**
   * Returns the next `count` bytes as a view, without copying: for values
   * that are read at once and never kept (the caller must not hold on to it,
   * since it shares the input's memory).
   */
  view(count: number, field: string): Uint8Array {
    this.need(count, field);
    const out = this.bytes.subarray(this.#offset, this.#offset + count);
    this.#offset += count;
    return out;
  }

  /** Reads every remaining byte as a copy. */
  rest(): Uint8Array {
    const out = this.bytes.slice(this.#offset, this.#end);
    this.#offset = this.#end;
    return out;
  }

  /** Skips `count` bytes. */
  skip(count: number, field: string): void {
    this.need(count, field);
    this.#offset += count;
  }

  /**
   * Returns a reader over the next `count` bytes and advances past them; the
   * sub-reader cannot read beyond them.
   */
  sub(count: number, field: string): ByteReader {
    this.need(count, field);
    const r = new ByteReader(this.bytes, this.protocol, this.#offset, this.#offset + count);
    this.#offset += count;
    return r;
  }

  /** Builds a `DecodeError` at the current offset. */
  error(field: string, message: string, code?: number): DecodeError {
    return new DecodeError(message, { protocol: this.protocol, field, offset: this.#offset, code });
  }
}

/** An append-only byte buffer that grows as needed. */
export class ByteWriter {
  #buf: Uint8Array;
  #length = 0;
  readonly protocol: string;

  constructor(protocol: string, capacity = 64) {
    this.protocol = protocol;
    this.#buf = new Uint8Array(capacity);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#length;
  }

  #reserve(count: number): void {
    if (this.#length + count <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#length + count) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#length));
    this.#buf = next;
  }

  #range(value: number, max: number, field: string): void {
    if (!Number.isInteger(value) || value < 0 || value > max) {
      throw new EncodeError(`Cannot encode ${field}: value ${value} is outside 0-${max}`, {
        protocol: this.protocol,
        field,
      });
    }
  }

  /** Appends one octet; throws `EncodeError` outside 0-255. */
  u8(value: number, field: string): this {
    this.#range(value, 0xff, field);
    this.#reserve(1);
    this.#buf[this.#length++] = value;
    return this;
  }

  /** Appends a big-endian 16-bit unsigned integer. */
  u16(value: number, field: string): this {
    this.#range(value, 0xffff, field);
    this.#reserve(2);
    this.#buf[this.#length++] = value >>> 8;
    this.#buf[this.#length++] = value & 0xff;
    return this;
  }

  /** Appends a big-endian 32-bit unsigned integer. */
  u32(value: number, field: string): this {
    this.#range(value, 0xffffffff, field);
    this.#reserve(4);
    this.#buf[this.#length++] = value >>> 24;
    this.#buf[this.#length++] = (value >>> 16) & 0xff;
    this.#buf[this.#length++] = (value >>> 8) & 0xff;
    this.#buf[this.#length++] = value & 0xff;
    return this;
  }

  /** Appends bytes. */
  bytes(data: Uint8Array): this {
    this.#reserve(data.length);
    this.#buf.set(data, this.#length);
    this.#length += data.length;
    return this;
  }

  /** Overwrites one octet already written at `offset` (for length fields). */
  patchU8(offset: number, value: number, field: string): this {
    this.#range(value, 0xff, field);
    if (offset < 0 || offset >= this.#length) {
      throw new RangeError(`Cannot patch ${field}: offset ${offset} not yet written`);
    }
    this.#buf[offset] = value;
    return this;
  }

  /** Overwrites a big-endian u32 already written at `offset` (for length prefixes). */
  patchU32(offset: number, value: number, field: string): this {
    this.#range(value, 0xffffffff, field);
    if (offset < 0 || offset + 4 > this.#length) {
      throw new RangeError(`Cannot patch ${field}: offset ${offset} not yet written`);
    }
    const b = this.#buf;
    b[offset] = value >>> 24;
    b[offset + 1] = (value >>> 16) & 0xff;
    b[offset + 2] = (value >>> 8) & 0xff;
    b[offset + 3] = value & 0xff;
    return this;
  }

  /** Drops everything written after the first `length` bytes (undoes a failed append). */
  truncate(length: number): this {
    if (length < 0 || length > this.#length) {
      throw new RangeError(`Cannot truncate to ${length}: ${this.#length} bytes written`);
    }
    this.#length = length;
    return this;
  }

  /**
   * The bytes written so far as a view, without copying: valid only until the
   * next write, `truncate` or growth (a writer reused as an output buffer).
   */
  written(): Uint8Array {
    return this.#buf.subarray(0, this.#length);
  }

  /** Returns a copy of the bytes written. */
  finish(): Uint8Array {
    return this.#buf.slice(0, this.#length);
  }
}

const HEX = "0123456789abcdef";

/** Lower-case hex of `bytes`, no separators. */
export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += HEX[b >> 4] + HEX[b & 15];
  return s;
}

/**
 * Parses hex text. White space, `:` and `-` separators are ignored, as are
 * upper/lower case differences; a `0x` prefix is accepted.
 *
 * @throws {DecodeError} on an odd digit count or a non-hex character
 */
export function fromHex(text: string): Uint8Array {
  let t = text.replace(/[\s:-]/g, "");
  if (t.startsWith("0x") || t.startsWith("0X")) t = t.slice(2);
  if (t.length % 2 !== 0) {
    throw new DecodeError(`Cannot decode hex: odd number of digits (${t.length})`, {
      protocol: "hex",
    });
  }
  const out = new Uint8Array(t.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = HEX.indexOf(t[2 * i].toLowerCase());
    const lo = HEX.indexOf(t[2 * i + 1].toLowerCase());
    if (hi < 0 || lo < 0) {
      throw new DecodeError(`Cannot decode hex: invalid character at position ${2 * i}`, {
        protocol: "hex",
        offset: 2 * i,
      });
    }
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/** True when both arrays hold the same bytes. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Joins byte arrays into one new array.
 *
 * @param parts the arrays, in order
 * @returns their concatenation (a copy, even of a single part)
 */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Bytes per slab of the byte pool. Small, because a kept array pins its whole
 * slab (a decoded short message kept for the length of a session, say).
 */
const POOL_SLAB_BYTES = 4096;
let poolSlab = new ArrayBuffer(POOL_SLAB_BYTES);
let poolSlabUsedBytes = 0;

/**
 * Returns `size` zeroed bytes carved from a shared slab, as Node's `Buffer`
 * pool does: creating an `ArrayBuffer` costs this Deno about 0.4 µs whatever
 * its size, a view of an existing one a tenth of that, and the codecs return
 * several small arrays per message (docs/decisions/004). The array owns its
 * bytes alone, but its `buffer` is the slab: honour `byteOffset`, and never
 * transfer or detach it. Arrays over a quarter of a slab get a buffer of
 * their own.
 *
 * @param size octets
 * @returns a zeroed array of that length
 */
export function pooledBytes(size: number): Uint8Array {
  if (size > POOL_SLAB_BYTES - poolSlabUsedBytes) {
    if (size > POOL_SLAB_BYTES / 4) return new Uint8Array(size);
    poolSlab = new ArrayBuffer(POOL_SLAB_BYTES);
    poolSlabUsedBytes = 0;
  }
  const out = new Uint8Array(poolSlab, poolSlabUsedBytes, size);
  // 8-byte steps keep every array aligned for any reader of it.
  poolSlabUsedBytes += (size + 7) & ~7;
  return out;
}

/**
 * Returns a copy of `bytes` in pooled memory (see `pooledBytes`).
 *
 * @param bytes what to copy
 * @returns an array of the same length and content, sharing no bytes with `bytes`
 */
export function pooledCopy(bytes: Uint8Array): Uint8Array {
  const out = pooledBytes(bytes.length);
  out.set(bytes);
  return out;
}
