/**
 * Topics: list, create, delete, add partitions, metadata. Create/delete/partition changes go to
 * the controller the metadata names (on KRaft any broker, which forwards them); metadata to any
 * broker.
 */
import { KafkaJSError } from '../errors/base.js';
import {
  CreatePartitions,
  CreateTopics,
  DeleteTopics,
  DescribeTopicPartitions,
  type MetadataResponse,
} from '../protocol/messages/index.js';
import { brokerError, Codes, DEFAULT_ADMIN_TIMEOUT, sleep } from './common.js';
import type { AdminCluster } from './context.js';
import { type AdminItemError, throwIfAny } from './errors.js';
import type {
  CreatePartitionsOptions,
  CreateTopicsOptions,
  DeleteTopicsOptions,
  FetchTopicMetadataOptions,
  ITopicMetadata,
} from './types.js';
import { validateCreatePartitions, validateCreateTopics, validateTopics } from './validation.js';

export async function listTopics(cluster: AdminCluster): Promise<string[]> {
  const md = await cluster.retry(() => cluster.metadata(null));
  return md.topics
    .filter((t) => t.errorCode === Codes.NONE && t.name)
    .map((t) => t.name as string)
    .sort();
}

export async function createTopics(cluster: AdminCluster, options: CreateTopicsOptions): Promise<boolean> {
  validateCreateTopics(options);
  const timeout = options.timeout ?? DEFAULT_ADMIN_TIMEOUT;
  const validateOnly = options.validateOnly ?? false;
  const response = await cluster.retry(async () => {
    const res = await cluster.send(
      'controller',
      CreateTopics,
      {
        timeoutMs: timeout,
        validateOnly,
        topics: options.topics.map((t) => ({
          name: t.topic,
          numPartitions: t.replicaAssignment?.length ? -1 : (t.numPartitions ?? -1),
          replicationFactor: t.replicaAssignment?.length ? -1 : (t.replicationFactor ?? -1),
          assignments: (t.replicaAssignment ?? []).map((a) => ({
            partitionIndex: a.partition,
            brokerIds: a.replicas,
          })),
          configs: (t.configEntries ?? []).map((c) => ({ name: c.name, value: c.value })),
        })),
      },
      { timeout },
    );
    throwIfControllerMoved(res.topics.map((t) => t.errorCode));
    return res;
  });

  const errors: AdminItemError[] = [];
  let created = 0;
  for (const t of response.topics) {
    if (t.errorCode === Codes.NONE) created++;
    else if (t.errorCode !== Codes.TOPIC_ALREADY_EXISTS)
      errors.push(brokerError(t.errorCode, t.errorMessage, { topic: t.name }));
  }
  throwIfAny('Topic creation errors', errors);
  if (created > 0 && !validateOnly && options.waitForLeaders !== false) {
    const names = response.topics.filter((t) => t.errorCode === Codes.NONE).map((t) => t.name);
    await waitForLeaders(cluster, names, timeout);
  }
  return created > 0;
}

/** NOT_CONTROLLER on every item means the request reached a node that is no longer the controller: retry it. */
function throwIfControllerMoved(codes: number[]): void {
  if (codes.length > 0 && codes.every((c) => c === Codes.NOT_CONTROLLER)) {
    throw brokerError(Codes.NOT_CONTROLLER, null);
  }
}

/** Polls the metadata until every partition of `topics` has a leader, or `timeout` passes. */
export async function waitForLeaders(
  cluster: AdminCluster,
  topics: string[],
  timeout: number,
): Promise<void> {
  const deadline = Date.now() + Math.max(timeout, 1000);
  let delay = 50;
  for (;;) {
    const md = await cluster.metadata(topics);
    const ready = topics.every((name) => {
      const t = md.topics.find((x) => x.name === name);
      return (
        t !== undefined &&
        t.errorCode === Codes.NONE &&
        t.partitions.length > 0 &&
        t.partitions.every((p) => p.leaderId >= 0)
      );
    });
    if (ready) return;
    if (Date.now() + delay > deadline) {
      throw new KafkaJSError(`Timed out after ${timeout}ms waiting for leaders of ${topics.join(', ')}`, {
        retriable: true,
      });
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 500);
  }
}

