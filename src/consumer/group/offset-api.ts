import type { ApiMessage } from '../../protocol/api.js';
import { OffsetCommit, type OffsetCommitResponse, OffsetFetch } from '../../protocol/messages/index.js';
import type { ConsumerCluster } from '../context.js';
import { Codes, isCoordinatorMoved, KafkaJSProtocolError, protocolError } from '../errors.js';
import type { TopicPartitionOffset } from '../offsets.js';
import type { TopicPartition } from '../subscription-state.js';
import type { TopicCatalog } from '../topic-catalog.js';

/** Who commits: the member's identity in its current generation (classic) or epoch (KIP-848). */
export interface MemberIdentity {
  memberId: string;
  /** Classic generation id, or the KIP-848 member epoch; -1 for a consumer outside any group. */
  generationIdOrMemberEpoch: number;
  groupInstanceId: string | null;
}

function groupByTopic<T extends { topic: string }>(items: readonly T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of items) {
    const l = m.get(x.topic);
    if (l) l.push(x);
    else m.set(x.topic, [x]);
  }
  return m;
}

/**
 * OffsetCommit to the group coordinator. Partition-level errors throw the first error found
 * (KafkaJS behaviour); a moved coordinator is forgotten so the next attempt looks it up again.
 */
/**
 * The group coordinator and the version to use with it. A coordinator whose broker cannot be
 * reached is forgotten, so that the caller's retry looks it up again instead of calling a dead
 * node forever.
 */
async function reachCoordinator(
  cluster: ConsumerCluster,
  groupId: string,
  api: ApiMessage<unknown, unknown>,
): Promise<{ node: number; version: number }> {
  const node = await cluster.coordinator(groupId);
  try {
    return { node, version: await cluster.versionFor(node, 'default', api) };
  } catch (e) {
    cluster.forgetCoordinator(groupId);
    throw e;
  }
}

export async function commitOffsets(
  cluster: ConsumerCluster,
  catalog: TopicCatalog,
  groupId: string,
  member: MemberIdentity,
  offsets: readonly TopicPartitionOffset[],
): Promise<void> {
  if (offsets.length === 0) return;
  const { node, version } = await reachCoordinator(cluster, groupId, OffsetCommit);
  const useIds = version >= 10;
  if (useIds) {
    // OffsetCommit v10 names topics by id: a topic the consumer never loaded (committing for a
    // topic it does not subscribe to, as KafkaJS allows) needs its metadata first.
    const missing = [...new Set(offsets.map((o) => o.topic))].filter((t) => catalog.topicId(t) === undefined);
    if (missing.length > 0) catalog.update(await cluster.metadata(missing));
  }
  let res: OffsetCommitResponse;
  try {
    res = await cluster.send(
      node,
      'default',
      OffsetCommit,
      {
        groupId,
        generationIdOrMemberEpoch: member.generationIdOrMemberEpoch,
        memberId: member.memberId,
        groupInstanceId: member.groupInstanceId,
        topics: [...groupByTopic(offsets)].map(([topic, ps]) => ({
          ...(useIds ? { topicId: catalog.topicId(topic) } : { name: topic }),
          partitions: ps.map((p) => ({
            partitionIndex: p.partition,
            committedOffset: BigInt(p.offset),
            committedLeaderEpoch: p.leaderEpoch ?? -1,
            committedMetadata: p.metadata ?? null,
          })),
        })),
      },
      { version },
    );
  } catch (e) {
    cluster.forgetCoordinator(groupId);
    throw e;
  }
  for (const t of res.topics) {
    for (const p of t.partitions) {
      if (p.errorCode !== 0) {
        if (isCoordinatorMoved(p.errorCode)) cluster.forgetCoordinator(groupId);
        const name = (useIds ? catalog.topicName(t.topicId ?? '') : t.name) ?? '?';
        throw protocolError(p.errorCode, `OffsetCommit ${name}[${p.partitionIndex}]`);
      }
    }
  }
}

export interface CommittedOffset extends TopicPartition {
  /** -1 when the group has no committed offset for the partition. */
  offset: number;
  leaderEpoch: number;
  metadata: string | null;
}

/** OffsetFetch: the group's committed offsets for `partitions` (requireStable, KIP-447). */
export async function fetchCommittedOffsets(
  cluster: ConsumerCluster,
  catalog: TopicCatalog,
  groupId: string,
  partitions: readonly TopicPartition[],
  member?: { memberId: string; memberEpoch: number },
): Promise<CommittedOffset[]> {
  if (partitions.length === 0) return [];
  const { node, version } = await reachCoordinator(cluster, groupId, OffsetFetch);
  const byTopic = groupByTopic(partitions);
  const out: CommittedOffset[] = [];
  const check = (code: number, where: string) => {
    if (code === 0) return;
    if (isCoordinatorMoved(code) || code === Codes.COORDINATOR_LOAD_IN_PROGRESS)
      cluster.forgetCoordinator(groupId);
    throw protocolError(code, where);
  };
  try {
    if (version >= 8) {
      const useIds = version >= 10;
      const res = await cluster.send(
        node,
        'default',
        OffsetFetch,
        {
          groups: [
            {
              groupId,
              memberId: member?.memberId ?? null,
              memberEpoch: member?.memberEpoch ?? -1,
              topics: [...byTopic].map(([topic, ps]) => ({
                ...(useIds ? { topicId: catalog.topicId(topic) } : { name: topic }),
                partitionIndexes: ps.map((p) => p.partition),
              })),
            },
          ],
          requireStable: true,
        },
        { version },
      );
      const g = res.groups?.[0];
      if (!g) return [];
      check(g.errorCode, `OffsetFetch ${groupId}`);
      for (const t of g.topics) {
        const topic = useIds ? catalog.topicName(t.topicId ?? '') : t.name;
        if (topic === undefined) continue;
        for (const p of t.partitions) {
          check(p.errorCode, `OffsetFetch ${topic}[${p.partitionIndex}]`);
          out.push({
            topic,
            partition: p.partitionIndex,
            offset: Number(p.committedOffset),
            leaderEpoch: p.committedLeaderEpoch,
            metadata: p.metadata,
          });
        }
      }
    } else {
      const res = await cluster.send(
        node,
        'default',
        OffsetFetch,
        {
          groupId,
          topics: [...byTopic].map(([name, ps]) => ({ name, partitionIndexes: ps.map((p) => p.partition) })),
          requireStable: version >= 7,
        },
        { version },
      );
      check(res.errorCode ?? 0, `OffsetFetch ${groupId}`);
      for (const t of res.topics ?? []) {
        for (const p of t.partitions) {
          check(p.errorCode, `OffsetFetch ${t.name}[${p.partitionIndex}]`);
          out.push({
            topic: t.name,
            partition: p.partitionIndex,
            offset: Number(p.committedOffset),
            leaderEpoch: p.committedLeaderEpoch ?? -1,
            metadata: p.metadata,
          });
        }
      }
    }
  } catch (e) {
    if (!(e instanceof KafkaJSProtocolError)) cluster.forgetCoordinator(groupId);
    throw e;
  }
  return out;
}
