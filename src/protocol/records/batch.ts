import type { RecordCursor } from './record-cursor.js';
import type { KafkaRecord, TimestampType } from './types.js';

/**
 * One decoded batch, whatever its on-disk format. Header fields are read when the batch is
 * decoded; records are decoded on demand. v2 batches are {@link RecordBatchV2}; legacy
 * (magic 0/1) messages are {@link LegacyMessageBatch}, with the idempotence fields at their
 * "none" values.
 */
export interface RecordBatch {
  readonly magic: number;
  /** Offset of the first record (for a compressed legacy wrapper: see {@link LegacyMessageBatch}). */
  readonly baseOffset: bigint;
  readonly partitionLeaderEpoch: number;
  /** The checksum as stored: CRC-32C for v2, CRC-32 for legacy messages. */
  readonly crc: number;
  readonly attributes: number;
  /** Codec id, see CompressionTypes. */
  readonly compression: number;
  readonly timestampType: TimestampType;
  readonly isTransactional: boolean;
  readonly isControl: boolean;
  readonly lastOffsetDelta: number;
  readonly baseTimestamp: number;
  readonly maxTimestamp: number;
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  /** Number of records, or -1 when unknown before decompression (legacy compressed wrappers). */
  readonly recordCount: number;
  /** The batch's bytes: a view of the decoded input. */
  readonly bytes: Buffer;
  /** Offset of the last record; the next fetch starts after it. */
  lastOffset(): bigint;
  /** Decodes the records, decompressing (and loading a native codec) when needed. */
  records(): Promise<KafkaRecord[]>;
  /**
   * Decodes the records synchronously. Works for uncompressed batches, gzip, and other codecs
   * once loaded (`loadCompressionCodec`); otherwise throws KafkaJSCompressionCodecUnavailableError.
   */
  recordsSync(): KafkaRecord[];
  /**
   * The records one at a time, decompressing as the cursor advances, so that a compressed batch
   * is never held whole (legacy messages excepted: they are small by construction). Loads a
   * native codec when needed.
   */
  openRecords(): Promise<RecordCursor>;
  /** The most a compressed batch's records may decompress to (`maxDecompressedBatchBytes`). */
  readonly maxDecompressedBytes: number;
}
