import { MessagingAttributes as A } from '../observability/attributes.js';
import {
  baseAttributes,
  commitChannel,
  consumeChannel,
  keyAttribute,
  type OperationTraceContext,
  PendingOperation,
  rebalanceChannel,
} from '../observability/channels.js';
import { ConsumerMetricsRecorder, type ConsumerMetricsSnapshot } from '../observability/metrics.js';
import type { KafkaRecord } from '../protocol/records/types.js';
import { KafkaJSDeserializationError } from '../serdes/errors.js';
import type { ConsumerCore } from './core.js';
import type { FetchedBatch } from './fetcher.js';
import type { TopicPartitionOffset } from './offsets.js';
import { parseOffset } from './offsets.js';
import { type Batch, type KafkaMessage, toBatch, toKafkaMessage } from './payloads.js';

/** A {@link KafkaMessage} whose key and value went through the consumer's deserializers. */
export type TypedKafkaMessage<K = Buffer | null, V = Buffer | null> = Omit<KafkaMessage, 'key' | 'value'> & {
  /** The key as the key deserializer returned it (the raw Buffer, or null, without one). */
  key: K;
  /** The value as the value deserializer returned it (the raw Buffer, or null, without one). */
  value: V;
};

/** KafkaJS's `EachMessagePayload` (`K`/`V`: what the deserializers return; Buffers without them). */
export interface EachMessagePayload<K = Buffer | null, V = Buffer | null> {
  /** Topic of the message. */
  topic: string;
  /** Partition of the message. */
  partition: number;
  /** The message, key and value deserialized when the consumer has deserializers. */
  message: TypedKafkaMessage<K, V>;
  /** A no-op kept for KafkaJS code: kafkats heartbeats in the background while handlers run. */
  heartbeat(): Promise<void>;
  /** Pauses this message's partition; returns a function that resumes it. */
  pause(): () => void;
}

/** A {@link Batch} whose messages went through the consumer's deserializers. */
export type TypedBatch<K = Buffer | null, V = Buffer | null> = Omit<Batch, 'messages'> & {
  /** The batch's records, in offset order, deserialized. */
  messages: TypedKafkaMessage<K, V>[];
};

/** KafkaJS's `EachBatchPayload` (`K`/`V`: what the deserializers return; Buffers without them). */
export interface EachBatchPayload<K = Buffer | null, V = Buffer | null> {
  /** The batch, its messages deserialized when the consumer has deserializers. */
  batch: TypedBatch<K, V>;
  /** Marks an offset as processed, so that the next commit includes it. */
  resolveOffset(offset: string): void;
  /** A no-op kept for KafkaJS code: kafkats heartbeats in the background while handlers run. */
  heartbeat(): Promise<void>;
  /** Pauses this batch's partition; returns a function that resumes it. */
  pause(): () => void;
  /**
   * Commits the given offsets now; without arguments, commits the resolved offsets when the auto-commit
   * policy says they are due.
   */
  commitOffsetsIfNecessary(offsets?: Offsets): Promise<void>;
  /** The resolved offsets not committed yet, per topic and partition. */
  uncommittedOffsets(): OffsetsByTopicPartition;
  /** False once the consumer is stopping: a long batch should return early. */
  isRunning(): boolean;
  /**
   * True when the partition was revoked or re-assigned since the batch was fetched: its remaining
   * messages must not be processed.
   */
  isStale(): boolean;
}

/** Offsets by topic and partition, as `eachBatch`'s `commitOffsetsIfNecessary` and `uncommittedOffsets` carry them. */
export interface Offsets {
  /** One entry per topic. */
  topics: Array<{
    /** Topic name. */
    topic: string;
    /** Offsets of the topic's partitions. */
    partitions: Array<{
      /** Partition index. */
      partition: number;
      /** The offset to commit (decimal string): the next record to read, i.e. last processed + 1. */
      offset: string;
    }>;
  }>;
}
/** KafkaJS's name for what `uncommittedOffsets()` returns: the same shape as {@link Offsets}. */
export type OffsetsByTopicPartition = Offsets;

/** Handler of `consumer.run({ eachMessage })`: called once per message; its offset is resolved when it resolves. */
export type EachMessageHandler<K = Buffer | null, V = Buffer | null> = (
  payload: EachMessagePayload<K, V>,
) => Promise<void>;
/** Handler of `consumer.run({ eachBatch })`: called once per fetched batch of a partition. */
export type EachBatchHandler<K = Buffer | null, V = Buffer | null> = (
  payload: EachBatchPayload<K, V>,
) => Promise<void>;

