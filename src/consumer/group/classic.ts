import { KafkaJSError } from '../../errors/base.js';
import { decodeAssignment, decodeSubscription } from '../../group/consumer-protocol.js';
import type { Logger } from '../../logger.js';
import { Heartbeat, JoinGroup, LeaveGroup, SyncGroup } from '../../protocol/messages/index.js';
import type { Assigner } from '../assignors/assigner.js';
import type { RebalanceProtocol } from '../assignors/types.js';
import type { ConsumerCluster } from '../context.js';
import { Codes, isCoordinatorMoved, KafkaJSProtocolError, protocolError } from '../errors.js';
import { sleep } from '../signal.js';
import type { TopicPartition } from '../subscription-state.js';
import { type GroupMembership, type MembershipListener, minus } from './membership.js';

export interface ClassicGroupOptions {
  groupId: string;
  sessionTimeout: number;
  rebalanceTimeout: number;
  heartbeatInterval: number;
  groupInstanceId: string | null;
  rackId: string | null;
  assigners: Assigner[];
  /** Loads metadata for the topics every member subscribes to, before the leader assigns. */
  prepareAssignment(topics: string[]): Promise<void>;
  logger: Logger;
}

const toList = (tps: Array<{ topic: string; partitions: number[] }>): TopicPartition[] =>
  tps.flatMap((tp) => tp.partitions.map((partition) => ({ topic: tp.topic, partition })));

const group = (list: readonly TopicPartition[]) => {
  const m = new Map<string, number[]>();
  for (const p of list) {
    const l = m.get(p.topic);
    if (l) l.push(p.partition);
    else m.set(p.topic, [p.partition]);
  }
  return [...m].map(([topic, partitions]) => ({ topic, partitions: partitions.sort((a, b) => a - b) }));
};

/** Retry after these JoinGroup/SyncGroup errors (with a backoff, coordinator looked up again). */
const RETRY_JOIN = new Set<number>([
  Codes.COORDINATOR_LOAD_IN_PROGRESS,
  Codes.COORDINATOR_NOT_AVAILABLE,
  Codes.NOT_COORDINATOR,
  Codes.REBALANCE_IN_PROGRESS,
  Codes.ILLEGAL_GENERATION,
  Codes.REQUEST_TIMED_OUT,
]);

/**
 * The classic group protocol: FindCoordinator, JoinGroup (with the MEMBER_ID_REQUIRED round
 * trip of KIP-394), the leader's assignment, SyncGroup, then heartbeats on a timer of their own
 * so that a slow message handler never lets the session expire. Eager rebalancing revokes
 * everything before rejoining; cooperative (KIP-429) revokes only what moved, then rejoins once
 * so that the partitions reach their new owner. Static membership (KIP-345) via groupInstanceId.
 */
export class ClassicGroup implements GroupMembership {
  readonly protocol = 'classic' as const;
  private memberId = '';
  private generationId = -1;
  private leaderId = '';
  private protocolName: string | null = null;
  private rejoin = true;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private heartbeating = false;
  private closed = false;
  lastError: Error | undefined;
  /** When the current (re)join began: GROUP_JOIN's `duration` spans its retries too, as in KafkaJS. */
  private joinStarted = 0;
  private readonly rebalanceProtocol: RebalanceProtocol;
  /** What this member owned when it last had an assignment (eager's sticky userData). */
  private lastAssignment: TopicPartition[] = [];

  constructor(
    private readonly cluster: ConsumerCluster,
    private readonly options: ClassicGroupOptions,
    private readonly listener: MembershipListener,
  ) {
    if (options.assigners.length === 0)
      throw new KafkaJSError('At least one partition assigner is required', { retriable: false });
    // Cooperative only when every assigner supports it (a mixed list must stay eager).
    this.rebalanceProtocol = options.assigners.every((a) => a.supportedProtocols?.includes('cooperative'))
      ? 'cooperative'
      : 'eager';
  }

  get needsRejoin(): boolean {
    return this.rejoin;
  }

  get rebalance(): RebalanceProtocol {
    return this.rebalanceProtocol;
  }

  requestRejoin(reason: string): void {
    if (!this.rejoin) this.options.logger.info('Rejoining group', { groupId: this.options.groupId, reason });
    this.rejoin = true;
  }

  identity() {
    return {
      memberId: this.memberId,
      generationIdOrMemberEpoch: this.generationId,
      groupInstanceId: this.options.groupInstanceId,
    };
  }

  describe() {
    return {
      memberId: this.memberId,
      generationId: this.generationId,
      leaderId: this.leaderId,
      protocol: this.protocolName,
    };
  }

