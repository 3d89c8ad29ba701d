/**
 * The share consumer's internal core (KIP-932): the state the public {@link ShareConsumer} front end
 * and the per-broker {@link ShareBrokerLoop}s share. It holds the membership beat (through
 * {@link ShareMembership} and the heartbeat driver), routes the assignment to one loop per partition
 * leader, queues the loops' deliveries for the application, and keeps and settles the per-partition
 * {@link PartitionAcks}. The loops reach it only through {@link FetcherHost}, so they do not depend
 * on the public class, and the callbacks they need are not part of the public API.
 */
import { KafkaJSError } from '../errors/base.js';
import { KafkaJSInvalidArgument } from '../errors/network.js';
import { createProtocolError } from '../errors/protocol.js';
import { type BeatResult, HeartbeatDriver } from '../group/heartbeat-driver.js';
import { ClientEvents } from '../instrumentation/emitter.js';
import { InstrumentationEmitter, type NetworkEvents } from '../instrumentation/events.js';
import type { Logger } from '../logger.js';
import type { Cluster } from '../network/cluster.js';
import { isStaleMetadataError } from '../network/cluster.js';
import { Codes } from '../protocol/codes.js';
import { ShareGroupHeartbeat } from '../protocol/messages/share-group-heartbeat.js';
import { type AcknowledgeType, AckType, ackTypeCode, PartitionAcks } from './ack.js';
import { KafkaJSShareLockExpiredError, KafkaJSShareRenewUnsupportedError } from './errors.js';
import { SHARE_CONSUMER_EVENTS, SHARE_CONSUMER_SHORT_NAMES, type ShareConsumerEvents } from './events.js';
import { type AssignedPartition, type FetcherHost, ShareBrokerLoop, type ShareDelivery } from './fetcher.js';
import { LEAVE_EPOCH, ShareMembership, type TopicIdAssignment } from './membership.js';
import type {
  AcknowledgementCommit,
  AcknowledgementMode,
  ShareConsumerEventMap,
  ShareConsumerOptions,
  ShareMessage,
} from './types.js';

export interface CreateShareConsumerContext {
  /** The consumer's own cluster (created with `allowAutoTopicCreation: false`). */
  cluster: Cluster;
  logger: Logger;
  /** The emitter the cluster's connections publish `network.*` events on (re-emitted as `share.network.*`). */
  instrumentation?: InstrumentationEmitter<NetworkEvents>;
}

/**
 * @internal State and machinery shared by the share consumer's parts; the front end
 * ({@link ShareConsumer}) owns the public API and the handler loops.
 */
export class ShareConsumerCore implements FetcherHost {
  readonly groupId: string;
  readonly mode: AcknowledgementMode;
  readonly cluster: Cluster;
  readonly logger: Logger;
  readonly settings: FetcherHost['settings'];
  readonly membership: ShareMembership;
  private readonly acks = new Map<string, PartitionAcks>();
  private readonly loops = new Map<number, ShareBrokerLoop>();
  private assigned: AssignedPartition[] = [];
  private readonly queue: ShareDelivery[] = [];
  private queueWaiter: (() => void) | undefined;
  connected = false;
  started = false;
  private stoppingFlag = false;
  /** How the application consumes (one way at a time); set by the front end. */
  consuming: 'run' | 'iterator' | undefined;
  /** The `run()` handler loop, awaited on shutdown so no handler runs after the sessions close. */
  runner: Promise<void> | undefined;
  private crashError: Error | undefined;
  private readonly heartbeats: HeartbeatDriver;
  private fastHeartbeats = 0;
  /** No assignment yet after the last answer: the next heartbeat goes sooner than the interval. */
  private awaitingAssignment = false;
  private rerouteTimer: NodeJS.Timeout | undefined;
  /** The consumer's events: the core emits them, the front end's `on()` subscribes. */
  readonly emitter = new ClientEvents<ShareConsumerEvents>(
    'share consumer',
    Object.values(SHARE_CONSUMER_EVENTS),
    new InstrumentationEmitter<ShareConsumerEvents>(),
  );

