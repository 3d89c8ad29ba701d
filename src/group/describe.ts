/**
 * Group description, written once for the admin (`describeGroups`, `describeConsumerGroups`) and
 * the consumer (`describeGroup`). Two APIs describe a consumer group, and each knows only one kind
 * on Kafka 4.x: DescribeGroups the classic groups, ConsumerGroupDescribe the KIP-848 ones (each
 * answers GROUP_ID_NOT_FOUND for the other kind). So each description asks its own API first and
 * the other one for the groups it did not know:
 * - the KafkaJS shape (DescribeGroups) renders a KIP-848 group as classic-view.ts draws it;
 * - the KIP-848 shape (ConsumerGroupDescribe) renders a classic group as Java's admin does
 *   (`type: 'classic'`, no epochs, the members' subscriptions and assignments decoded from the
 *   embedded consumer protocol).
 * Both run on one coordinator node: the callers route (and retry) per coordinator.
 */

import { KafkaJSUnsupportedVersion } from '../errors/network.js';
import { Codes } from '../protocol/codes.js';
import type {
  ConsumerGroupDescribeResponse,
  ConsumerGroupDescribeResponseDescribedGroup,
  DescribeGroupsResponse,
  DescribeGroupsResponseDescribedGroup,
} from '../protocol/messages/index.js';
import { type ClassicGroupView, classicViewOf } from './classic-view.js';
import { decodeAssignment, decodeSubscription } from './consumer-protocol.js';

/** The two describe requests, sent to one group coordinator. */
export interface GroupDescribeTransport {
  describeGroups(groupIds: string[]): Promise<DescribeGroupsResponse>;
  consumerGroupDescribe(groupIds: string[]): Promise<ConsumerGroupDescribeResponse>;
}

/** One group's outcome: its description, or the broker's error for it. */
export type Described<V> =
  | { groupId: string; value: V }
  | {
      groupId: string;
      errorCode: number;
      errorMessage: string | null;
      /** What the broker sent along with the error (KafkaJS's describeGroup resolves with it). */
      partial?: V;
    };

/** Kafka's text form of the null topic id: a classic group's assignment names topics, not ids. */
export const ZERO_TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAA';

export interface ConsumerGroupMemberView {
  memberId: string;
  instanceId: string | null;
  rackId: string | null;
  memberEpoch: number;
  clientId: string;
  clientHost: string;
  subscribedTopicNames: string[];
  subscribedTopicRegex: string | null;
  assignment: Array<{ topic: string; topicId: string; partitions: number[] }>;
  targetAssignment: Array<{ topic: string; topicId: string; partitions: number[] }>;
}

export interface ConsumerGroupView {
  groupId: string;
  type: 'consumer' | 'classic';
  state: string;
  groupEpoch: number;
  assignmentEpoch: number;
  assignor: string;
  members: ConsumerGroupMemberView[];
}

/**
 * KafkaJS's describeGroups shape: DescribeGroups, then ConsumerGroupDescribe's classic view for
 * the groups DescribeGroups did not know (KIP-848 groups on Kafka 4.x). Brokers without
 * ConsumerGroupDescribe keep DescribeGroups's answer.
 */
export async function describeClassic(
  transport: GroupDescribeTransport,
  groupIds: string[],
): Promise<Array<Described<ClassicGroupView>>> {
  const res = await transport.describeGroups(groupIds);
  const out: Array<Described<ClassicGroupView>> = res.groups.map((g) =>
    g.errorCode !== Codes.NONE
      ? {
          groupId: g.groupId,
          errorCode: g.errorCode,
          errorMessage: g.errorMessage ?? null,
          partial: classicFromDescribeGroups(g),
        }
      : { groupId: g.groupId, value: classicFromDescribeGroups(g) },
  );
  const unknown = out.filter((o) => 'errorCode' in o && o.errorCode === Codes.GROUP_ID_NOT_FOUND);
  if (unknown.length === 0) return out;
  const other = await transport.consumerGroupDescribe(unknown.map((o) => o.groupId)).catch(() => undefined);
  const found = new Map<string, ClassicGroupView>();
  for (const g of other?.groups ?? []) if (g.errorCode === Codes.NONE) found.set(g.groupId, classicViewOf(g));
  return out.map((o) => {
    const view = 'errorCode' in o ? found.get(o.groupId) : undefined;
    return view ? { groupId: o.groupId, value: view } : o;
  });
}

/**
 * The KIP-848 shape (Java's describeConsumerGroups): ConsumerGroupDescribe, then DescribeGroups
 * for the groups it did not know (classic groups) or for all of them when the broker lacks
 * ConsumerGroupDescribe. A classic group that is not a consumer group (another protocol type),
 * or that DescribeGroups reports Dead (unknown, on brokers before 4.0), keeps the first error.
 */
