/**
 * The admin client's public argument and result types, shaped as KafkaJS shapes them (same
 * property names, offsets as decimal strings) so that a KafkaJS program type-checks unchanged.
 * Additions beyond KafkaJS are optional properties or separate methods.
 */
import type { RetryOptions } from '../network/retry.js';
import type {
  AclOperationType,
  AclPermissionType,
  AclResourceType,
  AlterConfigOpType,
  ConfigResourceType,
  ElectionType,
  ResourcePatternType,
} from './enums.js';

/** KafkaJS's retry options: the one {@link RetryOptions} type, under the admin's name. */
export type AdminRetryOptions = RetryOptions;

export interface AdminConfig {
  retry?: AdminRetryOptions;
}

// ---------------------------------------------------------------------------------------------
// Topics

export interface ConfigEntry {
  name: string;
  value: string | null;
}

/** Manual replica placement of one partition of a new topic (`ITopicConfig.replicaAssignment`). */
export interface ReplicaAssignment {
  /** Partition index, from 0. */
  partition: number;
  /** Broker ids holding the replicas; the first is the preferred leader. */
  replicas: number[];
}

export interface ITopicConfig {
  topic: string;
  /** -1 (or absent) lets the broker use `num.partitions`. */
  numPartitions?: number;
  /** -1 (or absent) lets the broker use `default.replication.factor`. */
  replicationFactor?: number;
  replicaAssignment?: ReplicaAssignment[];
  configEntries?: ConfigEntry[];
}

export interface CreateTopicsOptions {
  validateOnly?: boolean;
  /** Wait until every new partition has a leader (default true). */
  waitForLeaders?: boolean;
  /** Milliseconds the broker may take (default 5000). */
  timeout?: number;
  topics: ITopicConfig[];
}

export interface DeleteTopicsOptions {
  topics: string[];
  timeout?: number;
}

export interface ITopicPartitionConfig {
  topic: string;
  /** The total number of partitions after the call. */
  count: number;
  /** Replica broker ids of each new partition. */
  assignments?: number[][];
}

export interface CreatePartitionsOptions {
  validateOnly?: boolean;
  timeout?: number;
  topicPartitions: ITopicPartitionConfig[];
}

/** One partition of a topic as `fetchTopicMetadata` reports it (KafkaJS's shape). */
export interface PartitionMetadata {
  /** Kafka error code of the partition in the Metadata response (0 when healthy, e.g. 5 LEADER_NOT_AVAILABLE). */
  partitionErrorCode: number;
  /** Partition index, from 0. */
  partitionId: number;
  /** Broker id of the current leader; -1 when the partition has none. */
  leader: number;
  /** Broker ids of every replica, preferred leader first. */
  replicas: number[];
  /** Broker ids of the in-sync replicas. */
  isr: number[];
  /** Optional as in KafkaJS's type; kafkats always fills it. */
  offlineReplicas?: number[];
  /** Not in KafkaJS. */
  leaderEpoch?: number;
}

export interface ITopicMetadata {
  name: string;
  partitions: PartitionMetadata[];
  /** Not in KafkaJS: the topic id in Kafka's textual form. */
  topicId?: string;
  /** Not in KafkaJS. */
  isInternal?: boolean;
}

export interface FetchTopicMetadataOptions {
  topics?: string[];
}

// ---------------------------------------------------------------------------------------------
// Offsets

/** A partition and an offset, the unit of `setOffsets` and `deleteTopicRecords`. */
export interface SeekEntry {
  /** Partition index, from 0. */
  partition: number;
  /**
   * Offset as a decimal string; in `setOffsets`, `'-1'` means the latest and `'-2'` the earliest
   * offset of the partition.
   */
  offset: string;
}

/** A partition's offsets as `fetchTopicOffsets` reports them. */
export interface PartitionOffsets extends SeekEntry {
  /** The high watermark: offset of the next record to be written (decimal string). */
  high: string;
  /** The log start offset: earliest offset still readable (decimal string). */
  low: string;
}

export interface FetchOffsetsOptions {
  groupId: string;
  /** Topics to fetch; all topics the group committed to when absent. */
  topics?: string[];
  /** Replace the special offsets -1/-2 by the partition's latest/earliest offset. */
  resolveOffsets?: boolean;
  /** Not in KafkaJS: only return offsets of completed transactions (KIP-447). */
  requireStable?: boolean;
}

/** A consumer group's committed offset on one partition, as `fetchOffsets` reports it. */
export interface PartitionCommittedOffset {
  /** Partition index, from 0. */
  partition: number;
  /**
   * Committed offset (decimal string): the next record the group will read; `'-1'` when the group
   * has no commit on the partition (unless `resolveOffsets` replaced it).
   */
  offset: string;
  /** The metadata string committed with the offset, or null. */
  metadata: string | null;
  /** Not in KafkaJS. */
  leaderEpoch?: number;
}

