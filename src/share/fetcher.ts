/**
 * One share-fetch loop per partition leader (KIP-932). Each loop owns the share session with its
 * broker and keeps exactly one request on the wire: a ShareFetch (which carries the
 * acknowledgements gathered since the last one) when the records it delivered before have been
 * handled, otherwise a ShareAcknowledge when renewals are waiting or acknowledgements have lingered.
 * One request at a time is what keeps the session epochs in order.
 */

import { KafkaJSError } from '../errors/base.js';
import { createProtocolError } from '../errors/protocol.js';
import type { Logger } from '../logger.js';
import type { Cluster } from '../network/cluster.js';
import { Codes } from '../protocol/codes.js';
import { DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES } from '../protocol/compression/stream.js';
import {
  ShareAcknowledge,
  type ShareAcknowledgeRequestAcknowledgeTopic,
} from '../protocol/messages/share-acknowledge.js';
import {
  ShareFetch,
  type ShareFetchRequestFetchTopic,
  type ShareFetchResponsePartitionData,
} from '../protocol/messages/share-fetch.js';
import { decodeRecordSet } from '../protocol/records/decode.js';
import type { KafkaJSRecordBatchDecodeError } from '../protocol/records/errors.js';
import { type AckBatch, AckType, type PartitionAcks } from './ack.js';
import { AcquiredReader } from './acquired-reader.js';
import { ShareSessionState } from './session.js';
import type { AcknowledgementCommit, ShareMessage } from './types.js';

export { toShareMessage } from './message.js';

export interface AssignedPartition {
  topic: string;
  topicId: string;
  partition: number;
}

/** Records of one partition from one ShareFetch, handed to the consumer's handler. */
export interface ShareDelivery {
  loop: ShareBrokerLoop;
  topic: string;
  partition: number;
  acks: PartitionAcks;
  messages: ShareMessage[];
  /** Offsets of `messages` as Numbers. */
  offsets: number[];
}

/**
 * What a loop needs from its consumer, implemented by the internal `ShareConsumerCore` (not the
 * public `ShareConsumer`, so these callbacks stay out of the public API). Not exported from the
 * package, but kept in the type declarations: `ShareConsumer.settings` is typed by its `settings`.
 */
export interface FetcherHost {
  readonly groupId: string;
  readonly memberId: string;
  readonly cluster: Cluster;
  readonly logger: Logger;
  readonly settings: {
    /** How long a ShareFetch waits for records, in ms (`maxWaitTimeInMs`, default 500). */
    maxWaitMs: number;
    /** Bytes a ShareFetch waits for before answering (`minBytes`, default 1). */
    minBytes: number;
    /** Most bytes per ShareFetch (`maxBytes`, default 50 MiB). */
    maxBytes: number;
    /** Records acquired per ShareFetch, a soft limit (`maxRecords`, default 500). */
    maxRecords: number;
    /** The most one batch's records may decompress to (default 256 MiB). */
    maxDecompressedBatchBytes?: number;
    /**
     * Record bytes (keys and values, decompressed) decoded for one delivery; the rest of a
     * ShareFetch's records wait, compressed, until the delivery is handled. Default
     * 10 MiB (`DEFAULT_DELIVERY_BUDGET_BYTES`), or `maxBytes` when smaller.
     */
    deliveryBudgetBytes?: number;
  };
  /** True once the consumer is shutting down: fetched records are released instead of delivered. */
  readonly stopping: boolean;
  acksFor(topic: string, partition: number): PartitionAcks;
  deliver(delivery: ShareDelivery): void;
  reportAcks(result: AcknowledgementCommit): void;
  /** The loop's broker failed a request (it may be gone): refresh metadata and move partitions to their leaders. */
  leaderFailed(): void;
  /** A partition answered with an error that calls for fresh metadata (a new leader, a deleted topic). */
  partitionError(topic: string, partition: number, error: KafkaJSError): void;
  fatal(error: Error): void;
}

/**
 * Record bytes decoded per delivery by default: the classic consumer's default `maxBytes`, so both
 * consumers hold about as much decoded data whatever the compression ratio.
 */
export const DEFAULT_DELIVERY_BUDGET_BYTES = 10 * 1024 * 1024;