  async ensureActive(signal?: AbortSignal): Promise<void> {
    let attempt = 0;
    if (this.rejoin && !this.closed) {
      this.joinStarted = Date.now();
      this.listener.emit('rebalancing', { groupId: this.options.groupId, memberId: this.memberId });
    }
    while (this.rejoin && !this.closed && !signal?.aborted) {
      try {
        await this.joinOnce();
        attempt = 0;
        if (!this.rejoin) this.lastError = undefined;
      } catch (e) {
        this.lastError = e as Error;
        if (
          e instanceof KafkaJSProtocolError &&
          !RETRY_JOIN.has(e.code) &&
          e.code !== Codes.UNKNOWN_MEMBER_ID
        ) {
          throw e;
        }
        if (!(e instanceof KafkaJSProtocolError)) this.cluster.forgetCoordinator(this.options.groupId);
        // joinOnce() clears the rejoin bit before its JoinGroup is sent; a join that failed (the
        // coordinator's connection closed under it, say) has not happened and must be tried again,
        // or the member would sit outside the group with nothing assigned.
        this.rejoin = true;
        attempt++;
        this.options.logger.warn('Join failed, retrying', { error: (e as Error).message, attempt });
        if (attempt > 20) throw e;
        await sleep(Math.min(100 * 2 ** attempt, 5000));
      }
    }
  }

  private async joinOnce(): Promise<void> {
    const { groupId, logger } = this.options;
    this.stopHeartbeat();
    const owned = this.listener.ownedPartitions();
    if (this.rebalanceProtocol === 'eager' && owned.length > 0) {
      await this.listener.revoke(owned);
    }
    const topics = this.listener.subscribedTopics();
    const ownedForMetadata =
      this.rebalanceProtocol === 'eager' ? this.lastAssignment : this.listener.ownedPartitions();
    const protocols = this.options.assigners.map((a) => {
      const p = a.protocol({
        topics,
        ownedPartitions: group(ownedForMetadata),
        generationId: this.generationId,
        rackId: this.options.rackId,
      });
      return { name: p.name, metadata: p.metadata };
    });

    const node = await this.cluster.coordinator(groupId);
    const joinVersion = await this.cluster.versionFor(node, 'default', JoinGroup);
    // The rejoin bit is cleared before the request: a heartbeat error during the join sets it again.
    this.rejoin = false;
    const join = await this.cluster.send(
      node,
      'default',
      JoinGroup,
      {
        groupId,
        sessionTimeoutMs: this.options.sessionTimeout,
        rebalanceTimeoutMs: this.options.rebalanceTimeout,
        memberId: this.memberId,
        groupInstanceId: this.options.groupInstanceId,
        protocolType: 'consumer',
        protocols,
        reason: null,
      },
      { version: joinVersion, timeout: this.options.rebalanceTimeout + 5000 },
    );
    // stop() (or run()'s join timeout) while the JoinGroup was held: leave it at that.
    if (this.closed) return;
    if (join.errorCode === Codes.MEMBER_ID_REQUIRED) {
      this.memberId = join.memberId;
      this.rejoin = true;
      return;
    }
    if (join.errorCode !== 0) return this.joinError(join.errorCode, 'JoinGroup');
    this.memberId = join.memberId;
    this.generationId = join.generationId;
    this.leaderId = join.leader;
    this.protocolName = join.protocolName;
    const isLeader = join.leader === join.memberId;

    let assignments: Array<{ memberId: string; assignment: Buffer }> = [];
    if (isLeader && !join.skipAssignment) {
      const assigner = this.options.assigners.find((a) => a.name === join.protocolName);
      if (!assigner)
        throw new KafkaJSError(
          `The group chose assigner ${join.protocolName}, which this member does not have`,
          { retriable: false },
        );
      const allTopics = new Set<string>();
      for (const m of join.members) {
        try {
          for (const t of decodeSubscription(m.metadata).topics) allTopics.add(t);
        } catch {
          // A custom assigner's metadata need not be the consumer protocol.
        }
      }
      await this.options.prepareAssignment([...allTopics]);
      const result = await assigner.assign({
        members: join.members.map((m) => ({
          memberId: m.memberId,
          memberMetadata: m.metadata,
          groupInstanceId: m.groupInstanceId ?? null,
        })),
        topics: [...allTopics],
      });
      assignments = result.map((r) => ({ memberId: r.memberId, assignment: r.memberAssignment }));
    }

    const syncVersion = await this.cluster.versionFor(node, 'default', SyncGroup);
    const sync = await this.cluster.send(
      node,
      'default',
      SyncGroup,
      {
        groupId,
        generationId: this.generationId,
        memberId: this.memberId,
        groupInstanceId: this.options.groupInstanceId,
        protocolType: 'consumer',
        protocolName: this.protocolName,
        assignments,
      },
      { version: syncVersion, timeout: this.options.rebalanceTimeout + 5000 },
    );
    if (this.closed) return;
    if (sync.errorCode !== 0) return this.joinError(sync.errorCode, 'SyncGroup');

    const assigned = toList(decodeAssignment(sync.assignment).assignedPartitions);
    const current = this.listener.ownedPartitions();
    const revoked = minus(current, assigned);
    const added = minus(assigned, current);
    if (revoked.length > 0) {
      await this.listener.revoke(revoked);
      // KIP-429: what we gave up goes to its new owner in the next generation.
      if (this.rebalanceProtocol === 'cooperative') this.requestRejoin('partitions revoked');
    }
    this.lastAssignment = assigned;
    if (added.length > 0) await this.listener.assign(added);
    logger.debug('Joined generation', {
      groupId,
      memberId: this.memberId,
      generationId: this.generationId,
      rebalanceProtocol: this.rebalanceProtocol,
      assigned: assigned.length,
    });
    this.listener.emit('group_join', {
      duration: Date.now() - this.joinStarted,
      groupId,
      isLeader,
      leaderId: this.leaderId,
      groupProtocol: this.protocolName,
      memberId: this.memberId,
      memberAssignment: Object.fromEntries(group(assigned).map((g) => [g.topic, g.partitions])),
    });
    this.startHeartbeat();
  }

