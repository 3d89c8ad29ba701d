import { KafkaProtocolError } from '../../errors/base.js';
import { uuidFromBytes } from './uuid.js';

/**
 * Reads Kafka's primitive types from a buffer, checking every read against the end of the
 * frame. Input comes from the network, so nothing is trusted: a read past the end, a negative
 * length other than the null marker, or an over-long varint throws {@link KafkaProtocolError}
 * (never a RangeError, never a loop that does not end). Bytes and strings are handed out as
 * views of the input (`subarray`), not copies.
 */
export class Reader {
  /** The buffer read from (a frame or a slice of one). */
  readonly buf: Buffer;
  /** Offset of the next byte to read; each read advances it. */
  pos: number;
  /** Offset one past the last readable byte: reads beyond it throw. */
  readonly end: number;

  constructor(buf: Buffer, offset = 0, end = buf.length) {
    this.buf = buf;
    this.pos = offset;
    this.end = end;
  }

  /** Bytes left between `pos` and `end`. */
  get remaining(): number {
    return this.end - this.pos;
  }

  /** Throws unless `n` more bytes are available. */
  need(n: number): void {
    if (n < 0 || this.pos + n > this.end) {
      throw new KafkaProtocolError(
        `truncated input: needed ${n} bytes, ${this.end - this.pos} left`,
        this.pos,
      );
    }
  }

  /** Signed 8-bit integer. */
  int8(): number {
    this.need(1);
    return this.buf.readInt8(this.pos++);
  }

  /** Boolean: one byte, any non-zero value is true. */
  bool(): boolean {
    this.need(1);
    return this.buf[this.pos++] !== 0;
  }