/** Linger before unsent acknowledgements go out on their own ShareAcknowledge (when no fetch is due). */
export const ACK_LINGER_MS = 200;
const REQUEST_TIMEOUT_MS = 30_000;

/** How long the loop may hand out slices of a fetched answer without letting the event loop turn. */
export const YIELD_EVERY_MS = 20;

/** Codes a ShareFetch can answer with that only need a pause and another try. */
const RETRY_TOP_LEVEL = new Set<number>([
  Codes.UNKNOWN_MEMBER_ID /* the member is not registered yet */,
  Codes.SHARE_SESSION_LIMIT_REACHED,
]);

function sleep(ms: number, wake: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
    wake,
  ]).finally(() => clearTimeout(timer));
}

interface SentAcks {
  topic: string;
  partition: number;
  offsets: number[];
  /** Renewed offsets, whose lock the answer extends. */
  renewed: number[];
}

export class ShareBrokerLoop {
  private partitions: AssignedPartition[] = [];
  private readonly session = new ShareSessionState();
  /** Deliveries handed to the consumer and not yet handled. */
  private outstanding = 0;
  /** The last ShareFetch's acquired records not yet delivered, one reader per partition. */
  private readers: AcquiredReader[] = [];
  /**
   * Whether this loop's broker can renew acquisition locks (ShareAcknowledge v2, KIP-1222); known
   * once a request has gone out, which is before any record of this loop is delivered.
   */
  renewSupported: boolean | undefined;
  private renewWanted = false;
  private stopRequested = false;
  private wakeResolve: (() => void) | undefined;
  private wakePromise: Promise<void>;
  private done: Promise<void> | undefined;
  private backoffMs = 0;
  private idleSince = 0;
  /** performance.now() when deliverNext last let the event loop turn. */
  private lastTurn = performance.now();

  constructor(
    readonly nodeId: number,
    private readonly host: FetcherHost,
  ) {
    this.wakePromise = this.newWake();
  }

  get assigned(): readonly AssignedPartition[] {
    return this.partitions;
  }

  private newWake(): Promise<void> {
    return new Promise((resolve) => {
      this.wakeResolve = resolve;
    });
  }

  private wake(): void {
    const r = this.wakeResolve;
    this.wakePromise = this.newWake();
    r?.();
  }

  start(): void {
    this.done ??= this.loop().catch((error: unknown) => this.host.fatal(error as Error));
  }

  setPartitions(partitions: AssignedPartition[]): void {
    this.partitions = partitions;
    // records of a partition no longer ours are the broker's again once the assignment moves
    this.readers = this.readers.filter((reader) => {
      const kept = partitions.some((p) => p.topic === reader.topic && p.partition === reader.partition);
      if (!kept) reader.abandon();
      return kept;
    });
    this.wake();
  }

  /** The consumer finished handling a delivery of this loop. */
  delivered(): void {
    this.outstanding--;
    this.wake();
  }

  /** A renew was asked for: send it now rather than with the next fetch. */
  flushSoon(): void {
    this.renewWanted = true;
    this.wake();
  }

