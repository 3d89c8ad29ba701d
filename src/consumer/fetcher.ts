import type { Logger } from '../logger.js';
import { DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES } from '../protocol/compression/stream.js';
import { Fetch, type FetchRequest, type FetchRequestFetchTopic } from '../protocol/messages/index.js';
import { decodeRecordSet } from '../protocol/records/decode.js';
import { KafkaJSRecordBatchDecodeError } from '../protocol/records/errors.js';
import type { KafkaRecord } from '../protocol/records/types.js';
import type { ConsumerCluster } from './context.js';
import { Codes, LEADERSHIP_ERRORS, protocolError } from './errors.js';
import { type FetchPartitionParams, FetchSession, type FetchSessionRequest } from './fetch-session.js';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, lookupOffsets } from './offset-lookup.js';
import { needsValidation, validatePositions } from './position-validation.js';
import { filterRecords, type IsolationLevel, PendingRecords } from './record-filter.js';
import { Signal, sleep } from './signal.js';
import {
  type PartitionState,
  type ResetPolicy,
  type SubscriptionState,
  tpKey,
} from './subscription-state.js';
import type { TopicCatalog } from './topic-catalog.js';

/**
 * What one `poll()` hands out by default, in bytes of record data: about 2,500 records of 100 B.
 * Records are decoded when handed out and live until the handler has seen them; handing out a
 * whole 1 MiB partition fetch at once kept ~10,000 decoded records alive across young-generation
 * collections, which then copied and promoted them (GC was 18 % of consume-100b's profiled busy time; 12 % with
 * this budget). Smaller pieces also mean more polls and commits, hence not smaller.
 */
export const DEFAULT_DELIVERY_BUDGET_BYTES = 256 * 1024;

/** How long poll() may hand out buffered data without letting the event loop turn. */
const YIELD_EVERY_MS = 20;

export interface FetcherOptions {
  minBytes: number;
  maxBytes: number;
  maxBytesPerPartition: number;
  maxWaitTimeInMs: number;
  isolationLevel: IsolationLevel;
  /** Fetched batches held for the application before fetching pauses (backpressure). */
  maxBufferedBatches: number;
  requestTimeout: number;
  rackId?: string;
  /** How long a preferred read replica (KIP-392) is used before asking the leader again. Default 5 min. */
  preferredReplicaTtlMs?: number;
  /** The most one batch's records may decompress to; more fails that batch. Default 256 MiB. */
  maxDecompressedBatchBytes?: number;
  /**
   * Bytes of record data (decompressed) one `poll()` hands out, across partitions; at least one
   * record is always handed out. Default {@link DEFAULT_DELIVERY_BUDGET_BYTES} (or `maxBytes` when smaller).
   */
  deliveryBudgetBytes?: number;
}

/** Records of one partition from one fetch, ready for the application. */
export interface FetchedBatch {
  topic: string;
  partition: number;
  records: KafkaRecord[];
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  /** The partition's seek epoch when fetched; a batch from before a seek is dropped. */
  partitionEpoch: number;
  /** Where the fetch started. */
  fetchOffset: number;
  /**
   * Batches not decoded yet: `poll()` turns them into `records` piece by piece (bounded by the
   * delivery budget), leaving the rest in the buffer.
   */
  pending?: PendingRecords;
  /**
   * Leader epoch of the last record batch fetched (KIP-320): committed with the offsets of these
   * records, so that a position restored from the commit can be checked for truncation.
   */
  leaderEpoch: number;
}

export interface FetcherHooks {
  onFetchStart?(nodeId: number): void;
  onFetch?(info: { nodeId: number; numberOfBatches: number; duration: number }): void;
  /** A failure the fetcher cannot recover from (reset policy `none`, authorization). */
  onFatal(error: Error): void;
  /** Reset policy to apply on OFFSET_OUT_OF_RANGE or when no committed offset exists. */
  resetPolicy(topic: string): ResetPolicy;
  /** Metadata changed (leaders moved): refresh the catalog. Called at most once per backoff. */
  refreshMetadata(): Promise<void>;
}

/**
 * Fetches for the assigned partitions: one loop per leader broker with one Fetch outstanding,
 * an incremental fetch session per broker (KIP-227), and a bounded buffer of fetched batches.
 * A partition with data still in the buffer is not fetched again, and nothing is fetched while
 * the buffer is full, so a slow handler slows fetching instead of growing memory.
 */
