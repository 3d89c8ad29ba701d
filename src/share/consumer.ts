/**
 * The share consumer (KIP-932, "queues for Kafka"): members of a share group divide records, not
 * partitions. Several consumers read the same partition; each record is acquired by one of them
 * for a limited time (the acquisition lock) and acknowledged as accepted, released (delivered
 * again) or rejected (never again).
 *
 * This module wires the pieces: {@link ShareMembership} (heartbeats and assignment), one
 * {@link ShareBrokerLoop} per partition leader (share sessions, fetches, acknowledgements), the
 * per-partition {@link PartitionAcks}, and the handler front ends (`run`, `for await`).
 */
import { KafkaJSError } from '../errors/base.js';
import { KafkaJSInvalidArgument } from '../errors/network.js';
import { createProtocolError } from '../errors/protocol.js';
import { type BeatResult, HeartbeatDriver } from '../group/heartbeat-driver.js';
import {
  type ClientEventListener,
  ClientEvents,
  type RemoveInstrumentationEventListener,
} from '../instrumentation/emitter.js';
import { InstrumentationEmitter, type NetworkEvents } from '../instrumentation/events.js';
import type { Logger } from '../logger.js';
import type { Cluster } from '../network/cluster.js';
import { isStaleMetadataError } from '../network/cluster.js';
import { Codes } from '../protocol/codes.js';
import { ShareGroupHeartbeat } from '../protocol/messages/share-group-heartbeat.js';
import { type AcknowledgeType, AckType, ackTypeCode, PartitionAcks } from './ack.js';
import {
  KafkaJSShareConsumerStateError,
  KafkaJSShareLockExpiredError,
  KafkaJSShareRenewUnsupportedError,
} from './errors.js';
import {
  SHARE_CONSUMER_EVENTS,
  SHARE_CONSUMER_SHORT_NAMES,
  type ShareConsumerEventName,
  type ShareConsumerEvents,
} from './events.js';
import { type AssignedPartition, type FetcherHost, ShareBrokerLoop, type ShareDelivery } from './fetcher.js';
import { LEAVE_EPOCH, ShareMembership, type TopicIdAssignment } from './membership.js';
import type {
  AcknowledgementCommit,
  AcknowledgementMode,
  ShareConsumerEventMap,
  ShareConsumerOptions,
  ShareEachMessagePayload,
  ShareMessage,
  ShareRunOptions,
  ShareSubscribeOptions,
} from './types.js';

export interface CreateShareConsumerContext {
  /** The consumer's own cluster (created with `allowAutoTopicCreation: false`). */
  cluster: Cluster;
  logger: Logger;
  /** The emitter the cluster's connections publish `network.*` events on (re-emitted as `share.network.*`). */
  instrumentation?: InstrumentationEmitter<NetworkEvents>;
}

/** @inline */
type Listener<E extends keyof ShareConsumerEventMap> = (event: ShareConsumerEventMap[E]) => void;

function validateOptions(options: ShareConsumerOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new KafkaJSInvalidArgument('options', 'expected an object with a groupId');
  if (typeof options.groupId !== 'string' || options.groupId.length === 0)
    throw new KafkaJSInvalidArgument('groupId', 'expected a non-empty string');
  if (
    options.acknowledgementMode !== undefined &&
    !['implicit', 'explicit'].includes(options.acknowledgementMode)
  )
    throw new KafkaJSInvalidArgument('acknowledgementMode', 'expected "implicit" or "explicit"');
  for (const key of [
    'maxWaitTimeInMs',
    'minBytes',
    'maxBytes',
    'maxRecords',
    'maxDecompressedBatchBytes',
  ] as const) {
    const v = options[key];
    if (
      v !== undefined &&
      (typeof v !== 'number' || !Number.isInteger(v) || v < (key === 'maxWaitTimeInMs' ? 0 : 1))
    )
      throw new KafkaJSInvalidArgument(key, `expected a positive integer, got ${String(v)}`);
  }
  if (options.onAcknowledgementCommit !== undefined && typeof options.onAcknowledgementCommit !== 'function')
    throw new KafkaJSInvalidArgument('onAcknowledgementCommit', 'expected a function');
}

/**
 * A share-group consumer (KIP-932), from `kafka.shareConsumer()`: `connect()`, `subscribe()`,
 * then `run()` or `for await`; each record is acknowledged (accepted, released or rejected)
 * rather than committed by offset. See docs/share-groups.md.
 */
