import { KafkaJSError } from '../errors/base.js';

/** A record was acknowledged twice, or acknowledged by a consumer that does not hold it. Not retriable. */
export class KafkaJSShareAlreadyAcknowledgedError extends KafkaJSError {
  /** Topic of the record. */
  readonly topic: string;
  /** Partition of the record. */
  readonly partition: number;
  /** Offset of the record. */
  readonly offset: number;

  constructor(topic: string, partition: number, offset: number) {
    super(
      `Record ${topic}[${partition}]@${offset} is already acknowledged (or not held by this consumer); ` +
        'acknowledge each delivery once',
      { retriable: false },
    );
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
  }
}

/**
 * A record's acquisition lock expired before it was acknowledged: the broker released it and may
 * have delivered it to another consumer, so this consumer's acknowledgement no longer counts.
 */
export class KafkaJSShareLockExpiredError extends KafkaJSError {
  /** Topic of the record. */
  readonly topic: string;
  /** Partition of the record. */
  readonly partition: number;
  /** Offset of the record. */
  readonly offset: number;

  constructor(topic: string, partition: number, offset: number) {
    super(
      `The acquisition lock of ${topic}[${partition}]@${offset} expired before it was acknowledged; ` +
        'the broker has released the record (raise share.record.lock.duration.ms or acknowledge "renew")',
      { retriable: false },
    );
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
  }
}

/** The share consumer was used in a state that does not allow the call (run before connect, ...). */
export class KafkaJSShareConsumerStateError extends KafkaJSError {
  // Not retriable: calling again in the same state fails the same way (KafkaJSError's default is retriable).
  constructor(message: string) {
    super(message, { retriable: false });
  }
}

/**
 * `acknowledge('renew')` on a broker whose share groups cannot renew a lock: renewal (KIP-1222)
 * needs ShareAcknowledge v2, in Kafka 4.2 and later with `share.version=2`. Not retriable: the
 * broker's version does not change between calls. The record stays acquired; acknowledge it
 * before the lock expires, or raise `share.record.lock.duration.ms`.
 */
export class KafkaJSShareRenewUnsupportedError extends KafkaJSError {
  /** The topic of the record whose lock could not be renewed. */
  readonly topic: string;
  /** Its partition. */
  readonly partition: number;
  /** Its offset; the record stays acquired until its lock runs out. */
  readonly offset: number;

  constructor(topic: string, partition: number, offset: number) {
    super(
      `Cannot renew the acquisition lock of ${topic}[${partition}]@${offset}: the broker does not support ` +
        'lock renewal (KIP-1222 needs ShareAcknowledge v2: Kafka 4.2+ with share.version=2)',
      { retriable: false },
    );
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
  }
}
