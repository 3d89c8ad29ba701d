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

export interface ReplicaAssignment {
  partition: number;
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

export interface PartitionMetadata {
  partitionErrorCode: number;
  partitionId: number;
  leader: number;
  replicas: number[];
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

export interface SeekEntry {
  partition: number;
  offset: string;
}

export interface PartitionOffsets extends SeekEntry {
  high: string;
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

export interface PartitionCommittedOffset {
  partition: number;
  offset: string;
  metadata: string | null;
  /** Not in KafkaJS. */
  leaderEpoch?: number;
}

export interface TopicCommittedOffsets {
  topic: string;
  partitions: PartitionCommittedOffset[];
}

export interface GroupOffsetsQuery {
  groupId: string;
  topics?: string[];
}

export interface SetOffsetsOptions {
  groupId: string;
  topic: string;
  partitions: SeekEntry[];
}

export interface ResetOffsetsOptions {
  groupId: string;
  topic: string;
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

export interface ResourceConfigQuery {
  type: ConfigResourceType;
  name: string;
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

export interface ListGroupsOptions {
  states?: string[];
  types?: string[];
}

export interface MemberDescription {
  memberId: string;
  clientId: string;
  clientHost: string;
  memberMetadata: Buffer;
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

export interface PartitionReassignment {
  partition: number;
  /** The target replicas; null or empty cancels an ongoing reassignment (not in KafkaJS). */
  replicas: number[] | null;
}

export interface AlterPartitionReassignmentsOptions {
  topics: Array<{ topic: string; partitionAssignment: PartitionReassignment[] }>;
  timeout?: number;
}

export interface ListPartitionReassignmentsOptions {
  topics?: Array<{ topic: string; partitions: number[] }>;
  timeout?: number;
}

export interface OngoingPartitionReassignment {
  partition: number;
  /** The same as `partition`, under KafkaJS's name for it. */
  partitionIndex: number;
  replicas: number[];
  addingReplicas: number[];
  removingReplicas: number[];
}

export interface ListPartitionReassignmentsResponse {
  topics: Array<{ topic: string; partitions: OngoingPartitionReassignment[] }>;
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
