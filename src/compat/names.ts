/**
 * KafkaJS 2.2.4's public names that src/index.ts does not export from their own layers yet:
 * the codec registry, and the consumer's assigner protocol and built-in assigners. Everything
 * else KafkaJS exports (Kafka, logLevel, CompressionTypes, Partitioners, the admin enums, the
 * KafkaJS* errors) comes from its own module through src/index.ts.
 */

export {
  type Assigner,
  type AssignerCluster,
  AssignerProtocol,
  type GroupMember,
  type GroupMemberAssignment,
  type GroupState,
  type MemberAssignment,
  type MemberMetadata,
  type PartitionAssigner,
  PartitionAssigners,
} from '../consumer/index.js';
export {
  type CompressionCodec,
  type CompressionCodecFactory,
  type CompressionCodecRegistry,
  CompressionCodecs,
} from './compression-codecs.js';
export type * from './types.js';
