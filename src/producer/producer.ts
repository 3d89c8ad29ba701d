import { KafkaJSInvalidArgument } from '../errors/network.js';
import {
  type ClientEventListener,
  ClientEvents,
  type RemoveInstrumentationEventListener,
} from '../instrumentation/emitter.js';
import type { Logger } from '../logger.js';
import { MessagingAttributes as A } from '../observability/attributes.js';
import {
  baseAttributes,
  keyAttribute,
  type OperationTraceContext,
  produceChannel,
} from '../observability/channels.js';
import type { ProducerMetricsSnapshot } from '../observability/metrics.js';
import { StateMachine } from '../transitions.js';
import { type ProducerContext, ProducerCore } from './core.js';
import type { RecordMetadata } from './delivery.js';
import { KafkaJSProducerNotConnectedError, KafkaJSTransactionStateError } from './errors.js';
import type { RawMessageData } from './message.js';
import type { ProducerOptions } from './options.js';
import { PRODUCER_TRANSITIONS, type ProducerState } from './states.js';
import type { OffsetsToCommit } from './transactions.js';
import {
  type ProducerBatchRecord,
  type ProducerEventName,
  type ProducerEventPayloads,
  ProducerEvents,
  type ProducerRecord,
  type SendOffsetsArgs,
  type Transaction,
} from './types.js';

// Tests build a Producer on a hand-made context whose emitter is typed by this map.
export type { ProducerEventMap } from './types.js';

/**
 * A KafkaJS-shaped producer over the accumulator and sender: `send()` appends to per-partition
 * batches and resolves once the brokers acknowledged every record it carried.
 */
export class Producer<K = RawMessageData, V = RawMessageData> {
  /** The event names to pass to `on()`, as KafkaJS's `producer.events`. */
  readonly events = ProducerEvents;
  /** connect/disconnect moves, checked against the table in states.ts. */
  private readonly lifecycle = new StateMachine<ProducerState>(
    'producer',
    PRODUCER_TRANSITIONS,
    'disconnected',
  );
  private get state(): ProducerState {
    return this.lifecycle.state;
  }
  /** The pipeline (accumulator, sender, managers); it reads the lifecycle to refuse sends when not connected. */
  private readonly core: ProducerCore<K, V>;

  /** @internal Use `kafka.producer()`. */
  constructor(
    private readonly context: ProducerContext,
    producerOptions: ProducerOptions<K, V> = {},
  ) {
    this.core = new ProducerCore<K, V>(context, producerOptions, this.lifecycle);
  }

  /** The producer's logger, namespaced `Producer` (KafkaJS's `producer.logger()`). */
  logger(): Logger {
    return this.core.log;
  }

  /**
   * kafkats: a snapshot of the producer's counters: records/s, batch sizes, Produce requests in
   * flight, buffer memory in use (see docs/observability.md).
   */
  metrics(): ProducerMetricsSnapshot {
    return this.core.metrics();
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
    return this.core.txn?.version ?? 0;
  }

  /** Whether this producer is idempotent (the default; `idempotent: false` or `acks` other than -1 turn it off). */
  isIdempotent(): boolean {
    return this.core.idempotence !== undefined;
  }

  /**
   * Connects to the cluster and, when idempotent or transactional, obtains a producer id; emits
   * `producer.connect`. Calling it again while connected does nothing.
   */
  async connect(): Promise<void> {
    if (this.state === 'connected') return;

    this.lifecycle.to('connecting');
    try {
      // After a disconnect too (KafkaJS allows connect → disconnect → connect).
      await this.core.open();
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
        this.core.log.warn('Records still unacknowledged at disconnect', { error });
      }
    }
    this.lifecycle.to('disconnected');
    this.core.close(new KafkaJSProducerNotConnectedError('deliver the record'));
    // The terminating metrics push (KIP-714) still needs the connections.
    await this.context.telemetry?.close();
    await this.core.disconnect();
    this.context.instrumentation.emit('disconnect', {});
  }

  /** Resolves when every record appended so far is acknowledged (or failed). Lingering batches go now. */
  async flush(): Promise<void> {
    return this.core.flush();
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
    if (this.core.txn) {
      throw new KafkaJSTransactionStateError(
        'A transactional producer sends inside a transaction: const txn = await producer.transaction(); await txn.send(...)',
      );
    }
    return this.produce(batch);
  }

  /** One traced send (`kafkats:produce`) when someone subscribed; failures counted in the metrics. */
  private async produce(batch: ProducerBatchRecord<K, V>): Promise<RecordMetadata[]> {
    try {
      if (!produceChannel.hasSubscribers) return await this.core.produceUntraced(batch);
      const context = produceContext(batch);
      return await produceChannel.tracePromise(async () => {
        const result = await this.core.produceUntraced(batch);
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
      this.core.recorder.sendErrors++;
      throw error;
    }
  }

  /** Starts a transaction (transactional producers only); KafkaJS's shape. */
  async transaction(): Promise<Transaction<K, V>> {
    const txn = this.core.txn;
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
      if (!commit)
        this.core.sender.failQueued(new KafkaJSTransactionStateError('The transaction was aborted'));
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
