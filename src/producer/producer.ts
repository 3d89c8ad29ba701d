import { KafkaJSInvalidArgument } from '../errors/network.js';
import {
  type ClientEventListener,
  ClientEvents,
  type RemoveInstrumentationEventListener,
} from '../instrumentation/emitter.js';
import type {
  InstrumentationEmitter,
  NetworkRequestPayload,
  NetworkRequestQueueSizePayload,
  NetworkRequestTimeoutPayload,
} from '../instrumentation/events.js';
import type { Logger } from '../logger.js';
import { MessagingAttributes as A } from '../observability/attributes.js';
import {
  baseAttributes,
  keyAttribute,
  type OperationTraceContext,
  produceChannel,
} from '../observability/channels.js';
import { ProducerMetricsRecorder, type ProducerMetricsSnapshot } from '../observability/metrics.js';
import type { RecordInput } from '../protocol/records/types.js';
import { KafkaJSSerializationError } from '../serdes/errors.js';
import type { Serializer } from '../serdes/types.js';
import type { TelemetryHook } from '../telemetry/reporter.js';
import { StateMachine } from '../transitions.js';
import { RecordAccumulator } from './accumulator.js';
import { type BatchSettings, recordSizeUpperBound } from './batch.js';
import { BufferMemory } from './buffer-memory.js';
import { DeliveryReport, type RecordMetadata } from './delivery.js';
import {
  KafkaJSProducerNotConnectedError,
  KafkaJSRecordTooLargeError,
  KafkaJSSendAbortedError,
  KafkaJSTransactionStateError,
} from './errors.js';
import { IdempotenceManager } from './idempotence.js';
import { type Message, type RawMessageData, toRecord } from './message.js';
import { checkAcks, checkCompression, type ProducerOptions, resolveProducerOptions } from './options.js';
import { adaptivePartitioner } from './partitioners/adaptive.js';
import { DefaultPartitioner } from './partitioners/index.js';
import { NodeDrainStats } from './partitioners/load-stats.js';
import type { Partitioner, PartitionerMessage } from './partitioners/types.js';
import { withRetries } from './retry.js';
import { Sender } from './sender.js';
import { PRODUCER_TRANSITIONS, type ProducerState } from './states.js';
import { type OffsetsToCommit, TransactionManager } from './transactions.js';
import type { ProducerTransport, TransactionTransport } from './transport.js';

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

export interface ProducerContext {
  transport: ProducerTransport & Partial<TransactionTransport>;
  /** The producer's logger (KafkaJS's `producer.logger()`). */
  logger: Logger;
  /** An emitter created with prefix `'producer.'`, shared with the producer's cluster connections. */
  instrumentation: InstrumentationEmitter<ProducerEventMap>;
  /** The KIP-714 metrics push, started on connect and closed (terminating push) on disconnect. */
  telemetry?: TelemetryHook;
}

function checkTopic(topic: unknown, where: string): string {
  if (typeof topic !== 'string' || topic.length === 0) {
    throw new KafkaJSInvalidArgument(where, 'a topic name (non-empty string) is required');
  }
  return topic;
}

/**
 * A KafkaJS-shaped producer over the accumulator and sender: `send()` appends to per-partition
 * batches and resolves once the brokers acknowledged every record it carried.
 */
export class Producer<K = RawMessageData, V = RawMessageData> {
  /** The event names to pass to `on()`, as KafkaJS's `producer.events`. */
  readonly events = ProducerEvents;
  private readonly recorder = new ProducerMetricsRecorder();
  /** connect/disconnect moves, checked against the table in states.ts. */
  private readonly lifecycle = new StateMachine<ProducerState>(
    'producer',
    PRODUCER_TRANSITIONS,
    'disconnected',
  );
  private get state(): ProducerState {
    return this.lifecycle.state;
  }
  private readonly options;
  private readonly accumulator: RecordAccumulator;
  private readonly memory: BufferMemory;
  private readonly idempotence: IdempotenceManager | undefined;
  private readonly sender: Sender;
  private readonly partitioner: Partitioner;
  private readonly txn: TransactionManager | undefined;
  private readonly log: Logger;
  private warnedAcksUpgrade = false;

