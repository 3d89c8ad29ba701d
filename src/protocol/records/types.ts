import type { CompressionType } from '../compression/types.js';

/** Magic byte of the current record format (Kafka ≥ 0.11). */
export const MAGIC_V2 = 2;

/** Bit layout of a v2 batch's int16 attributes. */
export const ATTR_COMPRESSION_MASK = 0x07;
/** Attribute bit set when the batch's timestamps are LogAppendTime (broker time) rather than CreateTime. */
export const ATTR_TIMESTAMP_TYPE = 0x08;
/** Attribute bit set when the batch belongs to a transaction. */
export const ATTR_TRANSACTIONAL = 0x10;
/** Attribute bit set when the batch holds control records (transaction markers) rather than data. */
export const ATTR_CONTROL = 0x20;
/** The batch's base timestamp is a delete horizon (set by log compaction, KIP-534). */
export const ATTR_DELETE_HORIZON = 0x40;

/** Offsets of the fixed v2 batch header fields. */
export const BATCH_OFFSETS = {
  baseOffset: 0,
  batchLength: 8,
  partitionLeaderEpoch: 12,
  magic: 16,
  crc: 17,
  attributes: 21,
  lastOffsetDelta: 23,
  baseTimestamp: 27,
  maxTimestamp: 35,
  producerId: 43,
  producerEpoch: 51,
  baseSequence: 53,
  recordCount: 57,
  records: 61,
} as const;

/** Size of the v2 batch header; `batchLength` counts from `partitionLeaderEpoch`, i.e. total − 12. */
export const BATCH_HEADER_SIZE = 61;
/** Bytes before the `batchLength`-counted part (baseOffset + batchLength). */
export const LOG_OVERHEAD = 12;

/** Who set a batch's timestamps: the producer (`CreateTime`) or the broker on append (`LogAppendTime`). */
export type TimestampType = 'CreateTime' | 'LogAppendTime';

/** One record header; keys may repeat within a record. */
export interface RecordHeader {
  /** Header key (UTF-8). */
  key: string;
  /** Header value bytes, or null. */
  value: Buffer | null;
}

/** One record to write. */
export interface RecordInput {
  /** The record key; absent or null for none. */
  key?: Buffer | null;
  /** The record value, or null (a tombstone on a compacted topic). */
  value: Buffer | null;
  /** Repeated keys are kept, in order. */
  headers?: readonly RecordHeader[];
  /** Milliseconds since the epoch. */
  timestamp: number;
  /** Offset relative to the batch's base offset; defaults to the record's index. */
  offsetDelta?: number;
}

/** A v2 record batch to write. Defaults are what a non-idempotent producer sends. */
export interface RecordBatchInput {
  /** 0 in produce requests: the broker assigns offsets. */
  baseOffset?: bigint | number;
  /** Leader epoch stamped into the batch header; default -1 (the broker sets it on append). */
  partitionLeaderEpoch?: number;
  /** Codec the records are compressed with; default `CompressionTypes.None`. */
  compression?: CompressionType;
  /** Default `CreateTime`. */
  timestampType?: TimestampType;
  /** Marks the batch as part of a transaction (default false). */
  transactional?: boolean;
  /** Marks the batch as a control batch (default false). */
  control?: boolean;
  /** -1 when not idempotent. */
  producerId?: bigint | number;
  /** The producer id's epoch; -1 when not idempotent (the default). */
  producerEpoch?: number;
  /** Sequence number of the first record; -1 when not idempotent (the default). */
  baseSequence?: number;
  /**
   * For LogAppendTime batches (written by brokers and tests), the time the batch header's
   * max timestamp carries. Defaults to the largest record timestamp.
   */
  maxTimestamp?: number;
  /** The records, in offset order. */
  records: readonly RecordInput[];
}

/** A commit or abort marker, or another control record (KIP-98, KRaft control records). */
export interface ControlRecord {
  /** Control key version. */
  version: number;
  /** 0 abort, 1 commit; KRaft uses 2 and up (leader change, snapshot header/footer, ...). */
  type: number;
  /** For commit/abort markers: the transaction coordinator's epoch. */
  coordinatorEpoch?: number;
}

/** One decoded record. */
export interface KafkaRecord {
  /** Absolute offset (base offset + delta) as a Number; exact below 2^53. */
  offset: number;
  /** Offset relative to the batch's base offset. */
  offsetDelta: number;
  /** Milliseconds since the epoch; for LogAppendTime batches, the batch's max timestamp. */
  timestamp: number;
  /** For v2 records always 0 (unused); for legacy messages the message attributes. */
  attributes: number;
  /** A view of the fetched bytes for uncompressed batches (no copy). */
  key: Buffer | null;
  /** The record value, or null; a view like `key`. */
  value: Buffer | null;
  /** The record's headers, in order; empty when it has none. */
  headers: RecordHeader[];
  /** Present for records of control batches. */
  control?: ControlRecord;
}