  /** `options` are validated already (by the front end). */
  constructor(
    context: CreateShareConsumerContext,
    private readonly options: ShareConsumerOptions,
  ) {
    this.groupId = options.groupId;
    this.mode = options.acknowledgementMode ?? 'implicit';
    this.cluster = context.cluster;
    this.logger = context.logger.namespace('ShareConsumer');
    this.membership = new ShareMembership(undefined, options.rackId ?? null);
    this.heartbeats = new HeartbeatDriver({
      beat: () => this.beat(),
      // A coordinator that moved, or could not be reached: look it up again, or every retry
      // would go to the same broker.
      invalidateCoordinator: () => this.cluster.coordinators.invalidate('group', this.groupId),
      // The coordinator computes a new member's assignment after answering its join: ask again
      // soon rather than a whole interval later, a few times.
      intervalMs: () =>
        this.awaitingAssignment
          ? Math.min(300, this.membership.heartbeatIntervalMs)
          : this.membership.heartbeatIntervalMs,
      backoff: { initialMs: 1000, maxMs: 1000 },
      soonMs: 200,
      onTimerError: (error) => this.fatal(error),
    });
    this.settings = {
      maxWaitMs: options.maxWaitTimeInMs ?? 500,
      minBytes: options.minBytes ?? 1,
      maxBytes: options.maxBytes ?? 52_428_800,
      maxRecords: options.maxRecords ?? 500,
      maxDecompressedBatchBytes: options.maxDecompressedBatchBytes,
    };
    if (context.instrumentation) {
      this.emitter.forward(context.instrumentation, {
        'network.request': SHARE_CONSUMER_EVENTS.REQUEST,
        'network.request_timeout': SHARE_CONSUMER_EVENTS.REQUEST_TIMEOUT,
        'network.request_queue_size': SHARE_CONSUMER_EVENTS.REQUEST_QUEUE_SIZE,
      });
    }
  }

  /** The member id this consumer generated (stable for its lifetime). */
  get memberId(): string {
    return this.membership.memberId;
  }

  /** True once `disconnect()` started (or the consumer crashed). */
  get stopping(): boolean {
    return this.stoppingFlag;
  }

  /** Emits under the `share.*` name; the short-name listeners are subscribed to the same events. */
  emit<E extends keyof ShareConsumerEventMap>(event: E, payload: ShareConsumerEventMap[E]): void {
    // AcknowledgementCommit names its partition already; the others gain the group, as KafkaJS's payloads have it.
    const body = event === 'acknowledgement' ? payload : { groupId: this.groupId, ...payload };
    this.emitter.emit(SHARE_CONSUMER_SHORT_NAMES[event], body as never);
  }

  /** Joins the group (the first heartbeat) once the application starts consuming. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.heartbeatNow();
  }

  // ---- heartbeats and assignment --------------------------------------------------------------

  heartbeatNow(): void {
    if (this.stoppingFlag) return;
    this.heartbeats.now().catch((error: unknown) => this.fatal(error as Error));
  }

  private async sendHeartbeat() {
    const request = this.membership.request(this.groupId);
    const connection = await this.cluster.coordinatorConnection('group', this.groupId);
    const response = await connection.send(ShareGroupHeartbeat, request);
    return { request, response };
  }

  /** One heartbeat and its answer, for the driver; throws only what stops the consumer. */
  private async beat(): Promise<BeatResult | undefined> {
    const state = this.membership.state;
    if (state === 'unsubscribed' || state === 'left' || state === 'fatal') return undefined;
    let result: Awaited<ReturnType<ShareConsumerCore['sendHeartbeat']>>;
    try {
      result = await this.sendHeartbeat();
    } catch (error) {
      if (state === 'leaving') {
        this.logger.warn('Leaving the share group failed', { error: (error as Error).message });
        return { step: this.membership.unreachable(), error: error as Error };
      }
      if (error instanceof KafkaJSError && error.retriable) {
        this.logger.warn('Share group heartbeat failed; retrying', { error: error.message });
        return { step: this.membership.unreachable(), error };
      }
      throw error;
    }
    const { request, response } = result;
    if (request.memberEpoch === LEAVE_EPOCH) {
      // Leaving is best effort: whatever the answer, the member is gone for us.
      if (response.errorCode === Codes.NONE) this.membership.onResponse(response, request);
      else this.membership.onError(response.errorCode, false);
      return { step: this.membership.lastStep! };
    }
    if (response.errorCode !== Codes.NONE) {
      const error = createProtocolError(response.errorCode, response.errorMessage);
      const action = this.membership.onError(response.errorCode, error.retriable);
      if (action === 'fatal') throw error;
      if (action === 'rejoin') {
        this.logger.info('Fenced by the share group coordinator; joining again', { error: error.message });
        await this.applyAssignment(new Map());
      }
      return { step: this.membership.lastStep!, error };
    }
    const changed = this.membership.onResponse(response, request);
    if (changed) {
      await this.applyAssignment(changed);
      this.membership.reconciled();
    }
    this.awaitingAssignment = this.assigned.length === 0 && this.fastHeartbeats < 10;
    if (this.awaitingAssignment) this.fastHeartbeats++;
    else if (this.assigned.length > 0) this.fastHeartbeats = 0;
    return { step: this.membership.lastStep! };
  }