  /** @internal Use `kafka.producer()`. */
  constructor(
    private readonly context: ProducerContext,
    producerOptions: ProducerOptions<K, V> = {},
  ) {
    const o = resolveProducerOptions(producerOptions);
    this.options = o;
    this.log = context.logger.namespace('Producer');
    if (o.idempotenceOffReason !== undefined)
      this.log.info(`Idempotence turned off: ${o.idempotenceOffReason}`, { idempotent: false });
    const drainStats = new NodeDrainStats(o.partitionerAvailabilityTimeout);
    this.accumulator = new RecordAccumulator({
      batchSize: o.batchSize,
      lingerMs: o.lingerMs,
      maxInFlightPerPartition: o.idempotent ? 5 : o.maxInFlightRequests,
      drainStats,
    });
    this.memory = new BufferMemory(o.bufferMemory, o.maxBlockMs);
    const transport = context.transport;
    this.idempotence = o.idempotent
      ? new IdempotenceManager(transport, o.transactionalId ?? null, o.transactionTimeout)
      : undefined;
    this.sender = new Sender(
      this.accumulator,
      this.memory,
      transport,
      this.idempotence,
      {
        maxInFlightRequests: o.maxInFlightRequests,
        maxRequestSize: o.maxRequestSize,
        retryBackoffMs: o.retryBackoffMs,
        deliveryTimeout: o.deliveryTimeout,
        transactionalId: o.transactionalId ?? null,
      },
      this.log,
    );
    this.sender.onRequest = (batches) => this.recorder.requestSent(batches);
    this.sender.onThrottle = (ms) => this.recorder.responseThrottled(ms);
    this.partitioner = o.createPartitioner
      ? o.createPartitioner({ batchSize: o.batchSize })
      : o.adaptivePartitioning
        ? adaptivePartitioner(o.batchSize, {
            queuedBatches: (topic, partition) => this.accumulator.queuedBatches(topic, partition),
            isUnavailable: (nodeId, now) => drainStats.isUnavailable(nodeId, now),
          })
        : DefaultPartitioner({ batchSize: o.batchSize });
    if (o.transactionalId !== undefined) {
      const t = transport as ProducerTransport & TransactionTransport;
      if (typeof t.endTxn !== 'function') {
        throw new KafkaJSInvalidArgument(
          'transactionalId',
          'this client was built without transaction support',
        );
      }
      this.txn = new TransactionManager(
        o.transactionalId,
        t,
        this.idempotence!,
        this.accumulator,
        o.retry,
        this.log,
      );
      const txn = this.txn;
      this.sender.onBatchFailed = (_batch, error) => txn.markAbortable(error);
    }
  }

  /** The producer's logger, namespaced `Producer` (KafkaJS's `producer.logger()`). */
  logger(): Logger {
    return this.log;
  }

  /**
   * kafkats: a snapshot of the producer's counters: records/s, batch sizes, Produce requests in
   * flight, buffer memory in use (see docs/observability.md).
   */
  metrics(): ProducerMetricsSnapshot {
    return this.recorder.snapshot({
      inFlight: this.sender.requestsInFlight,
      bufferUsed: this.memory.usedBytes,
      bufferLimit: this.memory.limit,
      waiting: this.memory.waiting,
      partitions: this.accumulator.partitionMetrics(),
    });
  }

  /** Listens to a KafkaJS producer event (`producer.connect`, `producer.network.request`, …); returns the remover. */
  on<E extends ProducerEventName>(
    event: E,
    listener: ClientEventListener<ProducerEventPayloads, E>,
  ): RemoveInstrumentationEventListener<E> {
    // The context's emitter is prefixed with `producer.` and keyed without it.
    return new ClientEvents<ProducerEventPayloads>(
      'producer',
      Object.values(ProducerEvents),
      this.context.instrumentation,
      { internal: (name) => name.slice('producer.'.length) },
    ).on(event, listener);
  }

  /** The transaction version in use (1, or 2 with KIP-890 part 2); 0 for a non-transactional producer. */
  transactionVersion(): number {
    return this.txn?.version ?? 0;
  }

