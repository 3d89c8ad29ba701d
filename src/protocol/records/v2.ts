import { KafkaProtocolError } from '../../errors/base.js';
import { loadCompressionCodec } from '../compression/codecs.js';
import { compressionName } from '../compression/index.js';
import { decompressRecords, decompressRecordsSync, hasRegisteredCodec } from '../compression/registry.js';
import {
  bufferReader,
  DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES,
  type DecompressionReader,
  openDecompression,
} from '../compression/stream.js';
import type { RecordBatch } from './batch.js';
import { crc32c } from './crc.js';
import { decodeRecords } from './decode-records.js';
import { readInt64Number } from './int64.js';
import { ArrayRecordCursor, drainCursor, type RecordCursor, StreamRecordCursor } from './record-cursor.js';
import {
  ATTR_COMPRESSION_MASK,
  ATTR_CONTROL,
  ATTR_DELETE_HORIZON,
  ATTR_TIMESTAMP_TYPE,
  ATTR_TRANSACTIONAL,
  BATCH_HEADER_SIZE,
  type KafkaRecord,
  MAGIC_V2,
  BATCH_OFFSETS as O,
  type TimestampType,
} from './types.js';

/** A v2 record batch (magic 2) read from `bytes`, which must hold exactly the batch. */
export class RecordBatchV2 implements RecordBatch {
  readonly magic = MAGIC_V2;
  readonly baseOffset: bigint;
  readonly partitionLeaderEpoch: number;
  readonly crc: number;
  readonly attributes: number;
  readonly compression: number;
  readonly timestampType: TimestampType;
  readonly isTransactional: boolean;
  readonly isControl: boolean;
  /** The base timestamp is a delete horizon set by compaction. */
  readonly hasDeleteHorizon: boolean;
  readonly lastOffsetDelta: number;
  readonly baseTimestamp: number;
  readonly maxTimestamp: number;
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly recordCount: number;
  readonly bytes: Buffer;
  /** The most the records section of a compressed batch may decompress to. */
  readonly maxDecompressedBytes: number;
  private decoded: KafkaRecord[] | undefined;

  /**
   * @param bytes exactly one batch (its length already checked by the caller).
   * @param at where the batch starts in the caller's input, for error messages.
   * @param maxDecompressedBytes the limit on the decompressed records section (default 256 MiB).
   */
  constructor(
    bytes: Buffer,
    verifyCrc = true,
    at = 0,
    maxDecompressedBytes = DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES,
  ) {
    this.maxDecompressedBytes = maxDecompressedBytes;
    if (bytes.length < BATCH_HEADER_SIZE) {
      throw new KafkaProtocolError(`record batch of ${bytes.length} bytes is shorter than its header`, at);
    }
    if (bytes[O.magic] !== MAGIC_V2)
      throw new KafkaProtocolError(`record batch magic ${bytes[O.magic]}`, at + O.magic);
    this.bytes = bytes;
    this.crc = bytes.readUInt32BE(O.crc);
    if (verifyCrc) {
      const actual = crc32c(bytes, O.attributes);
      if (actual !== this.crc) {
        throw new KafkaProtocolError(
          `record batch CRC-32C mismatch: stored ${this.crc.toString(16)}, computed ${actual.toString(16)}`,
          at + O.crc,
          { retriable: true },
        );
      }
    }
    this.baseOffset = bytes.readBigInt64BE(O.baseOffset);
    this.partitionLeaderEpoch = bytes.readInt32BE(O.partitionLeaderEpoch);
    const attributes = bytes.readInt16BE(O.attributes);
    this.attributes = attributes;
    this.compression = attributes & ATTR_COMPRESSION_MASK;
    this.timestampType = attributes & ATTR_TIMESTAMP_TYPE ? 'LogAppendTime' : 'CreateTime';
    this.isTransactional = (attributes & ATTR_TRANSACTIONAL) !== 0;
    this.isControl = (attributes & ATTR_CONTROL) !== 0;
    this.hasDeleteHorizon = (attributes & ATTR_DELETE_HORIZON) !== 0;
    this.lastOffsetDelta = bytes.readInt32BE(O.lastOffsetDelta);
    this.baseTimestamp = readInt64Number(bytes, O.baseTimestamp);
    this.maxTimestamp = readInt64Number(bytes, O.maxTimestamp);
    this.producerId = bytes.readBigInt64BE(O.producerId);
    this.producerEpoch = bytes.readInt16BE(O.producerEpoch);
    this.baseSequence = bytes.readInt32BE(O.baseSequence);
    this.recordCount = bytes.readInt32BE(O.recordCount);
    if (this.recordCount < 0)
      throw new KafkaProtocolError(`negative record count ${this.recordCount}`, at + O.recordCount);
  }

  lastOffset(): bigint {
    return this.baseOffset + BigInt(this.lastOffsetDelta);
  }

  async records(): Promise<KafkaRecord[]> {
    if (this.decoded !== undefined || this.compression === 0) return this.recordsSync();
    const records = drainCursor(await this.openRecords());
    this.decoded ??= records;
    return this.decoded;
  }

  recordsSync(): KafkaRecord[] {
    if (this.decoded !== undefined) return this.decoded;
    this.decoded =
      this.compression === 0
        ? this.decodeSection(this.bytes, BATCH_HEADER_SIZE, this.bytes.length)
        : drainCursor(this.cursorOver(this.sourceSync()));
    return this.decoded;
  }

  /**
   * The records one at a time. A compressed batch is decompressed as the cursor advances (see
   * `openDecompression`), failing with `KafkaJSDecompressionLimitError` once the records pass
   * {@link maxDecompressedBytes}; loads the native codec when needed.
   */
  async openRecords(): Promise<RecordCursor> {
    if (this.decoded !== undefined) return new ArrayRecordCursor(this.decoded);
    // Uncompressed: records are decoded from the fetched bytes one at a time as the cursor
    // advances, not all at once, so a consumer holds only the records it is handing out.
    if (this.compression === 0) {
      const section = this.bytes.subarray(BATCH_HEADER_SIZE);
      return this.cursorOver(bufferReader(section, section.length, 'none'));
    }
    const section = this.bytes.subarray(BATCH_HEADER_SIZE);
    let source: DecompressionReader;
    if (hasRegisteredCodec(this.compression)) {
      // A codec registered in CompressionCodecs decompresses whole (and may answer only with a promise).
      const out = await decompressRecords(this.compression, section);
      source = bufferReader(out, this.maxDecompressedBytes, compressionName(this.compression));
    } else {
      await loadCompressionCodec(this.compression);
      source = openDecompression(this.compression, section, this.maxDecompressedBytes);
    }
    return this.cursorOver(source);
  }

  private sourceSync(): DecompressionReader {
    const section = this.bytes.subarray(BATCH_HEADER_SIZE);
    if (hasRegisteredCodec(this.compression)) {
      const out = decompressRecordsSync(this.compression, section);
      return bufferReader(out, this.maxDecompressedBytes, compressionName(this.compression));
    }
    return openDecompression(this.compression, section, this.maxDecompressedBytes);
  }

  private cursorOver(source: DecompressionReader): RecordCursor {
    return new StreamRecordCursor(source, this.recordCount, this.context());
  }

  private context() {
    return {
      baseOffset: Number(this.baseOffset),
      baseTimestamp: this.baseTimestamp,
      logAppendTime: this.timestampType === 'LogAppendTime' ? this.maxTimestamp : undefined,
      isControl: this.isControl,
    };
  }

  private decodeSection(buf: Buffer, start: number, end: number): KafkaRecord[] {
    return decodeRecords(buf, start, end, this.recordCount, this.context());
  }
}
