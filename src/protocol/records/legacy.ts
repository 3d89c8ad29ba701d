import { KafkaProtocolError } from '../../errors/base.js';
import { loadCompressionCodec } from '../compression/codecs.js';
import { compressionName } from '../compression/index.js';
import { decompressRecords, decompressRecordsSync, hasRegisteredCodec } from '../compression/registry.js';
import {
  bufferReader,
  DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES,
  decompressBounded,
} from '../compression/stream.js';
import type { RecordBatch } from './batch.js';
import { crc32 } from './crc.js';
import { readInt64Number } from './int64.js';
import { fixLegacyLz4HeaderChecksum } from './lz4-legacy.js';
import { ArrayRecordCursor, type RecordCursor } from './record-cursor.js';
import {
  ATTR_COMPRESSION_MASK,
  ATTR_TIMESTAMP_TYPE,
  type KafkaRecord,
  LOG_OVERHEAD,
  type TimestampType,
} from './types.js';

/** crc + magic + attributes + key length + value length. */
export const LEGACY_V0_MIN_SIZE = 14;
/** v0 plus the int64 timestamp. */
export const LEGACY_V1_MIN_SIZE = 22;

interface LegacyMessage {
  offset: bigint;
  magic: number;
  crc: number;
  attributes: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
}

function readNullableBytes(buf: Buffer, pos: number, end: number, what: string): [Buffer | null, number] {
  if (pos + 4 > end) throw new KafkaProtocolError(`truncated legacy message ${what} length`, pos);
  const len = buf.readInt32BE(pos);
  pos += 4;
  if (len === -1) return [null, pos];
  if (len < 0 || pos + len > end)
    throw new KafkaProtocolError(`legacy message ${what} of ${len} bytes overruns the message`, pos - 4);
  return [buf.subarray(pos, pos + len), pos + len];
}

/** Reads one legacy entry (offset, size, message) that fills `buf[start, end)` exactly. */
function readMessage(buf: Buffer, start: number, end: number, verifyCrc: boolean): LegacyMessage {
  const offset = buf.readBigInt64BE(start);
  let pos = start + LOG_OVERHEAD;
  const crc = buf.readUInt32BE(pos);
  const magic = buf[pos + 4]!;
  if (magic > 1) throw new KafkaProtocolError(`legacy message magic ${magic}`, pos + 4);
  if (end - pos < (magic === 0 ? LEGACY_V0_MIN_SIZE : LEGACY_V1_MIN_SIZE)) {
    throw new KafkaProtocolError(
      `legacy message of ${end - pos} bytes is too short for magic ${magic}`,
      start,
    );
  }
  if (verifyCrc) {
    const actual = crc32(buf, pos + 4, end);
    if (actual !== crc) {
      throw new KafkaProtocolError(
        `legacy message CRC-32 mismatch: stored ${crc.toString(16)}, computed ${actual.toString(16)}`,
        pos,
      );
    }
  }
  const attributes = buf[pos + 5]!;
  pos += 6;
  let timestamp = -1;
  if (magic === 1) {
    timestamp = readInt64Number(buf, pos);
    pos += 8;
  }
  const [key, afterKey] = readNullableBytes(buf, pos, end, 'key');
  const [value, afterValue] = readNullableBytes(buf, afterKey, end, 'value');
  pos = afterValue;
  if (pos !== end) throw new KafkaProtocolError(`${end - pos} bytes left over after a legacy message`, pos);
  return { offset, magic, crc, attributes, timestamp, key, value };
}

/** Size of the legacy entry at `pos` if it is complete in `buf`, -1 if cut short. */
function entrySize(buf: Buffer, pos: number, end: number): number {
  if (end - pos < LOG_OVERHEAD) return -1;
  const size = buf.readInt32BE(pos + 8);
  if (size < LEGACY_V0_MIN_SIZE)
    throw new KafkaProtocolError(`legacy message size ${size} is too small`, pos + 8);
  return end - pos < LOG_OVERHEAD + size ? -1 : LOG_OVERHEAD + size;
}

/**
 * One legacy message (magic 0 or 1), as old data on 3.x brokers still returns it. A compressed
 * message is a wrapper whose value is a compressed message set; then {@link baseOffset} is the
 * wrapper's offset, which is the offset of the last inner message, and {@link recordCount} is
 * -1 until the records are decoded.
 */
export class LegacyMessageBatch implements RecordBatch {
  readonly magic: number;
  readonly baseOffset: bigint;
  readonly partitionLeaderEpoch = -1;
  readonly crc: number;
  readonly attributes: number;
  readonly compression: number;
  readonly timestampType: TimestampType;
  readonly isTransactional = false;
  readonly isControl = false;
  readonly lastOffsetDelta = 0;
  readonly baseTimestamp: number;
  readonly maxTimestamp: number;
  readonly producerId = -1n;
  readonly producerEpoch = -1;
  readonly baseSequence = -1;
  readonly recordCount: number;
  readonly bytes: Buffer;
  private readonly message: LegacyMessage;
  private readonly verifyCrc: boolean;
  readonly maxDecompressedBytes: number;
  private decoded: KafkaRecord[] | undefined;