  /** Whether this producer is idempotent (the default; `idempotent: false` or `acks` other than -1 turn it off). */
  isIdempotent(): boolean {
    return this.idempotence !== undefined;
  }

  /**
   * Connects to the cluster and, when idempotent or transactional, obtains a producer id; emits
   * `producer.connect`. Calling it again while connected does nothing.
   */
  async connect(): Promise<void> {
    if (this.state === 'connected') return;

    this.lifecycle.to('connecting');
    try {
      // After a disconnect (KafkaJS allows connect → disconnect → connect).
      this.sender.reopen();
      await this.context.transport.connect();
      if (this.idempotence) await withRetries(() => this.idempotence!.init(), this.options.retry);
      if (this.txn) await this.txn.detectVersion();
      this.lifecycle.to('connected');
      this.context.telemetry?.start();
      this.context.instrumentation.emit('connect', {});
    } catch (error) {
      this.lifecycle.to('disconnected');
      throw error;
    }
  }

  /** Sends what is queued, waits for the answers, then closes the connections. */
  async disconnect(): Promise<void> {
    if (this.state === 'disconnected') return;
    if (this.state === 'connected') {
      this.lifecycle.to('disconnecting');
      try {
        await this.flush();
      } catch (error) {
        this.log.warn('Records still unacknowledged at disconnect', { error });
      }
    }
    this.lifecycle.to('disconnected');
    const closed = new KafkaJSProducerNotConnectedError('deliver the record');
    this.sender.close(closed);
    this.memory.rejectAll(closed);
    await this.context.telemetry?.close();
    await this.context.transport.disconnect();
    this.context.instrumentation.emit('disconnect', {});
  }

  /** Resolves when every record appended so far is acknowledged (or failed). Lingering batches go now. */
  async flush(): Promise<void> {
    const end = this.accumulator.beginFlush();
    try {
      this.sender.wake();
      await this.accumulator.whenIdle();
    } finally {
      end();
    }
  }

  /** Sends records to one topic; resolves once the brokers acknowledged every one (per `acks`). */
  async send(record: ProducerRecord<K, V>): Promise<RecordMetadata[]> {
    if (record === null || typeof record !== 'object')
      throw new KafkaJSInvalidArgument('send', 'expects { topic, messages }');
    return this.sendOutsideTransaction(batchOf(record));
  }

  /** Sends records to several topics in one call; resolves once all were acknowledged. */
  async sendBatch(batch: ProducerBatchRecord<K, V>): Promise<RecordMetadata[]> {
    return this.sendOutsideTransaction(batch);
  }

  /**
   * What send() and sendBatch() share. send() must not call the public sendBatch(): tracing
   * that wraps both methods on the instance (OpenTelemetry's KafkaJS instrumentation) would
   * then open two producer spans per message, the inner one overwriting the trace header.
   */
  private async sendOutsideTransaction(batch: ProducerBatchRecord<K, V>): Promise<RecordMetadata[]> {
    if (this.txn) {
      throw new KafkaJSTransactionStateError(
        'A transactional producer sends inside a transaction: const txn = await producer.transaction(); await txn.send(...)',
      );
    }
    return this.produce(batch);
  }

  /** One traced send (`kafkats:produce`) when someone subscribed; failures counted in the metrics. */
  private async produce(batch: ProducerBatchRecord<K, V>): Promise<RecordMetadata[]> {
    try {
      if (!produceChannel.hasSubscribers) return await this.produceUntraced(batch);
      const context = produceContext(batch);
      return await produceChannel.tracePromise(async () => {
        const result = await this.produceUntraced(batch);
        const first = result[0];
        if (
          first &&
          result.every((r) => r.partition === first.partition && r.topicName === first.topicName)
        ) {
          context.attributes[A.DESTINATION_PARTITION_ID] = String(first.partition);
        }
        return result;
      }, context);
    } catch (error) {
      this.recorder.sendErrors++;
      throw error;
    }
  }

