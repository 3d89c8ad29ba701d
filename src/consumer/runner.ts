import type { ConsumerCore } from './core.js';
import type { FetchedBatch } from './fetcher.js';
import type { TopicPartitionOffset } from './offsets.js';
import { parseOffset } from './offsets.js';
import { type Batch, type KafkaMessage, toBatch, toKafkaMessage } from './payloads.js';

/** KafkaJS's `EachMessagePayload`. */
export interface EachMessagePayload {
  topic: string;
  partition: number;
  message: KafkaMessage;
  heartbeat(): Promise<void>;
  pause(): () => void;
}

/** KafkaJS's `EachBatchPayload`. */
export interface EachBatchPayload {
  batch: Batch;
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
  pause(): () => void;
  commitOffsetsIfNecessary(offsets?: Offsets): Promise<void>;
  uncommittedOffsets(): OffsetsByTopicPartition;
  isRunning(): boolean;
  isStale(): boolean;
}

export interface Offsets {
  topics: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>;
}
export type OffsetsByTopicPartition = Offsets;

export type EachMessageHandler = (payload: EachMessagePayload) => Promise<void>;
export type EachBatchHandler = (payload: EachBatchPayload) => Promise<void>;

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
  constructor(
    private readonly core: ConsumerCore,
    private readonly config: RunConfig,
    private readonly isRunning: () => boolean,
  ) {}

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
    if (this.config.eachBatch) await this.processEachBatch(b);
    else await this.processEachMessage(b);
    core.emit('consumer.end_batch_process', { ...info, duration: Date.now() - started });
  }

  private async processEachMessage(b: FetchedBatch): Promise<void> {
    const handler = this.config.eachMessage!;
    const tracker = this.core.tracker!;
    const heartbeat = async () => {};
    const pause = this.pauseFn(b);
    for (const r of b.records) {
      if (this.shouldStop(b)) {
        this.rewind(b, r.offset);
        return;
      }
      try {
        await handler({
          topic: b.topic,
          partition: b.partition,
          message: toKafkaMessage(r),
          heartbeat,
          pause,
        });
      } catch (e) {
        this.rewind(b, r.offset);
        throw new HandlerFailure(e);
      }
      tracker.resolveOffset(b.topic, b.partition, r.offset);
      if (!this.everyBatch() && tracker.shouldAutoCommit()) await this.autoCommit();
    }
  }

  private everyBatch(): boolean {
    return this.core.tracker?.commitsEveryBatch ?? true;
  }

  private async processEachBatch(b: FetchedBatch): Promise<void> {
    const { core } = this;
    const tracker = core.tracker!;
    let resolved = -1;
    const payload: EachBatchPayload = {
      batch: toBatch(b.topic, b.partition, b.highWatermark, b.records),
      resolveOffset: (offset) => {
        const o = parseOffset(offset);
        if (o > resolved) resolved = o;
        tracker.resolveOffset(b.topic, b.partition, o);
      },
      heartbeat: async () => {},
      pause: this.pauseFn(b),
      commitOffsetsIfNecessary: async (offsets) => {
        if (offsets) {
          await core.commit(
            offsets.topics.flatMap((t) =>
              t.partitions.map((p) => ({
                topic: t.topic,
                partition: p.partition,
                offset: parseOffset(p.offset),
              })),
            ),
          );
        } else if (tracker.shouldAutoCommit()) {
          await this.autoCommit();
        }
      },
      uncommittedOffsets: () => toOffsets(tracker.uncommitted()),
      isRunning: () => this.isRunning(),
      isStale: () => this.isStale(b),
    };
    try {
      await this.config.eachBatch!(payload);
    } catch (e) {
      this.rewind(b, resolved >= 0 ? resolved + 1 : b.records[0]!.offset);
      throw new HandlerFailure(e);
    }
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
  }

  async autoCommit(): Promise<void> {
    const tracker = this.core.tracker;
    if (!tracker) return;
    try {
      await this.core.commit(tracker.uncommitted());
    } catch (e) {
      this.core.logger.warn('Auto-commit failed', { error: (e as Error).message });
      const g = this.core.group;
      const code = (e as { type?: string }).type;
      if (
        g &&
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
