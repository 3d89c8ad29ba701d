/**
 * Share-group administration (KIP-932): list and describe share groups, read, reset and delete
 * their start offsets, and set their group-level configs (`share.auto.offset.reset`,
 * `share.record.lock.duration.ms`, ...). Functions over the admin's {@link AdminCluster} port, so
 * they follow coordinators and retry under the admin's own retry policy like every other admin
 * call (see docs/share-groups.md).
 */
import { KafkaJSError } from '../errors/base.js';
import { KafkaJSInvalidArgument } from '../errors/network.js';
import { createProtocolError } from '../errors/protocol.js';
import { featureLevel } from '../network/features.js';
import { AlterShareGroupOffsets } from '../protocol/messages/alter-share-group-offsets.js';
import { DeleteShareGroupOffsets } from '../protocol/messages/delete-share-group-offsets.js';
import { DescribeShareGroupOffsets } from '../protocol/messages/describe-share-group-offsets.js';
import { IncrementalAlterConfigs } from '../protocol/messages/incremental-alter-configs.js';
import { ListGroups } from '../protocol/messages/list-groups.js';
import { ShareGroupDescribe } from '../protocol/messages/share-group-describe.js';
import { Codes } from './common.js';
import type { AdminCluster } from './context.js';
import { onCoordinator } from './coordinator.js';

/** ConfigResource type of a group (KIP-848/932 group configs). */
export const GROUP_RESOURCE_TYPE = 32;

export interface ShareGroupListing {
  groupId: string;
  /** Empty, Stable, Dead, ... */
  groupState: string;
}

export interface ShareGroupMemberDescription {
  memberId: string;
  rackId: string | null;
  memberEpoch: number;
  clientId: string;
  clientHost: string;
  subscribedTopicNames: string[];
  assignment: Array<{ topic: string; topicId: string; partitions: number[] }>;
}

export interface ShareGroupDescription {
  groupId: string;
  groupState: string;
  groupEpoch: number;
  assignmentEpoch: number;
  assignorName: string;
  members: ShareGroupMemberDescription[];
  /** Set when the coordinator answered this group with an error (GROUP_ID_NOT_FOUND, ...). */
  error: KafkaJSError | null;
}

export interface ShareGroupPartitionOffset {
  topic: string;
  partition: number;
  /** The share-partition start offset: records before it are done for this group. -1 when not initialised. */
  startOffset: string;
  leaderEpoch: number;
  /** Records from the start offset to the end of the log not yet acknowledged (-1 when unknown; v1+). */
  lag: string;
}

const COORDINATOR_CODES: ReadonlySet<number> = new Set<number>([
  Codes.COORDINATOR_LOAD_IN_PROGRESS,
  Codes.COORDINATOR_NOT_AVAILABLE,
  Codes.NOT_COORDINATOR,
]);

/**
 * Runs `fn` on the group's coordinator, following it when it moves or is loading, under the
 * admin's retry policy (connection failures, timeouts).
 */
function onGroupCoordinator<T>(
  cluster: AdminCluster,
  groupId: string,
  fn: (node: number) => Promise<T>,
): Promise<T> {
  return cluster.retry(() => onCoordinator(cluster, 'group', groupId, fn));
}

function partitionsOf(
  topic: { errorCode: number; partitions: Array<{ partitionIndex: number }> } | undefined,
  name: string,
): number[] {
  if (!topic) throw createProtocolError(Codes.UNKNOWN_TOPIC_OR_PARTITION, `topic "${name}"`);
  if (topic.errorCode !== Codes.NONE) throw createProtocolError(topic.errorCode, `topic "${name}"`);
  return topic.partitions.map((p) => p.partitionIndex);
}

function checkGroupId(groupId: unknown): asserts groupId is string {
  if (typeof groupId !== 'string' || groupId.length === 0)
    throw new KafkaJSInvalidArgument('groupId', 'expected a non-empty string');
}

/** The finalized `share.version` feature level of the cluster (0: share groups are off). */
export async function shareVersionFeatureLevel(cluster: AdminCluster): Promise<number> {
  return featureLevel(await cluster.retry(() => cluster.features('any')), 'share.version');
}

