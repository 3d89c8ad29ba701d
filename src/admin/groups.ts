/**
 * Consumer groups: ListGroups on every broker (each lists the groups it coordinates), and
 * DescribeGroups / DeleteGroups / LeaveGroup / ConsumerGroupDescribe on each group's
 * coordinator, batched per coordinator. Each group's failure is its own.
 */

import {
  type Described,
  describeClassic,
  describeConsumer,
  type GroupDescribeTransport,
} from '../group/describe.js';
import {
  ConsumerGroupDescribe,
  DeleteGroups,
  DescribeGroups,
  LeaveGroup,
  ListGroups,
} from '../protocol/messages/index.js';
import { brokerError, Codes, isCoordinatorMoved } from './common.js';
import type { AdminCluster } from './context.js';
import { onCoordinator } from './coordinator.js';
import { type AdminItemError, KafkaJSDeleteGroupsError, tagError, throwIfAny } from './errors.js';
import { shardRequests } from './shard.js';
import type { DeleteGroupsResult, GroupDescription, GroupOverview, ListGroupsOptions } from './types.js';
import { requireArray, requireObject, requireString, validateGroupIds } from './validation.js';

/** Every group of the cluster, asking each broker for the groups it coordinates. */
export async function listGroups(
  cluster: AdminCluster,
  options: ListGroupsOptions = {},
): Promise<{
  /** Every group of the cluster, sorted by group id. */
  groups: GroupOverview[];
}> {
  const brokers = await cluster.brokerIds();
  const errors: AdminItemError[] = [];
  const groups: GroupOverview[] = [];
  await Promise.all(
    brokers.map(async (node) => {
      try {
        const res = await cluster.retry(async () => {
          const r = await cluster.send(node, ListGroups, {
            statesFilter: options.states ?? [],
            typesFilter: options.types ?? [],
          });
          if (r.errorCode !== Codes.NONE) throw brokerError(r.errorCode, null, { brokerId: node });
          return r;
        });
        for (const g of res.groups) {
          groups.push({
            groupId: g.groupId,
            protocolType: g.protocolType,
            groupState: g.groupState,
            groupType: g.groupType,
          });
        }
      } catch (e) {
        errors.push(tagError(e instanceof Error ? e : new Error(String(e)), { brokerId: node }));
      }
    }),
  );
  throwIfAny('Error listing groups', errors);
  groups.sort((a, b) => a.groupId.localeCompare(b.groupId));
  return { groups };
}

/** Runs one request per coordinator for many groups, following coordinators that move. */
function perCoordinator<V>(
  cluster: AdminCluster,
  groupIds: string[],
  send: (
    node: number,
    groupIds: string[],
  ) => Promise<Array<{ item: string; value: V } | { item: string; error: Error }>>,
) {
  return shardRequests<string, V>({
    items: groupIds,
    route: (g) => cluster.coordinator('group', g),
    send,
    beforeRetry: async (failed) => {
      for (const f of failed) cluster.forgetCoordinator('group', f.item);
    },
    shouldRetry: (e) => {
      const code = (e as { code?: unknown }).code;
      if (typeof code === 'number')
        return isCoordinatorMoved(code) || code === Codes.COORDINATOR_LOAD_IN_PROGRESS;
      return (e as { retriable?: boolean }).retriable === true;
    },
    describe: (g) => ({ groupId: g }),
    attempts: 5,
  });
}

/** The describe requests (group/describe.ts) sent to one coordinator through the admin port. */
function describeTransport(cluster: AdminCluster, node: number): GroupDescribeTransport {
  return {
    describeGroups: (groupIds) =>
      cluster.send(node, DescribeGroups, { groups: groupIds, includeAuthorizedOperations: false }),
    consumerGroupDescribe: (groupIds) =>
      cluster.send(node, ConsumerGroupDescribe, { groupIds, includeAuthorizedOperations: false }),
  };
}