  /** Stops fetching, then closes the session, sending the acknowledgements still pending. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    this.wake();
    await this.done;
    this.releaseUndelivered();
    if (this.session.isOpen) {
      try {
        await this.acknowledge(true);
      } catch (error) {
        this.host.logger.warn('Closing the share session failed', {
          nodeId: this.nodeId,
          error: (error as Error).message,
        });
      }
    }
  }

  private pendingAcks(): { acks: number; renewals: number } {
    let acks = 0;
    let renewals = 0;
    for (const p of this.partitions) {
      const a = this.host.acksFor(p.topic, p.partition);
      acks += a.pendingCount;
      renewals += a.renewCount;
    }
    return { acks, renewals };
  }

  private async loop(): Promise<void> {
    while (!this.stopRequested) {
      if (this.backoffMs > 0) {
        await sleep(this.backoffMs, this.wakePromise);
        if (this.stopRequested) break;
      }
      if (this.partitions.length === 0) {
        await this.wakePromise;
        continue;
      }
      if (this.outstanding > 0) {
        const { acks, renewals } = this.pendingAcks();
        if (this.session.isOpen && (renewals > 0 || (acks > 0 && this.renewWanted))) {
          this.renewWanted = false;
          await this.guard(() => this.acknowledge(false));
          continue;
        }
        if (acks > 0 && this.session.isOpen) {
          // let acknowledgements gather, then send them without waiting for the whole delivery
          if (this.idleSince === 0) this.idleSince = Date.now();
          const left = this.idleSince + ACK_LINGER_MS - Date.now();
          if (left <= 0) {
            this.idleSince = 0;
            await this.guard(() => this.acknowledge(false));
          } else await sleep(left, this.wakePromise);
          continue;
        }
        await this.wakePromise;
        continue;
      }
      this.idleSince = 0;
      if (this.readers.length > 0) await this.deliverNext();
      else await this.guard(() => this.fetch());
    }
  }

  /** Decodes and hands over the next slice of the last ShareFetch's records. */
  private async deliverNext(): Promise<void> {
    // Decoding slices and running the handler on them are promise continuations only, so without
    // this a loop delivering a 500-record answer never gave the event loop a turn: V8's scheduled
    // GC work did not run and the handled slices' decompressed values piled up, more of them the
    // more records an answer held (bench:memory --share). Every 20 ms, as the consumer's poll().
    if (performance.now() - this.lastTurn >= YIELD_EVERY_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.lastTurn = performance.now();
    }
    if (this.host.stopping) {
      this.releaseUndelivered();
      return;
    }
    // the partitions may have moved while the loop turned
    const reader = this.readers[0];
    if (!reader) return;
    const { deliveryBudgetBytes, maxBytes } = this.host.settings;
    const budget = deliveryBudgetBytes ?? Math.min(maxBytes, DEFAULT_DELIVERY_BUDGET_BYTES);
    const slice = await reader.next(budget);
    if (reader.done) this.readers.shift();
    if (!slice) return;
    this.outstanding++;
    this.host.deliver({
      loop: this,
      topic: reader.topic,
      partition: reader.partition,
      acks: this.host.acksFor(reader.topic, reader.partition),
      messages: slice.messages,
      offsets: slice.offsets,
    });
  }

  /** Releases the acquired records not yet decoded (stopping: another member gets them at once). */
  private releaseUndelivered(): void {
    const now = Date.now();
    for (const reader of this.readers.splice(0)) reader.releaseRest(now);
  }

  /** The share session ended: the broker has released what it had acquired for it. */
  private sessionLost(): void {
    for (const reader of this.readers.splice(0)) reader.abandon();
  }