export interface RunConfig {
  eachMessage?: EachMessageHandler;
  eachBatch?: EachBatchHandler;
  partitionsConsumedConcurrently: number;
  eachBatchAutoResolve: boolean;
}

/** A handler failed on a record; the partition was rewound to it so it is delivered again. */
export class HandlerFailure extends Error {
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'HandlerFailure';
  }
}

/** Delivers fetched batches to the user's handlers, resolving offsets and committing as configured. */
export class BatchRunner {
  private readonly metrics: ConsumerMetricsRecorder;
  private readonly deserializes: boolean;
  /** The auto-commit on its way to the coordinator, if any. */
  private commitInFlight: Promise<void> | undefined;

  constructor(
    private readonly core: ConsumerCore,
    private readonly config: RunConfig,
    private readonly isRunning: () => boolean,
  ) {
    this.metrics = observeConsumer(core);
    this.deserializes =
      core.options.keyDeserializer !== undefined || core.options.valueDeserializer !== undefined;
  }

  private isStale(b: FetchedBatch): boolean {
    const s = this.core.state.get(b.topic, b.partition);
    return s === undefined || s.epoch !== b.partitionEpoch;
  }

  /** True when delivery of this batch should stop before the next record. */
  private shouldStop(b: FetchedBatch): boolean {
    const { core } = this;
    if (!this.isRunning() || this.isStale(b) || core.state.isPaused(b.topic, b.partition)) return true;
    return core.group?.needsRejoin === true && core.group.protocol === 'classic' && this.eager();
  }

  private eager(): boolean {
    const g = this.core.group as { rebalance?: string } | undefined;
    return g?.rebalance === 'eager';
  }

  /** Sends the partition back to `offset` (unprocessed records are fetched again). */
  private rewind(b: FetchedBatch, offset: number): void {
    const s = this.core.state.get(b.topic, b.partition);
    if (s && s.epoch === b.partitionEpoch) {
      s.seek(offset);
      this.core.fetcher?.purge();
    }
  }

  private pauseFn(b: FetchedBatch): () => () => void {
    return () => {
      this.core.state.pause([{ topic: b.topic, partitions: [b.partition] }]);
      return () => {
        this.core.state.resume([{ topic: b.topic, partitions: [b.partition] }]);
        this.core.fetcher?.notify();
      };
    };
  }

  /** The run loop starts waiting for batches (poll idle ratio: one clock read per poll). */
  pollStarted(): void {
    this.metrics.pollStarted();
  }

  /** The run loop got its batches (or the wait timed out). */
  pollEnded(): void {
    this.metrics.pollEnded();
  }

  async process(b: FetchedBatch): Promise<void> {
    const { core } = this;
    const started = Date.now();
    const first = b.records[0]!.offset;
    const last = b.records[b.records.length - 1]!.offset;
    const info = {
      topic: b.topic,
      partition: b.partition,
      highWatermark: String(b.highWatermark),
      offsetLag: String(Math.max(0, b.highWatermark - 1 - last)),
      offsetLagLow: String(Math.max(0, b.highWatermark - 1 - first)),
      batchSize: b.records.length,
      firstOffset: String(first),
      lastOffset: String(last),
    };
    core.emit('consumer.start_batch_process', info);
    this.metrics.batchStarted(b.records.length);
    const position = this.config.eachBatch
      ? await this.processEachBatch(b)
      : await this.processEachMessage(b);
    this.metrics.position(b.topic, b.partition, position, b.highWatermark);
    core.emit('consumer.end_batch_process', { ...info, duration: Date.now() - started });
  }

