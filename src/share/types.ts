import type { KafkaJSError } from '../errors/base.js';
import type { AcknowledgeType } from './ack.js';

export type { AcknowledgeType } from './ack.js';

/** KafkaJS's headers shape: a repeated header key becomes an array. */
export type ShareMessageHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

/** A record delivered by a share group, shaped like KafkaJS's `KafkaMessage` plus `deliveryCount`. */
export interface ShareMessage {
  /** The record key, or null. */
  key: Buffer | null;
  /** The record value, or null (a tombstone). */
  value: Buffer | null;
  /** Milliseconds since the epoch, as a string (KafkaJS). */
  timestamp: string;
  /** The record's own attributes byte, as KafkaJS's `KafkaMessage` carries it (unused by the v2 format, so 0). */
  attributes: number;
  /** Offset of the record in its partition (decimal string). */
  offset: string;
  /** Record headers; a key repeated in the record maps to an array of its values. */
  headers: ShareMessageHeaders;
  /** 1 on first delivery; each release or lock expiry makes the next delivery count one more. */
  deliveryCount: number;
}

/**
 * How records are acknowledged (Java's `share.acknowledgement.mode`):
 * - `implicit` (default): a handler that returns accepts the records it did not acknowledge
 *   itself, one that throws releases them;
 * - `explicit`: the application acknowledges every record with `acknowledge()`; a handler that
 *   returns leaves unacknowledged records held (they may be acknowledged later, until the lock
 *   expires), one that throws releases them.
 */
export type AcknowledgementMode = 'implicit' | 'explicit';

/** Options of `kafka.shareConsumer()`. */
export interface ShareConsumerOptions {
  /** The share group to join (required). */
  groupId: string;
  /** `implicit` (default) or `explicit`; see {@link AcknowledgementMode}. */
  acknowledgementMode?: AcknowledgementMode;
  /** How long a ShareFetch waits for records. Default 500. */
  maxWaitTimeInMs?: number;
  /** Default 1. */
  minBytes?: number;
  /** Per ShareFetch. Default 50 MiB. */
  maxBytes?: number;
  /** Records acquired per ShareFetch (a soft limit: whole batches are acquired). Default 500. */
  maxRecords?: number;
  /**
   * The most one compressed batch's records may decompress to, in bytes (default 256 MiB). A
   * batch beyond it is not delivered: its records are released (the broker archives them after
   * its delivery-count limit) and a `KafkaJSRecordBatchDecodeError` naming topic, partition and
   * offset is logged.
   */
  maxDecompressedBatchBytes?: number;
  /** Sent to the coordinator for rack-aware assignment. */
  rackId?: string;
  /** Milliseconds after which cached cluster metadata is refreshed even without an error; default the Kafka config's `metadataMaxAge`, else 300000. */
  metadataMaxAge?: number;
  /** Called with the broker's verdict on every acknowledgement sent (and on those dropped because the lock expired). */
  onAcknowledgementCommit?: (result: AcknowledgementCommit) => void;
}

/** What `onAcknowledgementCommit` receives: the broker's verdict on acknowledgements of one partition. */
export interface AcknowledgementCommit {
  /** Topic of the acknowledged records. */
  topic: string;
  /** Partition of the acknowledged records. */
  partition: number;
  /** Offsets whose acknowledgement this result reports. */
  offsets: number[];
  /** null when the broker applied the acknowledgements. */
  error: KafkaJSError | null;
}

/** Acknowledges one record. Throws a typed error for a second acknowledgement or an expired lock. */
export type Acknowledge = (type?: AcknowledgeType) => void;

/** Argument of the `eachMessage` handler of a share consumer. */
export interface ShareEachMessagePayload {
  /** Topic of the record. */
  topic: string;
  /** Partition of the record. */
  partition: number;
  /** The record. */
  message: ShareMessage;
  /** Acknowledges this record (`accept` by default, or `release`, `reject`, `renew`); see {@link Acknowledge}. */
  acknowledge: Acknowledge;
}

/** Records of one partition acquired together by a share consumer. */
export interface ShareBatch {
  /** Topic of the records. */
  topic: string;
  /** Partition of the records. */
  partition: number;
  /** The records, in offset order. */
  messages: ShareMessage[];
}

/** Argument of the `eachBatch` handler of a share consumer. */
export interface ShareEachBatchPayload {
  /** The records acquired from one partition. */
  batch: ShareBatch;
  /** Acknowledges one message of the batch. */
  acknowledge: (message: ShareMessage, type?: AcknowledgeType) => void;
  /** Whether the consumer is still running (false once `disconnect()` was called). */
  isRunning: () => boolean;
}

/** Argument of `shareConsumer.run()`: exactly one of the two handlers. */
export interface ShareRunOptions {
  /** Called for each record, one at a time per partition. */
  eachMessage?: (payload: ShareEachMessagePayload) => Promise<void> | void;
  /** Called for each batch of records acquired from one partition. */
  eachBatch?: (payload: ShareEachBatchPayload) => Promise<void> | void;
}

/** Argument of `shareConsumer.subscribe()`. */
export interface ShareSubscribeOptions {
  /** Topic names to add to the subscription (no regular expressions in share groups). */
  topics: string[];
}

export type ShareConsumerEvent = 'crash' | 'assignment' | 'acknowledgement';

/** The share consumer's events and the payload of each. */
export interface ShareConsumerEventMap {
  /** A non-recoverable error stopped the consumer; it disconnects itself after emitting. */
  crash: {
    /** The error that stopped the consumer. */
    error: KafkaJSError | Error;
  };
  /** The coordinator gave this member a new set of partitions. */
  assignment: {
    /** Member id the coordinator assigned. */
    memberId: string;
    /** Member epoch of the new assignment. */
    memberEpoch: number;
    /** Every partition now assigned to this member. */
    partitions: Array<{
      /** Topic name. */
      topic: string;
      /** Partition index. */
      partition: number;
    }>;
  };
  /** The broker's verdict on acknowledgements sent (same value as `onAcknowledgementCommit`). */
  acknowledgement: AcknowledgementCommit;
}