  private async applyAssignment(assignment: TopicIdAssignment): Promise<void> {
    const names = this.cluster.metadata.topicNamesById;
    if ([...assignment.keys()].some((id) => !names.has(id))) {
      await this.cluster.refreshMetadata([...this.membership.subscription]).catch(() => {});
    }
    const next: AssignedPartition[] = [];
    for (const [topicId, partitions] of assignment) {
      const topic = names.get(topicId);
      if (topic === undefined) {
        this.logger.warn('Assigned a topic id missing from the metadata; skipping it for now', { topicId });
        continue;
      }
      for (const partition of partitions) next.push({ topic, topicId, partition });
    }
    const keep = new Set(next.map((p) => `${p.topic}:${p.partition}`));
    for (const [key, acks] of this.acks) {
      if (!keep.has(key)) {
        acks.clear();
        this.acks.delete(key);
      }
    }
    this.assigned = next;
    this.logger.info('Share group assignment', {
      groupId: this.groupId,
      memberId: this.memberId,
      memberEpoch: this.membership.epoch,
      partitions: next.map((p) => `${p.topic}[${p.partition}]`),
    });
    this.emit('assignment', {
      memberId: this.memberId,
      memberEpoch: this.membership.epoch,
      partitions: next.map(({ topic, partition }) => ({ topic, partition })),
    });
    this.reroute();
  }

  /** Spreads the assigned partitions over one loop per leader. */
  private reroute(): void {
    if (this.stoppingFlag) return;
    const byNode = new Map<number, AssignedPartition[]>();
    let unresolved = false;
    for (const p of this.assigned) {
      let leader: number;
      try {
        leader = this.cluster.leaderFor(p.topic, p.partition);
        this.cluster.broker(leader);
      } catch {
        unresolved = true;
        continue;
      }
      const list = byNode.get(leader) ?? [];
      list.push(p);
      byNode.set(leader, list);
    }
    for (const [nodeId, loop] of this.loops) {
      if (!byNode.has(nodeId)) {
        this.loops.delete(nodeId);
        loop.setPartitions([]);
        void loop.stop();
      }
    }
    for (const [nodeId, partitions] of byNode) {
      let loop = this.loops.get(nodeId);
      if (!loop) {
        loop = new ShareBrokerLoop(nodeId, this);
        this.loops.set(nodeId, loop);
        loop.start();
      }
      loop.setPartitions(partitions);
    }
    if (unresolved) this.refreshAndReroute();
  }

  private refreshAndReroute(): void {
    if (this.rerouteTimer || this.stoppingFlag) return;
    this.rerouteTimer = setTimeout(() => {
      this.rerouteTimer = undefined;
      this.cluster
        .refreshMetadata()
        .catch(() => {})
        .then(() => this.reroute());
    }, 100);
  }

  // ---- what the loops call (FetcherHost) ----------------------------------------------------------

  /** Called by the per-broker fetch loops. */
  acksFor(topic: string, partition: number): PartitionAcks {
    const key = `${topic}:${partition}`;
    let acks = this.acks.get(key);
    if (!acks) {
      acks = new PartitionAcks(topic, partition);
      this.acks.set(key, acks);
    }
    return acks;
  }

  /** Called by the per-broker fetch loops. */
  deliver(delivery: ShareDelivery): void {
    this.queue.push(delivery);
    const w = this.queueWaiter;
    this.queueWaiter = undefined;
    w?.();
  }

  /** Called by the per-broker fetch loops. */
  reportAcks(result: AcknowledgementCommit): void {
    if (result.error) {
      this.logger.warn('Share acknowledgement failed', {
        topic: result.topic,
        partition: result.partition,
        offsets: result.offsets.length,
        error: result.error.message,
      });
    }
    try {
      this.options.onAcknowledgementCommit?.(result);
    } catch (error) {
      this.logger.error('onAcknowledgementCommit threw', { error: (error as Error).message });
    }
    this.emit('acknowledgement', result);
  }

  /** A loop's broker failed a request: its partitions may have a new leader by now. */
  leaderFailed(): void {
    this.refreshAndReroute();
  }

  /** A broker loop reports a partition-level error: retriable ones refresh metadata and reroute. */
  partitionError(topic: string, partition: number, error: KafkaJSError): void {
    this.logger.warn('Share fetch partition error', { topic, partition, error: error.message });
    if (isStaleMetadataError(error) || error.retriable) this.refreshAndReroute();
  }

  /** A non-recoverable error: emits `share.crash` once and disconnects. */
  fatal(error: Error): void {
    if (this.crashError || this.stoppingFlag) {
      if (!this.crashError) this.logger.debug('Error while stopping', { error: error.message });
      return;
    }
    this.crashError = error;
    this.logger.error('Share consumer crashed', { error: error.message });
    this.emit('crash', { error });
    const w = this.queueWaiter;
    this.queueWaiter = undefined;
    w?.();
    void this.stop().catch(() => {});
  }

