import { KafkaJSError } from '../../errors/base.js';

const TWO_32 = 2 ** 32;

/** Writes a safe-integer Number as a big-endian int64 without going through BigInt. */
export function writeInt64Number(buf: Buffer, pos: number, v: number): void {
  const hi = Math.floor(v / TWO_32);
  buf.writeInt32BE(hi, pos);
  buf.writeUInt32BE(v - hi * TWO_32, pos + 4);
}

/** Reads a big-endian int64 as a Number (exact within ±2^53, which timestamps always are). */
export function readInt64Number(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos) * TWO_32 + buf.readUInt32BE(pos + 4);
}

export function writeInt64(buf: Buffer, pos: number, v: bigint | number, what: string): void {
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v))
      throw new KafkaJSError(`${what} must be an integer, got ${v}`, { retriable: false });
    writeInt64Number(buf, pos, v);
  } else {
    if (v < -(2n ** 63n) || v >= 2n ** 63n)
      throw new KafkaJSError(`${what} ${v} does not fit in an int64`, { retriable: false });
    buf.writeBigInt64BE(v, pos);
  }
}
