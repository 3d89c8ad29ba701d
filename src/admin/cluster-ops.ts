/**
 * Cluster-wide operations: describeCluster (Metadata, as KafkaJS), features (ApiVersions),
 * log dirs (DescribeLogDirs on every broker), leader elections and partition reassignments
 * (on the controller).
 */
import {
  AlterPartitionReassignments,
  DescribeLogDirs,
  ElectLeaders,
  ListPartitionReassignments,
} from '../protocol/messages/index.js';
import { brokerError, byPartition, Codes, DEFAULT_ADMIN_TIMEOUT } from './common.js';
import type { AdminCluster } from './context.js';
import { ElectionTypes } from './enums.js';
import { type AdminItemError, tagError, throwIfAny } from './errors.js';
import type {
  AlterPartitionReassignmentsOptions,
  ClusterDescription,
  ElectLeadersOptions,
  ElectLeadersResult,
  ListPartitionReassignmentsOptions,
  ListPartitionReassignmentsResponse,
} from './types.js';
import { requireArray, validateAlterPartitionReassignments } from './validation.js';

export async function describeCluster(cluster: AdminCluster): Promise<ClusterDescription> {
  const md = await cluster.retry(() => cluster.metadata([]));
  return {
    brokers: md.brokers
      .map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack ?? null }))
      .sort((a, b) => a.nodeId - b.nodeId),
    controller: md.controllerId !== undefined && md.controllerId >= 0 ? md.controllerId : null,
    clusterId: md.clusterId ?? '',
  };
}

/** Result of `admin.describeFeatures()`: the cluster's feature flags (KIP-584). */
export interface FeaturesDescription {
  /** Finalized feature levels the cluster runs at (metadata.version, kraft.version, ...). */
  finalized: Array<{
    /** Feature name, e.g. `metadata.version`. */
    name: string;
    /** Lowest finalized level. */
    minVersionLevel: number;
    /** Highest finalized level: the level the cluster runs at. */
    maxVersionLevel: number;
  }>;
  /** Epoch of the finalized levels (decimal string); -1 when the broker reports none. */
  finalizedEpoch: string;
  /** What the answering broker supports. */
  supported: Array<{
    /** Feature name. */
    name: string;
    /** Lowest level the broker supports. */
    minVersion: number;
    /** Highest level the broker supports. */
    maxVersion: number;
  }>;
}

/** The cluster's feature flags (KIP-584), from an ApiVersions v3+ answer (read by the network port). */
export async function describeFeatures(cluster: AdminCluster): Promise<FeaturesDescription> {
  const features = await cluster.retry(() => cluster.features('any'));
  return { ...features, finalizedEpoch: String(features.finalizedEpoch) };
}

/** One log directory of one broker, as `admin.describeLogDirs` reports it. */
export interface LogDirDescription {
  /** The broker the directory belongs to. */
  brokerId: number;
  /** Absolute path of the directory on the broker. */
  logDir: string;
  /** 0, or the directory's error (e.g. 56 KAFKA_STORAGE_ERROR for an offline directory). */
  errorCode: number;
  /** Size of the directory's volume in bytes (decimal string; DescribeLogDirs v4+, Kafka 3.3+). */
  totalBytes?: string;
  /** Free bytes on the directory's volume (decimal string; DescribeLogDirs v4+, Kafka 3.3+). */
  usableBytes?: string;
  /** The partitions stored in the directory, by topic. */
  topics: Array<{
    /** Topic name. */
    topic: string;
    /** Its partitions in this directory, sorted by partition. */
    partitions: Array<{
      /** Partition index. */
      partition: number;
      /** Bytes the partition's log takes (decimal string). */
      size: string;
      /**
       * Lag of this log's end offset behind the partition's high watermark; for a future log,
       * behind the current replica's log end offset (decimal string).
       */
      offsetLag: string;
      /** True for a future replica: a copy being moved into this directory (alterReplicaLogDirs). */
      isFuture: boolean;
    }>;
  }>;
}

