import type { Logger } from '../logger.js';
import { Codes } from '../protocol/codes.js';
import { sealRecordBatch } from '../protocol/records/encode.js';
import type { PartitionQueue, RecordAccumulator } from './accumulator.js';
import type { ProducerBatch } from './batch.js';
import type { BufferMemory } from './buffer-memory.js';
import { KafkaJSDeliveryTimeoutError } from './errors.js';
import { type IdempotenceManager, nextSequence } from './idempotence.js';
import { isRetriableProduceError, needsMetadataRefresh } from './produce-errors.js';
import type { ProduceRequestData, ProduceResponseData, ProducerTransport } from './transport.js';

export interface SenderOptions {
  maxInFlightRequests: number;
  maxRequestSize: number;
  retryBackoffMs: number;
  deliveryTimeout: number;
  transactionalId: string | null;
  /** Minimum wait between two metadata refreshes triggered by the sender. */
  metadataBackoffMs?: number;
}

/**
 * Moves batches from the accumulator to the brokers (Java's Sender, franz-go's sink). Each pass
 * asks the accumulator which leaders have sendable batches and, for every such broker with a
 * free in-flight slot (`maxInFlightRequests`), drains one Produce request's worth. Requests to
 * one broker are encoded and handed to its connection strictly in drain order, so sequence
 * numbers reach the broker in order. Answers decide per partition: done, retry the same batch
 * (same sequence) after a backoff, re-route after a metadata refresh, bump the epoch (KIP-360),
 * or fail the batch's sends with a typed error.
 */
export class Sender {
  private readonly inFlight = new Map<number, number>();
  private readonly chains = new Map<number, Promise<void>>();
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = 0;
  private running = true;
  private refreshing: Promise<void> | undefined;
  private lastRefresh = 0;
  private bumping = false;
  private totalInFlight = 0;
  /** Called for every batch that fails for good (transactions turn this into an abortable state). */
  onBatchFailed: ((batch: ProducerBatch, error: unknown) => void) | undefined;

  constructor(
    private readonly accumulator: RecordAccumulator,
    private readonly memory: BufferMemory,
    private readonly transport: ProducerTransport,
    private readonly idempotence: IdempotenceManager | undefined,
    private readonly options: SenderOptions,
    private readonly logger: Logger,
  ) {}

  private readonly leaderOf = (topic: string, partition: number): number =>
    this.transport.leaderFor(topic, partition);

