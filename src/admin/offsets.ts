/**
 * Offsets: a topic's earliest/latest offsets and offsets by time (ListOffsets on each partition
 * leader), consumer group committed offsets (OffsetFetch/OffsetCommit/OffsetDelete on the group
 * coordinator), and record deletion (DeleteRecords on each leader). Per-partition failures are
 * reported per partition.
 */
import { KafkaJSNonRetriableError } from '../errors/network.js';
import type { KafkaJSProtocolError } from '../errors/protocol.js';
import {
  DeleteRecords,
  DescribeGroups,
  ListOffsets,
  OffsetCommit,
  OffsetDelete,
  OffsetFetch,
  type OffsetFetchRequest,
  type OffsetFetchResponse,
} from '../protocol/messages/index.js';
import { brokerError, byPartition, Codes, DEFAULT_ADMIN_TIMEOUT, isStaleLeader } from './common.js';
import type { AdminCluster } from './context.js';
import { onCoordinator } from './coordinator.js';
import {
  type AdminItemError,
  KafkaJSAggregateError,
  KafkaJSDeleteTopicRecordsError,
  throwIfAny,
} from './errors.js';
import { shardRequests } from './shard.js';
import type {
  DeleteTopicRecordsOptions,
  FetchOffsetsOptions,
  GroupOffsetsQuery,
  PartitionOffsets,
  ResetOffsetsOptions,
  SeekEntry,
  SetOffsetsOptions,
  TopicCommittedOffsets,
} from './types.js';
import {
  parseOffset,
  requireObject,
  requireString,
  validateDeleteTopicRecords,
  validateSeekEntries,
  validateTopics,
} from './validation.js';

const LATEST = -1n;
const EARLIEST = -2n;
const READ_COMMITTED = 1;

interface TopicInfo {
  topicId: string | undefined;
  partitions: number[];
}

