/**
 * Size and write helpers for the zigzag varints inside record batches, working on a plain
 * buffer position so the batch encoder can write straight through a pre-sized buffer.
 * Numbers only: a varlong here is a timestamp delta, exact as a Number up to ±2^52.
 */

/** Bytes an unsigned varint of `v` (0 ≤ v < 2^53) takes. */
export function sizeOfUVarint(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

/** zigzag of a signed integer as a non-negative Number (exact for |v| < 2^52). */
export function zigzag(v: number): number {
  return v >= 0 ? v * 2 : -v * 2 - 1;
}

export function sizeOfVarint(v: number): number {
  return sizeOfUVarint(zigzag(v));
}

/** Writes an unsigned varint at `pos`; returns the position after it. */
export function writeUVarint(buf: Buffer, pos: number, v: number): number {
  while (v >= 0x80) {
    buf[pos++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  buf[pos++] = v;
  return pos;
}

export function writeVarint(buf: Buffer, pos: number, v: number): number {
  return writeUVarint(buf, pos, zigzag(v));
}