  /** Returns the next offset to process in this partition. */
  private async processEachMessage(b: FetchedBatch): Promise<number> {
    const handler = this.config.eachMessage!;
    const tracker = this.core.tracker!;
    const heartbeat = async () => {};
    const pause = this.pauseFn(b);
    const metrics = this.metrics;
    const autoCommitsPerRecord = !this.everyBatch();
    let handled = 0;
    try {
      for (const r of b.records) {
        if (this.shouldStop(b)) {
          this.rewind(b, r.offset);
          return r.offset;
        }
        const message = toKafkaMessage(r);
        if (this.deserializes && !this.deserialize(b, message)) {
          tracker.resolveOffset(b.topic, b.partition, r.offset, b.leaderEpoch);
          continue;
        }
        const payload: EachMessagePayload = {
          topic: b.topic,
          partition: b.partition,
          message,
          heartbeat,
          pause,
        };
        metrics.inFlightHandlers++;
        try {
          if (consumeChannel.hasSubscribers) {
            await consumeChannel.tracePromise(
              handler,
              this.processContext(b, message, 1),
              undefined,
              payload,
            );
          } else await handler(payload);
        } catch (e) {
          this.rewind(b, r.offset);
          throw new HandlerFailure(e);
        } finally {
          metrics.inFlightHandlers--;
        }
        handled++;
        tracker.resolveOffset(b.topic, b.partition, r.offset, b.leaderEpoch);
        if (autoCommitsPerRecord && this.commitInFlight === undefined && tracker.shouldAutoCommit())
          void this.autoCommit();
      }
      return b.records[b.records.length - 1]!.offset + 1;
    } finally {
      metrics.processed(handled);
    }
  }

  /**
   * The message a front end other than run() (the async iterator, the stream) should yield for
   * `r`: deserialized when deserializers are configured; undefined when the record is to be
   * skipped (resolve its offset and go on). Throws a `KafkaJSDeserializationError` under `'fail'`.
   */
  messageFor(b: FetchedBatch, r: KafkaRecord): KafkaMessage | undefined {
    const message = toKafkaMessage(r);
    if (this.deserializes && !this.deserialize(b, message)) return undefined;
    return message;
  }

  /**
   * Replaces the message's key and value by what the deserializers make of them. False when the
   * record is to be skipped (policy `skip` or a callback); throws under `fail`, with the
   * partition rewound to the record.
   */
  private deserialize(b: FetchedBatch, message: KafkaMessage): boolean {
    const { keyDeserializer, valueDeserializer, onDeserializationError } = this.core.options;
    const context = {
      topic: b.topic,
      partition: b.partition,
      offset: message.offset,
      headers: message.headers,
    };
    let field: 'key' | 'value' = 'key';
    try {
      const m = message as unknown as { key: unknown; value: unknown };
      if (keyDeserializer) m.key = keyDeserializer.deserialize(message.key, context);
      field = 'value';
      if (valueDeserializer) m.value = valueDeserializer.deserialize(message.value, context);
      return true;
    } catch (cause) {
      this.metrics.deserializationErrors++;
      const data = field === 'key' ? message.key : message.value;
      const error = new KafkaJSDeserializationError(
        {
          topic: b.topic,
          partition: b.partition,
          offset: message.offset,
          field,
          data: Buffer.isBuffer(data) ? data : null,
        },
        cause,
      );
      if (onDeserializationError === 'fail') {
        this.rewind(b, Number(message.offset));
        throw error;
      }
      this.core.logger.warn('Skipping a record that does not deserialize', {
        topic: b.topic,
        partition: b.partition,
        offset: message.offset,
        field,
        error: error.message,
      });
      if (typeof onDeserializationError === 'function') {
        onDeserializationError(error, { topic: b.topic, partition: b.partition, offset: message.offset });
      }
      return false;
    }
  }

  /** The `kafkats:consume` context of one handler call (built only when someone subscribed). */
  private processContext(
    b: FetchedBatch,
    message: KafkaMessage | undefined,
    count: number,
  ): OperationTraceContext {
    const attributes = baseAttributes('process', 'process', undefined);
    attributes[A.DESTINATION_NAME] = b.topic;
    attributes[A.DESTINATION_PARTITION_ID] = String(b.partition);
    const groupId = this.core.options.groupId;
    if (groupId !== undefined) attributes[A.CONSUMER_GROUP_NAME] = groupId;
    if (message) {
      attributes[A.KAFKA_OFFSET] = Number(message.offset);
      const key = keyAttribute(message.key);
      if (key !== undefined) attributes[A.KAFKA_MESSAGE_KEY] = key;
      if (message.value === null) attributes[A.KAFKA_MESSAGE_TOMBSTONE] = true;
    } else attributes[A.BATCH_MESSAGE_COUNT] = count;
    return { name: `process ${b.topic}`, operation: 'process', attributes, message };
  }