  private async guard(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
      this.backoffMs = 0;
    } catch (error) {
      if (error instanceof KafkaJSError && !error.retriable) throw error;
      this.backoffMs = Math.min(5000, Math.max(100, this.backoffMs * 2));
      this.host.logger.warn('Share fetch loop error; retrying', {
        nodeId: this.nodeId,
        error: (error as Error).message,
        retryTime: this.backoffMs,
      });
      this.host.leaderFailed();
    }
  }

  /** Drains the acknowledgements of this loop's partitions into request topics. */
  private drainAcks(withRenewals: boolean): {
    byTopic: Map<string, Map<number, AckBatch[]>>;
    sent: SentAcks[];
  } {
    const now = Date.now();
    const byTopic = new Map<string, Map<number, AckBatch[]>>();
    const sent: SentAcks[] = [];
    for (const p of this.partitions) {
      const acks = this.host.acksFor(p.topic, p.partition);
      if (acks.pendingCount === 0 && !(withRenewals && acks.renewCount > 0)) continue;
      const drained = acks.drain(now, { renew: withRenewals });
      if (drained.expired.length > 0) {
        this.host.reportAcks({
          topic: p.topic,
          partition: p.partition,
          offsets: drained.expired,
          error: new KafkaJSError(
            `The acquisition lock of ${drained.expired.length} record(s) expired before the acknowledgement could be sent`,
            { retriable: false },
          ),
        });
      }
      if (drained.batches.length === 0) continue;
      let partitions = byTopic.get(p.topicId);
      if (!partitions) {
        partitions = new Map();
        byTopic.set(p.topicId, partitions);
      }
      partitions.set(p.partition, drained.batches);
      const renewed: number[] = [];
      for (const b of drained.batches) {
        if (b.acknowledgeTypes[0] === AckType.RENEW) {
          for (let o = Number(b.firstOffset); o <= Number(b.lastOffset); o++) renewed.push(o);
        }
      }
      sent.push({ topic: p.topic, partition: p.partition, offsets: drained.offsets, renewed });
    }
    return { byTopic, sent };
  }

  private reportSent(sent: SentAcks[], error: KafkaJSError | null): void {
    for (const s of sent) {
      const offsets = s.offsets.filter((o) => !s.renewed.includes(o));
      if (offsets.length > 0)
        this.host.reportAcks({ topic: s.topic, partition: s.partition, offsets, error });
    }
  }

  private topicName(topicId: string): string | undefined {
    for (const p of this.partitions) if (p.topicId === topicId) return p.topic;
    return this.host.cluster.metadata.topicNamesById.get(topicId);
  }

  private async fetch(): Promise<void> {
    const { byTopic, sent } = this.drainAcks(false);
    const plan = this.session.plan(
      this.partitions.map((p) => ({ topicId: p.topicId, partition: p.partition })),
    );
    for (const p of plan.add) {
      let partitions = byTopic.get(p.topicId);
      if (!partitions) {
        partitions = new Map();
        byTopic.set(p.topicId, partitions);
      }
      if (!partitions.has(p.partition)) partitions.set(p.partition, []);
    }
    const topics: ShareFetchRequestFetchTopic[] = [];
    for (const [topicId, partitions] of byTopic) {
      topics.push({
        topicId,
        partitions: [...partitions].map(([partitionIndex, acknowledgementBatches]) => ({
          partitionIndex,
          acknowledgementBatches,
        })),
      });
    }
    const forgotten = new Map<string, number[]>();
    for (const p of plan.forget) forgotten.set(p.topicId, [...(forgotten.get(p.topicId) ?? []), p.partition]);
    const { maxWaitMs, minBytes, maxBytes, maxRecords } = this.host.settings;
    const sentAt = Date.now();
    let response: Awaited<ReturnType<typeof ShareFetch.decodeResponse>>;
    try {
      const connection = await this.host.cluster.connectionTo(this.nodeId, 'fetch');
      this.renewSupported = connection.versionFor(ShareAcknowledge) >= 2;
      response = await connection.send(
        ShareFetch,
        {
          groupId: this.host.groupId,
          memberId: this.host.memberId,
          shareSessionEpoch: plan.epoch,
          maxWaitMs: this.stopRequested ? 0 : maxWaitMs,
          minBytes,
          maxBytes,
          maxRecords,
          batchSize: maxRecords,
          topics,
          forgottenTopicsData: [...forgotten].map(([topicId, partitions]) => ({ topicId, partitions })),
        },
        { timeout: REQUEST_TIMEOUT_MS + maxWaitMs },
      );
    } catch (error) {
      this.session.failed();
      this.sessionLost();
      this.reportSent(
        sent,
        error instanceof KafkaJSError ? error : new KafkaJSError(String(error), { retriable: false }),
      );
      throw error;
    }
    if (response.errorCode !== 0) {
      this.session.failed(response.errorCode);
      this.sessionLost();
      const error = createProtocolError(response.errorCode, response.errorMessage);
      this.reportSent(sent, error);
      if (RETRY_TOP_LEVEL.has(response.errorCode) || isSessionCode(response.errorCode) || error.retriable) {
        throw createProtocolError(response.errorCode, response.errorMessage, { retriable: true });
      }
      throw error;
    }
    this.session.succeeded();
    const deadline = sentAt + response.acquisitionLockTimeoutMs;
    const sentByPartition = new Map(sent.map((s) => [`${s.topic}:${s.partition}`, s]));
    for (const t of response.responses) {
      const topic = this.topicName(t.topicId);
      if (topic === undefined) continue;
      for (const p of t.partitions) {
        const s = sentByPartition.get(`${topic}:${p.partitionIndex}`);
        if (s) {
          sentByPartition.delete(`${topic}:${p.partitionIndex}`);
          this.reportSent(
            [s],
            p.acknowledgeErrorCode === 0
              ? null
              : createProtocolError(p.acknowledgeErrorCode, p.acknowledgeErrorMessage),
          );
        }
        if (p.errorCode !== 0) {
          this.host.partitionError(topic, p.partitionIndex, createProtocolError(p.errorCode, p.errorMessage));
          continue;
        }
        this.acquired(topic, p, deadline);
      }
    }
    // acknowledgements the answer did not mention were applied with the session
    this.reportSent([...sentByPartition.values()], null);
  }

  /**
   * Queues a partition's acquired records for delivery: their batches are kept as they came
   * (compressed) and decoded a delivery budget at a time by {@link deliverNext}.
   */
  private acquired(topic: string, p: ShareFetchResponsePartitionData, deadline: number): void {
    if (p.acquiredRecords.length === 0) return;
    const acks = this.host.acksFor(topic, p.partitionIndex);
    const ranges = p.acquiredRecords.map((r) => ({
      first: Number(r.firstOffset),
      last: Number(r.lastOffset),
      count: r.deliveryCount,
    }));
    const limit = this.host.settings.maxDecompressedBatchBytes ?? DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES;
    const batches =
      p.records && p.records.length > 0
        ? decodeRecordSet(p.records, { maxDecompressedBatchBytes: limit }).batches
        : [];
    this.readers.push(
      new AcquiredReader(topic, p.partitionIndex, batches, ranges, acks, deadline, (error) =>
        this.unreadable(error),
      ),
    );
  }

  /** A batch could not be read; its records were released. The typed error is logged. */
  private unreadable(error: KafkaJSRecordBatchDecodeError): void {
    this.host.logger.error('Releasing the acquired records of a batch that cannot be read', {
      topic: error.topic,
      partition: error.partition,
      offset: error.offset,
      error: error.message,
    });
  }

  /** Sends the pending acknowledgements (and renewals) with ShareAcknowledge; `close` ends the session. */
  private async acknowledge(close: boolean): Promise<void> {
    const connection = await this.host.cluster.connectionTo(this.nodeId, 'default');
    const canRenew = connection.versionFor(ShareAcknowledge) >= 2;
    this.renewSupported = canRenew;
    const { byTopic, sent } = this.drainAcks(canRenew);
    if (byTopic.size === 0 && !close) return;
    const plan = this.session.planAcknowledge(close);
    const topics: ShareAcknowledgeRequestAcknowledgeTopic[] = [...byTopic].map(([topicId, partitions]) => ({
      topicId,
      partitions: [...partitions].map(([partitionIndex, acknowledgementBatches]) => ({
        partitionIndex,
        acknowledgementBatches,
      })),
    }));
    const hasRenew = sent.some((s) => s.renewed.length > 0);
    const sentAt = Date.now();
    let response: Awaited<ReturnType<typeof ShareAcknowledge.decodeResponse>>;
    try {
      response = await connection.send(ShareAcknowledge, {
        groupId: this.host.groupId,
        memberId: this.host.memberId,
        shareSessionEpoch: plan.epoch,
        ...(hasRenew ? { isRenewAck: true } : {}),
        topics,
      });
    } catch (error) {
      this.session.failed();
      this.sessionLost();
      this.reportSent(
        sent,
        error instanceof KafkaJSError ? error : new KafkaJSError(String(error), { retriable: false }),
      );
      throw error;
    }
    if (response.errorCode !== 0) {
      this.session.failed(response.errorCode);
      this.sessionLost();
      const error = createProtocolError(response.errorCode, response.errorMessage);
      this.reportSent(sent, error);
      if (close) return;
      if (error.retriable || isSessionCode(response.errorCode)) return;
      throw error;
    }
    this.session.succeeded();
    const lock = response.acquisitionLockTimeoutMs ?? 0;
    const sentByPartition = new Map(sent.map((s) => [`${s.topic}:${s.partition}`, s]));
    for (const t of response.responses) {
      const topic = this.topicName(t.topicId);
      if (topic === undefined) continue;
      for (const p of t.partitions) {
        const s = sentByPartition.get(`${topic}:${p.partitionIndex}`);
        if (!s) continue;
        sentByPartition.delete(`${topic}:${p.partitionIndex}`);
        const error = p.errorCode === 0 ? null : createProtocolError(p.errorCode, p.errorMessage);
        this.reportSent([s], error);
        if (!error && lock > 0 && s.renewed.length > 0) {
          this.host.acksFor(topic, p.partitionIndex).renewed(s.renewed, sentAt + lock);
        }
      }
    }
    this.reportSent([...sentByPartition.values()], null);
  }
}

function isSessionCode(code: number): boolean {
  return code === Codes.SHARE_SESSION_NOT_FOUND || code === Codes.INVALID_SHARE_SESSION_EPOCH;
}
