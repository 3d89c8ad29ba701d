import crc32Lib from 'crc-32';
import crc32cLib from 'crc-32/crc32c.js';

/** CRC-32C (Castagnoli) of `buf[start, end)` as an unsigned 32-bit number: record batch v2. */
export function crc32c(buf: Buffer, start = 0, end = buf.length): number {
  return crc32cLib.buf(start === 0 && end === buf.length ? buf : buf.subarray(start, end)) >>> 0;
}

/** CRC-32 (IEEE) of `buf[start, end)` as an unsigned 32-bit number: legacy messages v0/v1. */
export function crc32(buf: Buffer, start = 0, end = buf.length): number {
  return crc32Lib.buf(start === 0 && end === buf.length ? buf : buf.subarray(start, end)) >>> 0;
}
