import { Codes } from '../protocol/codes.js';
import type { MetadataResponse } from '../protocol/messages/metadata.js';

export interface BrokerMetadata {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

export interface PartitionMetadata {
  partitionId: number;
  /** -1 while no leader is elected. */
  leader: number;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
  errorCode: number;
}

export interface TopicMetadata {
  name: string;
  topicId: string | undefined;
  isInternal: boolean;
  errorCode: number;
  partitions: PartitionMetadata[];
}

/** Error codes that mean "your view of the cluster is out of date: refresh metadata and retry". */
export const STALE_METADATA_CODES: ReadonlySet<number> = new Set<number>([
  Codes.UNKNOWN_TOPIC_OR_PARTITION,
  Codes.LEADER_NOT_AVAILABLE,
  Codes.NOT_LEADER_OR_FOLLOWER,
  Codes.REPLICA_NOT_AVAILABLE,
  Codes.NOT_CONTROLLER,
  Codes.KAFKA_STORAGE_ERROR,
  Codes.FENCED_LEADER_EPOCH,
  Codes.UNKNOWN_LEADER_EPOCH,
  Codes.UNKNOWN_TOPIC_ID,
  Codes.INCONSISTENT_TOPIC_ID,
]);

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

/** The cluster as the last Metadata response described it. */
export class MetadataCache {
  readonly brokers = new Map<number, BrokerMetadata>();
  readonly topics = new Map<string, TopicMetadata>();
  readonly topicNamesById = new Map<string, string>();
  controllerId = -1;
  clusterId: string | null = null;
  /** Date.now() of the last update; 0 while never loaded. */
  updatedAt = 0;

  get loaded(): boolean {
    return this.updatedAt > 0;
  }

  /**
   * Merges a response. Brokers and controller are replaced; topics in the response replace
   * their entries; with `allTopics`, topics missing from the response are forgotten (deleted).
   */
  update(response: MetadataResponse, allTopics: boolean): void {
    this.brokers.clear();
    for (const b of response.brokers) {
      this.brokers.set(b.nodeId, { nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack ?? null });
    }
    this.controllerId = response.controllerId ?? -1;
    this.clusterId = response.clusterId ?? null;
    if (allTopics) {
      this.topics.clear();
      this.topicNamesById.clear();
    }
    for (const t of response.topics) {
      if (t.name === null) continue;
      const topicId = t.topicId && t.topicId !== ZERO_UUID ? t.topicId : undefined;
      const partitions = t.partitions
        .map((p) => ({
          partitionId: p.partitionIndex,
          leader: p.leaderId,
          leaderEpoch: p.leaderEpoch ?? -1,
          replicas: p.replicaNodes,
          isr: p.isrNodes,
          offlineReplicas: p.offlineReplicas ?? [],
          errorCode: p.errorCode,
        }))
        .sort((a, b) => a.partitionId - b.partitionId);
      this.topics.set(t.name, {
        name: t.name,
        topicId,
        isInternal: t.isInternal ?? false,
        errorCode: t.errorCode,
        partitions,
      });
      if (topicId) this.topicNamesById.set(topicId, t.name);
    }
    this.updatedAt = Date.now();
  }
}