  /** Asks for a pass soon (after the current tick, so that synchronous appends coalesce first). */
  wake(): void {
    if (this.scheduled || !this.running) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.run();
    });
  }

  get requestsInFlight(): number {
    return this.totalInFlight;
  }

  private scheduleAt(delayMs: number): void {
    const at = Date.now() + delayMs;
    if (this.timer !== undefined && this.timerAt <= at) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.wake();
    }, delayMs);
  }

  private run(): void {
    if (!this.running) return;
    const now = Date.now();
    for (const batch of this.accumulator.takeExpired(now, this.options.deliveryTimeout)) {
      this.failBatch(
        batch,
        new KafkaJSDeliveryTimeoutError(
          batch.topic,
          batch.partition,
          this.options.deliveryTimeout,
          batch.lastError,
        ),
      );
    }
    const idem = this.idempotence;
    if (idem?.needsBump) {
      if (this.totalInFlight === 0 && !this.bumping) this.bump(idem);
      return;
    }
    const check = this.accumulator.ready(this.leaderOf, now);
    if (check.unknownLeaders) this.refreshMetadata();
    for (const node of check.readyNodes) {
      while ((this.inFlight.get(node) ?? 0) < this.options.maxInFlightRequests) {
        const batches = this.accumulator.drain(
          node,
          this.leaderOf,
          this.options.maxRequestSize,
          now,
          this.stamp,
        );
        if (batches.length === 0) break;
        this.send(node, batches);
      }
    }
    if (check.nextDelayMs !== undefined) this.scheduleAt(Math.max(1, check.nextDelayMs));
    else if (check.unknownLeaders) this.scheduleAt(this.options.retryBackoffMs || 50);
  }

  private readonly stamp = (batch: ProducerBatch, queue: PartitionQueue): void => {
    const idem = this.idempotence;
    if (idem === undefined) return;
    batch.transactional = this.options.transactionalId !== null;
    if (batch.baseSequence >= 0 && batch.producerEpoch === idem.pid.producerEpoch) return;
    batch.producerId = idem.pid.producerId;
    batch.producerEpoch = idem.pid.producerEpoch;
    batch.baseSequence = queue.nextSequence;
    batch.encoded = undefined;
    queue.nextSequence = nextSequence(queue.nextSequence, batch.recordCount);
  };

  private bump(idem: IdempotenceManager): void {
    this.bumping = true;
    this.logger.warn(
      'Bumping the producer epoch (KIP-360) after the broker lost or rejected our sequence state',
      {
        producerId: idem.pid.producerId,
        producerEpoch: idem.pid.producerEpoch,
      },
    );
    idem
      .bumpEpoch(this.accumulator)
      .catch((error: unknown) => {
        this.logger.error('Epoch bump failed; retrying after a backoff', { error });
        idem.needsBump = true;
        return new Promise((r) => setTimeout(r, this.options.retryBackoffMs || 100));
      })
      .finally(() => {
        this.bumping = false;
        this.wake();
      });
  }

  private refreshMetadata(): void {
    if (this.refreshing) return;
    const wait = (this.options.metadataBackoffMs ?? 100) - (Date.now() - this.lastRefresh);
    const topics = [...new Set(this.accumulator.partitions.map((q) => q.topic))];
    this.refreshing = new Promise<void>((r) => setTimeout(r, Math.max(0, wait)))
      .then(() => this.transport.refreshMetadata(topics))
      .catch((error: unknown) => this.logger.warn('Metadata refresh failed', { error }))
      .finally(() => {
        this.lastRefresh = Date.now();
        this.refreshing = undefined;
        this.wake();
      });
  }

  private async encode(batch: ProducerBatch): Promise<Buffer> {
    if (batch.encoded) return batch.encoded;
    // A retried batch's bytes may still sit in the write queue of the connection its earlier
    // attempt went out on: a new header (sequence, epoch) goes into a copy, never under it.
    const bytes = batch.attempts > 0 ? Buffer.from(batch.recordBytes) : batch.recordBytes;
    const encoded = await sealRecordBatch(bytes, {
      compression: batch.settings.compression as 0 | 1 | 2 | 3 | 4,
      producerId: batch.producerId,
      producerEpoch: batch.producerEpoch,
      baseSequence: batch.baseSequence,
      transactional: batch.transactional,
      count: batch.recordCount,
      baseTimestamp: batch.baseTimestamp,
      maxTimestamp: batch.maxTimestamp,
    });
    batch.encoded = encoded;
    return encoded;
  }

  /** Called with the batches of each Produce request as it is drained (metrics). */
  onRequest: ((batches: readonly ProducerBatch[]) => void) | undefined;

  /** Called with the throttle time of each Produce response (metrics). */
  onThrottle: ((throttleTimeMs: number) => void) | undefined;

  private send(node: number, batches: ProducerBatch[]): void {
    this.inFlight.set(node, (this.inFlight.get(node) ?? 0) + 1);
    this.totalInFlight++;
    this.onRequest?.(batches);
    const first = batches[0]!.settings;
    // Encoding (compression) is async; chaining per broker keeps requests in drain order.
    const previous = this.chains.get(node) ?? Promise.resolve();
    const request = previous.then(async (): Promise<ProduceRequestData> => {
      const byTopic = new Map<string, Array<{ index: number; records: Buffer }>>();
      for (const b of batches) {
        const records = await this.encode(b);
        let list = byTopic.get(b.topic);
        if (list === undefined) {
          list = [];
          byTopic.set(b.topic, list);
        }
        list.push({ index: b.partition, records });
      }
      return {
        transactionalId: this.options.transactionalId,
        acks: first.acks,
        timeoutMs: first.timeout,
        topicData: [...byTopic].map(([name, partitionData]) => ({ name, partitionData })),
      };
    });
    const response = request.then((req) => this.transport.produce(node, req));
    // The chain must only wait for the request to be handed over, not answered: pipelining.
    this.chains.set(
      node,
      request.then(
        () => undefined,
        () => undefined,
      ),
    );
    response
      .then(
        (res) => this.handleResponse(batches, res),
        (error: unknown) => {
          for (const b of batches) {
            this.accumulator.inFlightDone(b);
            this.retryOrFail(b, error, true);
          }
        },
      )
      .catch((error: unknown) => this.logger.error('Unexpected error handling a Produce response', { error }))
      .finally(() => {
        this.inFlight.set(node, (this.inFlight.get(node) ?? 1) - 1);
        this.totalInFlight--;
        this.wake();
      });
  }

  private handleResponse(batches: ProducerBatch[], res: ProduceResponseData | null): void {
    if (res === null) {
      for (const b of batches) {
        this.accumulator.inFlightDone(b);
        this.succeedBatch(b, -1n, -1n, -1n);
      }
      return;
    }
    this.onThrottle?.(res.throttleTimeMs ?? 0);
    const results = new Map<string, (typeof res.responses)[number]['partitionResponses'][number]>();
    for (const t of res.responses)
      for (const p of t.partitionResponses) results.set(`${t.name}\u0000${p.index}`, p);
    for (const b of batches) {
      this.accumulator.inFlightDone(b);
      const r = results.get(`${b.topic}\u0000${b.partition}`);
      if (r === undefined) {
        this.retryOrFail(
          b,
          new Error(`The broker's Produce answer has no result for ${b.topic}-${b.partition}`),
          true,
        );
        continue;
      }
      this.handlePartition(b, r.errorCode, r.baseOffset, r.logAppendTimeMs, r.logStartOffset, r.errorMessage);
    }
  }

  private handlePartition(
    b: ProducerBatch,
    code: number,
    baseOffset: bigint,
    logAppendTime: bigint,
    logStartOffset: bigint,
    message: string | null | undefined,
  ): void {
    if (code === Codes.NONE || code === Codes.DUPLICATE_SEQUENCE_NUMBER) {
      // A duplicate means an earlier attempt was written: the records are there exactly once.
      this.succeedBatch(b, baseOffset, logAppendTime, logStartOffset);
      return;
    }
    const error = this.transport.errorFor(code, message);
    const idem = this.idempotence;
    if (idem && (code === Codes.OUT_OF_ORDER_SEQUENCE_NUMBER || code === Codes.UNKNOWN_PRODUCER_ID)) {
      const q = this.accumulator.queue(b.topic, b.partition);
      // A batch ahead of the sequence the broker acknowledged last has an earlier sibling still
      // unresolved (failed, in flight, or written with its answer lost), which explains the gap:
      // resend in order, same sequences, once that one is through. The lowest unacknowledged batch
      // being refused means the broker lost or rejects our state. So does a batch *behind* the
      // acknowledged sequence: a broker with no state for this producer accepts any first
      // sequence, so on a fresh partition a later batch can be written while an earlier one is
      // refused (NOT_ENOUGH_REPLICAS while the ISR forms); the earlier one can then never be
      // written under this epoch, and resending it as it is would loop until the delivery timeout.
      const explained =
        code === Codes.OUT_OF_ORDER_SEQUENCE_NUMBER && isAhead(b.baseSequence, q.ackedSequence);
      if (!explained && this.options.transactionalId === null) idem.needsBump = true;
      if (!explained && this.options.transactionalId !== null) {
        this.failBatch(b, error);
        return;
      }
      // The protocol error is not retriable on its own (as in Java); here the sender knows it is.
      this.retryOrFail(b, error, false, true);
      return;
    }
    if (code === Codes.MESSAGE_TOO_LARGE && b.recordCount > 1) {
      // As the Java client does: the batch, not a record, is over the broker's limit; send it in halves.
      b.lastError = error;
      const children = b.split(Math.max(1, Math.floor(b.sizeBytes / 2)));
      this.logger.info('Splitting a batch the broker found too large', {
        topic: b.topic,
        partition: b.partition,
        records: b.recordCount,
        batches: children.length,
      });
      this.accumulator.replaceWithSplit(b, children, Date.now());
      return;
    }
    if (isRetriableProduceError(code)) {
      this.retryOrFail(b, error, needsMetadataRefresh(code));
      return;
    }
    this.failBatch(b, error);
  }

  private retryOrFail(b: ProducerBatch, error: unknown, refresh: boolean, forceRetry = false): void {
    const retriable =
      forceRetry || !(error instanceof Error) || (error as { retriable?: boolean }).retriable !== false;
    const now = Date.now();
    if (!retriable || !this.running) {
      this.failBatch(b, error);
      return;
    }
    if (now + this.options.retryBackoffMs - b.createdAt >= this.options.deliveryTimeout) {
      this.failBatch(
        b,
        new KafkaJSDeliveryTimeoutError(b.topic, b.partition, this.options.deliveryTimeout, error),
      );
      return;
    }
    b.attempts++;
    b.lastError = error;
    this.accumulator.queue(b.topic, b.partition).stats.retried += b.recordCount;
    this.logger.debug('Retrying a batch', {
      topic: b.topic,
      partition: b.partition,
      attempt: b.attempts,
      error: error instanceof Error ? error.message : String(error),
    });
    this.accumulator.requeue(b, now + this.options.retryBackoffMs);
    if (refresh) this.refreshMetadata();
  }

  private succeedBatch(
    b: ProducerBatch,
    baseOffset: bigint,
    logAppendTime: bigint,
    logStartOffset: bigint,
  ): void {
    const idem = this.idempotence;
    if (idem && b.baseSequence >= 0 && b.producerEpoch === idem.pid.producerEpoch) {
      this.accumulator.queue(b.topic, b.partition).ackedSequence = nextSequence(
        b.baseSequence,
        b.recordCount,
      );
    }
    this.accumulator.queue(b.topic, b.partition).stats.acknowledged(b.recordCount, Date.now() - b.createdAt);
    // Answered on its first attempt: the one request that carried these bytes is through, so
    // nothing reads them any more. After a retry an earlier attempt's write may still be queued
    // on a connection that timed out; that memory is left to the garbage collector.
    const memory = b.takeBuffer();
    if (memory !== undefined && b.attempts === 0) this.accumulator.buffers.release(memory);
    b.encoded = undefined;
    b.succeed(baseOffset, logAppendTime, logStartOffset);
    this.memory.release(b.reservedBytes);
    this.accumulator.complete(b);
  }

  private failBatch(b: ProducerBatch, error: unknown): void {
    // A batch that reached a broker with a sequence and is abandoned leaves a gap: the next
    // batches of the partition need a new epoch (non-transactional) or the transaction aborts.
    if (this.idempotence && b.baseSequence >= 0 && this.options.transactionalId === null) {
      this.idempotence.needsBump = true;
    }
    this.accumulator.queue(b.topic, b.partition).stats.failed += b.recordCount;
    b.fail(error);
    this.memory.release(b.reservedBytes);
    this.accumulator.complete(b);
    this.onBatchFailed?.(b, error);
  }

  /** Stops the loop and fails every queued batch with `error` (in-flight ones settle with their answers). */
  close(error: unknown): void {
    for (const b of this.accumulator.takeAllQueued()) this.failBatch(b, error);
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Runs the loop again after close(): the producer connects again after a disconnect (as in KafkaJS). */
  reopen(): void {
    this.running = true;
  }

  /** Fails every queued batch (transaction abort) without stopping the loop. */
  failQueued(error: unknown): void {
    for (const b of this.accumulator.takeAllQueued()) this.failBatch(b, error);
  }
}

/** True when sequence `seq` lies after `acked` (sequences wrap at 2^31). */
export function isAhead(seq: number, acked: number): boolean {
  const distance = (seq - acked) & 0x7fffffff;
  return distance !== 0 && distance < 0x40000000;
}