  constructor(
    bytes: Buffer,
    verifyCrc = true,
    at = 0,
    maxDecompressedBytes = DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES,
  ) {
    this.bytes = bytes;
    this.maxDecompressedBytes = maxDecompressedBytes;
    this.verifyCrc = verifyCrc;
    try {
      this.message = readMessage(bytes, 0, bytes.length, verifyCrc);
    } catch (err) {
      if (err instanceof KafkaProtocolError && at !== 0) {
        throw new KafkaProtocolError(`${err.message} (in the message set entry at byte ${at})`, undefined, {
          cause: err,
        });
      }
      throw err;
    }
    const m = this.message;
    this.magic = m.magic;
    this.baseOffset = m.offset;
    this.crc = m.crc;
    this.attributes = m.attributes;
    this.compression = m.attributes & ATTR_COMPRESSION_MASK;
    this.timestampType = m.magic === 1 && m.attributes & ATTR_TIMESTAMP_TYPE ? 'LogAppendTime' : 'CreateTime';
    this.baseTimestamp = m.timestamp;
    this.maxTimestamp = m.timestamp;
    this.recordCount = this.compression === 0 ? 1 : -1;
  }

  lastOffset(): bigint {
    return this.baseOffset;
  }

  async records(): Promise<KafkaRecord[]> {
    if (this.decoded === undefined && this.compression !== 0) {
      // A codec registered in CompressionCodecs may answer only with a promise.
      if (hasRegisteredCodec(this.compression)) {
        const inner = this.bounded(await decompressRecords(this.compression, this.compressedValue()));
        if (this.decoded === undefined) this.decoded = this.decodeInner(inner);
        return this.decoded;
      }
      await loadCompressionCodec(this.compression);
    }
    return this.recordsSync();
  }

  recordsSync(): KafkaRecord[] {
    if (this.decoded !== undefined) return this.decoded;
    const m = this.message;
    if (this.compression === 0) {
      this.decoded = [toRecord(m, Number(m.offset), m.timestamp)];
      return this.decoded;
    }
    const value = this.compressedValue();
    const inner = hasRegisteredCodec(this.compression)
      ? this.bounded(decompressRecordsSync(this.compression, value))
      : decompressBounded(this.compression, value, this.maxDecompressedBytes);
    this.decoded = this.decodeInner(inner);
    return this.decoded;
  }

  /** Legacy wrappers hold small message sets: decoded whole, then read one at a time. */
  async openRecords(): Promise<RecordCursor> {
    return new ArrayRecordCursor(await this.records());
  }

  private bounded(inner: Buffer): Buffer {
    bufferReader(inner, this.maxDecompressedBytes, compressionName(this.compression));
    return inner;
  }

  private compressedValue(): Buffer {
    const m = this.message;
    if (m.value === null) throw new KafkaProtocolError('compressed legacy message has a null value');
    // Kafka wrote magic-0 LZ4 frames with a header checksum computed over the wrong bytes.
    if (this.compression === 3 && m.magic === 0) return fixLegacyLz4HeaderChecksum(m.value);
    return m.value;
  }

  private decodeInner(inner: Buffer): KafkaRecord[] {
    const m = this.message;
    const messages: LegacyMessage[] = [];
    for (let pos = 0; pos < inner.length; ) {
      const size = entrySize(inner, pos, inner.length);
      if (size < 0) throw new KafkaProtocolError('truncated message inside a compressed legacy message', pos);
      const im = readMessage(inner, pos, pos + size, this.verifyCrc);
      if ((im.attributes & ATTR_COMPRESSION_MASK) !== 0) {
        throw new KafkaProtocolError('compressed message nested inside a compressed legacy message', pos);
      }
      messages.push(im);
      pos += size;
    }
    // v1 inner offsets are relative (0, 1, ...) and the wrapper carries the last one's absolute
    // offset; v0 inner offsets are absolute already.
    const wrapperOffset = Number(m.offset);
    const shift =
      m.magic === 1 && messages.length > 0
        ? wrapperOffset - Number(messages[messages.length - 1]!.offset)
        : 0;
    const logAppend = this.timestampType === 'LogAppendTime';
    return messages.map((im) =>
      toRecord(im, Number(im.offset) + shift, logAppend ? m.timestamp : im.timestamp),
    );
  }
}

function toRecord(m: LegacyMessage, offset: number, timestamp: number): KafkaRecord {
  return {
    offset,
    offsetDelta: 0,
    timestamp,
    attributes: m.attributes,
    key: m.key,
    value: m.value,
    headers: [],
  };
}

/** Checks the size of a legacy entry at `pos` in a record set; -1 when it is cut short. */
export function legacyEntrySize(buf: Buffer, pos: number, end: number): number {
  return entrySize(buf, pos, end);
}