  /** Commits through the core, counted and traced (`kafkats:commit`). */
  private async commit(offsets: TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return this.core.commit(offsets);
    try {
      if (commitChannel.hasSubscribers) {
        const attributes = baseAttributes('commit', 'settle', undefined);
        const groupId = this.core.options.groupId;
        if (groupId !== undefined) attributes[A.CONSUMER_GROUP_NAME] = groupId;
        const topics = new Set(offsets.map((o) => o.topic));
        if (topics.size === 1) attributes[A.DESTINATION_NAME] = offsets[0]!.topic;
        if (offsets.length === 1) {
          attributes[A.DESTINATION_PARTITION_ID] = String(offsets[0]!.partition);
          attributes[A.KAFKA_OFFSET] = offsets[0]!.offset;
        }
        attributes[A.BATCH_MESSAGE_COUNT] = offsets.length;
        const context: OperationTraceContext = { name: 'commit', operation: 'commit', attributes };
        await commitChannel.tracePromise(() => this.core.commit(offsets), context);
      } else await this.core.commit(offsets);
      if (this.core.options.groupId !== undefined) this.metrics.commits++;
    } catch (e) {
      this.metrics.commitFailures++;
      throw e;
    }
  }

  private everyBatch(): boolean {
    return this.core.tracker?.commitsEveryBatch ?? true;
  }

  /** Returns the next offset to process in this partition. */
  private async processEachBatch(b: FetchedBatch): Promise<number> {
    const { core } = this;
    const tracker = core.tracker!;
    let resolved = -1;
    const batch = toBatch(b.topic, b.partition, b.highWatermark, b.records);
    if (this.deserializes) {
      try {
        batch.messages = batch.messages.filter((m) => this.deserialize(b, m));
      } catch (e) {
        // Policy 'fail': nothing of this batch reached the handler.
        this.rewind(b, b.records[0]!.offset);
        throw e;
      }
    }
    const payload: EachBatchPayload = {
      batch,
      resolveOffset: (offset) => {
        const o = parseOffset(offset);
        if (o > resolved) resolved = o;
        tracker.resolveOffset(b.topic, b.partition, o, b.leaderEpoch);
      },
      heartbeat: async () => {},
      pause: this.pauseFn(b),
      commitOffsetsIfNecessary: async (offsets) => {
        if (offsets) {
          await this.commit(
            offsets.topics.flatMap((t) =>
              t.partitions.map((p) => ({
                topic: t.topic,
                partition: p.partition,
                offset: parseOffset(p.offset),
              })),
            ),
          );
        } else if (tracker.shouldAutoCommit()) {
          // The handler awaits this: the commit is made when it resolves.
          await this.commitResolvedNow();
        }
      },
      uncommittedOffsets: () => toOffsets(tracker.uncommitted()),
      isRunning: () => this.isRunning(),
      isStale: () => this.isStale(b),
    };
    const metrics = this.metrics;
    metrics.inFlightHandlers++;
    try {
      if (consumeChannel.hasSubscribers) {
        const context = this.processContext(b, undefined, batch.messages.length);
        await consumeChannel.tracePromise(this.config.eachBatch!, context, undefined, payload);
      } else await this.config.eachBatch!(payload);
    } catch (e) {
      this.rewind(b, resolved >= 0 ? resolved + 1 : b.records[0]!.offset);
      throw new HandlerFailure(e);
    } finally {
      metrics.inFlightHandlers--;
    }
    metrics.processed(batch.messages.length);
    const last = b.records[b.records.length - 1]!.offset;
    if (
      this.config.eachBatchAutoResolve &&
      !this.isStale(b) &&
      !this.core.state.isPaused(b.topic, b.partition)
    ) {
      payload.resolveOffset(String(last));
    } else if (resolved < last) {
      // KafkaJS re-delivers what the handler did not resolve.
      this.rewind(b, resolved >= 0 ? resolved + 1 : b.records[0]!.offset);
    }
    return resolved >= 0 ? resolved + 1 : b.records[0]!.offset;
  }

  /**
   * Auto-commits what was resolved without holding up the next records: the OffsetCommit travels
   * while the handler works on them (Java's auto-commit is asynchronous too). Awaiting each
   * commit before the next batch left the consumer idle for a round trip per batch, half of
   * consume-100b's wall time on a loaded machine (docs/benchmarks.md, "Consumer pipeline A/B").
   * One commit is on its way at a time, so commits reach the coordinator in order; a commit due
   * meanwhile is made by the next call (the run loop asks after every poll, and stop() commits
   * what is left). Failures are logged, as before.
   */
  autoCommit(): Promise<void> {
    if (this.commitInFlight === undefined && this.core.tracker) {
      this.commitInFlight = this.commitResolved().finally(() => {
        this.commitInFlight = undefined;
      });
    }
    return Promise.resolve();
  }