/** Every share group of the cluster (ListGroups v5 with a `share` type filter, on every broker). */
export async function listShareGroups(cluster: AdminCluster): Promise<ShareGroupListing[]> {
  const groups = new Map<string, ShareGroupListing>();
  await Promise.all(
    (await cluster.retry(() => cluster.brokerIds())).map(async (nodeId) => {
      const response = await cluster.retry(async () => {
        const r = await cluster.send(nodeId, ListGroups, { statesFilter: [], typesFilter: ['share'] });
        if (r.errorCode !== Codes.NONE) throw createProtocolError(r.errorCode);
        return r;
      });
      for (const g of response.groups) {
        if (g.groupType !== undefined && g.groupType !== 'share') continue;
        groups.set(g.groupId, { groupId: g.groupId, groupState: g.groupState ?? '' });
      }
    }),
  );
  return [...groups.values()].sort((a, b) => a.groupId.localeCompare(b.groupId));
}

/** ShareGroupDescribe, grouped by coordinator. A group unknown to the coordinator comes back with `error`. */
export async function describeShareGroups(
  cluster: AdminCluster,
  groupIds: string[],
): Promise<{
  /** One description per requested share group. */
  groups: ShareGroupDescription[];
}> {
  if (!Array.isArray(groupIds) || groupIds.length === 0)
    throw new KafkaJSInvalidArgument('groupIds', 'expected a non-empty array of group ids');
  for (const g of groupIds) checkGroupId(g);
  const described = await Promise.all(
    groupIds.map((groupId) =>
      onGroupCoordinator(cluster, groupId, async (node) => {
        const response = await cluster.send(node, ShareGroupDescribe, {
          groupIds: [groupId],
          includeAuthorizedOperations: false,
        });
        const g = response.groups.find((x) => x.groupId === groupId);
        if (!g)
          throw new KafkaJSError(`The coordinator did not describe share group "${groupId}"`, {
            retriable: false,
          });
        // coordinator moves and loading are followed; other errors are the group's answer
        const error = g.errorCode === Codes.NONE ? null : createProtocolError(g.errorCode, g.errorMessage);
        if (error && COORDINATOR_CODES.has(g.errorCode)) throw error;
        return {
          groupId: g.groupId,
          groupState: g.groupState,
          groupEpoch: g.groupEpoch,
          assignmentEpoch: g.assignmentEpoch,
          assignorName: g.assignorName,
          members: g.members.map((m) => ({
            memberId: m.memberId,
            rackId: m.rackId,
            memberEpoch: m.memberEpoch,
            clientId: m.clientId,
            clientHost: m.clientHost,
            subscribedTopicNames: m.subscribedTopicNames,
            assignment: m.assignment.topicPartitions.map((t) => ({
              topic: t.topicName,
              topicId: t.topicId,
              partitions: t.partitions,
            })),
          })),
          error,
        } satisfies ShareGroupDescription;
      }),
    ),
  );
  return { groups: described };
}

/**
 * The share-partition start offsets of a group (DescribeShareGroupOffsets). Without `topics`, every
 * topic the group has state for.
 */
export async function describeShareGroupOffsets(
  cluster: AdminCluster,
  groupId: string,
  topics?: Array<{ topic: string; partitions?: number[] }>,
): Promise<ShareGroupPartitionOffset[]> {
  checkGroupId(groupId);
  let requestTopics: Array<{ topicName: string; partitions: number[] }> | null = null;
  if (topics) {
    const unlisted = topics.filter((t) => !t.partitions).map((t) => t.topic);
    const md = unlisted.length > 0 ? await cluster.retry(() => cluster.metadata(unlisted)) : undefined;
    requestTopics = topics.map((t) => ({
      topicName: t.topic,
      partitions:
        t.partitions ??
        partitionsOf(
          md?.topics.find((m) => m.name === t.topic),
          t.topic,
        ),
    }));
  }
  return onGroupCoordinator(cluster, groupId, async (node) => {
    const response = await cluster.send(node, DescribeShareGroupOffsets, {
      groups: [{ groupId, topics: requestTopics }],
    });
    const g = response.groups[0];
    if (!g) throw new KafkaJSError('Empty DescribeShareGroupOffsets response', { retriable: false });
    if (g.errorCode !== Codes.NONE) throw createProtocolError(g.errorCode, g.errorMessage);
    const out: ShareGroupPartitionOffset[] = [];
    for (const t of g.topics) {
      for (const p of t.partitions) {
        if (p.errorCode !== Codes.NONE) throw createProtocolError(p.errorCode, p.errorMessage);
        out.push({
          topic: t.topicName,
          partition: p.partitionIndex,
          startOffset: String(p.startOffset),
          leaderEpoch: p.leaderEpoch,
          lag: String(p.lag ?? -1n),
        });
      }
    }
    return out.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  });
}

/**
 * Sets share-partition start offsets (AlterShareGroupOffsets). The group must have no members
 * (NON_EMPTY_GROUP otherwise). Offsets are numbers or decimal strings.
 */