export class Fetcher {
  private readonly buffer: FetchedBatch[] = [];
  private readonly buffered = new Map<string, number>();
  private readonly loops = new Map<number, Promise<void>>();
  private readonly sessions = new Map<number, FetchSession>();
  private readonly wake = new Signal();
  private readonly dataReady = new Signal();
  private running = false;
  /** When poll() last let the event loop turn. */
  private lastTurn = 0;
  private manager: Promise<void> | undefined;
  private lastMetadataRefresh = 0;
  /** Partitions waiting for a leader after a leadership error, until the next metadata refresh. */
  private readonly stale = new Set<string>();
  /**
   * KIP-392: the replica the leader told us to fetch from (same rack as `rackId`), per partition,
   * until `until`; any error from it sends the partition back to the leader.
   */
  private readonly preferred = new Map<string, { node: number; until: number }>();

  constructor(
    private readonly cluster: ConsumerCluster,
    private readonly state: SubscriptionState,
    private readonly catalog: TopicCatalog,
    private readonly options: FetcherOptions,
    private readonly hooks: FetcherHooks,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.manager = this.manage();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake.notify();
    this.dataReady.notify();
    await this.manager;
    // An in-flight long poll is not waited for: its answer is discarded when it comes.
    this.buffer.length = 0;
    this.buffered.clear();
  }

  /** Assignment, positions or pause flags changed: look again now. */
  notify(): void {
    this.wake.notify();
  }

  /** Drops buffered data of partitions no longer assigned (or seeked) so they are fetched afresh. */
  purge(): void {
    for (let i = this.buffer.length - 1; i >= 0; i--) {
      if (!this.isCurrent(this.buffer[i]!)) this.take(i);
    }
    this.wake.notify();
  }

  private isCurrent(b: FetchedBatch): boolean {
    const s = this.state.get(b.topic, b.partition);
    return s !== undefined && s.epoch === b.partitionEpoch;
  }

  private take(i: number): FetchedBatch {
    const [b] = this.buffer.splice(i, 1);
    const k = tpKey(b!.topic, b!.partition);
    const n = (this.buffered.get(k) ?? 1) - 1;
    if (n <= 0) this.buffered.delete(k);
    else this.buffered.set(k, n);
    this.wake.notify();
    return b!;
  }

  /**
   * Up to `max` buffered batches, oldest first and at most one per partition, skipping paused
   * and stale ones; waits up to `waitMs` when none is ready.
   */
  async poll(max: number, waitMs: number, exclude?: ReadonlySet<string>): Promise<FetchedBatch[]> {
    const deadline = Date.now() + waitMs;
    // Let the event loop turn at least every YIELD_EVERY_MS. Handing out buffered data and running
    // the handlers are all promise continuations, so a consumer with data in its buffer would
    // otherwise not give the loop a turn until the buffer ran dry: fetch responses that had
    // arrived sat unread in the socket, and V8's scheduled GC work did not run (external memory
    // of decompressed values piled up: bench:memory's peak doubled). A turn on every poll cost
    // 14 % more CPU per record in consume-100b, hence the interval.
    if (performance.now() - this.lastTurn >= YIELD_EVERY_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.lastTurn = performance.now();
    }
    for (;;) {
      const chosen: FetchedBatch[] = [];
      const seen = new Set<string>();
      for (let i = 0; i < this.buffer.length && chosen.length < max; ) {
        const b = this.buffer[i]!;
        const k = tpKey(b.topic, b.partition);
        if (!this.isCurrent(b)) {
          this.take(i);
          continue;
        }
        if (!seen.has(k) && !exclude?.has(k) && !this.state.isPaused(b.topic, b.partition)) chosen.push(b);
        seen.add(k);
        i++;
      }
      const out = await this.decodeChosen(chosen);
      if (out.length > 0 || !this.running) return out;
      const left = deadline - Date.now();
      if (left <= 0) return out;
      await this.dataReady.wait(left);
    }
  }

