import { KafkaJSInvalidArgument } from '../errors/network.js';
import type { RetryOptions } from '../network/retry.js';
import type { Serializer } from '../serdes/types.js';
import type { RawMessageData } from './message.js';
import type { ICustomPartitioner } from './partitioners/types.js';

/**
 * Acknowledgements a Produce request waits for: -1 all in-sync replicas (the default), 1 the leader
 * only, 0 none.
 */
export type Acks = -1 | 0 | 1;

/** The producer's default `batchSize`: 256 KiB. */
export const DEFAULT_BATCH_SIZE = 262144;

/**
 * What `kafka.producer(options)` accepts; KafkaJS's names plus the accumulator's (Java's) knobs.
 * `K` / `V` are the message key and value types the serializers take (see docs/serdes.md).
 */
export interface ProducerOptions<K = RawMessageData, V = RawMessageData> {
  /** kafkats: turns each message key into bytes before partitioning (see docs/serdes.md). */
  keySerializer?: Serializer<K>;
  /** kafkats: turns each message value into bytes. */
  valueSerializer?: Serializer<V>;
  /**
   * Default: Java's murmur2 for keyed records and adaptive sticky (KIP-794) for keyless ones, or
   * uniform sticky with `adaptivePartitioning: false`. A KafkaJS partitioner given here is used
   * as it is.
   */
  createPartitioner?: ICustomPartitioner;
  /**
   * kafkats: when no `createPartitioner` is given, keyless records favour partitions whose leader
   * has fewer batches waiting (KIP-794, Java's `partitioner.adaptive.partitioning.enable`).
   * Default true; false gives uniform sticky, as `Partitioners.DefaultPartitioner`.
   */
  adaptivePartitioning?: boolean;
  /**
   * kafkats: milliseconds a broker may have records waiting without taking any before keyless
   * records avoid its partitions (Java's `partitioner.availability.timeout.ms`). Default 0: off.
   */
  partitionerAvailabilityTimeout?: number;
  /** Retry policy for metadata, coordinator and transactional requests (KafkaJS `retry`). */
  retry?: RetryOptions;
  /** Time the broker may take to replicate a Produce (acks -1) before answering; default 30000. */
  timeout?: number;
  /** Milliseconds after which cached cluster metadata is refreshed even without an error; default the Kafka config's `metadataMaxAge`, else 300000. */
  metadataMaxAge?: number;
  /** Default true, as KafkaJS. */
  allowAutoTopicCreation?: boolean;
  /**
   * Default true unless another option conflicts (acks 0 or 1, more than 5 in flight), in which
   * case it is turned off and the producer logs why (Java's rule). Set explicitly, a conflict is
   * an error.
   */
  idempotent?: boolean;
  /** Makes the producer transactional (`producer.transaction()`); must be stable across restarts of the same application instance so that a restart fences its predecessor. Implies idempotence. */
  transactionalId?: string;
  /** Default 60000. */
  transactionTimeout?: number;
  /** Retried Produce requests in flight per broker connection; default 5 (at most 5 when idempotent). */
  maxInFlightRequests?: number;
  /** Milliseconds a batch waits for more records; default 5. */
  lingerMs?: number;
  /**
   * Bytes per partition batch (uncompressed estimate); default 262144 (256 KiB). Java's default is
   * 16384, librdkafka's 1 MB; batches are not preallocated here, so a large limit costs nothing
   * when traffic is light (lingerMs sends a batch before it fills), and under load it means fewer,
   * larger Produce requests (see docs/benchmarks.md, session 2).
   */
  batchSize?: number;
  /** Largest Produce request; default 1048576. */
  maxRequestSize?: number;
  /** Bytes of records the producer may hold unacknowledged; default 32 MiB. */
  bufferMemory?: number;
  /** How long send() waits for buffer memory before failing; default 60000. */
  maxBlockMs?: number;
  /** Upper bound from append to acknowledgement (retries included); default 120000. */
  deliveryTimeout?: number;
  /** Wait between Produce retries; default 100. */
  retryBackoffMs?: number;
  /** Default acks for send(); -1 (all). */
  acks?: Acks;
  /** Default codec for send(); CompressionTypes.None. */
  compression?: number;
  /**
   * kafkats: push the producer's metrics to the broker when the operator subscribed to them
   * (KIP-714, Java's `enable.metrics.push`). Default: the Kafka config's `enableMetricsPush` (true).
   */
  enableMetricsPush?: boolean;
}

/** The one retry options type (network/retry.ts), re-exported under the producer's name. */
export type { RetryOptions };

export interface ResolvedProducerOptions {
  keySerializer: Serializer<unknown> | undefined;
  valueSerializer: Serializer<unknown> | undefined;
  createPartitioner: ICustomPartitioner | undefined;
  adaptivePartitioning: boolean;
  partitionerAvailabilityTimeout: number;
  retry: Required<Omit<RetryOptions, 'restartOnFailure'>>;
  timeout: number;
  allowAutoTopicCreation: boolean;
  idempotent: boolean;
  /** Neither `idempotent` nor `transactionalId` was given: idempotence is kafkats' default here. */
  idempotenceDefaulted: boolean;
  /** Why the default idempotence was turned off (a conflicting option), for the log. */
  idempotenceOffReason: string | undefined;
  transactionalId: string | undefined;
  transactionTimeout: number;
  maxInFlightRequests: number;
  lingerMs: number;
  batchSize: number;
  maxRequestSize: number;
  bufferMemory: number;
  maxBlockMs: number;
  deliveryTimeout: number;
  retryBackoffMs: number;
  acks: Acks;
  compression: number;
}

