import { KafkaJSError } from '../errors/base.js';
import { KafkaJSNonRetriableError } from '../errors/network.js';

/**
 * The producer's own typed errors. Errors a broker returns (NOT_LEADER_OR_FOLLOWER,
 * PRODUCER_FENCED, …) are the protocol layer's `KafkaJSProtocolError` family; these cover what
 * the producer itself decides.
 */

/** A record (or the request that would carry it) is larger than a configured or broker limit. */
export class KafkaJSRecordTooLargeError extends KafkaJSNonRetriableError {
  /** Size of the serialized record (or request), in bytes. */
  readonly size: number;
  /** The limit it exceeds, in bytes. */
  readonly limit: number;
  /** Which limit: `maxRequestSize`, `bufferMemory`. */
  readonly limitName: string;

  constructor(size: number, limit: number, limitName: string, where: string) {
    super(
      `${where}: the record is ${size} bytes when serialized, larger than ${limitName} (${limit} bytes); ` +
        `raise ${limitName} or send a smaller record`,
    );
    this.size = size;
    this.limit = limit;
    this.limitName = limitName;
  }
}

/** `send()` waited `maxBlockMs` for buffer memory (the `bufferMemory` limit) and none was freed. */
export class KafkaJSBufferExhaustedError extends KafkaJSError {
  /** Milliseconds send() waited for buffer memory before giving up. */
  readonly waitedMs: number;
  constructor(bytes: number, waitedMs: number, bufferMemory: number) {
    super(
      `Waited ${waitedMs} ms (maxBlockMs) for ${bytes} bytes of buffer memory; all ${bufferMemory} bytes ` +
        `(bufferMemory) are taken by records not yet acknowledged. The brokers are slower than the send rate.`,
      { retriable: true },
    );
    this.waitedMs = waitedMs;
  }
}

/** A batch was not acknowledged within `deliveryTimeout` (its first append to its last failure). */
export class KafkaJSDeliveryTimeoutError extends KafkaJSError {
  /** Topic of the batch that timed out. */
  readonly topic: string;
  /** Partition of the batch that timed out. */
  readonly partition: number;
  constructor(topic: string, partition: number, deliveryTimeout: number, cause?: unknown) {
    const why = cause instanceof Error ? `; last error: ${cause.message}` : '';
    super(
      `Records for ${topic}-${partition} were not acknowledged within deliveryTimeout (${deliveryTimeout} ms)${why}`,
      {
        retriable: false,
        cause,
      },
    );
    this.topic = topic;
    this.partition = partition;
  }
}

/** The producer is not connected (not yet, or no longer). */
export class KafkaJSProducerNotConnectedError extends KafkaJSNonRetriableError {
  constructor(operation: string) {
    super(`Cannot ${operation}: the producer is disconnected; call producer.connect() first`);
  }
}

/** A transaction method was called in a state that does not allow it (send outside a transaction, commit twice…). */
export class KafkaJSTransactionStateError extends KafkaJSNonRetriableError {}

/** The send was aborted through its `signal` before its records were handed to the accumulator. */
export class KafkaJSSendAbortedError extends KafkaJSNonRetriableError {
  constructor(reason?: unknown) {
    super('The send was aborted by its AbortSignal', { cause: reason });
  }
}
