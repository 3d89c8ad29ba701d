import { KafkaJSError } from '../../errors/base.js';
import { type BeatResult, HeartbeatDriver } from '../../group/heartbeat-driver.js';
import { heartbeatErrorEvent, MemberEngine } from '../../group/membership-engine.js';
import { combineServerRegex } from '../../group/topic-regex.js';
import type { Logger } from '../../logger.js';
import {
  ConsumerGroupHeartbeat,
  type ConsumerGroupHeartbeatResponse,
} from '../../protocol/messages/index.js';
import type { ConsumerCluster } from '../context.js';
import { Codes, isCoordinatorMoved, KafkaJSProtocolError, protocolError } from '../errors.js';
import { sleep } from '../signal.js';
import type { TopicPartition } from '../subscription-state.js';
import type { TopicCatalog } from '../topic-catalog.js';
import { type GroupMembership, type MembershipListener, minus } from './membership.js';

export interface ConsumerGroup848Options {
  groupId: string;
  groupInstanceId: string | null;
  rackId: string | null;
  rebalanceTimeout: number;
  /** `uniform` or `range`; null lets the broker choose (its default is `uniform`). */
  serverAssignor: string | null;
  refreshMetadata(): Promise<void>;
  logger: Logger;
}

/**
 * How long a (re)joined member given no partitions keeps asking for them before its GROUP_JOIN
 * (see awaitFirstAssignment): three times Kafka's default assignment interval.
 */
export const EMPTY_JOIN_GRACE_MS = 3000;

const LEAVE_EPOCH = -1;
const STATIC_LEAVE_EPOCH = -2;

/** Errors after which the member starts over with epoch 0, its partitions lost. */
const FENCED = new Set<number>([Codes.FENCED_MEMBER_EPOCH, Codes.UNKNOWN_MEMBER_ID]);

/**
 * The KIP-848 consumer group protocol: the broker computes assignments; the member sends
 * ConsumerGroupHeartbeat with its subscription and what it owns, and reconciles each new
 * target — revoke what is gone (committing first), take what is new, then acknowledge with the
 * next heartbeat. There is no JoinGroup/SyncGroup barrier: members not affected by a change
 * keep consuming. The member id is generated here (ConsumerGroupHeartbeat v1+).
 *
 * This is the consumer's adapter over the shared membership engine (group/membership-engine.ts:
 * member id, epoch, join/fence/leave transitions) and heartbeat driver (group/heartbeat-driver.ts:
 * timer, coalescing, backoff, coordinator invalidation); what is the consumer's own stays here:
 * the request's fields, owned partitions by topic id, reconciliation, static membership.
 */
export class ConsumerGroup848 implements GroupMembership {
  readonly protocol = 'consumer' as const;
  private readonly engine = new MemberEngine({ heartbeatIntervalMs: 3000 });
  private readonly driver: HeartbeatDriver;
  private closed = false;
  private target: Array<{ topicId: string; partitions: number[] }> | null = null;
  private rejoinAsked = false;
  private lastSentOwned = '';
  lastError: Error | undefined;
  /** GROUP_JOIN emitted since the member (re)joined with epoch 0. */
  private announced = false;
  /** When the current reconciliation began, for GROUP_JOIN's `duration`. */
  private joinStarted = 0;

  constructor(
    private readonly cluster: ConsumerCluster,
    private readonly catalog: TopicCatalog,
    private readonly options: ConsumerGroup848Options,
    private readonly listener: MembershipListener,
  ) {
    this.driver = new HeartbeatDriver({
      beat: () => this.beat(),
      invalidateCoordinator: () => this.cluster.forgetCoordinator(this.options.groupId),
      intervalMs: () => this.engine.heartbeatIntervalMs,
      backoff: { initialMs: 200, maxMs: 5000 },
      soonMs: 200,
      onTimerError: (e) => this.options.logger.warn('Heartbeat failed', { error: e.message }),
    });
  }

  private get memberId(): string {
    return this.engine.memberId;
  }

  private get joined(): boolean {
    return this.engine.joined;
  }

  get needsRejoin(): boolean {
    return !this.joined || this.target !== null || this.rejoinAsked;
  }

