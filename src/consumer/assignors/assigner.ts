import {
  ASSIGNMENT_MAX_VERSION,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
  type TopicPartitions,
} from '../../group/consumer-protocol.js';
import type { Logger } from '../../logger.js';
import { decodeStickyUserData, encodeStickyUserData } from './sticky.js';
import type { AssignmentAlgorithm, MemberSubscriptionInfo, RebalanceProtocol } from './types.js';

/** KafkaJS's `GroupMember`: one member as JoinGroup's leader sees it. */
export interface GroupMember {
  /** Member id the coordinator assigned. */
  memberId: string;
  /**
   * The member's subscription, encoded with `AssignerProtocol.MemberMetadata` (ConsumerProtocol
   * subscription).
   */
  memberMetadata: Buffer;
  /** kafkats: the member's group.instance.id (static membership), when it has one. */
  groupInstanceId?: string | null;
}

/** KafkaJS's `GroupMemberAssignment`. */
export interface GroupMemberAssignment {
  /** Member id the assignment is for. */
  memberId: string;
  /**
   * The member's assignment, encoded with `AssignerProtocol.MemberAssignment` (ConsumerProtocol
   * assignment).
   */
  memberAssignment: Buffer;
}

/** KafkaJS's `GroupState`: one protocol offered in JoinGroup. */
export interface GroupState {
  /** Assignor name, as the group matches protocols by it (e.g. `RoundRobinAssigner`). */
  name: string;
  /** The member's subscription metadata for this protocol. */
  metadata: Buffer;
}

/** What the consumer tells an assigner when it builds its JoinGroup metadata. */
export interface ProtocolInput {
  /** Topics the member subscribes to. */
  topics: string[];
  /** kafkats: partitions this member owns now (cooperative) or owned last generation (eager). */
  ownedPartitions?: TopicPartitions[];
  /** kafkats: the generation ownedPartitions belong to. */
  generationId?: number;
  /** kafkats: the member's rack (client.rack), for rack-aware assignors. */
  rackId?: string | null;
}

/** KafkaJS's `Assigner`, with optional kafkats extensions. */
export interface Assigner {
  /** Name the group agrees on; members must share one assigner name. */
  name: string;
  /** Version of the assigner's metadata format. */
  version: number;
  /** Called on the group leader: returns an encoded assignment for every member. */
  assign(group: {
    members: GroupMember[];
    topics: string[];
    userData?: Buffer;
  }): Promise<GroupMemberAssignment[]>;
  /** Builds this member's protocol entry (name and subscription metadata) for JoinGroup. */
  protocol(subscription: ProtocolInput): GroupState;
  /** kafkats: the rebalance protocols this assigner supports; `['eager']` when absent. */
  supportedProtocols?: RebalanceProtocol[];
}

/** The slice of the cluster a KafkaJS assigner is given (KafkaJS's `cluster.findTopicPartitionMetadata`). */
export interface AssignerCluster {
  /** The partitions of a topic as the consumer's metadata knows them. */
  findTopicPartitionMetadata(topic: string): Array<{
    /** Partition index. */
    partitionId: number;
    /** Node id of the partition's leader. */
    leader: number;
    /** Node ids of the partition's replicas. */
    replicas: number[];
  }>;
  /** kafkats: racks of a partition's replicas, when the metadata carries them. */
  partitionRacks?(topic: string, partition: number): readonly string[];
}

/** KafkaJS's `PartitionAssigner`: a factory called once per consumer. */
export type PartitionAssigner = (config: {
  cluster: AssignerCluster;
  groupId: string;
  logger: Logger;
}) => Assigner;

interface BuiltinOptions {
  name: string;
  algorithm: AssignmentAlgorithm;
  protocols: RebalanceProtocol[];
  /** The sticky assignor also carries ownership in Java StickyAssignor's userData. */
  stickyUserData?: boolean;
}

/** Wraps a pure algorithm as a KafkaJS-shaped assigner speaking the Java consumer protocol. */
export function builtinAssigner(options: BuiltinOptions): PartitionAssigner {
  return ({ cluster }) => ({
    name: options.name,
    version: 0,
    supportedProtocols: options.protocols,
    protocol({ topics, ownedPartitions = [], generationId = -1, rackId = null }) {
      const userData = options.stickyUserData ? encodeStickyUserData(ownedPartitions, generationId) : null;
      return {
        name: options.name,
        metadata: encodeSubscription({ version: 3, topics, userData, ownedPartitions, generationId, rackId }),
      };
    },
    async assign({ members, topics }) {
      const infos: MemberSubscriptionInfo[] = [];
      let version = ASSIGNMENT_MAX_VERSION;
      for (const m of members) {
        const s = decodeSubscription(m.memberMetadata);
        version = Math.min(version, s.version);
        let owned = s.ownedPartitions;
        let generationId = s.generationId;
        if (options.stickyUserData && s.userData !== null && s.userData.length > 0) {
          const data = decodeStickyUserData(s.userData);
          if (data !== null && (owned.length === 0 || data.generationId > generationId)) {
            owned = data.previous;
            generationId = data.generationId;
          }
        }
        infos.push({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId ?? null,
          topics: s.topics,
          ownedPartitions: owned,
          generationId,
          rackId: s.rackId,
        });
      }
      const all = new Set<string>(topics);
      for (const i of infos) for (const t of i.topics) all.add(t);
      const partitionsPerTopic = new Map<string, number>();
      for (const t of all) partitionsPerTopic.set(t, cluster.findTopicPartitionMetadata(t).length);
      const partitionRacks = cluster.partitionRacks?.bind(cluster);
      const result = options.algorithm({ members: infos, partitionsPerTopic, partitionRacks });
      return members.map((m) => ({
        memberId: m.memberId,
        memberAssignment: encodeAssignment({ version, assignedPartitions: result.get(m.memberId) ?? [] }),
      }));
    },
  });
}