  /**
   * The next records of each chosen partition, decoded now, within one delivery budget of record
   * bytes across them all (a record larger than the budget goes alone). A partition whose data is
   * not used up stays in the buffer for the next poll. A batch that cannot be read fails the
   * poll once nothing else is handed out with it: its partition goes back to that batch, as the
   * Java client keeps its position at a corrupt record.
   */
  private async decodeChosen(chosen: readonly FetchedBatch[]): Promise<FetchedBatch[]> {
    const out: FetchedBatch[] = [];
    let budget =
      this.options.deliveryBudgetBytes ?? Math.min(this.options.maxBytes, DEFAULT_DELIVERY_BUDGET_BYTES);
    for (const b of chosen) {
      if (out.length > 0 && budget <= 0) break;
      if (this.buffer.indexOf(b) < 0) continue;
      if (!this.isCurrent(b)) {
        this.remove(b);
        continue;
      }
      if (b.pending === undefined) {
        this.remove(b);
        out.push(b);
        continue;
      }
      let piece: { records: KafkaRecord[]; bytes: number };
      try {
        piece = await b.pending.take(Math.max(budget, 1));
      } catch (e) {
        if (out.length > 0) continue; // what is handed out goes first; the failure comes next poll
        if (e instanceof KafkaJSRecordBatchDecodeError) {
          this.remove(b);
          const s = this.state.get(b.topic, b.partition);
          if (s && s.epoch === b.partitionEpoch) {
            s.seek(e.offset);
            this.purge();
          }
        }
        throw e;
      }
      budget -= piece.bytes;
      if (b.pending.done) this.remove(b);
      if (piece.records.length > 0) out.push({ ...b, records: piece.records, pending: undefined });
    }
    return out;
  }

  private remove(b: FetchedBatch): void {
    const i = this.buffer.indexOf(b);
    if (i >= 0) this.take(i);
  }

  get bufferedBatches(): number {
    return this.buffer.length;
  }

  private async manage(): Promise<void> {
    while (this.running) {
      try {
        await this.resetPositions();
      } catch (e) {
        this.logger.warn('Offset reset failed', { error: (e as Error).message });
        await this.maybeRefreshMetadata();
      }
      try {
        await this.validate();
      } catch (e) {
        this.logger.warn('Position validation failed', { error: (e as Error).message });
        await this.maybeRefreshMetadata();
      }
      for (const leader of this.leaders()) {
        if (!this.loops.has(leader)) {
          const loop = this.brokerLoop(leader).finally(() => this.loops.delete(leader));
          this.loops.set(leader, loop);
        }
      }
      if (this.stale.size > 0) await this.maybeRefreshMetadata();
      await this.wake.wait(250);
    }
  }

  private leaders(): Set<number> {
    const out = new Set<number>();
    for (const s of this.state.fetchable()) {
      const node = this.fetchNode(s.topic, s.partition);
      if (node !== undefined) out.add(node);
    }
    return out;
  }

  /** The broker to fetch a partition from: its preferred read replica while valid, else its leader. */
  private fetchNode(topic: string, partition: number): number | undefined {
    const r = this.catalog.route(topic, partition);
    if (!r || r.leader < 0) return undefined;
    const k = tpKey(topic, partition);
    const p = this.preferred.get(k);
    if (p) {
      if (p.until > Date.now()) return p.node;
      this.preferred.delete(k);
    }
    return r.leader;
  }

  /** The replica the partition is read from now (a preferred read replica, else the leader); for tests and diagnostics. */
  readReplica(topic: string, partition: number): number | undefined {
    return this.fetchNode(topic, partition);
  }

  private async maybeRefreshMetadata(): Promise<void> {
    const now = Date.now();
    if (now - this.lastMetadataRefresh < 500) return;
    this.lastMetadataRefresh = now;
    try {
      await this.hooks.refreshMetadata();
      this.stale.clear();
    } catch (e) {
      this.logger.warn('Metadata refresh failed', { error: (e as Error).message });
    }
  }

  /** Positions read under an older leader epoch: checked for log truncation before fetching on (KIP-320). */
  private async validate(): Promise<void> {
    const pending = this.state
      .assigned()
      .filter((s) => needsValidation(s, this.catalog) && !this.stale.has(tpKey(s.topic, s.partition)));
    if (pending.length === 0) return;
    await validatePositions(
      this.cluster,
      this.catalog,
      pending,
      {
        resetPolicy: (topic) => this.hooks.resetPolicy(topic),
        onFatal: (error) => this.hooks.onFatal(error),
        onStale: (s) => this.stale.add(tpKey(s.topic, s.partition)),
      },
      this.logger,
    );
    this.wake.notify();
  }