export async function deleteTopics(cluster: AdminCluster, options: DeleteTopicsOptions): Promise<void> {
  if (options === null || typeof options !== 'object') validateTopics('topics', undefined);
  validateTopics('topics', options.topics);
  const timeout = options.timeout ?? DEFAULT_ADMIN_TIMEOUT;
  const response = await cluster.retry(async () => {
    const version = await cluster.versionFor('controller', DeleteTopics);
    const body =
      version >= 6
        ? { timeoutMs: timeout, topics: options.topics.map((name) => ({ name, topicId: ZERO_UUID })) }
        : { timeoutMs: timeout, topicNames: options.topics };
    const res = await cluster.send('controller', DeleteTopics, body, { timeout, version });
    throwIfControllerMoved(res.responses.map((t) => t.errorCode));
    return res;
  });
  await cluster.invalidate(options.topics);
  const errors = response.responses
    .filter((t) => t.errorCode !== Codes.NONE)
    .map((t) => brokerError(t.errorCode, t.errorMessage, { topic: t.name ?? undefined }));
  throwIfAny('Topic deletion errors', errors);
}

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

export async function createPartitions(
  cluster: AdminCluster,
  options: CreatePartitionsOptions,
): Promise<boolean> {
  validateCreatePartitions(options);
  const timeout = options.timeout ?? DEFAULT_ADMIN_TIMEOUT;
  const response = await cluster.retry(async () => {
    const res = await cluster.send(
      'controller',
      CreatePartitions,
      {
        timeoutMs: timeout,
        validateOnly: options.validateOnly ?? false,
        topics: options.topicPartitions.map((t) => ({
          name: t.topic,
          count: t.count,
          assignments: t.assignments ? t.assignments.map((brokerIds) => ({ brokerIds })) : null,
        })),
      },
      { timeout },
    );
    throwIfControllerMoved(res.results.map((t) => t.errorCode));
    return res;
  });
  // KafkaJS throws the protocol error of the first failed topic (in name order) itself, so that
  // `e.type === 'INVALID_PARTITIONS'` works; the topic is on the error as `topic`.
  const failed = response.results
    .filter((t) => t.errorCode !== Codes.NONE)
    .sort((a, b) => a.name.localeCompare(b.name));
  const first = failed[0];
  if (first) throw brokerError(first.errorCode, first.errorMessage, { topic: first.name });
  await cluster.invalidate(options.topicPartitions.map((t) => t.topic));
  return true;
}

export function mapTopicMetadata(md: MetadataResponse): ITopicMetadata[] {
  return md.topics.map((t) => ({
    name: t.name ?? '',
    topicId: t.topicId,
    isInternal: t.isInternal,
    partitions: t.partitions
      .map((p) => ({
        partitionErrorCode: p.errorCode,
        partitionId: p.partitionIndex,
        leader: p.leaderId,
        replicas: p.replicaNodes,
        isr: p.isrNodes,
        offlineReplicas: p.offlineReplicas ?? [],
        leaderEpoch: p.leaderEpoch,
      }))
      .sort((a, b) => a.partitionId - b.partitionId),
  }));
}

/**
 * KafkaJS's fetchTopicMetadata: every topic when `topics` is absent. A topic that does not
 * exist fails the call with the broker's UNKNOWN_TOPIC_OR_PARTITION (the metadata request
 * never creates topics).
 */
export async function fetchTopicMetadata(
  cluster: AdminCluster,
  options: FetchTopicMetadataOptions = {},
): Promise<{
  /** One entry per topic. */
  topics: ITopicMetadata[];
}> {
  const topics = options?.topics;
  if (topics !== undefined) validateTopics('topics', topics);
  const md = await cluster.retry(() => cluster.metadata(topics && topics.length > 0 ? topics : null));
  const errors = md.topics
    .filter((t) => t.errorCode !== Codes.NONE)
    .map((t) => brokerError(t.errorCode, null, { topic: t.name ?? undefined }));
  throwIfAny('Topic metadata errors', errors);
  const mapped = mapTopicMetadata(md);
  if (topics && topics.length > 0) {
    const order = new Map(topics.map((t, i) => [t, i]));
    mapped.sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0));
  } else {
    mapped.sort((a, b) => a.name.localeCompare(b.name));
  }
  return { topics: mapped };
}

