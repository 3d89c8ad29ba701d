import type { InstrumentationEmitter } from '../instrumentation/events.js';
import type { Logger } from '../logger.js';
import type { ConsumerCluster } from './context.js';
import type { ConsumerEventName, ConsumerEvents } from './events.js';
import type { Fetcher } from './fetcher.js';
import type { GroupMembership } from './group/membership.js';
import { commitOffsets } from './group/offset-api.js';
import type { OffsetTracker, TopicPartitionOffset } from './offsets.js';
import type { ResolvedConsumerOptions } from './options.js';
import type { ResetPolicy, SubscriptionState, TopicPartition } from './subscription-state.js';
import type { TopicCatalog } from './topic-catalog.js';

/** Optional listener for assignment changes (kafkats; Java's ConsumerRebalanceListener). */
export interface RebalanceListener {
  /** Called with newly assigned partitions, after their positions are known and before they are fetched. */
  onPartitionsAssigned?(partitions: TopicPartition[]): void | Promise<void>;
  /** Called when partitions are taken away in a rebalance, after the offsets processed so far were committed (a failed commit is only logged). */
  onPartitionsRevoked?(partitions: TopicPartition[]): void | Promise<void>;
  /** Called when partitions were lost without a clean handover (fenced, session expired): nothing is committed. */
  onPartitionsLost?(partitions: TopicPartition[]): void | Promise<void>;
}

export interface Subscription {
  topic: string | RegExp;
  fromBeginning: boolean;
}

/** State shared by the consumer's parts (front end, runner, assignment handling). */
export class ConsumerCore {
  group: GroupMembership | undefined;
  fetcher: Fetcher | undefined;
  tracker: OffsetTracker | undefined;
  subscriptions: Subscription[] = [];
  rebalanceListener: RebalanceListener | undefined;
  /** Called when a join starts, the first one included (which emits no REBALANCING event). */
  readonly joinStartHooks = new Set<() => void>();
  /** Seeks asked for partitions not (yet) assigned, applied when they are. */
  readonly pendingSeeks = new Map<string, number>();

  constructor(
    readonly cluster: ConsumerCluster,
    readonly catalog: TopicCatalog,
    readonly state: SubscriptionState,
    readonly options: ResolvedConsumerOptions,
    readonly emitter: InstrumentationEmitter<ConsumerEvents>,
    readonly logger: Logger,
  ) {}

  emit(type: ConsumerEventName, payload: Record<string, unknown>): void {
    this.emitter.emit(type, payload);
  }

  /** The topics the subscription names now: plain names plus regular-expression matches in the catalog. */
  subscribedTopics(): string[] {
    const out = new Set<string>();
    for (const s of this.subscriptions) {
      if (typeof s.topic === 'string') out.add(s.topic);
      else for (const t of this.catalog.topicNames()) if (matches(s.topic, t)) out.add(t);
    }
    return [...out].sort();
  }

  /** The subscription as given: plain names (sorted, once each) and the regular expressions. */
  subscription(): { names: string[]; patterns: RegExp[] } {
    const names = new Set<string>();
    const patterns: RegExp[] = [];
    for (const s of this.subscriptions) {
      if (typeof s.topic === 'string') names.add(s.topic);
      else patterns.push(s.topic);
    }
    return { names: [...names].sort(), patterns };
  }

  resetPolicy(topic: string): ResetPolicy {
    for (const s of this.subscriptions) {
      if (typeof s.topic === 'string' ? s.topic === topic : matches(s.topic, topic)) {
        return s.fromBeginning ? 'earliest' : this.options.autoOffsetReset;
      }
    }
    return this.options.autoOffsetReset;
  }

  async refreshMetadata(): Promise<void> {
    const hasRegex = this.subscriptions.some((s) => typeof s.topic !== 'string');
    const names = new Set<string>(this.subscribedTopics());
    for (const p of this.state.assigned()) names.add(p.topic);
    const res = await this.cluster.metadata(hasRegex ? null : [...names]);
    this.catalog.update(res);
  }

  /** Commits `offsets` as this member (generation / epoch), recording them as committed. */
  async commit(offsets: TopicPartitionOffset[]): Promise<void> {
    const groupId = this.options.groupId;
    if (groupId === undefined || offsets.length === 0) return;
    const identity = this.group?.identity() ?? {
      memberId: '',
      generationIdOrMemberEpoch: -1,
      groupInstanceId: null,
    };
    await commitOffsets(this.cluster, this.catalog, groupId, identity, offsets);
    this.tracker?.markCommitted(offsets);
    this.emit('consumer.commit_offsets', {
      groupId,
      memberId: identity.memberId,
      groupGenerationId: identity.generationIdOrMemberEpoch,
      topics: groupOffsets(offsets),
    });
  }
}

function matches(re: RegExp, topic: string): boolean {
  re.lastIndex = 0;
  return re.test(topic);
}

function groupOffsets(offsets: TopicPartitionOffset[]) {
  const m = new Map<string, Array<{ partition: string; offset: string }>>();
  for (const o of offsets) {
    const l = m.get(o.topic);
    if (l) l.push({ partition: String(o.partition), offset: String(o.offset) });
    else m.set(o.topic, [{ partition: String(o.partition), offset: String(o.offset) }]);
  }
  return [...m].map(([topic, partitions]) => ({ topic, partitions }));
}