/** A described group as the sharding outcome: its value, or its typed error tagged with the group. */
function outcome<V>(d: Described<V>): { item: string; value: V } | { item: string; error: Error } {
  return 'value' in d
    ? { item: d.groupId, value: d.value }
    : { item: d.groupId, error: brokerError(d.errorCode, d.errorMessage, { groupId: d.groupId }) };
}

/**
 * KafkaJS's describeGroups. A group of the KIP-848 consumer protocol (which DescribeGroups does
 * not know on Kafka 4.x) is described through ConsumerGroupDescribe in the classic shape
 * (protocolType `consumer`, the assignor as `protocol`, subscriptions and assignments encoded as
 * the embedded consumer protocol); {@link describeConsumerGroups} gives the full KIP-848 view.
 * On Kafka 4.x an unknown group fails with the broker's GROUP_ID_NOT_FOUND; older brokers
 * describe it as state "Dead".
 */
export async function describeGroups(
  cluster: AdminCluster,
  groupIds: string[],
): Promise<{
  /** One description per requested group. */
  groups: GroupDescription[];
}> {
  validateGroupIds('groupIds', groupIds);
  const outcomes = await perCoordinator<GroupDescription>(cluster, groupIds, async (node, ids) =>
    (await describeClassic(describeTransport(cluster, node), ids)).map(outcome),
  );
  throwIfAny(
    'Error describing groups',
    outcomes.filter((o) => o.error).map((o) => o.error as AdminItemError),
  );
  return { groups: outcomes.map((o) => o.value as GroupDescription) };
}

/** KafkaJS's deleteGroups: resolves with every group's result, or rejects with KafkaJSDeleteGroupsError listing them. */
export async function deleteGroups(cluster: AdminCluster, groupIds: string[]): Promise<DeleteGroupsResult[]> {
  validateGroupIds('groupIds', groupIds);
  const outcomes = await perCoordinator<null>(cluster, groupIds, async (node, ids) => {
    const res = await cluster.send(node, DeleteGroups, { groupsNames: ids });
    return res.results.map((r) =>
      r.errorCode === Codes.NONE
        ? { item: r.groupId, value: null }
        : {
            item: r.groupId,
            error: brokerError(r.errorCode, r.errorMessage ?? null, { groupId: r.groupId }),
          },
    );
  });
  const results: DeleteGroupsResult[] = outcomes.map((o) =>
    o.error
      ? { groupId: o.item, errorCode: (o.error as { code?: number }).code ?? -1, error: o.error }
      : { groupId: o.item, errorCode: 0 },
  );
  if (results.some((r) => r.error)) throw new KafkaJSDeleteGroupsError('Error deleting groups', results);
  return results;
}

/**
 * Removes static members (by group.instance.id) or dynamic members (by member id) from a
 * classic group (LeaveGroup v3+, KIP-345), the way kafka-consumer-groups --delete-members does.
 */
export async function removeMembersFromConsumerGroup(
  cluster: AdminCluster,
  options: {
    groupId: string;
    members: Array<{ memberId?: string; groupInstanceId?: string; reason?: string }>;
  },
): Promise<
  Array<{
    /** Member id of the removed member (empty when it was given by groupInstanceId). */
    memberId: string;
    /** `groupInstanceId` of the removed static member, or null. */
    groupInstanceId: string | null;
    /** Kafka error code for this member; 0 when it was removed. */
    errorCode: number;
    /** The typed error when the member was not removed. */
    error?: Error;
  }>
