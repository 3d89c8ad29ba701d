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

/** Options of `kafka.admin()`, as in KafkaJS. */
export interface AdminConfig {
  /** Retry policy of admin requests; the client-wide `retry` of the Kafka config when absent. */
  retry?: AdminRetryOptions;
}

// ---------------------------------------------------------------------------------------------
// Topics

/** One topic or resource config as a name/value pair, as given to createTopics and alterConfigs. */
export interface ConfigEntry {
  /** Config name, e.g. `cleanup.policy`. */
  name: string;
  /** Config value as text; null resets it to the broker default (where the API allows it). */
  value: string | null;
}

/** Manual replica placement of one partition of a new topic (`ITopicConfig.replicaAssignment`). */
export interface ReplicaAssignment {
  /** Partition index, from 0. */
  partition: number;
  /** Broker ids holding the replicas; the first is the preferred leader. */
  replicas: number[];
}

/** One topic to create with `admin.createTopics()`. */
export interface ITopicConfig {
  /** Name of the topic to create. */
  topic: string;
  /** -1 (or absent) lets the broker use `num.partitions`. */
  numPartitions?: number;
  /** -1 (or absent) lets the broker use `default.replication.factor`. */
  replicationFactor?: number;
  /** Explicit replica placement per partition; replaces numPartitions and replicationFactor when set. */
  replicaAssignment?: ReplicaAssignment[];
  /** Topic-level configs to set at creation (e.g. `retention.ms`). */
  configEntries?: ConfigEntry[];
}

/** Arguments of `admin.createTopics()`. */
export interface CreateTopicsOptions {
  /** Only validate the request on the broker, create nothing (default false). */
  validateOnly?: boolean;
  /** Wait until every new partition has a leader (default true). */
  waitForLeaders?: boolean;
  /** Milliseconds the broker may take (default 5000). */
  timeout?: number;
  /** The topics to create. */
  topics: ITopicConfig[];
}

/** Arguments of `admin.deleteTopics()`. */
export interface DeleteTopicsOptions {
  /** Names of the topics to delete. */
  topics: string[];
  /** Milliseconds the broker may take (default 5000). */
  timeout?: number;
}

/** One topic whose partition count `admin.createPartitions()` raises. */
export interface ITopicPartitionConfig {
  /** Name of an existing topic. */
  topic: string;
  /** The total number of partitions after the call. */
  count: number;
  /** Replica broker ids of each new partition. */
  assignments?: number[][];
}