export async function alterShareGroupOffsets(
  cluster: AdminCluster,
  groupId: string,
  topics: Array<{
    topic: string;
    partitions: Array<{ partition: number; offset: string | number | bigint }>;
  }>,
): Promise<void> {
  checkGroupId(groupId);
  if (!Array.isArray(topics) || topics.length === 0)
    throw new KafkaJSInvalidArgument('topics', 'expected a non-empty array of { topic, partitions }');
  const request = topics.map((t) => ({
    topicName: t.topic,
    partitions: t.partitions.map((p) => {
      let offset: bigint;
      try {
        offset = BigInt(p.offset);
      } catch {
        throw new KafkaJSInvalidArgument('offset', `"${String(p.offset)}" is not an integer`);
      }
      return { partitionIndex: p.partition, startOffset: offset };
    }),
  }));
  await onGroupCoordinator(cluster, groupId, async (node) => {
    const response = await cluster.send(node, AlterShareGroupOffsets, { groupId, topics: request });
    if (response.errorCode !== Codes.NONE)
      throw createProtocolError(response.errorCode, response.errorMessage);
    for (const t of response.responses) {
      for (const p of t.partitions) {
        if (p.errorCode !== Codes.NONE)
          throw createProtocolError(p.errorCode, p.errorMessage ?? `${t.topicName}[${p.partitionIndex}]`);
      }
    }
  });
}

/** Deletes a group's share-partition state for whole topics (DeleteShareGroupOffsets). The group must be empty. */
export async function deleteShareGroupOffsets(
  cluster: AdminCluster,
  groupId: string,
  topics: string[],
): Promise<void> {
  checkGroupId(groupId);
  if (!Array.isArray(topics) || topics.length === 0)
    throw new KafkaJSInvalidArgument('topics', 'expected a non-empty array of topic names');
  await onGroupCoordinator(cluster, groupId, async (node) => {
    const response = await cluster.send(node, DeleteShareGroupOffsets, {
      groupId,
      topics: topics.map((topicName) => ({ topicName })),
    });
    if (response.errorCode !== Codes.NONE)
      throw createProtocolError(response.errorCode, response.errorMessage);
    for (const t of response.responses) {
      if (t.errorCode !== Codes.NONE) throw createProtocolError(t.errorCode, t.errorMessage ?? t.topicName);
    }
  });
}

/**
 * Sets (a string) or removes (null) group-level configs with IncrementalAlterConfigs on the GROUP
 * resource, e.g. `{ 'share.auto.offset.reset': 'earliest', 'share.record.lock.duration.ms': '15000' }`.
 * An unknown name or a value out of the broker's bounds fails with InvalidConfigError.
 */
export async function alterShareGroupConfigs(
  cluster: AdminCluster,
  groupId: string,
  configs: Record<string, string | number | null>,
  options: { validateOnly?: boolean } = {},
): Promise<void> {
  checkGroupId(groupId);
  const entries = Object.entries(configs ?? {});
  if (entries.length === 0) throw new KafkaJSInvalidArgument('configs', 'expected at least one config');
  await cluster.retry(async () => {
    const response = await cluster.send('any', IncrementalAlterConfigs, {
      resources: [
        {
          resourceType: GROUP_RESOURCE_TYPE,
          resourceName: groupId,
          configs: entries.map(([name, value]) => ({
            name,
            configOperation: value === null ? 1 : 0, // DELETE : SET
            value: value === null ? null : String(value),
          })),
        },
      ],
      validateOnly: options.validateOnly ?? false,
    });
    for (const r of response.responses) {
      if (r.errorCode !== Codes.NONE) throw createProtocolError(r.errorCode, r.errorMessage);
    }
  });
}

/** Where a share group with no state for a partition starts reading. */
export type ShareAutoOffsetReset = 'earliest' | 'latest' | `by_duration:${string}`;

/** Sets the group's `share.auto.offset.reset` (`latest` is Kafka's default). */
export async function setShareGroupAutoOffsetReset(
  cluster: AdminCluster,
  groupId: string,
  reset: ShareAutoOffsetReset,
): Promise<void> {
  if (
    reset !== 'earliest' &&
    reset !== 'latest' &&
    !(typeof reset === 'string' && reset.startsWith('by_duration:'))
  )
    throw new KafkaJSInvalidArgument(
      'reset',
      'expected "earliest", "latest" or "by_duration:<ISO-8601 duration>" (e.g. by_duration:PT1H)',
    );
  await alterShareGroupConfigs(cluster, groupId, { 'share.auto.offset.reset': reset });
}
