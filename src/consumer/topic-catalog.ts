import { Codes } from '../protocol/codes.js';
import type { MetadataResponse } from '../protocol/messages/index.js';

export interface PartitionRoute {
  leader: number;
  leaderEpoch: number;
  replicas: number[];
}

interface TopicEntry {
  topicId: string | undefined;
  partitions: Map<number, PartitionRoute>;
}

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

/**
 * The consumer's view of topic metadata: partition counts, leaders with their epochs, topic
 * ids (Fetch v13+ and KIP-848 name topics by id) and broker racks. Fed by Metadata responses
 * and by the leader hints in Fetch responses (KIP-951).
 */
export class TopicCatalog {
  private readonly topics = new Map<string, TopicEntry>();
  private readonly namesById = new Map<string, string>();
  private readonly racks = new Map<number, string>();

  update(res: MetadataResponse): void {
    for (const b of res.brokers) if (b.rack) this.racks.set(b.nodeId, b.rack);
    for (const t of res.topics) {
      if (t.name === null) continue;
      if (t.errorCode !== 0) {
        // Unknown topics disappear; other errors (leader not available) keep what we had.
        if (t.errorCode === Codes.UNKNOWN_TOPIC_OR_PARTITION || t.errorCode === Codes.UNKNOWN_TOPIC_ID)
          this.topics.delete(t.name);
        continue;
      }
      const partitions = new Map<number, PartitionRoute>();
      for (const p of t.partitions) {
        partitions.set(p.partitionIndex, {
          leader: p.leaderId,
          leaderEpoch: p.leaderEpoch ?? -1,
          replicas: p.replicaNodes,
        });
      }
      const topicId = t.topicId && t.topicId !== ZERO_UUID ? t.topicId : undefined;
      this.topics.set(t.name, { topicId, partitions });
      if (topicId) this.namesById.set(topicId, t.name);
    }
  }

  has(topic: string): boolean {
    return this.topics.has(topic);
  }

  topicNames(): string[] {
    return [...this.topics.keys()];
  }

  partitionCount(topic: string): number {
    return this.topics.get(topic)?.partitions.size ?? 0;
  }

  partitions(topic: string): number[] {
    return [...(this.topics.get(topic)?.partitions.keys() ?? [])].sort((a, b) => a - b);
  }

  route(topic: string, partition: number): PartitionRoute | undefined {
    return this.topics.get(topic)?.partitions.get(partition);
  }

  /** A newer leader learned from a Fetch response (KIP-951), applied only when its epoch is newer. */
  updateLeader(topic: string, partition: number, leader: number, leaderEpoch: number): void {
    const r = this.route(topic, partition);
    if (r && leader >= 0 && leaderEpoch > r.leaderEpoch) {
      r.leader = leader;
      r.leaderEpoch = leaderEpoch;
    }
  }

  topicId(topic: string): string | undefined {
    return this.topics.get(topic)?.topicId;
  }

  topicName(topicId: string): string | undefined {
    return this.namesById.get(topicId);
  }

  rackOf(nodeId: number): string | undefined {
    return this.racks.get(nodeId);
  }

  /** KafkaJS's `cluster.findTopicPartitionMetadata(topic)` shape, for custom assigners. */
  partitionMetadata(topic: string): Array<{ partitionId: number; leader: number; replicas: number[] }> {
    return this.partitions(topic).map((p) => {
      const r = this.route(topic, p)!;
      return { partitionId: p, leader: r.leader, replicas: r.replicas };
    });
  }
}