/** Arguments of `admin.createPartitions()`. */
export interface CreatePartitionsOptions {
  /** Only validate the request on the broker, change nothing (default false). */
  validateOnly?: boolean;
  /** Milliseconds the broker may take (default 5000). */
  timeout?: number;
  /** The topics to grow, with their new partition counts. */
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

/** One topic as returned by `admin.fetchTopicMetadata()`. */
export interface ITopicMetadata {
  /** Topic name. */
  name: string;
  /** Metadata of each partition of the topic. */
  partitions: PartitionMetadata[];
  /** Not in KafkaJS: the topic id in Kafka's textual form. */
  topicId?: string;
  /** Not in KafkaJS. */
  isInternal?: boolean;
}

/** Arguments of `admin.fetchTopicMetadata()`. */
export interface FetchTopicMetadataOptions {
  /** Topics to describe; every topic of the cluster when absent. */
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

/** Arguments of `admin.fetchOffsets()`. */
export interface FetchOffsetsOptions {
  /** The consumer group whose committed offsets are fetched. */
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

/** One group of `admin.fetchOffsetsForGroups()`-style queries: a group and the topics to read. */
export interface GroupOffsetsQuery {
  /** The consumer group id. */
  groupId: string;
  /** Topics to read; every topic the group committed to when absent. */
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

/** Arguments of `admin.deleteTopicRecords()`. */
export interface DeleteTopicRecordsOptions {
  /** Topic whose records are deleted. */
  topic: string;
  /** `offset: '-1'` deletes up to the high watermark. */
  partitions: SeekEntry[];
}

// ---------------------------------------------------------------------------------------------
// Cluster

/** One broker of the cluster, as returned by `admin.describeCluster()`. */
export interface BrokerDescription {
  /** Broker id (`node.id` / `broker.id`). */
  nodeId: number;
  /** Host name the broker advertises. */
  host: string;
  /** Port the broker advertises. */
  port: number;
  /** Not in KafkaJS. */
  rack?: string | null;
}

/** Result of `admin.describeCluster()`. */
export interface ClusterDescription {
  /** The live brokers the cluster reports. */
  brokers: BrokerDescription[];
  /** Node id of the active controller; null when the cluster reports none. */
  controller: number | null;
  /** The cluster id. */
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

/** Arguments of `admin.describeConfigs()`. */
export interface DescribeConfigsOptions {
  /** The resources (topics, brokers, ...) whose configs are described. */
  resources: ResourceConfigQuery[];
  /**
   * Also return the synonyms of each config, i.e. the values it inherits from, by precedence (default
   * false).
   */
  includeSynonyms?: boolean;
}

/** A value that a config takes from another source, listed by describeConfigs with `includeSynonyms`. */
export interface ConfigSynonym {
  /** Name of the config at that source (e.g. `log.retention.ms` for `retention.ms`). */
  configName: string;
  /** Value at that source; null when sensitive. */
  configValue: string | null;
  /** Source of the value: one of {@link ConfigSource}. */
  configSource: number;
}

/** One config of a described resource. */
export interface DescribedConfigEntry {
  /** Config name. */
  configName: string;
  /** Current value; null when the config is sensitive or unset. */
  configValue: string | null;
  /** The config cannot be altered dynamically. */
  readOnly: boolean;
  /** The value is the default (no override at any level). */
  isDefault: boolean;
  /** Where the value comes from: one of {@link ConfigSource}. */
  configSource: number;
  /** The value is hidden because the config is sensitive (passwords, keys). */
  isSensitive: boolean;
  /** Values of this config at other sources, when `includeSynonyms` was set; empty otherwise. */
  configSynonyms: ConfigSynonym[];
  /** Not in KafkaJS (DescribeConfigs v3+). */
  configType?: number;
}

/** One resource of `admin.describeConfigs()`'s response. */
export interface DescribedConfigResource {
  /** Kafka error code of this resource; 0 when it was described. */
  errorCode: number;
  /** Broker message that comes with a non-zero errorCode. */
  errorMessage: string | null;
  /** Resource type: one of {@link ConfigResourceTypes}. */
  resourceType: number;
  /** Resource name (topic name, broker id as text, ...). */
  resourceName: string;
  /** The configs of the resource. */
  configEntries: DescribedConfigEntry[];
}

/** Result of `admin.describeConfigs()`. */
export interface DescribeConfigResponse {
  /** One entry per requested resource. */
  resources: DescribedConfigResource[];
  /** Milliseconds the broker throttled the request for quota reasons. */
  throttleTime: number;
}

/** One resource whose configs `admin.alterConfigs()` replaces. */
export interface IResourceConfig {
  /** Resource type: one of {@link ConfigResourceTypes}. */
  type: ConfigResourceType;
  /** Resource name (topic name, broker id as text, ...). */
  name: string;
  /** The complete new config set: configs not listed go back to their defaults. */
  configEntries: ConfigEntry[];
}

/** Arguments of `admin.alterConfigs()` (KafkaJS's non-incremental AlterConfigs). */
export interface AlterConfigsOptions {
  /** Only validate the request on the broker, change nothing (default false). */
  validateOnly?: boolean;
  /** The resources to alter. */
  resources: IResourceConfig[];
}

/** Outcome of alterConfigs for one resource. */
export interface AlterConfigsResourceResult {
  /** Kafka error code; 0 when the resource was altered. */
  errorCode: number;
  /** Broker message that comes with a non-zero errorCode. */
  errorMessage: string | null;
  /** Resource type: one of {@link ConfigResourceTypes}. */
  resourceType: number;
  /** Resource name. */
  resourceName: string;
}

/** Result of `admin.alterConfigs()`. */
export interface AlterConfigsResponse {
  /** One entry per resource of the request. */
  resources: AlterConfigsResourceResult[];
  /** Milliseconds the broker throttled the request for quota reasons. */
  throttleTime: number;
}

/** One change of `admin.incrementalAlterConfigs()`. */
export interface IncrementalConfigEntry {
  /** Config name. */
  name: string;
  /** New value for SET, APPEND and SUBTRACT; ignored by DELETE. */
  value?: string | null;
  /** Default SET. */
  operation?: AlterConfigOpType;
}

/** Arguments of `admin.incrementalAlterConfigs()`: change single configs, keep the others. */
export interface IncrementalAlterConfigsOptions {
  /** Only validate the request on the broker, change nothing (default false). */
  validateOnly?: boolean;
  /** The resources to change: type (one of {@link ConfigResourceTypes}), name, and the changes. */
  resources: Array<{
    /** Resource type: one of {@link ConfigResourceTypes}. */
    type: ConfigResourceType;
    /** Resource name (topic name, broker id as text, ...). */
    name: string;
    /** The changes to make; configs not listed keep their values. */
    configEntries: IncrementalConfigEntry[];
  }>;
}

// ---------------------------------------------------------------------------------------------
// Groups

/** One group as listed by `admin.listGroups()`. */
export interface GroupOverview {
  /** The group id. */
  groupId: string;
  /** Protocol type, `consumer` for consumer groups (empty for groups that only commit offsets). */
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

/** One group as described by `admin.describeGroups()` (exported as `AdminGroupDescription`). */
export interface GroupDescription {
  /** The group id. */
  groupId: string;
  /** The group's members with their metadata and assignments. */
  members: MemberDescription[];
  /** Assignment strategy chosen by the group (e.g. `RoundRobinAssigner`); empty when not stable. */
  protocol: string;
  /** Protocol type, `consumer` for consumer groups. */
  protocolType: string;
  /** Group state as the broker names it: `Stable`, `Empty`, `PreparingRebalance`, `Dead`, ... */
  state: string;
  /** Kafka error code of this group; 0 when it was described. */
  errorCode: number;
}

/** Result of `admin.describeGroups()`. */
export interface GroupDescriptions {
  /** One entry per requested group. */
  groups: GroupDescription[];
}

/** Outcome of `admin.deleteGroups()` for one group. */
export interface DeleteGroupsResult {
  /** The group id. */
  groupId: string;
  /** Kafka error code; 0 when the group was deleted. */
  errorCode: number;
  /** Not in KafkaJS: the typed error of a group that was not deleted. */
  error?: Error;
}

// ---------------------------------------------------------------------------------------------
// ACLs

/** One ACL binding: who may do what on which resource, as created by `admin.createAcls()`. */
export interface AclEntry {
  /** Type of the resource: one of {@link AclResourceTypes}. */
  resourceType: AclResourceType;
  /** Name of the resource (topic name, group id, ...), or the prefix when the pattern is PREFIXED. */
  resourceName: string;
  /** How resourceName matches: LITERAL or PREFIXED (one of {@link ResourcePatternTypes}). */
  resourcePatternType: ResourcePatternType;
  /** Principal the ACL applies to, e.g. `User:alice` (`User:*` for any). */
  principal: string;
  /** Host the ACL applies to (`*` for any). */
  host: string;
  /** Operation allowed or denied: one of {@link AclOperationTypes}. */
  operation: AclOperationType;
  /** Whether the ACL allows or denies: one of {@link AclPermissionTypes}. */
  permissionType: AclPermissionType;
}

/** Arguments of `admin.createAcls()`. */
export interface CreateAclsOptions {
  /** The ACL bindings to create. */
  acl: AclEntry[];
}

/** A filter that selects ACL bindings, for describeAcls and deleteAcls. */
export interface AclFilter {
  /** Resource type to match: one of {@link AclResourceTypes} (ANY matches all). */
  resourceType: AclResourceType;
  /** Resource name to match; null or absent matches any name. */
  resourceName?: string | null;
  /** Pattern type to match: one of {@link ResourcePatternTypes} (ANY or MATCH widen the match). */
  resourcePatternType: ResourcePatternType;
  /** Principal to match, e.g. `User:alice`; null or absent matches any. */
  principal?: string | null;
  /** Host to match; null or absent matches any. */
  host?: string | null;
  /** Operation to match: one of {@link AclOperationTypes} (ANY matches all). */
  operation: AclOperationType;
  /** Permission to match: one of {@link AclPermissionTypes} (ANY matches all). */
  permissionType: AclPermissionType;
}

/** One ACL of a described resource: who may do what from where. */
export interface AclDescription {
  /** Principal, e.g. `User:alice`. */
  principal: string;
  /** Host the ACL applies to (`*` for any). */
  host: string;
  /** Operation: one of {@link AclOperationTypes}. */
  operation: AclOperationType;
  /** Allow or deny: one of {@link AclPermissionTypes}. */
  permissionType: AclPermissionType;
}

/** A resource and the ACLs bound to it, as returned by `admin.describeAcls()`. */
export interface AclResource {
  /** Type of the resource: one of {@link AclResourceTypes}. */
  resourceType: AclResourceType;
  /** Name of the resource, or its prefix for PREFIXED patterns. */
  resourceName: string;
  /** LITERAL or PREFIXED: one of {@link ResourcePatternTypes}. */
  resourcePatternType: ResourcePatternType;
  /** The ACLs bound to this resource pattern. */
  acls: AclDescription[];
}

/** Result of `admin.describeAcls()`. */
export interface DescribeAclResponse {
  /** Milliseconds the broker throttled the request for quota reasons. */
  throttleTime: number;
  /** Kafka error code; 0 on success. */
  errorCode: number;
  /** Broker message that comes with a non-zero errorCode. */
  errorMessage: string | null;
  /** The matching resources with their ACLs. */
  resources: AclResource[];
}

/** Arguments of `admin.deleteAcls()`. */
export interface DeleteAclsOptions {
  /** Every ACL binding matched by one of these filters is deleted. */
  filters: AclFilter[];
}

/** One ACL binding deleted by a deleteAcls filter, with its own outcome. */
export interface DeleteAclMatchingAcl extends AclEntry {
  /** Kafka error code of this binding; 0 when it was deleted. */
  errorCode: number;
  /** Broker message that comes with a non-zero errorCode. */
  errorMessage: string | null;
}

/** Outcome of one filter of `admin.deleteAcls()`. */
export interface DeleteAclFilterResponse {
  /** Kafka error code of the filter; 0 on success. */
  errorCode: number;
  /** Broker message that comes with a non-zero errorCode. */
  errorMessage: string | null;
  /** The ACL bindings the filter matched and deleted. */
  matchingAcls: DeleteAclMatchingAcl[];
}

/** Result of `admin.deleteAcls()`. */
export interface DeleteAclResponse {
  /** Milliseconds the broker throttled the request for quota reasons. */
  throttleTime: number;
  /** One entry per filter, in request order. */
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

/** Arguments of `admin.alterPartitionReassignments()`. */
export interface AlterPartitionReassignmentsOptions {
  /** Per topic, the partitions to move and their target replicas. */
  topics: Array<{
    /** Topic name. */
    topic: string;
    /** The partitions to move, each with its target replicas. */
    partitionAssignment: PartitionReassignment[];
  }>;
  /** Milliseconds the broker may take (default 5000). */
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
  /** The same as `partition`, under KafkaJS's name for it. */
  partitionIndex: number;
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

/** Arguments of `admin.electLeaders()`. */
export interface ElectLeadersOptions {
  /** PREFERRED (default) or UNCLEAN: one of {@link ElectionTypes}. */
  electionType?: ElectionType;
  /** All partitions when absent. */
  topicPartitions?: Array<{
    /** Topic name. */
    topic: string;
    /** Partition indexes. */
    partitions: number[];
  }>;
  /** Milliseconds the broker may take (default 5000). */
  timeout?: number;
}

/** Outcome of a leader election for one partition. */
export interface ElectLeadersResult {
  /** Topic name. */
  topic: string;
  /** Partition index. */
  partition: number;
  /**
   * Kafka error code; 0 when a leader was elected (ELECTION_NOT_NEEDED when it already was the
   * preferred one).
   */
  errorCode: number;
  /** Broker message that comes with a non-zero errorCode. */
  errorMessage: string | null;
  /** The typed error of a failed election; absent on success. */
  error?: Error;
}