/** A consumer group's committed offsets on one topic. */
export interface TopicCommittedOffsets {
  /** Topic name. */
  topic: string;
  /** One entry per partition, sorted by partition. */
  partitions: PartitionCommittedOffset[];
}

export interface GroupOffsetsQuery {
  groupId: string;
  topics?: string[];
}

/** Argument of `admin.setOffsets`: the group must have no running members. */
export interface SetOffsetsOptions {
  /** Consumer group whose offsets are committed. */
  groupId: string;
  /** Topic the offsets belong to. */
  topic: string;
  /** Offsets to commit; `'-1'`/`'-2'` are resolved to the latest/earliest offset first. */
  partitions: SeekEntry[];
}

/** Argument of `admin.resetOffsets`: the group must have no running members. */
export interface ResetOffsetsOptions {
  /** Consumer group whose offsets are reset. */
  groupId: string;
  /** Topic whose every partition is reset. */
  topic: string;
  /** Reset to the earliest offset instead of the latest (default false: latest). */
  earliest?: boolean;
}

export interface DeleteTopicRecordsOptions {
  topic: string;
  /** `offset: '-1'` deletes up to the high watermark. */
  partitions: SeekEntry[];
}

// ---------------------------------------------------------------------------------------------
// Cluster

export interface BrokerDescription {
  nodeId: number;
  host: string;
  port: number;
  /** Not in KafkaJS. */
  rack?: string | null;
}

export interface ClusterDescription {
  brokers: BrokerDescription[];
  controller: number | null;
  clusterId: string;
}

// ---------------------------------------------------------------------------------------------
// Configs

/** One resource to describe in `admin.describeConfigs`. */
export interface ResourceConfigQuery {
  /** Kind of resource, from {@link ConfigResourceTypes} (topic, broker, broker logger, client metrics, group). */
  type: ConfigResourceType;
  /** Resource name: the topic or group name, or the broker id as a string. */
  name: string;
  /** Config keys to return; every key when absent. */
  configNames?: string[];
}

export interface DescribeConfigsOptions {
  resources: ResourceConfigQuery[];
  includeSynonyms?: boolean;
}

export interface ConfigSynonym {
  configName: string;
  configValue: string | null;
  configSource: number;
}

export interface DescribedConfigEntry {
  configName: string;
  configValue: string | null;
  readOnly: boolean;
  isDefault: boolean;
  configSource: number;
  isSensitive: boolean;
  configSynonyms: ConfigSynonym[];
  /** Not in KafkaJS (DescribeConfigs v3+). */
  configType?: number;
}

export interface DescribedConfigResource {
  errorCode: number;
  errorMessage: string | null;
  resourceType: number;
  resourceName: string;
  configEntries: DescribedConfigEntry[];
}

export interface DescribeConfigResponse {
  resources: DescribedConfigResource[];
  throttleTime: number;
}

export interface IResourceConfig {
  type: ConfigResourceType;
  name: string;
  configEntries: ConfigEntry[];
}

export interface AlterConfigsOptions {
  validateOnly?: boolean;
  resources: IResourceConfig[];
}

export interface AlterConfigsResourceResult {
  errorCode: number;
  errorMessage: string | null;
  resourceType: number;
  resourceName: string;
}

export interface AlterConfigsResponse {
  resources: AlterConfigsResourceResult[];
  throttleTime: number;
}

export interface IncrementalConfigEntry {
  name: string;
  value?: string | null;
  /** Default SET. */
  operation?: AlterConfigOpType;
}

export interface IncrementalAlterConfigsOptions {
  validateOnly?: boolean;
  resources: Array<{ type: ConfigResourceType; name: string; configEntries: IncrementalConfigEntry[] }>;
}

// ---------------------------------------------------------------------------------------------
// Groups

export interface GroupOverview {
  groupId: string;
  protocolType: string;
  /** Not in KafkaJS (ListGroups v4+). */
  groupState?: string;
  /** Not in KafkaJS (ListGroups v5+): `classic` or `consumer`. */
  groupType?: string;
}

/** Filters of `admin.listGroups` (not in KafkaJS); no filter lists every group. */
export interface ListGroupsOptions {
  /** Only groups in these states, e.g. `['Stable', 'Empty']` (ListGroups v4+); all states when absent or empty. */
  states?: string[];
  /** Only groups of these types, e.g. `['consumer', 'classic', 'share']` (ListGroups v5+); all types when absent or empty. */
  types?: string[];
}

