import type { RecordCursor } from './record-cursor.js';
import type { KafkaRecord, TimestampType } from './types.js';

/**
 * One decoded batch, whatever its on-disk format. Header fields are read when the batch is
 * decoded; records are decoded on demand. v2 batches are {@link RecordBatchV2}; legacy
 * (magic 0/1) messages are {@link LegacyMessageBatch}, with the idempotence fields at their
 * "none" values.
 */
export interface RecordBatch {
  /** Record format: 2 for v2 batches, 0 or 1 for legacy messages. */
  readonly magic: number;
  /** Offset of the first record (for a compressed legacy wrapper: see {@link LegacyMessageBatch}). */
  readonly baseOffset: bigint;
  /** Leader epoch the broker stamped on append; -1 when unknown (and for legacy messages). */
  readonly partitionLeaderEpoch: number;
  /** The checksum as stored: CRC-32C for v2, CRC-32 for legacy messages. */
  readonly crc: number;
  /** The raw attributes: codec in bits 0–2, then the timestamp-type, transactional and control bits (see `ATTR_*`). */
  readonly attributes: number;
  /** Codec id, see CompressionTypes. */
  readonly compression: number;
  /** Whether the timestamps were set by the producer or by the broker on append. */
  readonly timestampType: TimestampType;
  /** Whether the batch belongs to a transaction (false for legacy messages). */
  readonly isTransactional: boolean;
  /** Whether the batch holds control records such as transaction markers (false for legacy messages). */
  readonly isControl: boolean;
  /** Offset of the last record relative to `baseOffset`. */
  readonly lastOffsetDelta: number;
  /** Timestamp of the first record, in milliseconds since the epoch (the delete horizon when compaction set one). */
  readonly baseTimestamp: number;
  /** Largest timestamp in the batch, in milliseconds since the epoch. */
  readonly maxTimestamp: number;
  /** Id of the idempotent or transactional producer that wrote the batch; -1n when none. */
  readonly producerId: bigint;
  /** Epoch of that producer id; -1 when none. */
  readonly producerEpoch: number;
  /** Sequence number of the first record; -1 when not idempotent. */
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