function nonNegativeInt(
  options: ProducerOptions<unknown, unknown>,
  name: keyof ProducerOptions,
  fallback: number,
  min = 0,
): number {
  const v = options[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new KafkaJSInvalidArgument(name, `must be an integer ≥ ${min}, got ${String(v)}`);
  }
  return v;
}

function checkBoolean(value: unknown, option: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw new KafkaJSInvalidArgument(option, `must be true or false, got ${String(value)}`);
  return value;
}

export function checkAcks(acks: unknown, option = 'acks'): Acks {
  if (acks === -1 || acks === 0 || acks === 1) return acks;
  throw new KafkaJSInvalidArgument(option, `must be -1 (all), 0 or 1, got ${String(acks)}`);
}

export function checkCompression(codec: unknown, option = 'compression'): number {
  if (typeof codec === 'number' && Number.isInteger(codec) && codec >= 0 && codec <= 4) return codec;
  throw new KafkaJSInvalidArgument(
    option,
    `unknown compression codec ${String(codec)}; use CompressionTypes.None, GZIP, Snappy, LZ4 or ZSTD`,
  );
}

/** Applies defaults and rejects contradictory settings up front, with messages that say what to change. */
export function resolveProducerOptions<K, V>(options: ProducerOptions<K, V> = {}): ResolvedProducerOptions {
  const keySerializer = checkSerializer(options.keySerializer, 'keySerializer');
  const valueSerializer = checkSerializer(options.valueSerializer, 'valueSerializer');
  const transactionalId = options.transactionalId;
  if (
    transactionalId !== undefined &&
    (typeof transactionalId !== 'string' || transactionalId.length === 0)
  ) {
    throw new KafkaJSInvalidArgument('transactionalId', 'must be a non-empty string');
  }
  if (transactionalId !== undefined && options.idempotent === false) {
    throw new KafkaJSInvalidArgument(
      'idempotent',
      'a transactional producer is always idempotent; remove idempotent: false',
    );
  }
  // Java's rule (KIP-679): idempotence is on by default only when no other setting conflicts
  // with it; asked for explicitly (or implied by a transactional id), a conflict is an error.
  const idempotenceDefaulted = options.idempotent === undefined && transactionalId === undefined;
  const acks = options.acks === undefined ? -1 : checkAcks(options.acks);
  const maxInFlightRequests = nonNegativeInt(options, 'maxInFlightRequests', 5, 1);
  const conflict =
    acks !== -1
      ? { option: 'acks', text: `acks is ${acks}, and an idempotent producer writes with acks -1 (all)` }
      : maxInFlightRequests > 5
        ? {
            option: 'maxInFlightRequests',
            text: `maxInFlightRequests is ${maxInFlightRequests}, and the broker keeps 5 batches per partition for an idempotent producer`,
          }
        : undefined;
  const wanted = options.idempotent ?? true;
  if (wanted && conflict !== undefined && !idempotenceDefaulted) {
    const fix =
      transactionalId !== undefined
        ? `remove ${conflict.option} (a transactional producer is always idempotent)`
        : `remove ${conflict.option} or set idempotent: false`;
    throw new KafkaJSInvalidArgument(conflict.option, `${conflict.text}; ${fix}`);
  }
  const idempotent = wanted && conflict === undefined;
  const r = options.retry ?? {};
  return {
    keySerializer,
    valueSerializer,
    createPartitioner: options.createPartitioner,
    adaptivePartitioning: checkBoolean(options.adaptivePartitioning, 'adaptivePartitioning', true),
    partitionerAvailabilityTimeout: nonNegativeInt(options, 'partitionerAvailabilityTimeout', 0),
    retry: {
      maxRetryTime: r.maxRetryTime ?? 30000,
      initialRetryTime: r.initialRetryTime ?? 300,
      factor: r.factor ?? 0.2,
      multiplier: r.multiplier ?? 2,
      retries: r.retries ?? 5,
    },
    timeout: nonNegativeInt(options, 'timeout', 30000),
    allowAutoTopicCreation: options.allowAutoTopicCreation ?? true,
    idempotent,
    idempotenceDefaulted,
    idempotenceOffReason: wanted && !idempotent ? conflict?.text : undefined,
    transactionalId,
    transactionTimeout: nonNegativeInt(options, 'transactionTimeout', 60000, 1),
    maxInFlightRequests,
    lingerMs: nonNegativeInt(options, 'lingerMs', 5),
    batchSize: nonNegativeInt(options, 'batchSize', DEFAULT_BATCH_SIZE, 1),
    maxRequestSize: nonNegativeInt(options, 'maxRequestSize', 1048576, 1024),
    bufferMemory: nonNegativeInt(options, 'bufferMemory', 32 * 1024 * 1024, 1024),
    maxBlockMs: nonNegativeInt(options, 'maxBlockMs', 60000),
    deliveryTimeout: nonNegativeInt(options, 'deliveryTimeout', 120000, 1),
    retryBackoffMs: nonNegativeInt(options, 'retryBackoffMs', 100),
    acks,
    compression: options.compression === undefined ? 0 : checkCompression(options.compression),
  };
}

/** Fails fast on something that is not `{ serialize(value, context) }`. */
export function checkSerializer<T>(
  serializer: Serializer<T> | undefined,
  option: string,
): Serializer<unknown> | undefined {
  if (serializer === undefined) return undefined;
  if (serializer === null || typeof serializer !== 'object' || typeof serializer.serialize !== 'function') {
    throw new KafkaJSInvalidArgument(option, 'must be an object with serialize(value, { topic, headers })');
  }
  return serializer as Serializer<unknown>;
}
