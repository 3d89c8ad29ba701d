/**
 * The few protobuf wire-format pieces the OTLP encoder needs (varints, fixed64, doubles, length-
 * delimited fields) and a field reader for decoding what was encoded (tests, tools). Hand-written
 * because a full protobuf runtime would be a dependency for ~20 fields.
 */

const VARINT = 0;
const FIXED64 = 1;
const LENGTH = 2;

/** Appends fields of one message; `finish()` gives its bytes. */
export class ProtoWriter {
  private readonly parts: Buffer[] = [];

  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  private varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    const bytes: number[] = [];
    while (v >= 0x80n) {
      bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    bytes.push(Number(v));
    this.parts.push(Buffer.from(bytes));
  }

  uint(field: number, value: number | bigint): this {
    this.tag(field, VARINT);
    this.varint(value);
    return this;
  }

  bool(field: number, value: boolean): this {
    return this.uint(field, value ? 1 : 0);
  }

  fixed64(field: number, value: bigint): this {
    this.tag(field, FIXED64);
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt.asUintN(64, value));
    this.parts.push(b);
    return this;
  }

  double(field: number, value: number): this {
    this.tag(field, FIXED64);
    const b = Buffer.alloc(8);
    b.writeDoubleLE(value);
    this.parts.push(b);
    return this;
  }

  bytes(field: number, value: Buffer): this {
    this.tag(field, LENGTH);
    this.varint(value.length);
    this.parts.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, Buffer.from(value, 'utf8'));
  }

  message(field: number, inner: ProtoWriter): this {
    return this.bytes(field, inner.finish());
  }

  finish(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** One decoded field: a varint as bigint, fixed64 as its 8 bytes, length-delimited as bytes. */
export interface ProtoField {
  field: number;
  wire: number;
  varint?: bigint;
  bytes?: Buffer;
}

/** Splits a message into its fields; throws on truncated input or an unsupported wire type. */
export function readFields(data: Buffer): ProtoField[] {
  const out: ProtoField[] = [];
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (at >= data.length) throw new RangeError('truncated varint');
      const b = data[at++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (at < data.length) {
    const key = Number(varint());
    const field = key >>> 3;
    const wire = key & 7;
    if (wire === VARINT) out.push({ field, wire, varint: varint() });
    else if (wire === FIXED64 || wire === 5) {
      const n = wire === FIXED64 ? 8 : 4;
      if (at + n > data.length) throw new RangeError('truncated fixed field');
      out.push({ field, wire, bytes: data.subarray(at, at + n) });
      at += n;
    } else if (wire === LENGTH) {
      const n = Number(varint());
      if (at + n > data.length) throw new RangeError('truncated length-delimited field');
      out.push({ field, wire, bytes: data.subarray(at, at + n) });
      at += n;
    } else throw new RangeError(`unsupported wire type ${wire}`);
  }
  return out;
}