/** One member of a group as `admin.describeGroups` reports it. */
export interface MemberDescription {
  /** Member id the coordinator assigned. */
  memberId: string;
  /** The member's `clientId` setting. */
  clientId: string;
  /** Host the member connected from, as the broker saw it (e.g. `/10.0.0.7`). */
  clientHost: string;
  /** Raw protocol metadata the member sent when joining; decode it with `AssignerProtocol.MemberMetadata.decode`. */
  memberMetadata: Buffer;
  /** Raw assignment of the member; decode it with `AssignerProtocol.MemberAssignment.decode`. */
  memberAssignment: Buffer;
  /** Not in KafkaJS. */
  groupInstanceId?: string | null;
}

export interface GroupDescription {
  groupId: string;
  members: MemberDescription[];
  protocol: string;
  protocolType: string;
  state: string;
  errorCode: number;
}

export interface GroupDescriptions {
  groups: GroupDescription[];
}

export interface DeleteGroupsResult {
  groupId: string;
  errorCode: number;
  /** Not in KafkaJS: the typed error of a group that was not deleted. */
  error?: Error;
}

// ---------------------------------------------------------------------------------------------
// ACLs

export interface AclEntry {
  resourceType: AclResourceType;
  resourceName: string;
  resourcePatternType: ResourcePatternType;
  principal: string;
  host: string;
  operation: AclOperationType;
  permissionType: AclPermissionType;
}

export interface CreateAclsOptions {
  acl: AclEntry[];
}

export interface AclFilter {
  resourceType: AclResourceType;
  resourceName?: string | null;
  resourcePatternType: ResourcePatternType;
  principal?: string | null;
  host?: string | null;
  operation: AclOperationType;
  permissionType: AclPermissionType;
}

export interface AclDescription {
  principal: string;
  host: string;
  operation: AclOperationType;
  permissionType: AclPermissionType;
}

export interface AclResource {
  resourceType: AclResourceType;
  resourceName: string;
  resourcePatternType: ResourcePatternType;
  acls: AclDescription[];
}

export interface DescribeAclResponse {
  throttleTime: number;
  errorCode: number;
  errorMessage: string | null;
  resources: AclResource[];
}

export interface DeleteAclsOptions {
  filters: AclFilter[];
}

export interface DeleteAclMatchingAcl extends AclEntry {
  errorCode: number;
  errorMessage: string | null;
}

export interface DeleteAclFilterResponse {
  errorCode: number;
  errorMessage: string | null;
  matchingAcls: DeleteAclMatchingAcl[];
}

export interface DeleteAclResponse {
  throttleTime: number;
  filterResponses: DeleteAclFilterResponse[];
}

// ---------------------------------------------------------------------------------------------
// Reassignments and elections

/** Target replicas of one partition in `admin.alterPartitionReassignments`. */
export interface PartitionReassignment {
  /** Partition index, from 0. */
  partition: number;
  /** The target replicas; null or empty cancels an ongoing reassignment (not in KafkaJS). */
  replicas: number[] | null;
}

export interface AlterPartitionReassignmentsOptions {
  topics: Array<{ topic: string; partitionAssignment: PartitionReassignment[] }>;
  timeout?: number;
}

/** Argument of `admin.listPartitionReassignments`. */
export interface ListPartitionReassignmentsOptions {
  /** Partitions to ask about; every ongoing reassignment when absent. */
  topics?: Array<{
    /** Topic name. */
    topic: string;
    /** Partition indexes of the topic. */
    partitions: number[];
  }>;
  /** Milliseconds the controller may take (default 5000). */
  timeout?: number;
}

/** A reassignment in progress on one partition. */
export interface OngoingPartitionReassignment {
  /** Partition index, from 0. */
  partition: number;
  /** Current replica set, including the replicas being added and removed. */
  replicas: number[];
  /** Broker ids being added to the replica set. */
  addingReplicas: number[];
  /** Broker ids being removed from the replica set. */
  removingReplicas: number[];
}

/** Result of `admin.listPartitionReassignments`: only partitions with a reassignment in progress. */
export interface ListPartitionReassignmentsResponse {
  /** Topics with ongoing reassignments. */
  topics: Array<{
    /** Topic name. */
    topic: string;
    /** Its partitions being reassigned, sorted by partition. */
    partitions: OngoingPartitionReassignment[];
  }>;
}

export interface ElectLeadersOptions {
  electionType?: ElectionType;
  /** All partitions when absent. */
  topicPartitions?: Array<{ topic: string; partitions: number[] }>;
  timeout?: number;
}

export interface ElectLeadersResult {
  topic: string;
  partition: number;
  errorCode: number;
  errorMessage: string | null;
  error?: Error;
}