/** A topic's id and partition numbers, fresh from the cluster; a missing topic fails with the broker's error. */
export async function topicInfo(cluster: AdminCluster, topic: string): Promise<TopicInfo> {
  const md = await cluster.retry(async () => {
    const res = await cluster.metadata([topic]);
    const t = res.topics.find((x) => x.name === topic);
    // A just-created topic may briefly be unknown or leaderless: let the retry policy wait for it.
    if (t && t.errorCode === Codes.LEADER_NOT_AVAILABLE) throw brokerError(t.errorCode, null, { topic });
    return res;
  });
  const t = md.topics.find((x) => x.name === topic);
  if (!t)
    throw brokerError(Codes.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${topic} is not in the metadata`, { topic });
  if (t.errorCode !== Codes.NONE) throw brokerError(t.errorCode, null, { topic });
  return { topicId: t.topicId, partitions: t.partitions.map((p) => p.partitionIndex).sort((a, b) => a - b) };
}

/**
 * ListOffsets of one topic's partitions at `timestamp` (-1 latest, -2 earliest, or a time in
 * ms), routed to each partition's leader; stale leaders are re-routed after a metadata refresh.
 */
export async function listOffsets(
  cluster: AdminCluster,
  topic: string,
  partitions: number[],
  timestamp: bigint,
  isolationLevel = READ_COMMITTED,
): Promise<Map<number, bigint>> {
  const outcomes = await shardRequests<number, bigint>({
    items: partitions,
    route: (p) => cluster.leaderFor(topic, p),
    send: async (node, items) => {
      const res = await cluster.send(node, ListOffsets, {
        replicaId: -1,
        isolationLevel,
        topics: [
          {
            name: topic,
            partitions: items.map((p) => ({ partitionIndex: p, currentLeaderEpoch: -1, timestamp })),
          },
        ],
      });
      const answered = res.topics.find((t) => t.name === topic)?.partitions ?? [];
      return answered.map((p) =>
        p.errorCode === Codes.NONE
          ? { item: p.partitionIndex, value: p.offset }
          : {
              item: p.partitionIndex,
              error: brokerError(p.errorCode, null, { topic, partition: p.partitionIndex }),
            },
      );
    },
    beforeRetry: () => cluster.invalidate([topic]),
    describe: (p) => ({ topic, partition: p }),
    attempts: 4,
  });
  const errors = outcomes.filter((o) => o.error).map((o) => o.error as AdminItemError);
  throwIfAny(`Error listing offsets of topic "${topic}"`, errors);
  return new Map(outcomes.map((o) => [o.item, o.value as bigint]));
}

export async function fetchTopicOffsets(cluster: AdminCluster, topic: string): Promise<PartitionOffsets[]> {
  requireString('topic', topic);
  const { partitions } = await topicInfo(cluster, topic);
  const [low, high] = await Promise.all([
    listOffsets(cluster, topic, partitions, EARLIEST),
    listOffsets(cluster, topic, partitions, LATEST),
  ]);
  return partitions.map((partition) => {
    const h = String(high.get(partition));
    return { partition, offset: h, high: h, low: String(low.get(partition)) };
  });
}

/**
 * The earliest offset of each partition whose record timestamp is at or after `timestamp`; a
 * partition with no such record answers its latest offset, as KafkaJS does.
 */
export async function fetchTopicOffsetsByTimestamp(
  cluster: AdminCluster,
  topic: string,
  timestamp?: number,
): Promise<SeekEntry[]> {
  requireString('topic', topic);
  const { partitions } = await topicInfo(cluster, topic);
  const at = timestamp === undefined ? LATEST : BigInt(timestamp);
  const [byTime, high] = await Promise.all([
    listOffsets(cluster, topic, partitions, at),
    listOffsets(cluster, topic, partitions, LATEST),
  ]);
  return partitions.map((partition) => {
    const o = byTime.get(partition) ?? -1n;
    return { partition, offset: String(o >= 0n ? o : high.get(partition)) };
  });
}

/** Name by topic id, for OffsetFetch/OffsetCommit v10 answers that carry ids only. */
async function topicNamesById(cluster: AdminCluster): Promise<Map<string, string>> {
  const md = await cluster.metadata(null);
  return new Map(
    md.topics.filter((t) => t.topicId && t.name).map((t) => [t.topicId as string, t.name as string]),
  );
}

/** One group of `admin.fetchOffsetsForGroups()`'s answer: its committed offsets per topic. */
export interface GroupOffsetsResult {
  /** The group id. */
  groupId: string;
  /** Committed offsets per topic and partition (empty when `error` is set). */
  topics: TopicCommittedOffsets[];
  /** Set when the group's offsets could not be fetched (not in KafkaJS). */
  error?: AdminItemError;
}

/**
 * OffsetFetch for many groups at once: one request per coordinator (OffsetFetch v8+ batches
 * groups), each group answering on its own. With explicit topics every partition of each topic
 * is listed, uncommitted ones with offset "-1".
 */
export async function fetchGroupOffsets(
  cluster: AdminCluster,
  queries: GroupOffsetsQuery[],
  options: { resolveOffsets?: boolean; requireStable?: boolean } = {},
): Promise<GroupOffsetsResult[]> {
  const topicNames = [...new Set(queries.flatMap((q) => q.topics ?? []))];
  const infos = new Map<string, TopicInfo>();
  await Promise.all(topicNames.map(async (t) => infos.set(t, await topicInfo(cluster, t))));
  let idsToNames: Map<string, string> | undefined;
  const nameOf = async (t: { name?: string; topicId?: string }): Promise<string> => {
    if (t.name) return t.name;
    for (const [name, info] of infos) if (info.topicId === t.topicId) return name;
    idsToNames ??= await topicNamesById(cluster);
    return idsToNames.get(t.topicId ?? '') ?? `<unknown topic ${t.topicId}>`;
  };

  const outcomes = await shardRequests<GroupOffsetsQuery, TopicCommittedOffsets[]>({
    items: queries,
    route: (q) => cluster.coordinator('group', q.groupId),
    send: async (node, items) => {
      const version = await cluster.versionFor(node, OffsetFetch);
      const topicsOf = (q: GroupOffsetsQuery) =>
        q.topics
          ? q.topics.map((name) => ({
              name,
              topicId: infos.get(name)?.topicId,
              partitionIndexes: infos.get(name)?.partitions ?? [],
            }))
          : null;
      const perRequest: GroupOffsetsQuery[][] = version >= 8 ? [items] : items.map((q) => [q]);
      const results: Array<
        | { item: GroupOffsetsQuery; value: TopicCommittedOffsets[] }
        | { item: GroupOffsetsQuery; error: Error }
      > = [];
      for (const batch of perRequest) {
        const body: OffsetFetchRequest =
          version >= 8
            ? {
                groups: batch.map((q) => ({
                  groupId: q.groupId,
                  memberId: null,
                  memberEpoch: -1,
                  topics: topicsOf(q),
                })),
                requireStable: options.requireStable ?? false,
              }
            : {
                groupId: batch[0]!.groupId,
                topics:
                  topicsOf(batch[0]!)?.map((t) => ({ name: t.name, partitionIndexes: t.partitionIndexes })) ??
                  null,
                ...(version >= 7 ? { requireStable: options.requireStable ?? false } : {}),
              };
        const res: OffsetFetchResponse = await cluster.send(node, OffsetFetch, body, { version });
        for (const q of batch) results.push(await mapGroupAnswer(res, q, nameOf));
      }
      return results;
    },
    beforeRetry: async (failed) => {
      for (const f of failed) cluster.forgetCoordinator('group', f.item.groupId);
    },
    describe: (q) => ({ groupId: q.groupId }),
    attempts: 4,
  });

  const out: GroupOffsetsResult[] = [];
  for (const o of outcomes) {
    if (o.error) {
      out.push({ groupId: o.item.groupId, topics: [], error: o.error as AdminItemError });
      continue;
    }
    let topics = o.value;
    if (options.resolveOffsets) topics = await resolveSpecialOffsets(cluster, topics);
    out.push({ groupId: o.item.groupId, topics });
  }
  return out;
}

async function mapGroupAnswer(
  res: OffsetFetchResponse,
  q: GroupOffsetsQuery,
  nameOf: (t: { name?: string; topicId?: string }) => Promise<string>,
): Promise<
  { item: GroupOffsetsQuery; value: TopicCommittedOffsets[] } | { item: GroupOffsetsQuery; error: Error }
> {
  let groupError = res.errorCode ?? Codes.NONE;
  let rawTopics: Array<{
    name?: string;
    topicId?: string;
    partitions: Array<{
      partitionIndex: number;
      committedOffset: bigint;
      committedLeaderEpoch?: number;
      metadata: string | null;
      errorCode: number;
    }>;
  }> = res.topics ?? [];
  if (res.groups) {
    const g = res.groups.find((x) => x.groupId === q.groupId);
    if (!g)
      return {
        item: q,
        error: brokerError(-1, 'The coordinator did not answer for this group', { groupId: q.groupId }),
      };
    groupError = g.errorCode;
    rawTopics = g.topics;
  }
  if (groupError !== Codes.NONE)
    return { item: q, error: brokerError(groupError, null, { groupId: q.groupId }) };
  const errors: AdminItemError[] = [];
  const topics: TopicCommittedOffsets[] = [];
  for (const t of rawTopics) {
    const topic = await nameOf(t);
    const partitions = [];
    for (const p of t.partitions) {
      if (p.errorCode !== Codes.NONE) {
        errors.push(
          brokerError(p.errorCode, null, { groupId: q.groupId, topic, partition: p.partitionIndex }),
        );
        continue;
      }
      partitions.push({
        partition: p.partitionIndex,
        offset: String(p.committedOffset),
        metadata: p.metadata,
        leaderEpoch: p.committedLeaderEpoch,
      });
    }
    topics.push({ topic, partitions: partitions.sort(byPartition) });
  }
  if (errors.length > 0) {
    // Several partitions failing (UNSTABLE_OFFSET_COMMIT, ...) fail the group with each partition's error.
    return {
      item: q,
      error: new KafkaJSAggregateError(`Error fetching offsets of group "${q.groupId}"`, errors),
    };
  }
  if (q.topics) {
    const order = new Map(q.topics.map((t, i) => [t, i]));
    topics.sort((a, b) => (order.get(a.topic) ?? 0) - (order.get(b.topic) ?? 0));
  } else {
    topics.sort((a, b) => a.topic.localeCompare(b.topic));
  }
  return { item: q, value: topics };
}

/** Replaces "-1" (no commit) by the partition's latest offset, as KafkaJS's resolveOffsets does. */
async function resolveSpecialOffsets(
  cluster: AdminCluster,
  topics: TopicCommittedOffsets[],
): Promise<TopicCommittedOffsets[]> {
  return Promise.all(
    topics.map(async (t) => {
      if (!t.partitions.some((p) => p.offset === '-1')) return t;
      const offsets = await fetchTopicOffsets(cluster, t.topic);
      const high = new Map(offsets.map((o) => [o.partition, o.high]));
      return {
        topic: t.topic,
        partitions: t.partitions.map((p) =>
          p.offset === '-1' ? { ...p, offset: high.get(p.partition) ?? '-1' } : p,
        ),
      };
    }),
  );
}

export async function fetchOffsets(
  cluster: AdminCluster,
  options: FetchOffsetsOptions,
): Promise<TopicCommittedOffsets[]> {
  requireObject('fetchOffsets', options);
  requireString('groupId', options.groupId);
  if (options.topics !== undefined) validateTopics('topics', options.topics);
  const [result] = await fetchGroupOffsets(
    cluster,
    [{ groupId: options.groupId, topics: options.topics }],
    options,
  );
  if (result!.error) throw result!.error;
  return result!.topics;
}

/** Throws when the group still has members: committing under a live group would fight its consumers. */
async function assertGroupInactive(cluster: AdminCluster, groupId: string): Promise<void> {
  const res = await onCoordinator(cluster, 'group', groupId, async (node) => {
    const r = await cluster.send(node, DescribeGroups, {
      groups: [groupId],
      includeAuthorizedOperations: false,
    });
    const g = r.groups[0];
    if (g && g.errorCode !== Codes.NONE && g.errorCode !== Codes.GROUP_ID_NOT_FOUND) {
      const e = brokerError(g.errorCode, g.errorMessage, { groupId });
      if (e.retriable) throw e;
    }
    return g;
  });
  if (
    res &&
    res.errorCode === Codes.NONE &&
    res.groupState !== 'Empty' &&
    res.groupState !== 'Dead' &&
    res.groupState !== ''
  ) {
    throw new KafkaJSNonRetriableError(
      `The consumer group must have no running instances, current state: ${res.groupState}`,
    );
  }
}

/** Commits offsets for a group without joining it (generation -1), as the group's "admin" commit. */
async function commitOffsets(
  cluster: AdminCluster,
  groupId: string,
  topic: string,
  topicId: string | undefined,
  offsets: Array<{ partition: number; offset: bigint }>,
): Promise<void> {
  await onCoordinator(cluster, 'group', groupId, async (node) => {
    const res = await cluster.send(node, OffsetCommit, {
      groupId,
      generationIdOrMemberEpoch: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [
        {
          name: topic,
          topicId,
          partitions: offsets.map((o) => ({
            partitionIndex: o.partition,
            committedOffset: o.offset,
            committedLeaderEpoch: -1,
            committedMetadata: null,
          })),
        },
      ],
    });
    const errors: Array<AdminItemError<KafkaJSProtocolError>> = [];
    for (const t of res.topics) {
      for (const p of t.partitions) {
        if (p.errorCode !== Codes.NONE)
          errors.push(brokerError(p.errorCode, null, { groupId, topic, partition: p.partitionIndex }));
      }
    }
    // Coordinator moves show on every partition: surface one so that onCoordinator follows it.
    if (errors.length > 0 && errors.every((e) => e.code === errors[0]!.code) && errors[0]!.retriable)
      throw errors[0];
    throwIfAny(`Error setting offsets of group "${groupId}"`, errors);
  });
}

/**
 * KafkaJS's setOffsets: commits the given offsets for a group that has no running members.
 * "-1" and "-2" stand for the latest and earliest offsets and are resolved first.
 */
export async function setOffsets(cluster: AdminCluster, options: SetOffsetsOptions): Promise<void> {
  requireObject('setOffsets', options);
  requireString('groupId', options.groupId);
  requireString('topic', options.topic);
  validateSeekEntries('partitions', options.partitions);
  const { groupId, topic } = options;
  await assertGroupInactive(cluster, groupId);
  const info = await topicInfo(cluster, topic);
  const wanted = options.partitions.map((p) => ({
    partition: p.partition,
    offset: parseOffset('offset', p.offset),
  }));
  const special = wanted.filter((w) => w.offset === LATEST || w.offset === EARLIEST);
  if (special.length > 0) {
    const parts = special.map((s) => s.partition);
    const [low, high] = await Promise.all([
      listOffsets(cluster, topic, parts, EARLIEST),
      listOffsets(cluster, topic, parts, LATEST),
    ]);
    for (const w of special) w.offset = (w.offset === LATEST ? high : low).get(w.partition) ?? w.offset;
  }
  await commitOffsets(cluster, groupId, topic, info.topicId, wanted);
}

/** KafkaJS's resetOffsets: every partition to the latest offset, or the earliest with `earliest: true`. */
export async function resetOffsets(cluster: AdminCluster, options: ResetOffsetsOptions): Promise<void> {
  requireObject('resetOffsets', options);
  requireString('groupId', options.groupId);
  requireString('topic', options.topic);
  const { partitions } = await topicInfo(cluster, options.topic);
  const offset = options.earliest ? String(EARLIEST) : String(LATEST);
  await setOffsets(cluster, {
    groupId: options.groupId,
    topic: options.topic,
    partitions: partitions.map((partition) => ({ partition, offset })),
  });
}

/** KafkaJS's deleteTopicRecords: deletes records before each offset ("-1": up to the high watermark). */
export async function deleteTopicRecords(
  cluster: AdminCluster,
  options: DeleteTopicRecordsOptions,
): Promise<void> {
  validateDeleteTopicRecords(options);
  const { topic } = options;
  const offsets = new Map(options.partitions.map((p) => [p.partition, parseOffset('offset', p.offset)]));
  const outcomes = await shardRequests<number, bigint>({
    items: [...offsets.keys()],
    route: (p) => cluster.leaderFor(topic, p),
    send: async (node, items) => {
      const res = await cluster.send(
        node,
        DeleteRecords,
        {
          timeoutMs: DEFAULT_ADMIN_TIMEOUT,
          topics: [
            { name: topic, partitions: items.map((p) => ({ partitionIndex: p, offset: offsets.get(p)! })) },
          ],
        },
        { timeout: DEFAULT_ADMIN_TIMEOUT },
      );
      const answered = res.topics.find((t) => t.name === topic)?.partitions ?? [];
      return answered.map((p) =>
        p.errorCode === Codes.NONE
          ? { item: p.partitionIndex, value: p.lowWatermark }
          : {
              item: p.partitionIndex,
              error: brokerError(p.errorCode, null, { topic, partition: p.partitionIndex }),
            },
      );
    },
    beforeRetry: () => cluster.invalidate([topic]),
    shouldRetry: (e) => 'code' in e && isStaleLeader((e as { code: number }).code),
    describe: (p) => ({ topic, partition: p }),
  });
  const failed = outcomes
    .filter((o) => o.error)
    .map((o) => ({ partition: o.item, offset: String(offsets.get(o.item)), error: o.error as Error }));
  if (failed.length > 0) throw new KafkaJSDeleteTopicRecordsError(topic, failed);
}

/**
 * OffsetDelete (KIP-496): removes a group's committed offsets of some partitions of a topic (all
 * when `partitions` is absent). The group must not be subscribed to the topic.
 */
export async function deleteConsumerGroupOffsets(
  cluster: AdminCluster,
  options: { groupId: string; topic: string; partitions?: number[] },
): Promise<void> {
  requireObject('deleteConsumerGroupOffsets', options);
  requireString('groupId', options.groupId);
  requireString('topic', options.topic);
  const { groupId, topic } = options;
  const partitions = options.partitions ?? (await topicInfo(cluster, topic)).partitions;
  await onCoordinator(cluster, 'group', groupId, async (node) => {
    const res = await cluster.send(node, OffsetDelete, {
      groupId,
      topics: [{ name: topic, partitions: partitions.map((partitionIndex) => ({ partitionIndex })) }],
    });
    if (res.errorCode !== Codes.NONE) throw brokerError(res.errorCode, null, { groupId });
    const errors: AdminItemError[] = [];
    for (const t of res.topics) {
      for (const p of t.partitions) {
        if (p.errorCode !== Codes.NONE)
          errors.push(
            brokerError(p.errorCode, null, { groupId, topic: t.name, partition: p.partitionIndex }),
          );
      }
    }
    throwIfAny(`Error deleting offsets of group "${groupId}"`, errors);
  });
}