  /** Commits what was resolved and waits for it, after the auto-commit on its way (if any). */
  async commitResolvedNow(): Promise<void> {
    await this.commitInFlight;
    await this.commitResolved();
  }

  private async commitResolved(): Promise<void> {
    const tracker = this.core.tracker;
    if (!tracker) return;
    const sentUnder = this.core.group?.identity().generationIdOrMemberEpoch;
    try {
      await this.commit(tracker.uncommitted());
    } catch (e) {
      this.core.logger.warn('Auto-commit failed', { error: (e as Error).message });
      const g = this.core.group;
      const code = (e as { type?: string }).type;
      if (
        g &&
        // A commit sent under an older generation failed because the group moved on, which this
        // member has followed already (the commit was on its way during the join).
        g.identity().generationIdOrMemberEpoch === sentUnder &&
        (code === 'REBALANCE_IN_PROGRESS' || code === 'ILLEGAL_GENERATION' || code === 'UNKNOWN_MEMBER_ID')
      ) {
        g.requestRejoin(`commit failed with ${code}`);
      }
    }
  }
}

function toOffsets(list: TopicPartitionOffset[]): Offsets {
  const m = new Map<string, Array<{ partition: number; offset: string }>>();
  for (const o of list) {
    const l = m.get(o.topic);
    if (l) l.push({ partition: o.partition, offset: String(o.offset) });
    else m.set(o.topic, [{ partition: o.partition, offset: String(o.offset) }]);
  }
  return { topics: [...m].map(([topic, partitions]) => ({ topic, partitions })) };
}

const recorders = new WeakMap<ConsumerCore, ConsumerMetricsRecorder>();

/**
 * The consumer's metrics recorder, created on first use; it also starts listening to the
 * group's `rebalancing` / `group_join` events (rebalance count and durations, and the
 * `kafkats:rebalance` channel). Idempotent; every BatchRunner calls it, before the run loop
 * makes the first join.
 */
export function observeConsumer(core: ConsumerCore): ConsumerMetricsRecorder {
  let recorder = recorders.get(core);
  if (recorder) return recorder;
  const created = new ConsumerMetricsRecorder();
  recorder = created;
  recorders.set(core, created);
  let pending: PendingOperation | undefined;
  const started = (timestamp: number) => {
    created.rebalanceStarted(timestamp);
    if (pending === undefined && rebalanceChannel.hasSubscribers) {
      const attributes = baseAttributes('rebalance', undefined, undefined);
      const groupId = core.options.groupId;
      if (groupId !== undefined) attributes[A.CONSUMER_GROUP_NAME] = groupId;
      pending = new PendingOperation(rebalanceChannel, {
        name: groupId === undefined ? 'rebalance' : `rebalance ${groupId}`,
        operation: 'rebalance',
        attributes,
      });
    }
  };
  core.emitter.on('consumer.rebalancing', (event) => started(event.timestamp));
  // The first join emits no REBALANCING (KafkaJS), yet it is a rebalance for the metrics and the span.
  core.joinStartHooks?.add(() => started(Date.now()));
  core.emitter.on('consumer.group_join', (event) => {
    const duration = event.payload.duration;
    created.rebalanceEnded(typeof duration === 'number' ? duration : undefined, event.timestamp);
    if (pending) {
      const p = pending;
      pending = undefined;
      const count = event.payload.memberAssignment;
      if (count && typeof count === 'object') {
        let n = 0;
        for (const ps of Object.values(count)) n += Array.isArray(ps) ? ps.length : 0;
        p.context.attributes['kafkats.rebalance.assigned_partitions'] = n;
      }
      p.finish(undefined, event.payload);
    }
  });
  // A rebalance cut short by stop() or a crash ends its span (with the crash's error) and is not counted.
  const abandon = (error: unknown) => {
    created.rebalanceStartedAt = undefined;
    const p = pending;
    pending = undefined;
    p?.finish(error ?? new Error('the consumer stopped during the rebalance'));
  };
  core.emitter.on('consumer.stop', () => abandon(undefined));
  core.emitter.on('consumer.crash', (event) => abandon(event.payload.error));
  return created;
}

/** What `consumer.metrics()` returns: the counters plus lag of the partitions still assigned. */
export function consumerMetrics(core: ConsumerCore): ConsumerMetricsSnapshot {
  return observeConsumer(core).snapshot((topic, partition) => core.state.get(topic, partition) !== undefined);
}