  private async produceUntraced(batch: ProducerBatchRecord<K, V>): Promise<RecordMetadata[]> {
    if (this.state !== 'connected') throw new KafkaJSProducerNotConnectedError('send');
    if (
      batch === null ||
      typeof batch !== 'object' ||
      (batch.topicMessages !== undefined && !Array.isArray(batch.topicMessages))
    ) {
      throw new KafkaJSInvalidArgument('topicMessages', 'expects an array of { topic, messages }');
    }
    const topicMessages = batch.topicMessages ?? [];
    let acks = batch.acks === undefined ? this.options.acks : checkAcks(batch.acks);
    if (this.idempotence && acks !== -1) {
      if (!this.options.idempotenceDefaulted) {
        throw new KafkaJSInvalidArgument(
          'acks',
          `this producer was created idempotent and writes with acks -1 (all), got acks ${acks}; create it with idempotent: false for acks 0 or 1`,
        );
      }
      // A KafkaJS program passes acks per send; idempotence was only kafkats' default here, so
      // the records are written with the stronger acks -1 rather than refused.
      if (!this.warnedAcksUpgrade) {
        this.warnedAcksUpgrade = true;
        this.log.warn(
          `send() asked for acks ${acks}; this producer is idempotent by default and writes with acks -1 (all). Create it with { acks: ${acks} } or { idempotent: false } to write with acks ${acks}`,
          { acks },
        );
      }
      acks = -1;
    }
    const compression =
      batch.compression === undefined ? this.options.compression : checkCompression(batch.compression);
    const timeout = batch.timeout === undefined ? this.options.timeout : batch.timeout;
    if (!Number.isInteger(timeout) || timeout < 0)
      throw new KafkaJSInvalidArgument('timeout', 'must be a non-negative integer (ms)');
    const signal = batch.signal;
    const now = Date.now();
    const keySerializer = batch.keySerializer ?? this.options.keySerializer;
    const valueSerializer = batch.valueSerializer ?? this.options.valueSerializer;
    let appendedBytes = 0;
    let appendedRecords = 0;

    // Validate everything before anything is queued: a bad message fails the call, not the producer.
    // Per topic: parallel arrays (records, their reserved sizes, the messages), no object per record.
    const prepared = topicMessages.map((tm, t) => {
      const where = topicMessages.length === 1 ? 'topic' : `topicMessages[${t}].topic`;
      const topic = checkTopic(tm?.topic, where);
      if (!Array.isArray(tm.messages) || tm.messages.length === 0) {
        throw new KafkaJSInvalidArgument(`${topic}.messages`, 'must be a non-empty array of messages');
      }
      const count = tm.messages.length;
      const records = new Array<RecordInput>(count);
      const sizes = new Array<number>(count);
      const messages =
        keySerializer || valueSerializer ? new Array<Message>(count) : (tm.messages as unknown as Message[]);
      const { maxRequestSize, bufferMemory } = this.options;
      for (let i = 0; i < count; i++) {
        const original = tm.messages[i]!;
        const m =
          keySerializer || valueSerializer
            ? serializeMessage(original, topic, i, keySerializer, valueSerializer)
            : (original as unknown as Message);
        if (messages !== (tm.messages as unknown)) messages[i] = m;
        const r = toRecord(m, now, i);
        const size = recordSizeUpperBound(r) + 61;
        if (size > maxRequestSize) {
          throw new KafkaJSRecordTooLargeError(
            size,
            maxRequestSize,
            'maxRequestSize',
            `${topic} messages[${i}]`,
          );
        }
        if (size > bufferMemory) {
          throw new KafkaJSRecordTooLargeError(size, bufferMemory, 'bufferMemory', `${topic} messages[${i}]`);
        }
        records[i] = r;
        sizes[i] = size;
      }
      return { topic, records, sizes, messages };
    });

    signal?.throwIfAborted();
    const partitionsByTopic = new Map<string, number[]>();
    for (const { topic, messages } of prepared) {
      let meta = await this.partitionMetadata(topic, signal);
      // A partition number past the cached count may name a partition added since the metadata
      // was fetched (createPartitions): refresh once before calling it an error, as the Java
      // client waits for metadata that knows the partition.
      const beyond = (p: number) => Number.isInteger(p) && p >= meta.length;
      if (messages.some((message) => typeof message.partition === 'number' && beyond(message.partition))) {
        signal?.throwIfAborted();
        await this.context.transport.refreshMetadata([topic]);
        meta = this.context.transport.partitionsFor(topic) ?? meta;
      }
      const partitions = new Array<number>(messages.length);
      for (let i = 0; i < messages.length; i++) {
        // KafkaJS types a partitioner's message.timestamp as a string: a number given to send()
        // is handed over as its decimal string (a copy only in that case).
        const m = messages[i]!;
        const message =
          typeof m.timestamp === 'number'
            ? { ...m, timestamp: String(m.timestamp) }
            : (m as PartitionerMessage);
        const p = this.partitioner({ topic, partitionMetadata: meta, message });
        if (!Number.isInteger(p) || p < 0 || p >= meta.length) {
          throw new KafkaJSInvalidArgument(
            `${topic}.partition`,
            `partition ${String(p)} does not exist (the topic has ${meta.length} partitions)`,
          );
        }
        partitions[i] = p;
      }
      partitionsByTopic.set(topic, partitions);
    }
    if (this.txn) {
      const tps: Array<{ topic: string; partition: number }> = [];
      for (const [topic, ps] of partitionsByTopic)
        for (const partition of new Set(ps)) tps.push({ topic, partition });
      await this.txn.addPartitions(tps);
    }

    const settings: BatchSettings = { compression, acks, timeout };
    const report = new DeliveryReport();
    // A new batch's creation time: the call's start, or the time a wait for buffer memory ended.
    let appendAt = Date.now();
    for (const { topic, records, sizes } of prepared) {
      const partitions = partitionsByTopic.get(topic)!;
      for (let i = 0; i < records.length; i++) {
        const size = sizes[i]!;
        if (!this.memory.tryReserve(size)) {
          // Out of buffer memory: let queued records go, then wait for acknowledgements.
          this.sender.wake();
          const reservation = this.memory.reserve(size);
          if (signal) {
            await abortable(reservation, signal).catch((error: unknown) => {
              // The reservation may still be granted later: give it back then.
              reservation.then(
                () => this.memory.release(size),
                () => undefined,
              );
              throw error;
            });
          } else await reservation;
          if (this.state !== 'connected') throw new KafkaJSProducerNotConnectedError('send');
          appendAt = Date.now();
        }
        this.accumulator.append(topic, partitions[i]!, records[i]!, report, settings, size, appendAt);
        appendedBytes += size;
      }
      appendedRecords += records.length;
    }
    this.recorder.appended(appendedRecords, appendedBytes);
    report.seal();
    this.sender.wake();
    return report.promise;
  }