/** DescribeLogDirs on every broker (or the ones given), merged; a broker's failure is its own error. */
export async function describeLogDirs(
  cluster: AdminCluster,
  options: { brokers?: number[]; topics?: Array<{ topic: string; partitions: number[] }> } = {},
): Promise<LogDirDescription[]> {
  const brokers = options.brokers ?? (await cluster.brokerIds());
  const out: LogDirDescription[] = [];
  const errors: AdminItemError[] = [];
  await Promise.all(
    brokers.map(async (brokerId) => {
      try {
        const res = await cluster.retry(() =>
          cluster.send(brokerId, DescribeLogDirs, {
            topics: options.topics
              ? options.topics.map((t) => ({ topic: t.topic, partitions: t.partitions }))
              : null,
          }),
        );
        if (res.errorCode) throw brokerError(res.errorCode, null, { brokerId });
        for (const d of res.results) {
          out.push({
            brokerId,
            logDir: d.logDir,
            errorCode: d.errorCode,
            totalBytes: d.totalBytes === undefined ? undefined : String(d.totalBytes),
            usableBytes: d.usableBytes === undefined ? undefined : String(d.usableBytes),
            topics: d.topics.map((t) => ({
              topic: t.name,
              partitions: t.partitions
                .map((p) => ({
                  partition: p.partitionIndex,
                  size: String(p.partitionSize),
                  offsetLag: String(p.offsetLag),
                  isFuture: p.isFutureKey,
                }))
                .sort(byPartition),
            })),
          });
        }
      } catch (e) {
        errors.push(tagError(e instanceof Error ? e : new Error(String(e)), { brokerId }));
      }
    }),
  );
  throwIfAny('Error describing log dirs', errors);
  return out.sort((a, b) => a.brokerId - b.brokerId || a.logDir.localeCompare(b.logDir));
}

/** ElectLeaders (KIP-460): preferred (default) or unclean elections; one result per partition. */
export async function electLeaders(
  cluster: AdminCluster,
  options: ElectLeadersOptions = {},
): Promise<ElectLeadersResult[]> {
  if (options.topicPartitions !== undefined) requireArray('topicPartitions', options.topicPartitions);
  const timeout = options.timeout ?? DEFAULT_ADMIN_TIMEOUT;
  const res = await cluster.retry(() =>
    cluster.send(
      'controller',
      ElectLeaders,
      {
        electionType: options.electionType ?? ElectionTypes.PREFERRED,
        topicPartitions: options.topicPartitions
          ? options.topicPartitions.map((t) => ({ topic: t.topic, partitions: t.partitions }))
          : null,
        timeoutMs: timeout,
      },
      { timeout },
    ),
  );
  if (res.errorCode) throw brokerError(res.errorCode, null);
  const results: ElectLeadersResult[] = [];
  for (const t of res.replicaElectionResults) {
    for (const p of t.partitionResult) {
      const r: ElectLeadersResult = {
        topic: t.topic,
        partition: p.partitionId,
        errorCode: p.errorCode,
        errorMessage: p.errorMessage,
      };
      if (p.errorCode !== Codes.NONE)
        r.error = brokerError(p.errorCode, p.errorMessage, { topic: t.topic, partition: p.partitionId });
      results.push(r);
    }
  }
  return results.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}

export async function alterPartitionReassignments(
  cluster: AdminCluster,
  options: AlterPartitionReassignmentsOptions,
): Promise<void> {
  validateAlterPartitionReassignments(options);
  const timeout = options.timeout ?? DEFAULT_ADMIN_TIMEOUT;
  const res = await cluster.retry(() =>
    cluster.send(
      'controller',
      AlterPartitionReassignments,
      {
        timeoutMs: timeout,
        topics: options.topics.map((t) => ({
          name: t.topic,
          partitions: t.partitionAssignment.map((p) => ({
            partitionIndex: p.partition,
            replicas: p.replicas && p.replicas.length > 0 ? p.replicas : null,
          })),
        })),
      },
      { timeout },
    ),
  );
  if (res.errorCode !== Codes.NONE) throw brokerError(res.errorCode, res.errorMessage);
  const errors: AdminItemError[] = [];
  for (const t of res.responses) {
    for (const p of t.partitions) {
      if (p.errorCode !== Codes.NONE)
        errors.push(brokerError(p.errorCode, p.errorMessage, { topic: t.name, partition: p.partitionIndex }));
    }
  }
  throwIfAny('Error altering partition reassignments', errors);
}

export async function listPartitionReassignments(
  cluster: AdminCluster,
  options: ListPartitionReassignmentsOptions = {},
): Promise<ListPartitionReassignmentsResponse> {
  const timeout = options.timeout ?? DEFAULT_ADMIN_TIMEOUT;
  const res = await cluster.retry(() =>
    cluster.send(
      'controller',
      ListPartitionReassignments,
      {
        timeoutMs: timeout,
        topics: options.topics
          ? options.topics.map((t) => ({ name: t.topic, partitionIndexes: t.partitions }))
          : null,
      },
      { timeout },
    ),
  );
  if (res.errorCode !== Codes.NONE) throw brokerError(res.errorCode, res.errorMessage);
  return {
    topics: res.topics.map((t) => ({
      topic: t.name,
      partitions: t.partitions
        .map((p) => ({
          partition: p.partitionIndex,
          partitionIndex: p.partitionIndex,
          replicas: p.replicas,
          addingReplicas: p.addingReplicas,
          removingReplicas: p.removingReplicas,
        }))
        .sort(byPartition),
    })),
  };
}
