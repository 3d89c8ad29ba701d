import { KafkaJSInvalidArgument } from '../errors/network.js';
import type { RetryOptions } from '../network/retry.js';
import { DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES } from '../protocol/compression/stream.js';
import type { KafkaJSDeserializationError } from '../serdes/errors.js';
import type { Deserializer } from '../serdes/types.js';
import type { PartitionAssigner } from './assignors/assigner.js';
import { kafkajsRoundRobin, PartitionAssigners } from './assignors/index.js';
import type { KafkaJSGroupJoinTimeout } from './join-errors.js';

/** kafkats: what happens to a record whose key or value does not deserialize (docs/serdes.md). */
export type DeserializationErrorPolicy =
  | 'fail'
  | 'skip'
  | ((
      error: KafkaJSDeserializationError,
      record: { topic: string; partition: number; offset: string },
    ) => void);

/** KafkaJS's consumer configuration, plus what kafkats adds (marked). */
export interface ConsumerOptions<K = Buffer | null, V = Buffer | null> {
  /** The consumer group to join; without it the consumer can only `assign()` partitions itself. */
  groupId?: string;
  /**
   * kafkats: push the consumer's metrics to the broker when the operator subscribed to them
   * (KIP-714, Java's `enable.metrics.push`). Default: the Kafka config's `enableMetricsPush` (true).
   */
  enableMetricsPush?: boolean;
  /** kafkats: turns each record key into `K` before the handler sees it (docs/serdes.md). */
  keyDeserializer?: Deserializer<K>;
  /** kafkats: turns each record value into `V`. */
  valueDeserializer?: Deserializer<V>;
  /** kafkats: `'fail'` (default: the consumer crashes at that record), `'skip'`, or a callback that is told and skips. */
  onDeserializationError?: DeserializationErrorPolicy;
  /** Default: round-robin, as in KafkaJS (offered as `roundrobin` and as KafkaJS's `RoundRobinAssigner`). */
  partitionAssigners?: PartitionAssigner[];
  /** Milliseconds without a heartbeat after which the coordinator removes the member (classic protocol). Default 30000. */
  sessionTimeout?: number;
  /** Milliseconds the coordinator waits for every member to rejoin during a rebalance (classic). Default 60000. */
  rebalanceTimeout?: number;
  /** Milliseconds between heartbeats; lower than `sessionTimeout` (a third is usual). Default 3000. */
  heartbeatInterval?: number;
  /** Metadata older than this many milliseconds is refreshed. Default 300000. */
  metadataMaxAge?: number;
  /** Whether a metadata request may create a subscribed topic that does not exist (when the broker allows it). Default true. */
  allowAutoTopicCreation?: boolean;
  /** The most bytes one fetch asks for from one partition. Default 1048576. */
  maxBytesPerPartition?: number;
  /** The broker answers a fetch once it has this many bytes (or `maxWaitTimeInMs` passed). Default 1. */
  minBytes?: number;
  /** The most bytes one fetch response may carry. Default 10485760. */
  maxBytes?: number;
  /** How long the broker may hold a fetch waiting for `minBytes`. Default 5000. */
  maxWaitTimeInMs?: number;
  /** KafkaJS: read records of aborted and open transactions too. Default false (read_committed). */
  readUncommitted?: boolean;
  /** This consumer's rack: with a rack-aware broker (KIP-392) it fetches from a replica in the same rack. */
  rackId?: string;
  /** KafkaJS retry options; `restartOnFailure` decides whether a crashed consumer restarts. */
  retry?: RetryOptions;
  /** kafkats: `classic` (JoinGroup/SyncGroup) or `consumer` (KIP-848). Default: `consumer` when the
   * coordinator supports ConsumerGroupHeartbeat (Kafka 4.x), `classic` otherwise. */
  groupProtocol?: 'classic' | 'consumer';
  /** kafkats: static membership (KIP-345 / KIP-848 instance id). */
  groupInstanceId?: string;
  /** kafkats: the server-side assignor for `groupProtocol: 'consumer'` (`uniform` or `range`). */
  groupRemoteAssignor?: string;
  /** kafkats: fetched batches held for the handler before fetching pauses. Default 32. */
  maxBufferedBatches?: number;
  /** kafkats: where to start when there is no committed offset and no `fromBeginning` said otherwise. */
  autoOffsetReset?: 'earliest' | 'latest' | 'none';
  /** Milliseconds to wait for the answer to one request of this consumer. Default 30000. */
  requestTimeout?: number;
  /**
   * kafkats: the most one fetched batch's records may decompress to, in bytes. Default 256 MiB.
   * A batch beyond it fails with `KafkaJSRecordBatchDecodeError` (caused by
   * `KafkaJSDecompressionLimitError`) and the consumer stays at that batch (docs/compression.md).
   */
  maxDecompressedBatchBytes?: number;
  /**
   * kafkats: how long `run()` waits for the first group join and assignment before it rejects
   * with {@link KafkaJSGroupJoinTimeout}. Default: `rebalanceTimeout + sessionTimeout` (90 s with
   * the defaults), the longest a healthy classic join can take when other members must rejoin.
   */
  joinTimeout?: number;
}

