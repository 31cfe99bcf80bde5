/**
 * Small zeroed byte arrays carved from shared slabs, for packed and unpacked
 * septets. Private to codec/gsm0338 (codec/smpp and codec/pms keep their own
 * copy of this idea: a private file cannot be shared across folders).
 *
 * Why: in Deno every new `ArrayBuffer` costs about 0.4 µs whatever its size,
 * a view of an existing one a tenth of that, and every SM submitted in GSM
 * 7 bit is packed once. Each array owns its bytes alone, but its `buffer` is
 * the slab: honour `byteOffset`, never transfer or detach it. A kept array
 * pins its slab, so slabs are small.
 *
 * @module
 */

const SLAB_BYTES = 4096;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabUsedBytes = 0;

/**
 * Returns `size` zeroed bytes in pooled memory.
 *
 * @param size octets
 * @returns a zeroed array of that length
 */
export function pooledBytes(size: number): Uint8Array {
  if (size > SLAB_BYTES - slabUsedBytes) {
    if (size > SLAB_BYTES / 4) return new Uint8Array(size);
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsedBytes = 0;
  }
  const out = new Uint8Array(slab, slabUsedBytes, size);
  // 8-byte steps keep every array aligned for any reader of it.
  slabUsedBytes += (size + 7) & ~7;
  return out;
}