  /** Partitions waiting for a reset: ListOffsets earliest/latest, then seek. */
  private async resetPositions(): Promise<void> {
    const pending = this.state.needingPosition().filter((s) => s.pendingReset !== null);
    if (pending.length === 0) return;
    const lookups = [];
    for (const s of pending) {
      if (s.pendingReset === 'none') {
        this.hooks.onFatal(
          protocolError(Codes.OFFSET_OUT_OF_RANGE, `No offset to start ${s.topic}[${s.partition}] from`),
        );
        s.pendingReset = null;
        continue;
      }
      lookups.push({
        topic: s.topic,
        partition: s.partition,
        timestamp: s.pendingReset === 'earliest' ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP,
        epoch: s.epoch,
      });
    }
    const { found, retry } = await lookupOffsets(
      this.cluster,
      this.catalog,
      lookups,
      this.options.isolationLevel === 'read_committed',
    );
    for (const f of found) {
      const s = this.state.get(f.topic, f.partition);
      const asked = lookups.find((l) => l.topic === f.topic && l.partition === f.partition);
      if (s && asked && s.epoch === asked.epoch && s.position === null) {
        s.seek(f.offset);
        this.logger.debug('Reset offset', { topic: f.topic, partition: f.partition, offset: f.offset });
      }
    }
    if (retry.length > 0) await this.maybeRefreshMetadata();
    if (found.length > 0) this.wake.notify();
  }

  private partitionsFor(nodeId: number): PartitionState[] {
    if (this.buffer.length >= this.options.maxBufferedBatches) return [];
    return this.state.fetchable().filter((s) => {
      const k = tpKey(s.topic, s.partition);
      if (this.buffered.has(k) || this.stale.has(k) || needsValidation(s, this.catalog)) return false;
      return this.fetchNode(s.topic, s.partition) === nodeId;
    });
  }

  /**
   * True when every partition in `parts` is caught up (nothing to read at its position, as of the
   * last response) while another partition of this broker is left out only because its data waits
   * in the buffer. The broker would hold such a fetch for the whole `maxWaitTimeInMs` (there is
   * nothing to return), and with one fetch per broker in flight the held partition could not be
   * fetched again until it came back, however soon its data was consumed. So the fetch waits for
   * that partition to drain (bounded by `maxWaitTimeInMs`) and then goes out with it.
   */
  private deferForBuffered(nodeId: number, parts: readonly PartitionState[]): boolean {
    if (this.buffered.size === 0) return false;
    const readCommitted = this.options.isolationLevel === 'read_committed';
    for (const s of parts) {
      const end = readCommitted && s.lastStableOffset >= 0 ? s.lastStableOffset : s.highWatermark;
      if (s.highWatermark < 0 || s.position === null || s.position < end) return false;
    }
    for (const s of this.state.fetchable()) {
      const k = tpKey(s.topic, s.partition);
      if (!this.buffered.has(k) || this.stale.has(k)) continue;
      if (this.fetchNode(s.topic, s.partition) === nodeId) return true;
    }
    return false;
  }

  private async brokerLoop(nodeId: number): Promise<void> {
    let idle = 0;
    let failures = 0;
    let deferredSince: number | undefined;
    while (this.running) {
      const parts = this.partitionsFor(nodeId);
      if (parts.length === 0) {
        deferredSince = undefined;
        if (++idle > 40) return; // the manager starts a new loop when this broker leads something again
        await this.wake.wait(100);
        continue;
      }
      idle = 0;
      if (this.deferForBuffered(nodeId, parts)) {
        deferredSince ??= Date.now();
        const left = deferredSince + this.options.maxWaitTimeInMs - Date.now();
        if (left > 0) {
          // take() wakes us as soon as the held partition drains; look again at least every
          // 100 ms anyway (a pause of the held partition does not wake us).
          await this.wake.wait(Math.min(left, 100));
          continue;
        }
      }
      deferredSince = undefined;
      try {
        const buffered = await this.fetchOnce(nodeId, parts);
        failures = 0;
        // A broker answering at once with nothing (an error, minBytes 0) must not starve the event loop.
        if (!buffered) await new Promise<void>((resolve) => setImmediate(resolve));
      } catch (e) {
        if (!this.running) return;
        failures++;
        this.sessions.get(nodeId)?.reset();
        this.cluster.resetConnection?.(nodeId, 'fetch');
        // A preferred read replica that cannot be reached: back to the leaders.
        for (const [k, p] of this.preferred) if (p.node === nodeId) this.preferred.delete(k);
        this.logger.warn('Fetch failed', { nodeId, error: (e as Error).message, failures });
        await this.maybeRefreshMetadata();
        await sleep(Math.min(100 * 2 ** failures, 5000));
      }
    }
  }