  private async partitionMetadata(topic: string, signal: AbortSignal | undefined) {
    const transport = this.context.transport;
    const cached = transport.partitionsFor(topic);
    if (cached && cached.length > 0) return cached;
    return withRetries(async () => {
      signal?.throwIfAborted();
      await transport.refreshMetadata([topic]);
      const meta = transport.partitionsFor(topic);
      if (!meta || meta.length === 0) {
        throw Object.assign(new KafkaJSInvalidArgument('topic', `topic ${topic} has no metadata yet`), {
          retriable: true,
        });
      }
      return meta;
    }, this.options.retry);
  }

  /** Starts a transaction (transactional producers only); KafkaJS's shape. */
  async transaction(): Promise<Transaction<K, V>> {
    const txn = this.txn;
    if (!txn) {
      throw new KafkaJSTransactionStateError('transaction() needs a producer created with a transactionalId');
    }
    if (this.state !== 'connected') throw new KafkaJSProducerNotConnectedError('begin a transaction');
    txn.begin();
    const guard = () => {
      if (this.state !== 'connected') throw new KafkaJSProducerNotConnectedError('use the transaction');
      txn.assertCanSend();
    };
    const end = async (commit: boolean) => {
      if (this.state !== 'connected') throw new KafkaJSProducerNotConnectedError('end the transaction');
      if (!commit) this.sender.failQueued(new KafkaJSTransactionStateError('The transaction was aborted'));
      await this.flush();
      await txn.end(commit);
    };
    return {
      send: async (record) => {
        guard();
        return this.produce(batchOf(record));
      },
      sendBatch: async (batch) => {
        guard();
        return this.produce(batch);
      },
      sendOffsets: async ({ consumerGroupId, consumer, topics }) => {
        guard();
        const groupId = consumerGroupId ?? groupIdOf(consumer);
        if (!groupId)
          throw new KafkaJSInvalidArgument(
            'consumerGroupId',
            'sendOffsets needs consumerGroupId or consumer',
          );
        const offsets: OffsetsToCommit[] = topics.map((t) => ({ topic: t.topic, partitions: t.partitions }));
        await txn.sendOffsets(groupId, offsets);
      },
      commit: () => end(true),
      abort: () => end(false),
      isActive: () => txn.isActive,
    };
  }
}

