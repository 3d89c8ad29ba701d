import { ListOffsets } from '../protocol/messages/index.js';
import type { ConsumerCluster } from './context.js';
import { Codes, protocolError } from './errors.js';
import type { TopicCatalog } from './topic-catalog.js';

export const EARLIEST_TIMESTAMP = -2;
export const LATEST_TIMESTAMP = -1;

export interface OffsetLookup {
  topic: string;
  partition: number;
  /** -2 earliest, -1 latest, or a timestamp in ms. */
  timestamp: number;
}

export interface OffsetLookupResult extends OffsetLookup {
  /** The offset found, or -1 when a timestamp lookup matched nothing. */
  offset: number;
  leaderEpoch: number;
}

/** Errors after which the lookup should be tried again once metadata is refreshed. */
const RETRY_AFTER_METADATA = new Set<number>([
  Codes.NOT_LEADER_OR_FOLLOWER,
  Codes.LEADER_NOT_AVAILABLE,
  Codes.UNKNOWN_TOPIC_OR_PARTITION,
  Codes.FENCED_LEADER_EPOCH,
  Codes.UNKNOWN_LEADER_EPOCH,
  Codes.OFFSET_NOT_AVAILABLE,
  Codes.KAFKA_STORAGE_ERROR,
]);

/**
 * ListOffsets for a set of partitions, one request per leader. Returns what was found and the
 * lookups that hit a retriable leadership error (to retry after a metadata refresh); other
 * errors throw.
 */
export async function lookupOffsets(
  cluster: ConsumerCluster,
  catalog: TopicCatalog,
  lookups: readonly OffsetLookup[],
  readCommitted: boolean,
): Promise<{ found: OffsetLookupResult[]; retry: OffsetLookup[] }> {
  const byLeader = new Map<number, OffsetLookup[]>();
  const retry: OffsetLookup[] = [];
  for (const l of lookups) {
    const route = catalog.route(l.topic, l.partition);
    if (!route || route.leader < 0) {
      retry.push(l);
      continue;
    }
    const list = byLeader.get(route.leader);
    if (list) list.push(l);
    else byLeader.set(route.leader, [l]);
  }
  const found: OffsetLookupResult[] = [];
  await Promise.all(
    [...byLeader].map(async ([leader, list]) => {
      const topics = new Map<string, OffsetLookup[]>();
      for (const l of list) {
        const t = topics.get(l.topic);
        if (t) t.push(l);
        else topics.set(l.topic, [l]);
      }
      const version = await cluster.versionFor(leader, 'default', ListOffsets);
      const res = await cluster.send(
        leader,
        'default',
        ListOffsets,
        {
          replicaId: -1,
          isolationLevel: readCommitted ? 1 : 0,
          topics: [...topics].map(([name, ps]) => ({
            name,
            partitions: ps.map((p) => ({
              partitionIndex: p.partition,
              currentLeaderEpoch: catalog.route(p.topic, p.partition)?.leaderEpoch ?? -1,
              timestamp: BigInt(p.timestamp),
            })),
          })),
          timeoutMs: 30_000,
        },
        { version },
      );
      for (const t of res.topics) {
        for (const p of t.partitions) {
          const asked = topics.get(t.name)?.find((x) => x.partition === p.partitionIndex);
          if (!asked) continue;
          if (p.errorCode === 0) {
            found.push({ ...asked, offset: Number(p.offset), leaderEpoch: p.leaderEpoch ?? -1 });
          } else if (RETRY_AFTER_METADATA.has(p.errorCode)) {
            retry.push(asked);
          } else {
            throw protocolError(p.errorCode, `ListOffsets ${t.name}[${p.partitionIndex}]`);
          }
        }
      }
    }),
  );
  return { found, retry };
}