  /** One Fetch to `nodeId`; resolves true when records were buffered. */
  private async fetchOnce(nodeId: number, parts: PartitionState[]): Promise<boolean> {
    const version = await this.cluster.versionFor(nodeId, 'fetch', Fetch);
    let session = this.sessions.get(nodeId);
    if (!session) {
      session = new FetchSession(version >= 7);
      this.sessions.set(nodeId, session);
    }
    const epochs = new Map<string, number>();
    const params: FetchPartitionParams[] = parts.map((s) => {
      epochs.set(tpKey(s.topic, s.partition), s.epoch);
      return {
        topic: s.topic,
        partition: s.partition,
        fetchOffset: s.position!,
        currentLeaderEpoch: this.catalog.route(s.topic, s.partition)?.leaderEpoch ?? -1,
        logStartOffset: -1,
        partitionMaxBytes: this.options.maxBytesPerPartition,
      };
    });
    const req = session.build(params);
    const useIds = version >= 13;
    const body = this.buildRequest(req, useIds);
    this.hooks.onFetchStart?.(nodeId);
    const started = Date.now();
    const res = await this.cluster.send(nodeId, 'fetch', Fetch, body, {
      version,
      timeout: this.options.requestTimeout + this.options.maxWaitTimeInMs,
    });
    if (!this.running) return false;
    if (!session.handleResponse(req, res.errorCode ?? 0, res.sessionId ?? 0)) {
      const code = res.errorCode ?? 0;
      if (code !== Codes.FETCH_SESSION_ID_NOT_FOUND && code !== Codes.INVALID_FETCH_SESSION_EPOCH)
        this.logger.warn('Fetch error', { nodeId, error: code });
      return false;
    }
    let numberOfBatches = 0;
    let bufferedAny = false;
    let leadershipChanged = false;
    for (const t of res.responses) {
      const topic = useIds ? this.catalog.topicName(t.topicId ?? '') : t.topic;
      if (topic === undefined) continue;
      for (const p of t.partitions) {
        const k = tpKey(topic, p.partitionIndex);
        const s = this.state.get(topic, p.partitionIndex);
        const fetchedAt = req.wanted.get(k);
        if (!s || !fetchedAt || s.epoch !== epochs.get(k) || s.position !== fetchedAt.fetchOffset) continue;
        if (p.currentLeader && p.currentLeader.leaderId >= 0) {
          this.catalog.updateLeader(
            topic,
            p.partitionIndex,
            p.currentLeader.leaderId,
            p.currentLeader.leaderEpoch,
          );
        }
        const fromReplica = this.preferred.get(k)?.node === nodeId;
        if (p.errorCode !== 0 && fromReplica) {
          // A follower that fails (out of range included: it may lag the leader) hands the
          // partition back to the leader, which decides.
          this.preferred.delete(k);
          leadershipChanged = true;
          continue;
        }
        if (
          p.preferredReadReplica !== undefined &&
          p.preferredReadReplica >= 0 &&
          p.preferredReadReplica !== nodeId
        ) {
          this.preferred.set(k, {
            node: p.preferredReadReplica,
            until: Date.now() + (this.options.preferredReplicaTtlMs ?? 300_000),
          });
          this.logger.debug('Fetching from the preferred read replica', {
            topic,
            partition: p.partitionIndex,
            replica: p.preferredReadReplica,
          });
          this.wake.notify();
          if (p.errorCode === 0 && (p.records === null || p.records.length === 0)) continue;
        }
        if (p.errorCode !== 0) {
          if (p.errorCode === Codes.OFFSET_OUT_OF_RANGE) {
            this.logger.info('Offset out of range, resetting', {
              topic,
              partition: p.partitionIndex,
              offset: s.position,
            });
            s.requestReset(this.hooks.resetPolicy(topic));
          } else if (LEADERSHIP_ERRORS.has(p.errorCode)) {
            this.stale.add(k);
            leadershipChanged = true;
          } else {
            this.hooks.onFatal(protocolError(p.errorCode, `Fetch ${topic}[${p.partitionIndex}]`));
          }
          continue;
        }
        // The leader answered under the epoch we sent: the position holds under it.
        const sentEpoch = fetchedAt.currentLeaderEpoch;
        if (sentEpoch > s.validatedEpoch) s.validatedEpoch = sentEpoch;
        s.highWatermark = Number(p.highWatermark);
        s.lastStableOffset = Number(p.lastStableOffset);
        if (p.logStartOffset !== undefined) s.logStartOffset = Number(p.logStartOffset);
        if (p.records === null || p.records.length === 0) continue;
        const { batches } = decodeRecordSet(p.records, {
          maxDecompressedBatchBytes:
            this.options.maxDecompressedBatchBytes ?? DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES,
        });
        if (batches.length === 0) continue;
        const filtered = await filterRecords(
          batches,
          fetchedAt.fetchOffset,
          this.options.isolationLevel,
          p.abortedTransactions,
          false,
        );
        // Batches wait in the buffer as fetched (compressed) bytes and are decoded when the
        // application takes them (poll), piece by piece: records die young, and what is
        // decompressed at a time is bounded by the delivery budget, not by the compression ratio.
        const deliverable = filtered.deliverable!;
        numberOfBatches += filtered.batchCount;
        // Position moves now (the next fetch pipelines behind the handler); a seek bumps the epoch.
        if (s.epoch !== epochs.get(k)) continue;
        s.position = filtered.nextOffset;
        // The epoch of the last record read is what a later leader change is checked against.
        s.leaderEpoch = batches[batches.length - 1]!.partitionLeaderEpoch;
        if (deliverable.length > 0) {
          this.buffer.push({
            topic,
            partition: p.partitionIndex,
            records: [],
            pending: new PendingRecords(topic, p.partitionIndex, deliverable, fetchedAt.fetchOffset),
            highWatermark: s.highWatermark,
            lastStableOffset: s.lastStableOffset,
            logStartOffset: s.logStartOffset,
            partitionEpoch: s.epoch,
            fetchOffset: fetchedAt.fetchOffset,
            leaderEpoch: s.leaderEpoch,
          });
          this.buffered.set(k, (this.buffered.get(k) ?? 0) + 1);
          bufferedAny = true;
        }
      }
    }
    this.hooks.onFetch?.({ nodeId, numberOfBatches, duration: Date.now() - started });
    if (this.buffer.length > 0) this.dataReady.notify();
    if (leadershipChanged) {
      session.reset();
      this.wake.notify();
    }
    return bufferedAny;
  }

