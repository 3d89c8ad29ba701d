import { KafkaJSError } from '../../errors/base.js';

/** Where an unreadable batch is: the first argument of {@link KafkaJSRecordBatchDecodeError}. */
export interface RecordBatchLocation {
  /** Topic of the batch. */
  topic: string;
  /** Partition of the batch. */
  partition: number;
  /** The first offset not delivered: where the consumer stays. */
  offset: number;
  /** The batch's first and last offsets. */
  baseOffset: number;
  /** Offset of the batch's last record. */
  lastOffset: number;
}

/**
 * The records of a fetched batch cannot be read: its compressed data is cut short or corrupt, it
 * uses a codec id that does not exist, or it decompresses beyond `maxDecompressedBatchBytes`.
 * Not retriable (the log holds the same bytes for every fetch). As the Java client does, the
 * consumer stays at {@link offset}: nothing after it is delivered or committed until the
 * application seeks past the batch ({@link nextOffset}) or raises the limit.
 */
export class KafkaJSRecordBatchDecodeError extends KafkaJSError {
  /** Topic of the batch. */
  readonly topic: string;
  /** Partition of the batch. */
  readonly partition: number;
  /** The first offset not delivered: the consumer's position stays here. */
  readonly offset: number;
  /** First offset of the batch. */
  readonly baseOffset: number;
  /** Last offset of the batch. */
  readonly lastOffset: number;
  /** Where to seek to skip the batch. */
  readonly nextOffset: number;

  constructor(at: RecordBatchLocation, cause: unknown) {
    super(
      `Cannot read the records of ${at.topic}[${at.partition}] at offset ${at.offset} (batch ${at.baseOffset}..${at.lastOffset}): ${(cause as Error)?.message ?? String(cause)}. The consumer stays at offset ${at.offset}; seek to ${at.lastOffset + 1} to skip the batch.`,
      { retriable: false, cause },
    );
    this.topic = at.topic;
    this.partition = at.partition;
    this.offset = at.offset;
    this.baseOffset = at.baseOffset;
    this.lastOffset = at.lastOffset;
    this.nextOffset = at.lastOffset + 1;
  }
}
