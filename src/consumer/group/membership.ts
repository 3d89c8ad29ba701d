import type { TopicPartition } from '../subscription-state.js';

/**
 * What a group protocol (classic or KIP-848) tells the consumer, and asks of it. The consumer
 * owns the assignment state; the protocol decides when it changes.
 */
export interface MembershipListener {
  /** The topics this member subscribes to now (regular expressions already resolved). */
  subscribedTopics(): string[];
  /** The subscription as given: plain topic names, and regular expressions (KIP-848 sends these to the broker). */
  subscription(): { names: string[]; patterns: RegExp[] };
  /** Partitions this member owns now. */
  ownedPartitions(): TopicPartition[];
  /** Give up partitions cleanly (commit, then stop fetching them). */
  revoke(partitions: TopicPartition[]): Promise<void>;
  /** Start consuming newly assigned partitions. */
  assign(partitions: TopicPartition[]): Promise<void>;
  /** Partitions taken away without a chance to commit (fenced, session expired). */
  lose(partitions: TopicPartition[]): Promise<void>;
  /** KafkaJS instrumentation events. */
  emit(type: 'group_join' | 'heartbeat' | 'rebalancing', payload: Record<string, unknown>): void;
  /** The member cannot continue (fenced static member, authorization, bad configuration). */
  fatal(error: Error): void;
}

/** The common face of {@link ClassicGroup} and {@link ConsumerGroup848}. */
export interface GroupMembership {
  readonly protocol: 'classic' | 'consumer';
  /** Joins or rejoins when needed; resolves once the member is stable with an assignment. */
  ensureActive(signal?: AbortSignal): Promise<void>;
  /** The last error a join attempt was retried after, cleared by a successful join (named when run() times out). */
  readonly lastError: Error | undefined;
  /** True when the consumer should stop handing out records and call ensureActive. */
  readonly needsRejoin: boolean;
  /** Asks for a rejoin (subscription changed). */
  requestRejoin(reason: string): void;
  /** Identity used in OffsetCommit. */
  identity(): { memberId: string; generationIdOrMemberEpoch: number; groupInstanceId: string | null };
  leave(): Promise<void>;
  /** Stops timers without leaving (used on crash). */
  close(): void;
  describe(): { memberId: string; generationId: number; leaderId?: string; protocol?: string | null };
}

/** Partitions in `a` and not in `b`. */
export function minus(a: readonly TopicPartition[], b: readonly TopicPartition[]): TopicPartition[] {
  const keys = new Set(b.map((p) => `${p.topic}\u0000${p.partition}`));
  return a.filter((p) => !keys.has(`${p.topic}\u0000${p.partition}`));
}
