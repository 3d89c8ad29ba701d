import type { TopicPartitions } from '../../group/consumer-protocol.js';

/** How members give up partitions during a classic rebalance (KIP-429). */
export type RebalanceProtocol = 'eager' | 'cooperative';

/** One member's decoded subscription, as an assignment algorithm sees it. */
export interface MemberSubscriptionInfo {
  memberId: string;
  groupInstanceId: string | null;
  topics: string[];
  /** What the member owned when it joined (subscription v1+, or sticky userData). */
  ownedPartitions: TopicPartitions[];
  /** The generation in which ownedPartitions were owned; -1 when unknown. */
  generationId: number;
  rackId: string | null;
}

export interface AssignmentInput {
  members: MemberSubscriptionInfo[];
  /** Partition count of every topic some member subscribed to (missing or 0: topic unknown). */
  partitionsPerTopic: Map<string, number>;
  /** Racks of a partition's replicas, for rack-aware assignors; absent when unknown. */
  partitionRacks?: (topic: string, partition: number) => readonly string[];
}

/** memberId → the partitions it is given (every member of the input has an entry). */
export type GroupAssignment = Map<string, TopicPartitions[]>;

/** A pure assignment algorithm. */
export type AssignmentAlgorithm = (input: AssignmentInput) => GroupAssignment;

/**
 * Java's member order: members with a group.instance.id first (by it), then by member id.
 * Sorting by it makes the result independent of the order the coordinator listed members in.
 */
export function compareMembers(a: MemberSubscriptionInfo, b: MemberSubscriptionInfo): number {
  if (a.groupInstanceId !== null && b.groupInstanceId !== null) {
    if (a.groupInstanceId !== b.groupInstanceId) return a.groupInstanceId < b.groupInstanceId ? -1 : 1;
  } else if (a.groupInstanceId !== null) return -1;
  else if (b.groupInstanceId !== null) return 1;
  return a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0;
}

/** Groups (topic, partition) pairs into sorted TopicPartitions. */
export function toTopicPartitions(pairs: Iterable<readonly [string, number]>): TopicPartitions[] {
  const byTopic = new Map<string, number[]>();
  for (const [t, p] of pairs) {
    const list = byTopic.get(t);
    if (list) list.push(p);
    else byTopic.set(t, [p]);
  }
  return [...byTopic.keys()]
    .sort()
    .map((topic) => ({ topic, partitions: byTopic.get(topic)!.sort((x, y) => x - y) }));
}

export function emptyAssignment(members: readonly MemberSubscriptionInfo[]): GroupAssignment {
  const out: GroupAssignment = new Map();
  for (const m of members) out.set(m.memberId, []);
  return out;
}
