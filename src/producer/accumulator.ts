import type { ProducerPartitionMetrics } from '../observability/metrics.js';
import type { RecordInput } from '../protocol/records/types.js';
import { type BatchSettings, ProducerBatch } from './batch.js';
import { BatchBuffers } from './batch-buffers.js';
import type { DeliveryReport } from './delivery.js';
import { PartitionDeliveryStats } from './partition-stats.js';
import type { NodeDrainStats } from './partitioners/load-stats.js';

/** Per-partition state: the queue of batches not yet acknowledged, and idempotence bookkeeping. */
export class PartitionQueue {
  /** Batches waiting to be sent, oldest first; a retried batch goes back in sequence order. */
  readonly batches: ProducerBatch[] = [];
  /** Batches of this partition in requests not yet answered. */
  inFlight = 0;
  /** After a failed attempt, one batch at a time until the retried ones are through (keeps order). */
  retrying = false;
  /** Next sequence number to stamp on a fresh batch (idempotence). */
  nextSequence = 0;
  /**
   * Sequence the broker expects next as far as we know: the end of the last acknowledged batch
   * (idempotence). A batch stamped with another sequence has an earlier, unresolved sibling.
   */
  ackedSequence = 0;
  /** What became of this partition's records (KIP-714 per-partition metrics). */
  readonly stats = new PartitionDeliveryStats();
  /**
   * Records and estimated bytes of `batches`, kept up to date where batches enter, grow and
   * leave the queue, so that a metrics snapshot costs O(partitions) and does not walk them.
   */
  queuedRecords = 0;
  queuedBytes = 0;

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  /** Puts a failed batch back, before every batch with a higher sequence (or at the head). */
  requeue(batch: ProducerBatch): void {
    let i = 0;
    if (batch.baseSequence >= 0) {
      while (i < this.batches.length) {
        const other = this.batches[i]!;
        if (other.baseSequence < 0 || other.baseSequence > batch.baseSequence) break;
        i++;
      }
    }
    this.batches.splice(i, 0, batch);
    this.queuedRecords += batch.recordCount;
    this.queuedBytes += batch.sizeBytes;
  }

  /** Queues a batch at the tail. */
  push(batch: ProducerBatch): void {
    this.batches.push(batch);
    this.queuedRecords += batch.recordCount;
    this.queuedBytes += batch.sizeBytes;
  }

  /** Takes the head batch out of the queue (drained, expired). */
  shift(): ProducerBatch | undefined {
    const batch = this.batches.shift();
    if (batch !== undefined) this.left(batch);
    return batch;
  }

  /** Takes every queued batch out. */
  takeAll(): ProducerBatch[] {
    const out = this.batches.splice(0);
    this.queuedRecords = 0;
    this.queuedBytes = 0;
    return out;
  }

  private left(batch: ProducerBatch): void {
    this.queuedRecords -= batch.recordCount;
    this.queuedBytes -= batch.sizeBytes;
  }
}

export interface AccumulatorOptions {
  batchSize: number;
  lingerMs: number;
  /** Max batches of one partition in flight at once (5 with idempotence: the broker's dedup window). */
  maxInFlightPerPartition: number;
  /** Fed with which brokers had data and which were drained, for the adaptive partitioner. */
  drainStats?: NodeDrainStats;
}

export interface ReadyCheck {
  /** Leaders (node ids) with at least one sendable batch. */
  readyNodes: Set<number>;
  /** Milliseconds until the next batch becomes sendable (linger or backoff), or undefined when none waits. */
  nextDelayMs: number | undefined;
  /** Partitions whose leader is unknown (-1): metadata must be refreshed. */
  unknownLeaders: boolean;
}

/**
 * Collects records into per-partition batches (Java's RecordAccumulator). `append` is
 * synchronous so that many concurrent `send()` calls coalesce into the same batches; the
 * sender asks which leaders have sendable batches (`ready`) and takes them one broker at a
 * time (`drain`).
 */
export class RecordAccumulator {
  /** Queues by topic, then indexed by partition: `queue` runs per record and builds no key. */
  private readonly queues = new Map<string, PartitionQueue[]>();
  private readonly order: PartitionQueue[] = [];
  private drainStart = 0;
  /** While > 0, lingering batches are sendable at once (flush, close). */
  private flushes = 0;
  private undone = 0;
  private idleWaiters: Array<() => void> = [];