  /** Signed 16-bit big-endian integer. */
  int16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  /** Unsigned 16-bit big-endian integer. */
  uint16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  /** Signed 32-bit big-endian integer. */
  int32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  /** Unsigned 32-bit big-endian integer. */
  uint32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  /** Signed 64-bit big-endian integer, as a bigint. */
  int64(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  /** IEEE 754 double, big-endian. */
  float64(): number {
    this.need(8);
    const v = this.buf.readDoubleBE(this.pos);
    this.pos += 8;
    return v;
  }

  /** Unsigned varint of up to 32 bits; at most 5 bytes. */
  uvarint(): number {
    const buf = this.buf;
    let pos = this.pos;
    // Fast path: most varints in record batches (lengths, deltas, header counts) fit in one byte.
    if (pos < this.end) {
      const b0 = buf[pos]!;
      if (b0 < 0x80) {
        this.pos = pos + 1;
        return b0;
      }
    }
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 5; i++) {
      if (pos >= this.end) throw new KafkaProtocolError('truncated varint', pos);
      const b = buf[pos++]!;
      if (i === 4 && b > 0x0f) throw new KafkaProtocolError('varint is longer than 32 bits', this.pos);
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) {
        this.pos = pos;
        return result;
      }
      shift += 7;
    }
    throw new KafkaProtocolError('varint is longer than 5 bytes', this.pos);
  }

  /** Signed zigzag varint of up to 32 bits. */
  varint(): number {
    const z = this.uvarint();
    return (z >>> 1) ^ -(z & 1);
  }

  /** Signed zigzag varlong as a Number: exact for values within ±2^53, which covers offsets and timestamps. */
  varlongNumber(): number {
    const start = this.pos;
    const buf = this.buf;
    if (start < this.end) {
      const b0 = buf[start]!;
      if (b0 < 0x80) {
        this.pos = start + 1;
        return (b0 >>> 1) ^ -(b0 & 1);
      }
    }
    let pos = start;
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= this.end) throw new KafkaProtocolError('truncated varlong', pos);
      const b = buf[pos++]!;
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) {
        if (result > Number.MAX_SAFE_INTEGER) {
          // Too large for a Number: decode again exactly.
          this.pos = start;
          return Number(this.varlong());
        }
        this.pos = pos;
        // zigzag: even → v/2, odd → -(v+1)/2
        return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
      }
      mul *= 128;
    }
    throw new KafkaProtocolError('varlong is longer than 10 bytes', start);
  }

  /** Signed zigzag varlong of up to 64 bits. */
  varlong(): bigint {
    const start = this.pos;
    let pos = start;
    let z = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (pos >= this.end) throw new KafkaProtocolError('truncated varlong', pos);
      const b = this.buf[pos++]!;
      z |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) {
        this.pos = pos;
        z = BigInt.asUintN(64, z);
        return BigInt.asIntN(64, (z >> 1n) ^ -(z & 1n));
      }
      shift += 7n;
    }
    throw new KafkaProtocolError('varlong is longer than 10 bytes', start);
  }

  /** A UUID in Kafka's textual form (URL-safe base64, 22 characters). */
  uuid(): string {
    this.need(16);
    const v = uuidFromBytes(this.buf.subarray(this.pos, this.pos + 16));
    this.pos += 16;
    return v;
  }

  /** `n` bytes as a view of the input. */
  raw(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** Advances `pos` by `n` bytes; throws if fewer remain. */
  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }

  private utf8(len: number): string {
    this.need(len);
    const v = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return v;
  }

  /** int16-length UTF-8 string; throws on the null marker (-1). */
  string(): string {
    const len = this.int16();
    if (len < 0) throw new KafkaProtocolError(`null where a non-nullable string was expected`, this.pos - 2);
    return this.utf8(len);
  }

  /** int16-length UTF-8 string, null for length -1. */
  nullableString(): string | null {
    const len = this.int16();
    if (len === -1) return null;
    if (len < 0) throw new KafkaProtocolError(`invalid string length ${len}`, this.pos - 2);
    return this.utf8(len);
  }

  /** uvarint(length + 1) UTF-8 string (flexible versions); throws on null (0). */
  compactString(): string {
    const len = this.uvarint() - 1;
    if (len < 0) throw new KafkaProtocolError(`null where a non-nullable string was expected`, this.pos - 1);
    return this.utf8(len);
  }

  /** uvarint(length + 1) UTF-8 string, null for 0 (flexible versions). */
  compactNullableString(): string | null {
    const len = this.uvarint() - 1;
    if (len < 0) return null;
    return this.utf8(len);
  }

  /** int32-length bytes as a view of the input; throws on the null marker (-1). */
  bytes(): Buffer {
    const len = this.int32();
    if (len < 0) throw new KafkaProtocolError(`null where non-nullable bytes were expected`, this.pos - 4);
    return this.raw(len);
  }

  /** int32-length bytes as a view of the input, null for length -1. */
  nullableBytes(): Buffer | null {
    const len = this.int32();
    if (len === -1) return null;
    if (len < 0) throw new KafkaProtocolError(`invalid bytes length ${len}`, this.pos - 4);
    return this.raw(len);
  }

  /** uvarint(length + 1) bytes as a view of the input (flexible versions); throws on null (0). */
  compactBytes(): Buffer {
    const len = this.uvarint() - 1;
    if (len < 0) throw new KafkaProtocolError(`null where non-nullable bytes were expected`, this.pos - 1);
    return this.raw(len);
  }

  /** uvarint(length + 1) bytes as a view of the input, null for 0 (flexible versions). */
  compactNullableBytes(): Buffer | null {
    const len = this.uvarint() - 1;
    if (len < 0) return null;
    return this.raw(len);
  }

  /**
   * int32 array length, -1 for null. Each element takes at least `minElementSize` bytes, so a
   * length the remaining input cannot hold is rejected before anything is allocated for it.
   */
  arrayLength(minElementSize = 1): number {
    const n = this.int32();
    if (n < -1) throw new KafkaProtocolError(`invalid array length ${n}`, this.pos - 4);
    if (n > 0 && n * minElementSize > this.end - this.pos) {
      throw new KafkaProtocolError(
        `array of ${n} elements cannot fit in ${this.end - this.pos} bytes`,
        this.pos - 4,
      );
    }
    return n;
  }

  /** uvarint(length + 1) array length; -1 for null. Checked like {@link arrayLength}. */
  compactArrayLength(minElementSize = 1): number {
    const at = this.pos;
    const n = this.uvarint() - 1;
    if (n > 0 && n * minElementSize > this.end - this.pos) {
      throw new KafkaProtocolError(`array of ${n} elements cannot fit in ${this.end - this.pos} bytes`, at);
    }
    return n;
  }
}
