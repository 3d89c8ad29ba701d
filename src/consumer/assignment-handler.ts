import type { Logger } from '../logger.js';
import type { ConsumerCore } from './core.js';
import { Codes, KafkaJSProtocolError } from './errors.js';
import type { MembershipListener } from './group/membership.js';
import { fetchCommittedOffsets } from './group/offset-api.js';
import { resolveResetsAtJoin } from './reset-at-join.js';
import { sleep } from './signal.js';
import { type TopicPartition, tpKey } from './subscription-state.js';

/**
 * Applies what the group protocol decides to the consumer's state: positions for newly assigned
 * partitions (a pending seek, else the committed offset, else the reset policy), a final commit
 * for revoked ones, and the user's rebalance listener around both.
 */
export class AssignmentHandler implements MembershipListener {
  private fatalHandler: ((e: Error) => void) | undefined;
  /** Whether GROUP_JOIN was emitted since the consumer started: REBALANCING is for later joins only. */
  private joined = false;

  constructor(
    private readonly core: ConsumerCore,
    /** KafkaJS logs the join under the `ConsumerGroup` namespace. */
    private readonly groupLogger: Logger,
  ) {}

  /** A new run: its first join is a join, not a rebalance. */
  beginRun(): void {
    this.joined = false;
  }

  get hasJoined(): boolean {
    return this.joined;
  }

  onFatal(handler: (e: Error) => void): void {
    this.fatalHandler = handler;
  }

  subscribedTopics(): string[] {
    return this.core.subscribedTopics();
  }

  subscription(): { names: string[]; patterns: RegExp[] } {
    return this.core.subscription();
  }

  ownedPartitions(): TopicPartition[] {
    return this.core.state.assigned().map(({ topic, partition }) => ({ topic, partition }));
  }

  async revoke(partitions: TopicPartition[]): Promise<void> {
    const { core } = this;
    const keys = new Set(partitions.map((p) => tpKey(p.topic, p.partition)));
    if (core.tracker && core.options.groupId !== undefined) {
      const pending = core.tracker.uncommitted().filter((o) => keys.has(tpKey(o.topic, o.partition)));
      try {
        await core.commit(pending);
      } catch (e) {
        core.logger.warn('Commit on revocation failed', { error: (e as Error).message });
      }
    }
    await this.callUser('onPartitionsRevoked', partitions);
    this.drop(partitions);
  }

  async lose(partitions: TopicPartition[]): Promise<void> {
    await this.callUser('onPartitionsLost', partitions);
    this.drop(partitions);
  }

  private drop(partitions: TopicPartition[]): void {
    const { core } = this;
    core.state.remove(partitions);
    core.tracker?.forget(partitions);
    core.fetcher?.purge();
  }

  async assign(partitions: TopicPartition[]): Promise<void> {
    const { core } = this;
    const subscribed = new Set(core.subscribedTopics());
    const assignedTopics = [...new Set(partitions.map((p) => p.topic))];
    const notSubscribed = assignedTopics.filter((t) => !subscribed.has(t));
    if (notSubscribed.length > 0) {
      // KafkaJS's warning event: the leader handed out topics this member did not ask for.
      const identity = core.group?.identity();
      core.emit('consumer.received_unsubscribed_topics', {
        groupId: core.options.groupId,
        generationId: identity?.generationIdOrMemberEpoch,
        memberId: identity?.memberId,
        assignedTopics,
        topicsSubscribed: [...subscribed],
        topicsNotSubscribed: notSubscribed,
      });
    }
    core.state.add(partitions);
    const unknown = partitions.some((p) => core.catalog.route(p.topic, p.partition) === undefined);
    if (unknown) await core.refreshMetadata().catch(() => {});
    await this.initializePositions(partitions);
    await resolveResetsAtJoin(core, partitions);
    await this.callUser('onPartitionsAssigned', partitions);
    core.fetcher?.notify();
  }