export interface ResolvedConsumerOptions {
  groupId: string | undefined;
  keyDeserializer: Deserializer<unknown> | undefined;
  valueDeserializer: Deserializer<unknown> | undefined;
  onDeserializationError: DeserializationErrorPolicy;
  partitionAssigners: PartitionAssigner[];
  sessionTimeout: number;
  rebalanceTimeout: number;
  heartbeatInterval: number;
  metadataMaxAge: number;
  maxBytesPerPartition: number;
  minBytes: number;
  maxBytes: number;
  maxWaitTimeInMs: number;
  readUncommitted: boolean;
  rackId: string | undefined;
  retries: number;
  initialRetryTime: number;
  maxRetryTime: number;
  groupProtocol: 'classic' | 'consumer' | undefined;
  groupInstanceId: string | null;
  groupRemoteAssignor: string | null;
  maxBufferedBatches: number;
  autoOffsetReset: 'earliest' | 'latest' | 'none';
  requestTimeout: number;
  maxDecompressedBatchBytes: number;
  joinTimeout: number;
  /** True when the caller passed `partitionAssigners` (a client-side assignor means the classic protocol). */
  assignersGiven: boolean;
}

function positiveInt(name: string, v: number | undefined, dflt: number, min = 0): number {
  if (v === undefined) return dflt;
  if (!Number.isInteger(v) || v < min) {
    throw new KafkaJSInvalidArgument(name, `must be an integer of at least ${min}, got ${String(v)}`);
  }
  return v;
}

function checkDeserializer(name: string, d: unknown): Deserializer<unknown> | undefined {
  if (d === undefined) return undefined;
  if (d === null || typeof d !== 'object' || typeof (d as Deserializer<unknown>).deserialize !== 'function') {
    throw new KafkaJSInvalidArgument(
      name,
      'must be an object with deserialize(data, { topic, partition, headers })',
    );
  }
  return d as Deserializer<unknown>;
}

export function resolveConsumerOptions<K, V>(o: ConsumerOptions<K, V>): ResolvedConsumerOptions {
  const policy = o.onDeserializationError ?? 'fail';
  if (policy !== 'fail' && policy !== 'skip' && typeof policy !== 'function') {
    throw new KafkaJSInvalidArgument(
      'onDeserializationError',
      `must be 'fail', 'skip' or a function (error, record) => void, got ${String(policy)}`,
    );
  }
  if (o.groupId !== undefined && (typeof o.groupId !== 'string' || o.groupId.length === 0)) {
    throw new KafkaJSInvalidArgument(
      'groupId',
      'must be a non-empty string (or left out to use assign() only)',
    );
  }
  if (o.groupProtocol !== undefined && o.groupProtocol !== 'classic' && o.groupProtocol !== 'consumer') {
    throw new KafkaJSInvalidArgument(
      'groupProtocol',
      `must be 'classic' or 'consumer', got ${String(o.groupProtocol)}`,
    );
  }
  const sessionTimeout = positiveInt('sessionTimeout', o.sessionTimeout, 30_000, 1);
  const heartbeatInterval = positiveInt('heartbeatInterval', o.heartbeatInterval, 3000, 1);
  if (heartbeatInterval >= sessionTimeout) {
    throw new KafkaJSInvalidArgument(
      'heartbeatInterval',
      `${heartbeatInterval} must be lower than sessionTimeout (${sessionTimeout}); a third of it is usual`,
    );
  }
  const rebalanceTimeout = positiveInt('rebalanceTimeout', o.rebalanceTimeout, 60_000, 1);
  return {
    groupId: o.groupId,
    keyDeserializer: checkDeserializer('keyDeserializer', o.keyDeserializer),
    valueDeserializer: checkDeserializer('valueDeserializer', o.valueDeserializer),
    onDeserializationError: policy,
    partitionAssigners: o.partitionAssigners?.length
      ? o.partitionAssigners
      : [PartitionAssigners.roundRobin, kafkajsRoundRobin],
    sessionTimeout,
    rebalanceTimeout,
    heartbeatInterval,
    metadataMaxAge: positiveInt('metadataMaxAge', o.metadataMaxAge, 300_000, 1),
    maxBytesPerPartition: positiveInt('maxBytesPerPartition', o.maxBytesPerPartition, 1_048_576, 1),
    minBytes: positiveInt('minBytes', o.minBytes, 1, 0),
    maxBytes: positiveInt('maxBytes', o.maxBytes, 10_485_760, 1),
    maxWaitTimeInMs: positiveInt('maxWaitTimeInMs', o.maxWaitTimeInMs, 5000, 0),
    readUncommitted: o.readUncommitted ?? false,
    rackId: o.rackId,
    retries: positiveInt('retry.retries', o.retry?.retries, 5, 0),
    initialRetryTime: positiveInt('retry.initialRetryTime', o.retry?.initialRetryTime, 300, 0),
    maxRetryTime: positiveInt('retry.maxRetryTime', o.retry?.maxRetryTime, 30_000, 0),
    groupProtocol: o.groupProtocol,
    groupInstanceId: o.groupInstanceId ?? null,
    groupRemoteAssignor: o.groupRemoteAssignor ?? null,
    maxBufferedBatches: positiveInt('maxBufferedBatches', o.maxBufferedBatches, 32, 1),
    autoOffsetReset: o.autoOffsetReset ?? 'latest',
    requestTimeout: positiveInt('requestTimeout', o.requestTimeout, 30_000, 1),
    maxDecompressedBatchBytes: positiveInt(
      'maxDecompressedBatchBytes',
      o.maxDecompressedBatchBytes,
      DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES,
      1,
    ),
    joinTimeout: positiveInt('joinTimeout', o.joinTimeout, rebalanceTimeout + sessionTimeout, 1),
    assignersGiven: (o.partitionAssigners?.length ?? 0) > 0,
  };
}
