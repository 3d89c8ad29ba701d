import { KafkaJSError } from '../errors/base.js';

/** Which side of the record failed to (de)serialize. */
export type SerdeField = 'key' | 'value';

/**
 * A record the consumer could not deserialize. Not retriable: the same bytes fail the same way.
 * Under `onDeserializationError: 'fail'` the handler is not called, the partition stays at this
 * record and the consumer crashes with this error (as its `cause` chain's root); under `'skip'`
 * or a callback the record is skipped and its offset committed like a processed one.
 */
export class KafkaJSDeserializationError extends KafkaJSError {
  /** Topic of the record. */
  readonly topic: string;
  /** Partition of the record. */
  readonly partition: number;
  /** Offset of the record (decimal string). */
  readonly offset: string;
  /** Which part failed: `key` or `value`. */
  readonly field: SerdeField;
  /** The raw bytes that failed (null for a null key/value the deserializer refused). */
  readonly data: Buffer | null;

  constructor(
    args: { topic: string; partition: number; offset: string; field: SerdeField; data: Buffer | null },
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `Could not deserialize the ${args.field} of ${args.topic}[${args.partition}] at offset ${args.offset}: ${reason}`,
      { retriable: false, cause },
    );
    this.topic = args.topic;
    this.partition = args.partition;
    this.offset = args.offset;
    this.field = args.field;
    this.data = args.data;
  }
}

/** A message whose key or value the producer's serializer rejected; nothing of that send was queued. */
export class KafkaJSSerializationError extends KafkaJSError {
  /** Topic the message was sent to. */
  readonly topic: string;
  /** Which part failed: `key` or `value`. */
  readonly field: SerdeField;
  /** Index of the message in its topic's `messages`. */
  readonly index: number;

  constructor(args: { topic: string; field: SerdeField; index: number }, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Could not serialize the ${args.field} of ${args.topic} messages[${args.index}]: ${reason}`, {
      retriable: false,
      cause,
    });
    this.topic = args.topic;
    this.field = args.field;
    this.index = args.index;
  }
}
