const PRIME1 = 0x9e3779b1;
const PRIME2 = 0x85ebca77;
const PRIME3 = 0xc2b2ae3d;
const PRIME4 = 0x27d4eb2f;
const PRIME5 = 0x165667b1;

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

/** XXH32 with seed 0 of fewer than 16 bytes: all an LZ4 frame descriptor ever is. */
export function xxh32Short(buf: Buffer, start: number, end: number): number {
  const len = end - start;
  let h = (PRIME5 + len) | 0;
  let p = start;
  for (; p + 4 <= end; p += 4) {
    h = (h + Math.imul(buf.readUInt32LE(p), PRIME3)) | 0;
    h = Math.imul(rotl(h, 17), PRIME4);
  }
  for (; p < end; p++) {
    h = (h + Math.imul(buf[p]!, PRIME5)) | 0;
    h = Math.imul(rotl(h, 11), PRIME1);
  }
  h ^= h >>> 15;
  h = Math.imul(h, PRIME2);
  h ^= h >>> 13;
  h = Math.imul(h, PRIME3);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Kafka before 0.10 (message format v0) computed the LZ4 frame descriptor checksum over the
 * magic number too, so standard decoders reject those frames. This returns a copy with the
 * descriptor checksum recomputed per the LZ4 frame spec; input that is not an LZ4 frame is
 * returned unchanged for the decoder to reject.
 */
export function fixLegacyLz4HeaderChecksum(frame: Buffer): Buffer {
  if (frame.length < 7 || frame.readUInt32LE(0) !== 0x184d2204) return frame;
  const flg = frame[4]!;
  const descriptorEnd = 6 + (flg & 0x08 ? 8 : 0) + (flg & 0x01 ? 4 : 0);
  if (frame.length <= descriptorEnd) return frame;
  const fixed = Buffer.from(frame);
  fixed[descriptorEnd] = (xxh32Short(frame, 4, descriptorEnd) >>> 8) & 0xff;
  return fixed;
}
