import type { KafkaJSError } from '../errors/base.js';
import type { AcknowledgeType } from './ack.js';

export type { AcknowledgeType } from './ack.js';

/** KafkaJS's headers shape: a repeated header key becomes an array. */
export type ShareMessageHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

/** A record delivered by a share group, shaped like KafkaJS's `KafkaMessage` plus `deliveryCount`. */
export interface ShareMessage {
  key: Buffer | null;
  value: Buffer | null;
  /** Milliseconds since the epoch, as a string (KafkaJS). */
  timestamp: string;
  attributes: number;
  offset: string;
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

export interface ShareConsumerOptions {
  groupId: string;
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

export interface ShareEachMessagePayload {
  topic: string;
  partition: number;
  message: ShareMessage;
  acknowledge: Acknowledge;
}

export interface ShareBatch {
  topic: string;
  partition: number;
  messages: ShareMessage[];
}

export interface ShareEachBatchPayload {
  batch: ShareBatch;
  /** Acknowledges one message of the batch. */
  acknowledge: (message: ShareMessage, type?: AcknowledgeType) => void;
  /** Whether the consumer is still running (false once `disconnect()` was called). */
  isRunning: () => boolean;
}

export interface ShareRunOptions {
  eachMessage?: (payload: ShareEachMessagePayload) => Promise<void> | void;
  eachBatch?: (payload: ShareEachBatchPayload) => Promise<void> | void;
}

export interface ShareSubscribeOptions {
  topics: string[];
}

export type ShareConsumerEvent = 'crash' | 'assignment' | 'acknowledgement';

export interface ShareConsumerEventMap {
  crash: { error: KafkaJSError | Error };
  assignment: {
    memberId: string;
    memberEpoch: number;
    partitions: Array<{ topic: string; partition: number }>;
  };
  acknowledgement: AcknowledgementCommit;
}