function batchOf<K, V>(record: ProducerRecord<K, V>): ProducerBatchRecord<K, V> {
  return {
    topicMessages: [{ topic: record.topic, messages: record.messages }],
    acks: record.acks,
    timeout: record.timeout,
    compression: record.compression,
    signal: record.signal,
    keySerializer: record.keySerializer,
    valueSerializer: record.valueSerializer,
  };
}

/** The message with its key and value through the serializers (headers copied: serializers may add some). */
function serializeMessage<K, V>(
  m: Message<K, V>,
  topic: string,
  index: number,
  keySerializer: Serializer<K> | Serializer<unknown> | undefined,
  valueSerializer: Serializer<V> | Serializer<unknown> | undefined,
): Message {
  if (m === null || typeof m !== 'object') return m as unknown as Message;
  const headers = { ...m.headers };
  const context = { topic, headers };
  let key: unknown = m.key;
  let value: unknown = m.value;
  if (keySerializer && key !== undefined) {
    try {
      key = (keySerializer as Serializer<unknown>).serialize(key, context);
    } catch (error) {
      throw new KafkaJSSerializationError({ topic, field: 'key', index }, error);
    }
  }
  if (valueSerializer) {
    try {
      value = (valueSerializer as Serializer<unknown>).serialize(value, context);
    } catch (error) {
      throw new KafkaJSSerializationError({ topic, field: 'value', index }, error);
    }
  }
  return { ...m, key: key as Message['key'], value: value as Message['value'], headers };
}

function produceContext<K, V>(batch: ProducerBatchRecord<K, V>): OperationTraceContext {
  const attributes = baseAttributes('send', 'send', undefined);
  const tms = Array.isArray(batch?.topicMessages) ? batch.topicMessages : [];
  let count = 0;
  for (const tm of tms) count += Array.isArray(tm?.messages) ? tm.messages.length : 0;
  const topics = new Set(tms.map((tm) => tm?.topic));
  const topic = topics.size === 1 ? tms[0]?.topic : undefined;
  if (typeof topic === 'string') attributes[A.DESTINATION_NAME] = topic;
  if (count !== 1) attributes[A.BATCH_MESSAGE_COUNT] = count;
  else {
    const only = tms.find((tm) => tm?.messages?.length)?.messages[0];
    const key = keyAttribute(only?.key);
    if (key !== undefined) attributes[A.KAFKA_MESSAGE_KEY] = key;
    if (only && only.value === null) attributes[A.KAFKA_MESSAGE_TOMBSTONE] = true;
    if (only && only.partition !== undefined && only.partition !== null) {
      attributes[A.DESTINATION_PARTITION_ID] = String(only.partition);
    }
  }
  return { name: typeof topic === 'string' ? `send ${topic}` : 'send', operation: 'send', attributes };
}

function groupIdOf(consumer: SendOffsetsArgs['consumer']): string | undefined {
  if (!consumer) return undefined;
  if ('getGroupId' in consumer && typeof consumer.getGroupId === 'function') return consumer.getGroupId();
  if ('groupId' in consumer && typeof consumer.groupId === 'string') return consumer.groupId;
  return undefined;
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new KafkaJSSendAbortedError(signal.reason));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new KafkaJSSendAbortedError(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