  requestRejoin(reason: string): void {
    // Subscription changes travel with the next heartbeat; nothing is torn down.
    this.options.logger.debug('Subscription update', { reason });
    this.rejoinAsked = true;
    if (this.engine.state !== 'unsubscribed') this.engine.dispatch('subscribe');
  }

  identity() {
    return {
      memberId: this.memberId,
      generationIdOrMemberEpoch: this.engine.epoch,
      groupInstanceId: this.options.groupInstanceId,
    };
  }

  describe() {
    return {
      memberId: this.memberId,
      generationId: this.engine.epoch,
      protocol: this.options.serverAssignor,
    };
  }

  async ensureActive(signal?: AbortSignal): Promise<void> {
    let attempt = 0;
    if (this.needsRejoin && !this.closed) {
      this.joinStarted = Date.now();
      this.listener.emit('rebalancing', { groupId: this.options.groupId, memberId: this.memberId });
    }
    while (this.needsRejoin && !this.closed && !signal?.aborted) {
      if (this.engine.state === 'fatal')
        throw (
          this.lastError ??
          new KafkaJSError('The group member stopped on a fatal error', { retriable: false })
        );
      if (this.engine.state === 'unsubscribed' || this.engine.state === 'left')
        this.engine.dispatch('subscribe');
      try {
        if (!this.joined || this.rejoinAsked) {
          this.rejoinAsked = false;
          await this.heartbeat();
        }
        if (this.closed) return;
        if (this.target === null && this.joined && !this.announced) await this.awaitFirstAssignment(signal);
        if (this.closed) return;
        if (this.target !== null) await this.reconcile();
        // Joined with nothing to reconcile (the broker gave what we own, possibly nothing yet):
        // the join is complete all the same, and KafkaJS programs wait for its GROUP_JOIN.
        else if (this.joined && !this.announced) this.announceJoin(this.listener.ownedPartitions());
        attempt = 0;
        this.lastError = undefined;
      } catch (e) {
        this.lastError = e as Error;
        if (
          e instanceof KafkaJSProtocolError &&
          !e.retriable &&
          !FENCED.has(e.code) &&
          !isCoordinatorMoved(e.code)
        ) {
          throw e;
        }
        attempt++;
        if (attempt > 20) throw e;
        // A coordinator that moved or is still loading is routine right after a group or the
        // offsets topic is created, and after broker restarts; only repeated failures are news.
        const routine = e instanceof KafkaJSProtocolError && isCoordinatorMoved(e.code) && attempt <= 3;
        this.options.logger[routine ? 'debug' : 'warn']('Group heartbeat failed, retrying', {
          error: (e as Error).message,
          attempt,
        });
        await sleep(this.driver.backoffMs(attempt));
      }
    }
  }

  /**
   * A member that (re)joined and was given nothing although its subscribed topics have
   * partitions: heartbeats again every few hundred ms, for up to {@link EMPTY_JOIN_GRACE_MS}
   * (at most one heartbeat interval), until the broker assigns. The group coordinator computes
   * the target from its own view of the topics, which can lag behind the metadata the consumer
   * saw (topics just created), and it corrects the target only on a later heartbeat, no sooner
   * than `group.consumer.assignment.interval.ms` (1 s, Kafka 4.3+) after the last one; at the
   * regular heartbeat interval (5 s) that came after run() had resolved and GROUP_JOIN said
   * "nothing", and a `latest` reset then skipped what was produced in between (a lost NestJS
   * request). KafkaJS's run() resolves with the assignment in hand; so does this. A member
   * that stays empty (more members than partitions) is announced empty after the grace.
   */
  private async awaitFirstAssignment(signal?: AbortSignal): Promise<void> {
    const until = Date.now() + Math.min(EMPTY_JOIN_GRACE_MS, this.engine.heartbeatIntervalMs);
    for (let delay = 100; ; delay = Math.min(delay * 2, 500)) {
      if (this.target !== null || this.closed || signal?.aborted || Date.now() >= until) return;
      if (this.listener.ownedPartitions().length > 0) return;
      const topics = this.listener.subscribedTopics();
      if (!topics.some((t) => this.catalog.partitionCount(t) > 0)) return;
      await sleep(Math.min(delay, Math.max(0, until - Date.now())));
      if (this.closed || signal?.aborted) return;
      await this.heartbeat();
    }
  }