/** One topic as `admin.describeTopicPartitions` reports it (DescribeTopicPartitions, KIP-966). */
export interface TopicPartitionsDescription {
  /** Topic name. */
  name: string;
  /** Topic id in Kafka's textual form. */
  topicId: string;
  /** True for internal topics such as `__consumer_offsets`. */
  isInternal: boolean;
  /** Every partition, from all pages. */
  partitions: Array<{
    /** Partition index. */
    partition: number;
    /** Broker id of the leader; -1 when the partition has none. */
    leader: number;
    /** The leader's epoch. */
    leaderEpoch: number;
    /** Broker ids of every replica, preferred leader first. */
    replicas: number[];
    /** Broker ids of the in-sync replicas. */
    isr: number[];
    /** Replicas that may become leader although not in the ISR (KIP-966 ELR); null when the broker reports none. */
    eligibleLeaderReplicas: number[] | null;
    /** The last known ELR members when the ELR emptied (KIP-966); null when the broker reports none. */
    lastKnownElr: number[] | null;
    /** Broker ids of replicas on offline brokers or log directories. */
    offlineReplicas: number[];
  }>;
}

/**
 * DescribeTopicPartitions (KIP-966, Kafka 3.7+): like metadata but paged, so topics with very
 * many partitions come back in pieces of at most `partitionLimit`. All pages are fetched and
 * merged; unknown topics fail per topic.
 */
export async function describeTopicPartitions(
  cluster: AdminCluster,
  options: { topics: string[]; partitionLimit?: number },
): Promise<{
  /** One description per requested topic. */
  topics: TopicPartitionsDescription[];
}> {
  validateTopics('topics', options?.topics);
  const byName = new Map<string, TopicPartitionsDescription>();
  const errors: AdminItemError[] = [];
  let cursor: { topicName: string; partitionIndex: number } | null = null;
  for (let page = 0; page < 100_000; page++) {
    const res = await cluster.retry(() =>
      cluster.send('any', DescribeTopicPartitions, {
        topics: options.topics.map((name) => ({ name })),
        responsePartitionLimit: options.partitionLimit ?? 2000,
        cursor,
      }),
    );
    for (const t of res.topics) {
      if (t.errorCode !== Codes.NONE) {
        if (!errors.some((e) => e.topic === t.name))
          errors.push(brokerError(t.errorCode, null, { topic: t.name ?? undefined }));
        continue;
      }
      const name = t.name ?? '';
      let entry = byName.get(name);
      if (!entry) {
        entry = { name, topicId: t.topicId, isInternal: t.isInternal, partitions: [] };
        byName.set(name, entry);
      }
      for (const p of t.partitions) {
        entry.partitions.push({
          partition: p.partitionIndex,
          leader: p.leaderId,
          leaderEpoch: p.leaderEpoch,
          replicas: p.replicaNodes,
          isr: p.isrNodes,
          eligibleLeaderReplicas: p.eligibleLeaderReplicas,
          lastKnownElr: p.lastKnownElr,
          offlineReplicas: p.offlineReplicas,
        });
      }
    }
    cursor = res.nextCursor
      ? { topicName: res.nextCursor.topicName, partitionIndex: res.nextCursor.partitionIndex }
      : null;
    if (!cursor) break;
  }
  throwIfAny('Topic description errors', errors);
  const topics = options.topics
    .map((n) => byName.get(n))
    .filter((t): t is TopicPartitionsDescription => t !== undefined);
  for (const t of topics) t.partitions.sort((a, b) => a.partition - b.partition);
  return { topics };
}