> {
  requireObject('removeMembersFromConsumerGroup', options);
  requireString('groupId', options.groupId);
  requireArray('members', options.members);
  const { groupId } = options;
  const res = await onCoordinator(cluster, 'group', groupId, async (node) => {
    const r = await cluster.send(node, LeaveGroup, {
      groupId,
      members: options.members.map((m) => ({
        memberId: m.memberId ?? '',
        groupInstanceId: m.groupInstanceId ?? null,
        reason: m.reason ?? 'removed by an admin client',
      })),
    });
    if (r.errorCode !== Codes.NONE) throw brokerError(r.errorCode, null, { groupId });
    return r;
  });
  const results = (res.members ?? []).map((m) =>
    m.errorCode === Codes.NONE
      ? { memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode: 0 }
      : {
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          errorCode: m.errorCode,
          error: brokerError(m.errorCode, null, { groupId }),
        },
  );
  throwIfAny(
    `Error removing members of group "${groupId}"`,
    results.filter((r) => r.error).map((r) => r.error as AdminItemError),
  );
  return results;
}

/** A member of a consumer group, as {@link Admin.describeConsumerGroups} reports it. */
export interface ConsumerGroupMemberDescription {
  /** Member id the coordinator assigned. */
  memberId: string;
  /** `groupInstanceId` of a static member (KIP-345); null for a dynamic member. */
  instanceId: string | null;
  /** Rack the member's client declared (`rackId`); null when none. */
  rackId: string | null;
  /** The member's epoch; -1 in a classic group. */
  memberEpoch: number;
  /** `client.id` of the member's client. */
  clientId: string;
  /** Host the member connects from. */
  clientHost: string;
  /** Topics the member subscribed to by name. */
  subscribedTopicNames: string[];
  /** The regular expression the member subscribed with (KIP-848), or null. */
  subscribedTopicRegex: string | null;
  /** What the member owns; in a classic group topic ids are the null id `AAAAAAAAAAAAAAAAAAAAAA`. */
  assignment: Array<{
    /** Topic name. */
    topic: string;
    /** Topic id in Kafka's textual form. */
    topicId: string;
    /** Partition indexes. */
    partitions: number[];
  }>;
  /** What the coordinator wants the member to own; in a classic group, its assignment. */
  targetAssignment: Array<{
    /** Topic name. */
    topic: string;
    /** Topic id in Kafka's textual form. */
    topicId: string;
    /** Partition indexes. */
    partitions: number[];
  }>;
}

/** A consumer group as {@link Admin.describeConsumerGroups} reports it. */
export interface ConsumerGroupDescription {
  /** The group id. */
  groupId: string;
  /**
   * The group's protocol: `consumer` (KIP-848, described by ConsumerGroupDescribe) or `classic`
   * (described by DescribeGroups, as Java's admin falls back to).
   */
  type: 'consumer' | 'classic';
  /**
   * Group state as the broker names it: `Stable`, `Empty`, `Assigning`, `Reconciling`,
   * `PreparingRebalance`, `Dead`, ...
   */
  state: string;
  /** The group epoch; -1 in a classic group. */
  groupEpoch: number;
  /** The target assignment's epoch; -1 in a classic group. */
  assignmentEpoch: number;
  /** The server-side assignor (KIP-848), or the assignor a classic group agreed on. */
  assignor: string;
  /** The group's members. */
  members: ConsumerGroupMemberDescription[];
}

/**
 * Java's describeConsumerGroups: ConsumerGroupDescribe (KIP-848 groups, with their members'
 * assignments and targets), falling back to DescribeGroups for classic consumer groups (and on
 * brokers without ConsumerGroupDescribe). A group of neither kind fails with GROUP_ID_NOT_FOUND.
 */
export async function describeConsumerGroups(
  cluster: AdminCluster,
  groupIds: string[],
): Promise<{
  /** One description per requested group. */
  groups: ConsumerGroupDescription[];
}> {
  validateGroupIds('groupIds', groupIds);
  const outcomes = await perCoordinator<ConsumerGroupDescription>(cluster, groupIds, async (node, ids) =>
    (await describeConsumer(describeTransport(cluster, node), ids)).map(outcome),
  );
  throwIfAny(
    'Error describing consumer groups',
    outcomes.filter((o) => o.error).map((o) => o.error as AdminItemError),
  );
  return { groups: outcomes.map((o) => o.value as ConsumerGroupDescription) };
}