  /** Applies the target assignment: revoke, then assign, then acknowledge. */
  private async reconcile(): Promise<void> {
    const target = this.target!;
    const wanted: TopicPartition[] = [];
    let unresolved = false;
    for (const tp of target) {
      let topic = this.catalog.topicName(tp.topicId);
      if (topic === undefined) {
        await this.options.refreshMetadata().catch(() => {});
        topic = this.catalog.topicName(tp.topicId);
      }
      if (topic === undefined) {
        unresolved = true;
        continue;
      }
      for (const partition of tp.partitions) wanted.push({ topic, partition });
    }
    const owned = this.listener.ownedPartitions();
    const revoked = minus(owned, wanted);
    const added = minus(wanted, owned);
    if (revoked.length > 0) await this.listener.revoke(revoked);
    if (added.length > 0) await this.listener.assign(added);
    if (!unresolved) {
      this.target = null;
      this.engine.dispatch('reconciled');
    }
    if (this.closed) return;
    this.announceJoin(wanted);
    // Acknowledge now rather than at the next interval, so the group converges quickly.
    await this.heartbeat();
  }

  /** GROUP_JOIN in KafkaJS's shape: KIP-848 has no leader, and the broker's assignor is `consumer`. */
  private announceJoin(assigned: TopicPartition[]): void {
    this.announced = true;
    this.listener.emit('group_join', {
      duration: Date.now() - this.joinStarted,
      groupId: this.options.groupId,
      memberId: this.memberId,
      isLeader: false,
      leaderId: '',
      groupProtocol: 'consumer',
      memberAssignment: groupByTopic(assigned),
    });
  }

  /** One heartbeat through the driver (after the one in flight); an error answer rejects. */
  private async heartbeat(): Promise<void> {
    const result = await this.driver.now();
    if (result?.error) throw result.error;
  }

  /** Sends the heartbeat the engine's state calls for and digests its answer (the driver's `beat`). */
  private async beat(): Promise<BeatResult | undefined> {
    const state = this.engine.state;
    if (state === 'unsubscribed' || state === 'left' || state === 'fatal') return undefined;
    const leaving = state === 'leaving';
    const { groupId } = this.options;
    const topicPartitions = this.ownedByTopicId();
    const ownedKey = assignmentKey(topicPartitions);
    // Owned partitions travel when they changed (or on a (re)join); null means "as before".
    const sendOwned = !leaving && (this.engine.epoch === 0 || ownedKey !== this.lastSentOwned);
    const leaveEpoch = this.options.groupInstanceId !== null ? STATIC_LEAVE_EPOCH : LEAVE_EPOCH;
    let res: ConsumerGroupHeartbeatResponse;
    try {
      // Connecting to the coordinator is inside the try: when its broker is gone, the connect
      // fails and the cached coordinator must be dropped so the next attempt looks it up again.
      const node = await this.cluster.coordinator(groupId);
      const version = await this.cluster.versionFor(node, 'default', ConsumerGroupHeartbeat);
      const subscribed = this.subscribedFields(version);
      if (subscribed instanceof Error) return this.stop(subscribed);
      res = await this.cluster.send(
        node,
        'default',
        ConsumerGroupHeartbeat,
        {
          groupId,
          memberId: this.memberId,
          memberEpoch: leaving ? leaveEpoch : this.engine.epoch,
          instanceId: this.options.groupInstanceId,
          rackId: this.options.rackId,
          rebalanceTimeoutMs: this.options.rebalanceTimeout,
          ...subscribed,
          serverAssignor: this.options.serverAssignor,
          topicPartitions: sendOwned ? topicPartitions : null,
        },
        { version },
      );
    } catch (e) {
      return { step: this.engine.dispatch(leaving ? 'left' : 'unreachable'), error: e as Error };
    }
    // The leave is best effort: whatever the answer, the member is gone for us.
    if (leaving) return { step: this.engine.dispatch('left') };
    if (res.errorCode !== Codes.NONE) {
      const error = protocolError(res.errorCode, `ConsumerGroupHeartbeat ${groupId}`, res.errorMessage);
      const step = this.engine.dispatch(heartbeatErrorEvent(res.errorCode, error.retriable));
      if (step.effects.includes('lose-assignment')) {
        this.options.logger.warn('Member fenced, rejoining', { groupId, error: res.errorCode });
        this.announced = false;
        this.lastSentOwned = '';
        this.target = null;
        const lost = this.listener.ownedPartitions();
        if (lost.length > 0) await this.listener.lose(lost);
      }
      if (step.to === 'fatal') this.listener.fatal(error);
      return { step, error };
    }
    if (sendOwned) this.lastSentOwned = ownedKey;
    // What the broker assigned, and at which epoch: the trail of a late or missing assignment.
    if (res.assignment !== null) {
      this.options.logger.debug('Assignment received', {
        groupId,
        memberEpoch: res.memberEpoch,
        partitions: res.assignment.topicPartitions.reduce((n, tp) => n + tp.partitions.length, 0),
      });
      const target = res.assignment.topicPartitions;
      // The broker repeats the assignment when we send what we own; only a change needs reconciling.
      this.target = assignmentKey(target) !== this.ownedKey() ? target : null;
    }
    let step = this.engine.dispatch(this.target !== null ? 'assigned' : 'accepted', res);
    // The answer repeats what the member already owns: nothing left to reconcile.
    if (step.to === 'reconciling' && this.target === null) step = this.engine.dispatch('reconciled');
    this.listener.emit('heartbeat', {
      groupId,
      memberId: this.memberId,
      groupGenerationId: this.engine.epoch,
    });
    return { step };
  }