  /**
   * Memory for batches, reused once a batch is acknowledged. Room for a full batch and one
   * record past it: a batch closes after the record that filled it.
   */
  readonly buffers: BatchBuffers;

  constructor(private readonly options: AccumulatorOptions) {
    this.buffers = new BatchBuffers(options.batchSize + 1024);
  }

  queue(topic: string, partition: number): PartitionQueue {
    let byPartition = this.queues.get(topic);
    if (byPartition === undefined) {
      byPartition = [];
      this.queues.set(topic, byPartition);
    }
    let q = byPartition[partition];
    if (q === undefined) {
      q = new PartitionQueue(topic, partition);
      byPartition[partition] = q;
      this.order.push(q);
    }
    return q;
  }

  /** Batches of a partition queued or in flight: the adaptive partitioner's load signal (KIP-794). */
  queuedBatches(topic: string, partition: number): number {
    const q = this.queues.get(topic)?.[partition];
    return q === undefined ? 0 : q.batches.length + q.inFlight;
  }

  get partitions(): readonly PartitionQueue[] {
    return this.order;
  }

  /**
   * Each partition's queue (records and bytes waiting to be sent, in-flight batches excluded)
   * and delivery outcomes: the KIP-714 per-partition producer metrics. O(partitions): the queue
   * counts are kept by PartitionQueue as batches come and go.
   */
  partitionMetrics(): ProducerPartitionMetrics[] {
    const out: ProducerPartitionMetrics[] = [];
    for (const q of this.order) {
      const s = q.stats;
      out.push({
        topic: q.topic,
        partition: q.partition,
        queuedRecords: q.queuedRecords,
        queuedBytes: q.queuedBytes,
        recordsSucceeded: s.succeeded,
        recordsFailed: s.failed,
        recordsRetried: s.retried,
        latency: { count: s.latencyCount, totalMs: s.latencyTotalMs, maxMs: s.latencyMaxMs },
      });
    }
    return out;
  }

  /** Batches appended and not yet completed (acknowledged or failed). */
  get pendingBatches(): number {
    return this.undone;
  }

  append(
    topic: string,
    partition: number,
    record: RecordInput,
    report: DeliveryReport,
    settings: BatchSettings,
    reservedBytes: number,
    now: number,
  ): ProducerBatch {
    const q = this.queue(topic, partition);
    const last = q.batches[q.batches.length - 1];
    if (last !== undefined) {
      const before = last.sizeBytes;
      if (
        last.tryAppend(record, report, settings, this.options.batchSize, reservedBytes, this.buffers.allocate)
      ) {
        // The tail batch is queued: the queue's counts grow with it.
        q.queuedRecords++;
        q.queuedBytes += last.sizeBytes - before;
        if (last.sizeBytes >= this.options.batchSize) last.closed = true;
        return last;
      }
    }
    if (last !== undefined) last.closed = true;
    const batch = new ProducerBatch(topic, partition, settings, now);
    batch.tryAppend(record, report, settings, this.options.batchSize, reservedBytes, this.buffers.allocate);
    if (batch.sizeBytes >= this.options.batchSize) batch.closed = true;
    q.push(batch);
    this.undone++;
    return batch;
  }

  private sendable(q: PartitionQueue, now: number): { ok: boolean; waitMs: number | undefined } {
    const head = q.batches[0];
    if (head === undefined) return { ok: false, waitMs: undefined };
    if (q.retrying ? q.inFlight > 0 : q.inFlight >= this.options.maxInFlightPerPartition) {
      return { ok: false, waitMs: undefined };
    }
    if (head.retryAt > now) return { ok: false, waitMs: head.retryAt - now };
    if (head.attempts > 0 || head.closed || q.batches.length > 1 || this.flushes > 0)
      return { ok: true, waitMs: 0 };
    const waited = now - head.createdAt;
    if (waited >= this.options.lingerMs) return { ok: true, waitMs: 0 };
    return { ok: false, waitMs: this.options.lingerMs - waited };
  }

