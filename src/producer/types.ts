import type {
  NetworkRequestPayload,
  NetworkRequestQueueSizePayload,
  NetworkRequestTimeoutPayload,
} from '../instrumentation/events.js';
import type { Serializer } from '../serdes/types.js';
import type { RecordMetadata } from './delivery.js';
import type { Message, RawMessageData } from './message.js';

/** Argument of `producer.send()`: records for one topic (KafkaJS's shape). */
export interface ProducerRecord<K = RawMessageData, V = RawMessageData> {
  /** Topic the records are written to. */
  topic: string;
  /** The records; must not be empty. */
  messages: Message<K, V>[];
  /** kafkats: overrides the producer's `keySerializer` for this call. */
  keySerializer?: Serializer<K>;
  /** kafkats: overrides the producer's `valueSerializer` for this call. */
  valueSerializer?: Serializer<V>;
  /** -1 (all), 0 or 1; typed `number` as in KafkaJS, another number is refused with a typed error. */
  acks?: number;
  /** Broker-side timeout of the Produce request (ms). */
  timeout?: number;
  /** Codec of this call's batches, a {@link CompressionTypes} value; defaults to the producer's `compression` (none). */
  compression?: number;
  /** Aborts the send while it waits for metadata or buffer memory (not once its records are queued). */
  signal?: AbortSignal;
}

/** The records for one topic in a {@link ProducerBatchRecord}. */
export interface TopicMessages<K = RawMessageData, V = RawMessageData> {
  /** Topic the records are written to. */
  topic: string;
  /** The records; must not be empty. */
  messages: Message<K, V>[];
}

/** Argument of `producer.sendBatch()`: records for several topics in one call (KafkaJS's shape). */
export interface ProducerBatchRecord<K = RawMessageData, V = RawMessageData> {
  /** Optional as in KafkaJS: a batch without it sends nothing and resolves to `[]`. */
  topicMessages?: TopicMessages<K, V>[];
  /** kafkats: overrides the producer's `keySerializer` for this call. */
  keySerializer?: Serializer<K>;
  /** kafkats: overrides the producer's `valueSerializer` for this call. */
  valueSerializer?: Serializer<V>;
  /** -1 (all), 0 or 1, as {@link ProducerRecord.acks}. */
  acks?: number;
  /** Broker-side timeout of the Produce request (ms); defaults to the producer's `timeout` (30000). */
  timeout?: number;
  /** Codec of this call's batches, a {@link CompressionTypes} value; defaults to the producer's `compression` (none). */
  compression?: number;
  /** Aborts the send while it waits for metadata or buffer memory (not once its records are queued). */
  signal?: AbortSignal;
}

/** Offsets of one topic to commit with a transaction (`sendOffsets`). */
export interface TopicOffsets {
  /** Topic name. */
  topic: string;
  /** Offsets to commit per partition. */
  partitions: Array<{
    /** Partition index, from 0. */
    partition: number;
    /** Offset to commit (decimal string): the next record the group should read, i.e. last processed + 1. */
    offset: string;
  }>;
}

export interface Offsets {
  topics: TopicOffsets[];
}

/** Argument of `transaction.sendOffsets()`: the group and the offsets to commit with the transaction. */
export interface SendOffsetsArgs {
  /** Consumer group the offsets are committed for; required unless `consumer` is given. */
  consumerGroupId?: string;
  /** A kafkats consumer: its group id is used. */
  consumer?:
    | {
        /** The consumer's group id. */
        groupId?: string;
      }
    | {
        /** Returns the consumer's group id. */
        getGroupId?(): string;
      };
  /** Offsets to commit, per topic. */
  topics: TopicOffsets[];
}

/**
 * A transaction opened by `producer.transaction()`: sends and offset commits that become visible
 * together on `commit()` or not at all on `abort()`.
 */
export interface Transaction<K = RawMessageData, V = RawMessageData> {
  /** Sends records to one topic as part of the transaction. */
  send(record: ProducerRecord<K, V>): Promise<RecordMetadata[]>;
  /** Sends records to several topics as part of the transaction. */
  sendBatch(batch: ProducerBatchRecord<K, V>): Promise<RecordMetadata[]>;
  /** Commits a consumer group's offsets with the transaction (consume-transform-produce). */
  sendOffsets(args: SendOffsetsArgs): Promise<void>;
  /** Waits for the transaction's records, then commits it: its records and offsets become visible together. */
  commit(): Promise<void>;
  /** Aborts the transaction: read_committed consumers never see its records. */
  abort(): Promise<void>;
  /** Whether the transaction can still send, commit or abort. */
  isActive(): boolean;
}

/** KafkaJS's producer event names. */
export const ProducerEvents = Object.freeze({
  /** Emitted once `connect()` succeeded. */
  CONNECT: 'producer.connect',
  /** Emitted once `disconnect()` closed the connections. */
  DISCONNECT: 'producer.disconnect',
  /** Emitted for every request answered by a broker (payload {@link NetworkRequestPayload}). */
  REQUEST: 'producer.network.request',
  /** Emitted when a request timed out (payload {@link NetworkRequestTimeoutPayload}). */
  REQUEST_TIMEOUT: 'producer.network.request_timeout',
  /** Emitted when a connection's queue of requests waiting to be sent changes size. */
  REQUEST_QUEUE_SIZE: 'producer.network.request_queue_size',
} as const);

/** A KafkaJS producer event name (the values of `producer.events`). */
export type ProducerEventName = (typeof ProducerEvents)[keyof typeof ProducerEvents];

/**
 * Events the producer emits, without the `producer.` prefix: the context's emitter is created
 * with prefix `'producer.'` and shared with the cluster's connections, so network events arrive
 * as `producer.network.request` and so on, as in KafkaJS.
 */
export interface ProducerEventMap {
  /** Connects, gets a producer id when idempotent or transactional, and emits `producer.connect`. */
  connect: Record<string, never>;
  /** Emitted once `disconnect()` closed the connections (`producer.disconnect`). */
  disconnect: Record<string, never>;
  /** A request a broker answered (`producer.network.request`). */
  'network.request': NetworkRequestPayload;
  /** A request that timed out (`producer.network.request_timeout`). */
  'network.request_timeout': NetworkRequestTimeoutPayload;
  /** A connection's queue of unsent requests changed size (`producer.network.request_queue_size`). */
  'network.request_queue_size': NetworkRequestQueueSizePayload;
}

type Unprefixed<K extends ProducerEventName> = K extends `producer.${infer R}`
  ? R & keyof ProducerEventMap
  : never;

/** The producer's events by their public (KafkaJS) names, each with its payload. */
export type ProducerEventPayloads = { [K in ProducerEventName]: ProducerEventMap[Unprefixed<K>] };
