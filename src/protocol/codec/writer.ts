import { KafkaProtocolError } from '../../errors/base.js';
import { uuidToBytes } from './uuid.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Writes Kafka's primitive types into one growable buffer.
 *
 * Callers that know the final size pass it to the constructor so the buffer is allocated once;
 * otherwise it doubles as needed. `finish()` hands out a view of the written bytes, not a copy.
 * A size prefix whose value is only known at the end is written with `reserveInt32()` and
 * filled in with `patchInt32()`.
 */
export class Writer {
  /** The internal buffer; replaced by a larger one when it fills, so read it through `finish()`. */
  buf: Buffer;
  /** Number of bytes written so far (the offset of the next write). */
  pos = 0;

  constructor(initialSize = 256) {
    this.buf = Buffer.allocUnsafe(Math.max(16, initialSize));
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** The bytes written so far: a view over the internal buffer, valid until the next write. */
  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /** Signed 8-bit integer. */
  int8(v: number): this {
    this.ensure(1);
    this.buf.writeInt8(v, this.pos);
    this.pos += 1;
    return this;
  }

  /** Boolean as one byte, 1 or 0. */
  bool(v: boolean): this {
    this.ensure(1);
    this.buf[this.pos++] = v ? 1 : 0;
    return this;
  }

  /** Signed 16-bit big-endian integer. */
  int16(v: number): this {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }

  /** Unsigned 16-bit big-endian integer. */
  uint16(v: number): this {
    this.ensure(2);
    this.buf.writeUInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }

  /** Signed 32-bit big-endian integer. */
  int32(v: number): this {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  /** Unsigned 32-bit big-endian integer. */
  uint32(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  /** Signed 64-bit big-endian integer; throws {@link KafkaProtocolError} outside the int64 range. */
  int64(v: bigint): this {
    if (v < INT64_MIN || v > INT64_MAX) throw new KafkaProtocolError(`int64 value ${v} is out of range`);
    this.ensure(8);
    this.buf.writeBigInt64BE(v, this.pos);
    this.pos += 8;
    return this;
  }

  /** IEEE 754 double, big-endian. */
  float64(v: number): this {
    this.ensure(8);
    this.buf.writeDoubleBE(v, this.pos);
    this.pos += 8;
    return this;
  }

  /** Unsigned varint of up to 32 bits (lengths, tags, array sizes in flexible versions). */
  uvarint(v: number): this {
    if (v < 0 || v > 0xffffffff || !Number.isInteger(v)) {
      throw new KafkaProtocolError(`unsigned varint value ${v} is out of range`);
    }
    this.ensure(5);
    const buf = this.buf;
    let pos = this.pos;
    while (v >= 0x80) {
      buf[pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    buf[pos++] = v;
    this.pos = pos;
    return this;
  }

  /** Signed zigzag varint of up to 32 bits (record fields). */
  varint(v: number): this {
    if (v < -0x80000000 || v > 0x7fffffff || !Number.isInteger(v)) {
      throw new KafkaProtocolError(`varint value ${v} is out of range`);
    }
    return this.uvarint(((v << 1) ^ (v >> 31)) >>> 0);
  }

  /** Signed zigzag varlong of up to 64 bits. Numbers are accepted where they are exact. */
  varlong(v: bigint | number): this {
    if (typeof v === 'number') {
      if (Number.isSafeInteger(v) && v >= -0x80000000 && v <= 0x7fffffff) return this.varint(v);
      v = BigInt(v);
    }
    if (v < INT64_MIN || v > INT64_MAX) throw new KafkaProtocolError(`varlong value ${v} is out of range`);
    let z = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
    this.ensure(10);
    while (z >= 0x80n) {
      this.buf[this.pos++] = Number(z & 0x7fn) | 0x80;
      z >>= 7n;
    }
    this.buf[this.pos++] = Number(z);
    return this;
  }

  /** A UUID in Kafka's textual form (URL-safe base64, 22 characters) or as 16 raw bytes. */
  uuid(v: string | Uint8Array): this {
    const bytes = typeof v === 'string' ? uuidToBytes(v) : v;
    if (bytes.length !== 16) throw new KafkaProtocolError(`a UUID has 16 bytes, got ${bytes.length}`);
    this.ensure(16);
    this.buf.set(bytes, this.pos);
    this.pos += 16;
    return this;
  }

  /** Bytes copied as they are, with no length prefix. */
  raw(v: Uint8Array): this {
    this.ensure(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
    return this;
  }

  /** int16-length string (non-flexible versions). */
  string(v: string): this {
    const len = Buffer.byteLength(v, 'utf8');
    if (len > 0x7fff)
      throw new KafkaProtocolError(`string of ${len} bytes is longer than the 32767 a Kafka string holds`);
    this.ensure(2 + len);
    this.buf.writeInt16BE(len, this.pos);
    this.pos += 2;
    this.pos += this.buf.write(v, this.pos, len, 'utf8');
    return this;
  }

  /** int16-length string, length -1 for null (non-flexible versions). */
  nullableString(v: string | null): this {
    if (v === null) return this.int16(-1);
    return this.string(v);
  }

  /** uvarint(length + 1) string (flexible versions). */
  compactString(v: string): this {
    const len = Buffer.byteLength(v, 'utf8');
    if (len > 0x7fff)
      throw new KafkaProtocolError(`string of ${len} bytes is longer than the 32767 a Kafka string holds`);
    this.uvarint(len + 1);
    this.ensure(len);
    this.pos += this.buf.write(v, this.pos, len, 'utf8');
    return this;
  }

  /** uvarint(length + 1) string, 0 for null (flexible versions). */
  compactNullableString(v: string | null): this {
    if (v === null) return this.uvarint(0);
    return this.compactString(v);
  }

  /** int32-length bytes (non-flexible versions). */
  bytes(v: Uint8Array): this {
    this.int32(v.length);
    return this.raw(v);
  }

  /** int32-length bytes, length -1 for null (non-flexible versions). */
  nullableBytes(v: Uint8Array | null): this {
    if (v === null) return this.int32(-1);
    return this.bytes(v);
  }

  /** uvarint(length + 1) bytes (flexible versions). */
  compactBytes(v: Uint8Array): this {
    this.uvarint(v.length + 1);
    return this.raw(v);
  }

  /** uvarint(length + 1) bytes, 0 for null (flexible versions). */
  compactNullableBytes(v: Uint8Array | null): this {
    if (v === null) return this.uvarint(0);
    return this.compactBytes(v);
  }

  /** int32 array length; -1 for a null array. */
  arrayLength(n: number | null): this {
    return this.int32(n === null ? -1 : n);
  }

  /** uvarint(length + 1) array length; 0 for a null array. */
  compactArrayLength(n: number | null): this {
    return this.uvarint(n === null ? 0 : n + 1);
  }

  /** Leaves room for an int32 to be filled in later; returns where it is. */
  reserveInt32(): number {
    this.ensure(4);
    const at = this.pos;
    this.pos += 4;
    return at;
  }

  /** Writes `v` as an int32 at offset `at`, a place returned by `reserveInt32()`. */
  patchInt32(at: number, v: number): void {
    this.buf.writeInt32BE(v, at);
  }
}