  /**
   * The subscription as the heartbeat carries it. Regular expressions go to the broker as
   * `SubscribedTopicRegex` (v1+, Kafka 4.0+), which resolves them against every topic, those
   * created later included (KIP-848); an older coordinator gets them resolved by the client from
   * the metadata, as the classic protocol does. A pattern RE2/J cannot express is an error.
   */
  private subscribedFields(
    version: number,
  ): { subscribedTopicNames: string[] | null; subscribedTopicRegex: string | null } | Error {
    const { names, patterns } = this.listener.subscription();
    if (patterns.length === 0 || version < 1)
      return { subscribedTopicNames: this.listener.subscribedTopics(), subscribedTopicRegex: null };
    try {
      // Names and a pattern together: the broker subscribes the member to both.
      return {
        subscribedTopicNames: names.length > 0 ? names : null,
        subscribedTopicRegex: combineServerRegex(patterns),
      };
    } catch (e) {
      return e as Error;
    }
  }

  /** A local error the member cannot continue with (a pattern the broker cannot take). */
  private stop(error: Error): BeatResult {
    const step = this.engine.dispatch('fatal');
    this.listener.fatal(error);
    return { step, error };
  }

  private ownedByTopicId(): Array<{ topicId: string; partitions: number[] }> {
    const out: Array<{ topicId: string; partitions: number[] }> = [];
    for (const [topic, partitions] of Object.entries(groupByTopic(this.listener.ownedPartitions()))) {
      const topicId = this.catalog.topicId(topic);
      if (topicId) out.push({ topicId, partitions });
    }
    return out;
  }

  private ownedKey(): string {
    return assignmentKey(this.ownedByTopicId());
  }

  async leave(): Promise<void> {
    this.closed = true;
    this.driver.stop();
    if (this.engine.dispatch('leave').to !== 'leaving') return;
    // Sent after a heartbeat in flight, if any; the driver builds it with the leave epoch.
    const result = await this.driver.now();
    if (result?.error && result.step.event === 'left')
      this.options.logger.warn('Leaving the group failed', { error: result.error.message });
  }

  close(): void {
    this.closed = true;
    this.driver.stop();
  }
}

function groupByTopic(list: readonly TopicPartition[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const p of list) {
    const l = out[p.topic];
    if (l) l.push(p.partition);
    else out[p.topic] = [p.partition];
  }
  for (const k of Object.keys(out)) out[k]!.sort((a, b) => a - b);
  return out;
}

/** A canonical string for a set of (topic id, partitions), to compare assignments. */
export function assignmentKey(
  list: ReadonlyArray<{ topicId: string; partitions: readonly number[] }>,
): string {
  const parts: string[] = [];
  for (const tp of list) for (const p of tp.partitions) parts.push(`${tp.topicId}:${p}`);
  return parts.sort().join(',');
}