  private async joinError(code: number, where: string): Promise<void> {
    const { groupId } = this.options;
    this.rejoin = true;
    if (code === Codes.UNKNOWN_MEMBER_ID) {
      this.memberId = '';
      this.generationId = -1;
      await this.loseAll();
    } else if (code === Codes.ILLEGAL_GENERATION) {
      this.generationId = -1;
      await this.loseAll();
    } else if (code === Codes.FENCED_INSTANCE_ID) {
      const e = protocolError(code, `${where} ${groupId}`);
      this.listener.fatal(e);
      throw e;
    }
    if (isCoordinatorMoved(code)) this.cluster.forgetCoordinator(groupId);
    throw protocolError(code, `${where} ${groupId}`);
  }

  private async loseAll(): Promise<void> {
    const owned = this.listener.ownedPartitions();
    if (owned.length > 0) await this.listener.lose(owned);
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    if (this.closed) return;
    this.heartbeatTimer = setTimeout(() => void this.beat(), this.options.heartbeatInterval);
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer) clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  private async beat(): Promise<void> {
    if (this.heartbeating || this.closed || this.rejoin) return;
    this.heartbeating = true;
    const { groupId } = this.options;
    const generation = this.generationId;
    try {
      const node = await this.cluster.coordinator(groupId);
      const res = await this.cluster.send(node, 'default', Heartbeat, {
        groupId,
        generationId: generation,
        memberId: this.memberId,
        groupInstanceId: this.options.groupInstanceId,
      });
      if (generation !== this.generationId) return;
      switch (res.errorCode) {
        case 0:
          this.listener.emit('heartbeat', {
            groupId,
            memberId: this.memberId,
            groupGenerationId: generation,
          });
          break;
        case Codes.REBALANCE_IN_PROGRESS:
          this.requestRejoin('the group is rebalancing');
          break;
        case Codes.UNKNOWN_MEMBER_ID:
          this.memberId = '';
          this.generationId = -1;
          this.requestRejoin('unknown member id');
          await this.loseAll();
          break;
        case Codes.ILLEGAL_GENERATION:
          this.generationId = -1;
          this.requestRejoin('illegal generation');
          await this.loseAll();
          break;
        case Codes.FENCED_INSTANCE_ID:
          this.listener.fatal(protocolError(res.errorCode, `Heartbeat ${groupId}`));
          return;
        default:
          if (isCoordinatorMoved(res.errorCode)) this.cluster.forgetCoordinator(groupId);
          this.options.logger.warn('Heartbeat error', { groupId, error: res.errorCode });
      }
    } catch (e) {
      this.cluster.forgetCoordinator(groupId);
      this.options.logger.warn('Heartbeat failed', { groupId, error: (e as Error).message });
    } finally {
      this.heartbeating = false;
      if (!this.rejoin && !this.closed) this.startHeartbeat();
    }
  }

  async leave(): Promise<void> {
    this.closed = true;
    this.stopHeartbeat();
    // A static member keeps its place across restarts (KIP-345): it does not send LeaveGroup.
    if (this.memberId === '' || this.options.groupInstanceId !== null) return;
    const { groupId } = this.options;
    try {
      const node = await this.cluster.coordinator(groupId);
      const version = await this.cluster.versionFor(node, 'default', LeaveGroup);
      await this.cluster.send(
        node,
        'default',
        LeaveGroup,
        version >= 3
          ? {
              groupId,
              members: [
                { memberId: this.memberId, groupInstanceId: null, reason: 'the consumer is being closed' },
              ],
            }
          : { groupId, memberId: this.memberId },
        { version },
      );
    } catch (e) {
      this.options.logger.warn('LeaveGroup failed', { groupId, error: (e as Error).message });
    }
    this.memberId = '';
    this.generationId = -1;
  }

  close(): void {
    this.closed = true;
    this.stopHeartbeat();
  }
}