export async function describeConsumer(
  transport: GroupDescribeTransport,
  groupIds: string[],
): Promise<Array<Described<ConsumerGroupView>>> {
  const res = await transport.consumerGroupDescribe(groupIds).catch((error: unknown) => {
    // A broker that does not serve ConsumerGroupDescribe (UNSUPPORTED_VERSION) has classic groups only.
    if (error instanceof KafkaJSUnsupportedVersion) return undefined;
    throw error;
  });
  const out: Array<Described<ConsumerGroupView>> = res
    ? res.groups.map((g) =>
        g.errorCode !== Codes.NONE
          ? { groupId: g.groupId, errorCode: g.errorCode, errorMessage: g.errorMessage }
          : { groupId: g.groupId, value: consumerViewOf(g) },
      )
    : groupIds.map((groupId) => ({ groupId, errorCode: Codes.GROUP_ID_NOT_FOUND, errorMessage: null }));
  const unknown = out.filter((o) => 'errorCode' in o && o.errorCode === Codes.GROUP_ID_NOT_FOUND);
  if (unknown.length === 0) return out;
  const classic = await transport.describeGroups(unknown.map((o) => o.groupId));
  const found = new Map<string, ConsumerGroupView>();
  for (const g of classic.groups) {
    const isConsumerGroup = g.protocolType === 'consumer' || g.protocolType === '';
    if (g.errorCode === Codes.NONE && isConsumerGroup && g.groupState !== 'Dead')
      found.set(g.groupId, consumerViewOfClassic(g));
  }
  return out.map((o) => {
    const view = 'errorCode' in o ? found.get(o.groupId) : undefined;
    return view ? { groupId: o.groupId, value: view } : o;
  });
}

function classicFromDescribeGroups(g: DescribeGroupsResponseDescribedGroup): ClassicGroupView {
  return {
    groupId: g.groupId,
    errorCode: g.errorCode,
    state: g.groupState,
    protocolType: g.protocolType,
    protocol: g.protocolData,
    members: g.members.map((m) => ({
      memberId: m.memberId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      memberMetadata: m.memberMetadata,
      memberAssignment: m.memberAssignment,
      groupInstanceId: m.groupInstanceId ?? null,
    })),
  };
}

type TopicAssignment = { topicId: string; topicName: string; partitions: number[] };

function mapAssignment(a: { topicPartitions: TopicAssignment[] }) {
  return a.topicPartitions.map((tp) => ({
    topic: tp.topicName,
    topicId: tp.topicId,
    partitions: [...tp.partitions].sort((x, y) => x - y),
  }));
}

function consumerViewOf(g: ConsumerGroupDescribeResponseDescribedGroup): ConsumerGroupView {
  return {
    groupId: g.groupId,
    type: 'consumer',
    state: g.groupState,
    groupEpoch: g.groupEpoch,
    assignmentEpoch: g.assignmentEpoch,
    assignor: g.assignorName,
    members: g.members.map((m) => ({
      memberId: m.memberId,
      instanceId: m.instanceId,
      rackId: m.rackId,
      memberEpoch: m.memberEpoch,
      clientId: m.clientId,
      clientHost: m.clientHost,
      subscribedTopicNames: m.subscribedTopicNames,
      subscribedTopicRegex: m.subscribedTopicRegex,
      assignment: mapAssignment(m.assignment),
      targetAssignment: mapAssignment(m.targetAssignment),
    })),
  };
}

/**
 * A classic consumer group in the KIP-848 shape, as Java's admin renders it: no epochs (-1), the
 * assignor the group agreed on, each member's subscription and assignment decoded from the
 * embedded consumer protocol (topics by name; the topic id is the null id). A classic member's
 * assignment is its target once the group is synced.
 */
function consumerViewOfClassic(g: DescribeGroupsResponseDescribedGroup): ConsumerGroupView {
  return {
    groupId: g.groupId,
    type: 'classic',
    state: g.groupState,
    groupEpoch: -1,
    assignmentEpoch: -1,
    assignor: g.protocolData,
    members: g.members.map((m) => {
      const subscription = safely(() => decodeSubscription(m.memberMetadata));
      const assigned = safely(() => decodeAssignment(m.memberAssignment));
      const assignment = (assigned?.assignedPartitions ?? [])
        .map((tp) => ({
          topic: tp.topic,
          topicId: ZERO_TOPIC_ID,
          partitions: [...tp.partitions].sort((x, y) => x - y),
        }))
        .sort((a, b) => a.topic.localeCompare(b.topic));
      return {
        memberId: m.memberId,
        instanceId: m.groupInstanceId ?? null,
        rackId: subscription?.rackId ?? null,
        memberEpoch: -1,
        clientId: m.clientId,
        clientHost: m.clientHost,
        subscribedTopicNames: [...(subscription?.topics ?? [])].sort(),
        subscribedTopicRegex: null,
        assignment,
        targetAssignment: assignment,
      };
    }),
  };
}

/** Member bytes that are not the consumer protocol (an empty group's, a foreign client's) describe as nothing. */
function safely<T>(decode: () => T): T | undefined {
  try {
    return decode();
  } catch {
    return undefined;
  }
}
