import { KafkaJSInvalidArgument } from '../errors/network.js';
import type { InstrumentationEmitter } from '../instrumentation/events.js';
import type { Logger } from '../logger.js';
import { ProducerMetricsRecorder, type ProducerMetricsSnapshot } from '../observability/metrics.js';
import type { RecordInput } from '../protocol/records/types.js';
import { KafkaJSSerializationError } from '../serdes/errors.js';
import type { Serializer } from '../serdes/types.js';
import type { TelemetryHook } from '../telemetry/reporter.js';
import { RecordAccumulator } from './accumulator.js';
import { type BatchSettings, recordSizeUpperBound } from './batch.js';
import { BufferMemory } from './buffer-memory.js';
import { DeliveryReport, type RecordMetadata } from './delivery.js';
import {
  KafkaJSProducerNotConnectedError,
  KafkaJSRecordTooLargeError,
  KafkaJSSendAbortedError,
} from './errors.js';
import { IdempotenceManager } from './idempotence.js';
import { type Message, type RawMessageData, toRecord } from './message.js';
import {
  checkAcks,
  checkCompression,
  type ProducerOptions,
  type ResolvedProducerOptions,
  resolveProducerOptions,
} from './options.js';
import { adaptivePartitioner } from './partitioners/adaptive.js';
import { DefaultPartitioner } from './partitioners/index.js';
import { NodeDrainStats } from './partitioners/load-stats.js';
import type { Partitioner, PartitionerMessage } from './partitioners/types.js';
import { withRetries } from './retry.js';
import { Sender } from './sender.js';
import type { ProducerState } from './states.js';
import { TransactionManager } from './transactions.js';
import type { ProducerTransport, TransactionTransport } from './transport.js';
import type { ProducerBatchRecord, ProducerEventMap } from './types.js';

/** What a producer runs on; `createProducer()` builds it from the Kafka instance. */
export interface ProducerContext {
  /** The cluster as the producer's pipeline uses it (with the transaction requests when transactional). */
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
 * @internal
 * The producer's pipeline, behind the public `Producer` (producer.ts): record validation, partitioning,
 * buffer memory, the accumulator and the sender, the idempotence and transaction managers and the
 * metrics recorder. The front end owns the lifecycle and hands a read-only view of it here, so a
 * send can check that the producer is still connected, including after a wait for memory.
 */
export class ProducerCore<K = RawMessageData, V = RawMessageData> {
  readonly recorder = new ProducerMetricsRecorder();
  private readonly options: ResolvedProducerOptions;
  private readonly accumulator: RecordAccumulator;
  private readonly memory: BufferMemory;
  readonly idempotence: IdempotenceManager | undefined;
  readonly sender: Sender;
  private readonly partitioner: Partitioner;
  readonly txn: TransactionManager | undefined;
  readonly log: Logger;
  private warnedAcksUpgrade = false;
  private get state(): ProducerState {
    return this.lifecycle.state;
  }

  constructor(
    private readonly context: ProducerContext,
    producerOptions: ProducerOptions<K, V>,
    private readonly lifecycle: { readonly state: ProducerState },
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

  /** A snapshot of the counters with the pipeline's gauges (requests in flight, memory, partitions). */
  metrics(): ProducerMetricsSnapshot {
    return this.recorder.snapshot({
      inFlight: this.sender.requestsInFlight,
      bufferUsed: this.memory.usedBytes,
      bufferLimit: this.memory.limit,
      waiting: this.memory.waiting,
      partitions: this.accumulator.partitionMetrics(),
    });
  }

  /** Opens the pipeline: reopens the sender (after a disconnect), connects, gets a producer id and the transaction version. */
  async open(): Promise<void> {
    this.sender.reopen();
    await this.context.transport.connect();
    if (this.idempotence) await withRetries(() => this.idempotence!.init(), this.options.retry);
    if (this.txn) await this.txn.detectVersion();
  }

  /** Fails what is still queued or waiting for buffer memory with `reason`; the sender stops. */
  close(reason: Error): void {
    this.sender.close(reason);
    this.memory.rejectAll(reason);
  }

  /** Closes the cluster connections. */
  async disconnect(): Promise<void> {
    await this.context.transport.disconnect();
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

  /** Validates, partitions and appends the records; resolves once every one was acknowledged. */
  async produceUntraced(batch: ProducerBatchRecord<K, V>): Promise<RecordMetadata[]> {
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

  /** The topic's partitions: from the cache, else fetched until the topic has metadata (retried). */
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