export class ShareConsumer {
  /** The share group this consumer joins. */
  readonly groupId: string;
  /** How records are acknowledged: `implicit` (the default) or `explicit`. */
  readonly mode: AcknowledgementMode;
  /** @internal The consumer's own cluster. */
  readonly cluster: Cluster;
  /** The consumer's logger, namespaced `ShareConsumer`. */
  readonly logger: Logger;
  /** The ShareFetch settings in effect, from the options with their defaults applied. */
  readonly settings: FetcherHost['settings'];
  private readonly membership: ShareMembership;
  private readonly acks = new Map<string, PartitionAcks>();
  private readonly loops = new Map<number, ShareBrokerLoop>();
  private assigned: AssignedPartition[] = [];
  private readonly queue: ShareDelivery[] = [];
  private queueWaiter: (() => void) | undefined;
  private connected = false;
  private started = false;
  private stoppingFlag = false;
  private consuming: 'run' | 'iterator' | undefined;
  private runner: Promise<void> | undefined;
  private crashError: Error | undefined;
  private readonly heartbeats: HeartbeatDriver;
  private fastHeartbeats = 0;
  /** No assignment yet after the last answer: the next heartbeat goes sooner than the interval. */
  private awaitingAssignment = false;
  private rerouteTimer: NodeJS.Timeout | undefined;
  /** The event names `on()` accepts (KafkaJS's `consumer.events` counterpart). */
  readonly events = SHARE_CONSUMER_EVENTS;
  private readonly emitter = new ClientEvents<ShareConsumerEvents>(
    'share consumer',
    Object.values(SHARE_CONSUMER_EVENTS),
    new InstrumentationEmitter<ShareConsumerEvents>(),
  );

