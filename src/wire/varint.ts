/**
 * Protobuf varints and field tags as protobuf-es 2.x reads them, for the hand-written readers
 * that must agree with it bit for bit (the quality reader `event/fast_quality.ts` and the header
 * peek `header_peek.ts`): one home for these rules, so the two readers cannot drift apart.
 *
 * It allocates nothing and returns positions, not objects: the readers call it for every field,
 * so the value goes into the module scratch {@linkcode varint64}.
 * @module
 */

/**
 * The last varint {@linkcode readVarint64} read, as protobuf-es holds it: two 32-bit halves;
 * after {@linkcode readTag}, `lo` is the tag.
 */
export const varint64 = {
  /** The low 32 bits (as a signed 32-bit number; `lo >>> 0` is protobuf-es `uint32()`). */
  lo: 0,
  /** The high 32 bits, two's complement: negative for a negative int64. */
  hi: 0,
};

/**
 * Reads the varint at `pos` of `bytes` into {@linkcode varint64}, as protobuf-es
 * `varint64read()` does: at most 10 bytes, bits beyond the 64th dropped. Returns the position
 * after it, or -1 when it is cut short by the end of `bytes` or longer than 10 bytes (where
 * protobuf-es throws); {@linkcode varint64} is then left as it was.
 */
export function readVarint64(bytes: Uint8Array, pos: number): number {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < 10; i++) {
    if (pos >= bytes.length) return -1;
    const b = bytes[pos++];
    if (i < 4) lo |= (b & 0x7f) << (7 * i);
    else if (i === 4) { // the 5th byte straddles the halves: 4 bits low, 3 bits high
      lo |= (b & 0x0f) << 28;
      hi = (b & 0x70) >> 4;
    } else hi |= (b & 0x7f) << (7 * i - 32);
    if (b < 0x80) {
      varint64.lo = lo;
      varint64.hi = hi;
      return pos;
    }
  }
  return -1;
}

/**
 * Reads the field tag at `pos` of `bytes` into `varint64.lo` (field number << 3 | wire type), as
 * protobuf-es `tag()` accepts it: at most 5 bytes, within uint32, a field number above 0 and a
 * wire type up to 5. Returns the position after it, or -1 where protobuf-es throws.
 */
export function readTag(bytes: Uint8Array, pos: number): number {
  if (pos < bytes.length && bytes[pos] < 0x80) { // one byte: the tag of every field below 16
    const tag = bytes[pos];
    if (tag >>> 3 === 0 || (tag & 7) > 5) return -1;
    varint64.lo = tag;
    return pos + 1;
  }
  const next = readVarint64(bytes, pos);
  // A 5th byte over 0x0f sets bits of `hi`: the tag is over uint32.
  if (next < 0 || next - pos > 5 || varint64.hi !== 0) return -1;
  const tag = varint64.lo >>> 0;
  if (tag >>> 3 === 0 || (tag & 7) > 5) return -1;
  varint64.lo = tag;
  return next;
}