  private buildRequest(req: FetchSessionRequest, useIds: boolean): FetchRequest {
    const group = <T>(items: T[], topicOf: (x: T) => string) => {
      const m = new Map<string, T[]>();
      for (const x of items) {
        const t = topicOf(x);
        const l = m.get(t);
        if (l) l.push(x);
        else m.set(t, [x]);
      }
      return m;
    };
    const name = (topic: string): { topic?: string; topicId?: string } =>
      useIds ? { topicId: this.catalog.topicId(topic) } : { topic };
    const topics: FetchRequestFetchTopic[] = [...group(req.partitions, (p) => p.topic)].map(
      ([topic, ps]) => ({
        ...name(topic),
        partitions: ps.map((p) => ({
          partition: p.partition,
          currentLeaderEpoch: p.currentLeaderEpoch,
          fetchOffset: BigInt(p.fetchOffset),
          logStartOffset: BigInt(p.logStartOffset),
          partitionMaxBytes: p.partitionMaxBytes,
        })),
      }),
    );
    const forgottenTopicsData = [...group(req.forgotten, (p) => p.topic)].map(([topic, ps]) => ({
      ...name(topic),
      partitions: ps.map((p) => p.partition),
    }));
    return {
      maxWaitMs: this.options.maxWaitTimeInMs,
      minBytes: this.options.minBytes,
      maxBytes: this.options.maxBytes,
      isolationLevel: this.options.isolationLevel === 'read_committed' ? 1 : 0,
      sessionId: req.sessionId,
      sessionEpoch: req.sessionEpoch,
      topics,
      forgottenTopicsData,
      rackId: this.options.rackId ?? '',
    };
  }
}