  /** Pending seeks first, then committed offsets, then the reset policy. */
  async initializePositions(partitions: TopicPartition[]): Promise<void> {
    const { core } = this;
    const needCommitted: TopicPartition[] = [];
    for (const p of partitions) {
      const s = core.state.get(p.topic, p.partition);
      if (!s) continue;
      const k = tpKey(p.topic, p.partition);
      const seek = core.pendingSeeks.get(k);
      if (seek !== undefined) {
        core.pendingSeeks.delete(k);
        s.seek(seek);
      } else if (core.options.groupId !== undefined) {
        needCommitted.push(p);
      } else {
        s.requestReset(core.resetPolicy(p.topic));
      }
    }
    if (needCommitted.length === 0) return;
    const groupId = core.options.groupId!;
    let committed: Awaited<ReturnType<typeof fetchCommittedOffsets>> = [];
    for (let attempt = 0; ; attempt++) {
      try {
        const identity = core.group?.identity();
        committed = await fetchCommittedOffsets(
          core.cluster,
          core.catalog,
          groupId,
          needCommitted,
          core.group?.protocol === 'consumer' && identity
            ? { memberId: identity.memberId, memberEpoch: identity.generationIdOrMemberEpoch }
            : undefined,
        );
        break;
      } catch (e) {
        const retriable =
          !(e instanceof KafkaJSProtocolError) ||
          e.retriable ||
          e.code === Codes.NOT_COORDINATOR ||
          e.code === Codes.UNSTABLE_OFFSET_COMMIT;
        if (!retriable || attempt >= 10) throw e;
        await sleep(Math.min(100 * 2 ** attempt, 2000));
      }
    }
    const byKey = new Map(committed.map((c) => [tpKey(c.topic, c.partition), c]));
    for (const p of needCommitted) {
      const s = core.state.get(p.topic, p.partition);
      if (!s || s.position !== null) continue;
      const c = byKey.get(tpKey(p.topic, p.partition));
      if (c && c.offset >= 0) {
        s.seek(c.offset);
        if (c.leaderEpoch >= 0) s.leaderEpoch = c.leaderEpoch;
        core.tracker?.setCommitted(p.topic, p.partition, c.offset);
      } else {
        s.requestReset(core.resetPolicy(p.topic));
      }
    }
  }

  private async callUser(
    which: 'onPartitionsAssigned' | 'onPartitionsRevoked' | 'onPartitionsLost',
    partitions: TopicPartition[],
  ): Promise<void> {
    const fn = this.core.rebalanceListener?.[which];
    if (!fn || partitions.length === 0) return;
    try {
      await fn.call(this.core.rebalanceListener, partitions);
    } catch (e) {
      this.core.logger.error(`Rebalance listener ${which} failed`, { error: (e as Error).message });
    }
  }

  emit(type: 'group_join' | 'heartbeat' | 'rebalancing', payload: Record<string, unknown>): void {
    if (type === 'rebalancing') {
      // KafkaJS emits REBALANCING when a joined member must join again, never for the first join;
      // the rebalance metrics and span still start here (observeConsumer).
      for (const hook of this.core.joinStartHooks) hook();
      if (!this.joined) return;
    } else if (type === 'group_join') {
      this.joined = true;
      // KafkaJS's payload, in its order; then its INFO line with the same fields.
      const joinPayload = {
        groupId: payload.groupId,
        memberId: payload.memberId,
        leaderId: payload.leaderId,
        isLeader: payload.isLeader,
        memberAssignment: payload.memberAssignment,
        groupProtocol: payload.groupProtocol,
        duration: payload.duration,
      };
      this.core.emit('consumer.group_join', joinPayload);
      this.groupLogger.info('Consumer has joined the group', joinPayload);
      return;
    }
    this.core.emit(`consumer.${type}`, payload);
  }

  fatal(error: Error): void {
    this.fatalHandler?.(error);
  }
}