  /** @internal Use `kafka.shareConsumer()`. */
  constructor(
    context: CreateShareConsumerContext,
    private readonly options: ShareConsumerOptions,
  ) {
    validateOptions(options);
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

  /** True once `disconnect()` started (or the consumer crashed); a handler may check it to stop early. */
  get stopping(): boolean {
    return this.stoppingFlag;
  }

  /**
   * Listens to a share consumer event (`share.connect`, `share.group_join`, …, see
   * {@link SHARE_CONSUMER_EVENTS}); the listener receives KafkaJS's `{ id, type, timestamp,
   * payload }` envelope. The earlier short names `crash`, `assignment` and `acknowledgement` are
   * still accepted and give their listener the payload alone. Returns the function that removes
   * the listener; an unknown name throws {@link KafkaJSInvalidArgument}.
   */
  on<E extends ShareConsumerEventName>(
    event: E,
    listener: ClientEventListener<ShareConsumerEvents, E>,
  ): RemoveInstrumentationEventListener<E>;
  /** @deprecated Use the `share.*` names ({@link SHARE_CONSUMER_EVENTS}); these give the listener the bare payload. */
  on<E extends keyof ShareConsumerEventMap>(
    event: E,
    listener: Listener<E>,
  ): RemoveInstrumentationEventListener<E>;
  on(event: string, listener: (event: never) => void): RemoveInstrumentationEventListener<string> {
    const short = SHARE_CONSUMER_SHORT_NAMES[event as keyof ShareConsumerEventMap];
    if (short === undefined) {
      return this.emitter.on(
        this.emitter.resolve(event),
        listener as ClientEventListener<ShareConsumerEvents, ShareConsumerEventName>,
      );
    }
    return this.emitter.on(short, (e) => (listener as (payload: unknown) => void)(e.payload));
  }

  /** Emits under the `share.*` name; the short-name listeners are subscribed to the same events. */
  private emit<E extends keyof ShareConsumerEventMap>(event: E, payload: ShareConsumerEventMap[E]): void {
    // AcknowledgementCommit names its partition already; the others gain the group, as KafkaJS's payloads have it.
    const body = event === 'acknowledgement' ? payload : { groupId: this.groupId, ...payload };
    this.emitter.emit(SHARE_CONSUMER_SHORT_NAMES[event], body as never);
  }

  /** Connects and checks that the cluster serves share groups (Kafka 4.x, `share.version` ≥ 1); emits `share.connect`. */
  async connect(): Promise<void> {
    if (this.connected) return;
    await this.cluster.connect();
    const connection = await this.cluster.anyConnection();
    if (!connection.apiVersions?.has(ShareGroupHeartbeat.apiKey)) {
      throw new KafkaJSShareConsumerStateError(
        `Broker ${connection.broker} does not serve share groups (no ShareGroupHeartbeat): share groups need ` +
          'Kafka 4.0+ with the share.version feature enabled (on by default from 4.2)',
      );
    }
    this.connected = true;
    this.emitter.emit(SHARE_CONSUMER_EVENTS.CONNECT, null);
  }

  /** Adds topics (names, no patterns) to the subscription; the share group assigns their partitions. */
  async subscribe(options: ShareSubscribeOptions): Promise<void> {
    if (!options || !Array.isArray(options.topics) || options.topics.length === 0)
      throw new KafkaJSInvalidArgument('topics', 'expected a non-empty array of topic names');
    for (const t of options.topics) {
      if (typeof t !== 'string' || t.length === 0)
        throw new KafkaJSInvalidArgument('topics', 'share groups subscribe to topic names (no patterns)');
    }
    this.membership.subscribe([...this.membership.subscription, ...options.topics]);
    this.cluster.addTargetTopics(options.topics);
    if (this.started) this.heartbeatNow();
  }

  /**
   * Starts consuming with `eachMessage` or `eachBatch`; resolves once started. A handler that
   * returns accepts (implicit mode) the records it did not acknowledge; one that throws releases them.
   */
  async run(options: ShareRunOptions): Promise<void> {
    if (!options || (typeof options.eachMessage !== 'function') === (typeof options.eachBatch !== 'function'))
      throw new KafkaJSInvalidArgument('run', 'pass exactly one of eachMessage or eachBatch');
    this.claim('run');
    this.start();
    this.runner = this.runLoop(options).catch((error: unknown) => this.fatal(error as Error));
  }

  private claim(how: 'run' | 'iterator'): void {
    if (!this.connected) throw new KafkaJSShareConsumerStateError('Call connect() before consuming');
    if (this.membership.subscription.length === 0)
      throw new KafkaJSShareConsumerStateError('Call subscribe({ topics }) before consuming');
    if (this.stoppingFlag) throw new KafkaJSShareConsumerStateError('The share consumer is disconnected');
    if (this.consuming)
      throw new KafkaJSShareConsumerStateError(`The share consumer is already consuming (${this.consuming})`);
    this.consuming = how;
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.heartbeatNow();
  }

  // ---- heartbeats and assignment --------------------------------------------------------------

  private heartbeatNow(): void {
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
    let result: Awaited<ReturnType<ShareConsumer['sendHeartbeat']>>;
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

  // ---- what the loops call ----------------------------------------------------------------------

  /** @internal Called by the per-broker fetch loops. */
  acksFor(topic: string, partition: number): PartitionAcks {
    const key = `${topic}:${partition}`;
    let acks = this.acks.get(key);
    if (!acks) {
      acks = new PartitionAcks(topic, partition);
      this.acks.set(key, acks);
    }
    return acks;
  }

  /** @internal Called by the per-broker fetch loops. */
  deliver(delivery: ShareDelivery): void {
    this.queue.push(delivery);
    const w = this.queueWaiter;
    this.queueWaiter = undefined;
    w?.();
  }

  /** @internal Called by the per-broker fetch loops. */
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

  /** @internal A loop's broker failed a request: its partitions may have a new leader by now. */
  leaderFailed(): void {
    this.refreshAndReroute();
  }

  /** @internal A broker loop reports a partition-level error: retriable ones refresh metadata and reroute. */
  partitionError(topic: string, partition: number, error: KafkaJSError): void {
    this.logger.warn('Share fetch partition error', { topic, partition, error: error.message });
    if (isStaleMetadataError(error) || error.retriable) this.refreshAndReroute();
  }

  /** @internal A non-recoverable error: emits `share.crash` once and disconnects. */
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
    void this.disconnect().catch(() => {});
  }

  // ---- delivering to the application --------------------------------------------------------------

  private async nextDelivery(): Promise<ShareDelivery | undefined> {
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

  private wakeQueue(): void {
    const w = this.queueWaiter;
    this.queueWaiter = undefined;
    w?.();
  }

  /** Acknowledges one record, routing renewals to the loop that holds its session. */
  private acknowledgeRecord(
    delivery: ShareDelivery,
    offset: number,
    type: AcknowledgeType | undefined,
  ): void {
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
  private settle(delivery: ShareDelivery, offsets: number[], failed: boolean): void {
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
  private live(delivery: ShareDelivery): { messages: ShareMessage[]; offsets: number[] } {
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

  private async runLoop(options: ShareRunOptions): Promise<void> {
    for (;;) {
      const delivery = await this.nextDelivery();
      if (!delivery) return;
      try {
        if (options.eachBatch) await this.handleBatch(delivery, options.eachBatch);
        else await this.handleMessages(delivery, options.eachMessage!);
      } finally {
        delivery.loop.delivered();
      }
    }
  }

  private async handleMessages(
    delivery: ShareDelivery,
    eachMessage: NonNullable<ShareRunOptions['eachMessage']>,
  ): Promise<void> {
    const { messages, offsets } = this.live(delivery);
    for (let i = 0; i < messages.length; i++) {
      const offset = offsets[i]!;
      if (this.stoppingFlag) {
        this.settle(delivery, offsets.slice(i), true);
        return;
      }
      if (!delivery.acks.isHeld(offset)) continue;
      let failed = false;
      try {
        await eachMessage({
          topic: delivery.topic,
          partition: delivery.partition,
          message: messages[i]!,
          acknowledge: (type) => this.acknowledgeRecord(delivery, offset, type),
        });
      } catch (error) {
        failed = true;
        this.logger.warn('eachMessage threw; releasing the record for redelivery', {
          topic: delivery.topic,
          partition: delivery.partition,
          offset,
          error: (error as Error).message,
        });
      }
      this.settle(delivery, [offset], failed);
    }
  }

  private async handleBatch(
    delivery: ShareDelivery,
    eachBatch: NonNullable<ShareRunOptions['eachBatch']>,
  ): Promise<void> {
    const { messages, offsets } = this.live(delivery);
    if (messages.length === 0) return;
    const offsetOf = new Map(messages.map((m, i) => [m, offsets[i]!]));
    let failed = false;
    try {
      await eachBatch({
        batch: { topic: delivery.topic, partition: delivery.partition, messages },
        acknowledge: (message, type) => {
          const offset = offsetOf.get(message);
          if (offset === undefined)
            throw new KafkaJSInvalidArgument('message', 'not a message of this batch');
          this.acknowledgeRecord(delivery, offset, type);
        },
        isRunning: () => !this.stoppingFlag,
      });
    } catch (error) {
      failed = true;
      this.logger.warn('eachBatch threw; releasing the unacknowledged records for redelivery', {
        topic: delivery.topic,
        partition: delivery.partition,
        error: (error as Error).message,
      });
    }
    this.settle(delivery, offsets, failed);
  }

  /**
   * `for await (const { message, acknowledge } of consumer)`. In implicit mode a record is accepted
   * when the loop asks for the next one; leaving the loop (break, return or throw) releases the
   * current record unless it was acknowledged, and the records fetched with it.
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<ShareEachMessagePayload, void, undefined> {
    this.claim('iterator');
    this.start();
    let delivery: ShareDelivery | undefined;
    let offsets: number[] = [];
    let index = 0;
    try {
      for (;;) {
        delivery = await this.nextDelivery();
        if (!delivery) return;
        const live = this.live(delivery);
        offsets = live.offsets;
        for (index = 0; index < live.messages.length; index++) {
          const offset = offsets[index]!;
          if (!delivery.acks.isHeld(offset)) continue;
          const d = delivery;
          yield {
            topic: d.topic,
            partition: d.partition,
            message: live.messages[index]!,
            acknowledge: (type) => this.acknowledgeRecord(d, offset, type),
          };
          this.settle(d, [offset], false);
        }
        const done = delivery;
        delivery = undefined;
        done.loop.delivered();
      }
    } finally {
      if (delivery) {
        // left the loop mid-delivery: what was not acknowledged goes back to the group
        if (this.mode === 'implicit' || this.stoppingFlag) this.settle(delivery, offsets.slice(index), true);
        else this.settle(delivery, offsets.slice(index + 1), true);
        delivery.loop.delivered();
      }
      this.consuming = undefined;
    }
  }

  // ---- shutting down --------------------------------------------------------------------------------

  /**
   * Stops consuming, releases queued records, closes every share session (sending the pending
   * acknowledgements) and leaves the group.
   */
  async disconnect(): Promise<void> {
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

/** Builds a share consumer; `Kafka.shareConsumer()` calls this. */
export function createShareConsumer(
  context: CreateShareConsumerContext,
  options: ShareConsumerOptions,
): ShareConsumer {
  return new ShareConsumer(context, options);
}