  // ---- delivering to the application --------------------------------------------------------------

  async nextDelivery(): Promise<ShareDelivery | undefined> {
    for (;;) {
      if (this.crashError) throw this.crashError;
      if (this.stoppingFlag) return undefined;
      const d = this.queue.shift();
      if (d) return d;
      await new Promise<void>((resolve) => {
        this.queueWaiter = resolve;
      });
    }
  }

  wakeQueue(): void {
    const w = this.queueWaiter;
    this.queueWaiter = undefined;
    w?.();
  }

  /** Acknowledges one record, routing renewals to the loop that holds its session. */
  acknowledgeRecord(delivery: ShareDelivery, offset: number, type: AcknowledgeType | undefined): void {
    const code = ackTypeCode(type ?? 'accept');
    if (code === undefined)
      throw new KafkaJSInvalidArgument(
        'type',
        `expected "accept", "release", "reject" or "renew", got ${String(type)}`,
      );
    if (code === AckType.RENEW && delivery.loop.renewSupported === false)
      throw new KafkaJSShareRenewUnsupportedError(delivery.topic, delivery.partition, offset);
    delivery.acks.acknowledge(offset, code, Date.now());
    if (code === AckType.RENEW) {
      for (const loop of this.loops.values()) {
        if (loop.assigned.some((p) => p.topic === delivery.topic && p.partition === delivery.partition))
          loop.flushSoon();
      }
    }
  }

  /** After a handler: accept (implicit mode, success) or release (failure) what it left unacknowledged. */
  settle(delivery: ShareDelivery, offsets: number[], failed: boolean): void {
    if (!failed && this.mode === 'explicit') return;
    const type = failed ? AckType.RELEASE : AckType.ACCEPT;
    const now = Date.now();
    const expired: number[] = [];
    for (const o of offsets) {
      if (!delivery.acks.isHeld(o)) continue;
      try {
        delivery.acks.acknowledge(o, type, now);
      } catch (error) {
        if (error instanceof KafkaJSShareLockExpiredError) expired.push(o);
        else throw error;
      }
    }
    if (expired.length > 0) {
      this.reportAcks({
        topic: delivery.topic,
        partition: delivery.partition,
        offsets: expired,
        error: new KafkaJSShareLockExpiredError(delivery.topic, delivery.partition, expired[0]!),
      });
    }
  }

  /** Messages still held by this consumer (a record whose lock ran out while queued is not handed out). */
  live(delivery: ShareDelivery): { messages: ShareMessage[]; offsets: number[] } {
    const now = Date.now();
    const messages: ShareMessage[] = [];
    const offsets: number[] = [];
    const expired: number[] = [];
    for (let i = 0; i < delivery.offsets.length; i++) {
      const o = delivery.offsets[i]!;
      if (!delivery.acks.isHeld(o)) continue;
      if ((delivery.acks.deadlineOf(o) ?? 0) <= now) {
        expired.push(o);
        continue;
      }
      messages.push(delivery.messages[i]!);
      offsets.push(o);
    }
    if (expired.length > 0) {
      delivery.acks.expire(now);
      this.reportAcks({
        topic: delivery.topic,
        partition: delivery.partition,
        offsets: expired,
        error: new KafkaJSShareLockExpiredError(delivery.topic, delivery.partition, expired[0]!),
      });
    }
    return { messages, offsets };
  }

  // ---- shutting down --------------------------------------------------------------------------------

  /**
   * Stops consuming, releases queued records, closes every share session (sending the pending
   * acknowledgements) and leaves the group; emits `share.disconnect`. Called again, waits for the
   * first call.
   */
  async stop(): Promise<void> {
    if (this.stoppingFlag) {
      await this.stopped;
      return;
    }
    this.stoppingFlag = true;
    this.stopped = this.shutdown().then(() => this.emitter.emit(SHARE_CONSUMER_EVENTS.DISCONNECT, null));
    await this.stopped;
  }

  private stopped: Promise<void> = Promise.resolve();

  private async shutdown(): Promise<void> {
    this.heartbeats.stop();
    if (this.rerouteTimer) clearTimeout(this.rerouteTimer);
    this.wakeQueue();
    await this.runner;
    for (const d of this.queue.splice(0)) {
      this.settle(d, d.offsets, true);
      d.loop.delivered();
    }
    const loops = [...this.loops.values()];
    this.loops.clear();
    await Promise.all(loops.map((l) => l.stop()));
    await this.heartbeats.idle();
    if (this.started) {
      this.membership.leave();
      // The driver is stopped, but a leave that is due still goes (and errors only log).
      if (this.membership.state === 'leaving') await this.heartbeats.now().catch(() => {});
    }
    for (const acks of this.acks.values()) acks.clear();
    this.connected = false;
    await this.cluster.disconnect();
  }
}