  ready(leaderOf: (topic: string, partition: number) => number, now: number): ReadyCheck {
    const readyNodes = new Set<number>();
    let nextDelayMs: number | undefined;
    let unknownLeaders = false;
    for (const q of this.order) {
      if (q.batches.length === 0) continue;
      const leader = leaderOf(q.topic, q.partition);
      if (leader < 0) {
        unknownLeaders = true;
        continue;
      }
      this.options.drainStats?.hadData(leader, now);
      const { ok, waitMs } = this.sendable(q, now);
      if (ok) readyNodes.add(leader);
      else if (waitMs !== undefined && (nextDelayMs === undefined || waitMs < nextDelayMs))
        nextDelayMs = waitMs;
    }
    return { readyNodes, nextDelayMs, unknownLeaders };
  }

  /**
   * Takes at most one sendable batch per partition led by `nodeId`, up to `maxBytes` in all (the
   * first batch is always taken), all with the same acks/timeout so they fit one Produce
   * request. Partitions are visited round-robin across calls so that none starves.
   */
  drain(
    nodeId: number,
    leaderOf: (topic: string, partition: number) => number,
    maxBytes: number,
    now: number,
    stamp?: (batch: ProducerBatch, queue: PartitionQueue) => void,
  ): ProducerBatch[] {
    const out: ProducerBatch[] = [];
    const n = this.order.length;
    if (n === 0) return out;
    let bytes = 0;
    const start = this.drainStart % n;
    for (let i = 0; i < n; i++) {
      const q = this.order[(start + i) % n]!;
      if (q.batches.length === 0 || leaderOf(q.topic, q.partition) !== nodeId) continue;
      if (!this.sendable(q, now).ok) continue;
      const head = q.batches[0]!;
      if (out.length > 0) {
        const first = out[0]!.settings;
        if (head.settings.acks !== first.acks || head.settings.timeout !== first.timeout) continue;
        if (bytes + head.sizeBytes > maxBytes) continue;
      }
      q.shift();
      head.closed = true;
      if (stamp) stamp(head, q);
      q.inFlight++;
      bytes += head.sizeBytes;
      out.push(head);
    }
    this.drainStart = (start + 1) % n;
    if (out.length > 0) this.options.drainStats?.drained(nodeId, now);
    return out;
  }

  /** The sender got an answer (or gave up) for a drained batch. */
  inFlightDone(batch: ProducerBatch): void {
    this.queue(batch.topic, batch.partition).inFlight--;
  }

  /** A drained batch will be tried again after `backoffMs`; the partition sends one batch at a time until it is through. */
  requeue(batch: ProducerBatch, retryAt: number): void {
    const q = this.queue(batch.topic, batch.partition);
    batch.retryAt = retryAt;
    q.retrying = true;
    q.requeue(batch);
  }

  /**
   * A drained batch the broker found too large was split into `children`, which take its place
   * (in sequence order) and are sent after `retryAt`, one at a time like retried batches.
   */
  replaceWithSplit(batch: ProducerBatch, children: ProducerBatch[], retryAt: number): void {
    const q = this.queue(batch.topic, batch.partition);
    q.retrying = true;
    for (let i = children.length - 1; i >= 0; i--) {
      children[i]!.retryAt = retryAt;
      q.requeue(children[i]!);
    }
    this.undone += children.length - 1;
  }

  /** A batch completed for good (acknowledged or failed). */
  complete(batch: ProducerBatch): void {
    const q = this.queue(batch.topic, batch.partition);
    if (q.retrying && q.inFlight === 0 && !q.batches.some((b) => b.attempts > 0)) q.retrying = false;
    this.undone--;
    if (this.undone === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** Makes every lingering batch sendable until the returned function is called. */
  beginFlush(): () => void {
    this.flushes++;
    let ended = false;
    return () => {
      if (!ended) {
        ended = true;
        this.flushes--;
      }
    };
  }

  /** Resolves when no batch is pending. */
  whenIdle(): Promise<void> {
    if (this.undone === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Removes every queued (not in-flight) batch, for failing them all (close, fatal error, abort). */
  takeAllQueued(): ProducerBatch[] {
    const out: ProducerBatch[] = [];
    for (const q of this.order) out.push(...q.takeAll());
    return out;
  }

  /** Queued batches whose delivery deadline passed (appended more than `deliveryTimeout` ago). */
  takeExpired(now: number, deliveryTimeout: number): ProducerBatch[] {
    const out: ProducerBatch[] = [];
    for (const q of this.order) {
      while (q.batches.length > 0 && now - q.batches[0]!.createdAt >= deliveryTimeout) out.push(q.shift()!);
    }
    return out;
  }
}
