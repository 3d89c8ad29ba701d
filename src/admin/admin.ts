/**
 * The admin client: KafkaJS's `kafka.admin()` surface plus the newer Kafka admin APIs. This class
 * only holds the lifecycle and instrumentation; each method delegates to its area module
 * (topics, offsets, configs, groups, acls, cluster-ops, scram, quotas, transactions).
 */
import {
  type ClientEventListener,
  ClientEvents,
  type RemoveInstrumentationEventListener,
} from '../instrumentation/emitter.js';
import {
  InstrumentationEmitter as Emitter,
  type InstrumentationEmitter,
  type InstrumentationEvent,
  type NetworkEvents,
} from '../instrumentation/events.js';
import type { Logger } from '../logger.js';
import type { Cluster } from '../network/cluster.js';
import type { RetryOptions } from '../network/retry.js';
import * as acls from './acls.js';
import { ClusterAdapter } from './cluster-adapter.js';
import * as clusterOps from './cluster-ops.js';
import * as configs from './configs.js';
import type { AdminCluster } from './context.js';
import * as groups from './groups.js';
import * as offsets from './offsets.js';
import * as quotas from './quotas.js';
import * as scram from './scram.js';
import * as share from './share-groups.js';
import * as topics from './topics.js';
import * as transactions from './transactions.js';
import type {
  AclFilter,
  AdminConfig,
  AlterConfigsOptions,
  AlterPartitionReassignmentsOptions,
  CreateAclsOptions,
  CreatePartitionsOptions,
  CreateTopicsOptions,
  DeleteAclsOptions,
  DeleteTopicRecordsOptions,
  DeleteTopicsOptions,
  DescribeConfigsOptions,
  ElectLeadersOptions,
  FetchOffsetsOptions,
  FetchTopicMetadataOptions,
  GroupOffsetsQuery,
  IncrementalAlterConfigsOptions,
  ListGroupsOptions,
  ListPartitionReassignmentsOptions,
  ResetOffsetsOptions,
  SetOffsetsOptions,
} from './types.js';

/** KafkaJS's `admin.events`. */
export const AdminEvents = Object.freeze({
  /** Emitted when the admin client connected. */
  CONNECT: 'admin.connect',
  /** Emitted when the admin client disconnected. */
  DISCONNECT: 'admin.disconnect',
  /** A request was answered by a broker. */
  REQUEST: 'admin.network.request',
  /** A request timed out. */
  REQUEST_TIMEOUT: 'admin.network.request_timeout',
  /** The number of requests waiting on a connection changed. */
  REQUEST_QUEUE_SIZE: 'admin.network.request_queue_size',
} as const);

export type AdminEventName = (typeof AdminEvents)[keyof typeof AdminEvents];
/** `AdminEvents` as a type too: KafkaJS declares it as one (`AdminEvents['CONNECT']`). */
export type AdminEvents = typeof AdminEvents;

/** Short aliases accepted by `on()` as well (`admin.request` → `admin.network.request`). */
const ALIASES: Readonly<Record<string, AdminEventName>> = {
  'admin.request': AdminEvents.REQUEST,
  'admin.request_timeout': AdminEvents.REQUEST_TIMEOUT,
  'admin.request_queue_size': AdminEvents.REQUEST_QUEUE_SIZE,
};

export interface AdminEventMap {
  /** No payload. */
  'admin.connect': null;
  /** No payload. */
  'admin.disconnect': null;
  /** Broker, API, sizes and durations of the answered request. */
  'admin.network.request': NetworkEvents['network.request'];
  /** Broker, API and timings of the request that timed out. */
  'admin.network.request_timeout': NetworkEvents['network.request_timeout'];
  /** Broker and number of requests waiting on the connection. */
  'admin.network.request_queue_size': NetworkEvents['network.request_queue_size'];
}

/** @internal What `createAdmin` is given by the `Kafka` instance. */
export interface AdminContext {
  /** This admin's own cluster view and connections (`kafka.cluster()`). */
  cluster: Cluster;
  /** The admin client's logger (KafkaJS's `admin.logger()`). */
  logger: Logger;
  /** The client-wide KafkaJS retry options; `admin({ retry })` overrides them. */
  retry?: RetryOptions;
  /** Network events to re-emit as `admin.network.*`. */
  instrumentation?: InstrumentationEmitter;
}

export class Admin {
  /** The admin client's event names, for `admin.on(admin.events.CONNECT, ...)`. */
  readonly events = AdminEvents;
  private readonly emitter = new ClientEvents<AdminEventMap>(
    'admin',
    Object.values(AdminEvents),
    new Emitter<AdminEventMap>(),
    { aliases: ALIASES },
  );
  private readonly unforward: Array<() => void> = [];
  private readonly log: Logger;
  private connecting: Promise<void> | undefined;

  /** @internal Use `kafka.admin()`. `cluster` may also be a test double of {@link AdminCluster}. */
  constructor(
    private readonly cluster: AdminCluster,
    logger: Logger,
    private readonly network?: InstrumentationEmitter,
  ) {
    this.log = logger;
  }

  /** The admin client's logger (namespace `Admin`), as KafkaJS's `admin.logger()`. */
  logger(): Logger {
    return this.log;
  }

  /**
   * Subscribes to an admin event (KafkaJS names, plus the short aliases `admin.request`,
   * `admin.request_timeout`, `admin.request_queue_size`). Returns the function that unsubscribes.
   */
  on<E extends keyof AdminEventMap>(
    eventName: E,
    listener: ClientEventListener<AdminEventMap, E>,
  ): RemoveInstrumentationEventListener<E>;
  on(
    eventName: string,
    listener: (event: InstrumentationEvent<unknown>) => void,
  ): RemoveInstrumentationEventListener<string>;
  on(
    eventName: string,
    listener: (event: InstrumentationEvent<never>) => void,
  ): RemoveInstrumentationEventListener<string> {
    return this.emitter.on(
      this.emitter.resolve(eventName),
      listener as ClientEventListener<AdminEventMap, AdminEventName>,
    );
  }

  /** Connects to the cluster and emits `admin.connect`; concurrent calls share one attempt. */
  async connect(): Promise<void> {
    if (this.cluster.isConnected()) return;
    this.connecting ??= (async () => {
      this.forwardNetworkEvents();
      await this.cluster.connect();
      this.emitter.emit(AdminEvents.CONNECT, null);
    })().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /** Closes the connections and emits `admin.disconnect`. */
  async disconnect(): Promise<void> {
    for (const off of this.unforward.splice(0)) off();
    await this.cluster.disconnect();
    this.emitter.emit(AdminEvents.DISCONNECT, null);
  }

  private forwardNetworkEvents(): void {
    if (!this.network || this.unforward.length > 0) return;
    this.unforward.push(
      this.emitter.forward(this.network, {
        'network.request': AdminEvents.REQUEST,
        'network.request_timeout': AdminEvents.REQUEST_TIMEOUT,
        'network.request_queue_size': AdminEvents.REQUEST_QUEUE_SIZE,
      }),
    );
  }

  // Topics ------------------------------------------------------------------------------------

  /** The names of every topic in the cluster. */
  listTopics() {
    return topics.listTopics(this.cluster);
  }
  /** Creates topics; resolves `true` when all were created, `false` when they already existed (KafkaJS's result). */
  createTopics(options: CreateTopicsOptions) {
    return topics.createTopics(this.cluster, options);
  }
  /** Deletes topics and waits for the deletion to reach the controller (`timeout`). */
  deleteTopics(options: DeleteTopicsOptions) {
    return topics.deleteTopics(this.cluster, options);
  }
  /** Adds partitions to existing topics (a topic can only grow). */
  createPartitions(options: CreatePartitionsOptions) {
    return topics.createPartitions(this.cluster, options);
  }
  /** Partitions, leaders, replicas and ISR of the given topics (all topics when none are given). */
  fetchTopicMetadata(options?: FetchTopicMetadataOptions) {
    return topics.fetchTopicMetadata(this.cluster, options);
  }
  /** DescribeTopicPartitions (KIP-966): partitions of many topics page by page, with eligible leader replicas. */
  describeTopicPartitions(options: { topics: string[]; partitionLimit?: number }) {
    return topics.describeTopicPartitions(this.cluster, options);
  }

  // Offsets -----------------------------------------------------------------------------------

  /** Each partition of a topic with its earliest (`low`), latest (`high`) and current end offset. */
  fetchTopicOffsets(topic: string) {
    return offsets.fetchTopicOffsets(this.cluster, topic);
  }
  /** The first offset of each partition at or after `timestamp` (the end when none is given). */
  fetchTopicOffsetsByTimestamp(topic: string, timestamp?: number) {
    return offsets.fetchTopicOffsetsByTimestamp(this.cluster, topic, timestamp);
  }
  /** A group's committed offsets, per topic and partition. */
  fetchOffsets(options: FetchOffsetsOptions) {
    return offsets.fetchOffsets(this.cluster, options);
  }
  /** Committed offsets of many groups in one round trip per coordinator; each group answers (or fails) on its own. */
  fetchOffsetsForGroups(options: {
    groups: GroupOffsetsQuery[];
    resolveOffsets?: boolean;
    requireStable?: boolean;
  }) {
    return offsets.fetchGroupOffsets(this.cluster, options.groups, options);
  }
  /** Commits the given offsets for a group that has no active member. */
  setOffsets(options: SetOffsetsOptions) {
    return offsets.setOffsets(this.cluster, options);
  }
  /** Moves an inactive group's offsets on a topic to its earliest or latest offsets. */
  resetOffsets(options: ResetOffsetsOptions) {
    return offsets.resetOffsets(this.cluster, options);
  }
  /** Deletes the records before the given offsets (DeleteRecords). */
  deleteTopicRecords(options: DeleteTopicRecordsOptions) {
    return offsets.deleteTopicRecords(this.cluster, options);
  }
  /** Removes a group's committed offsets for a topic (or some of its partitions). */
  deleteConsumerGroupOffsets(options: { groupId: string; topic: string; partitions?: number[] }) {
    return offsets.deleteConsumerGroupOffsets(this.cluster, options);
  }

  // Cluster -----------------------------------------------------------------------------------

  /** The brokers, the controller and the cluster id. */
  describeCluster() {
    return clusterOps.describeCluster(this.cluster);
  }
  /** The finalized and supported feature levels of the cluster (KIP-584). */
  describeFeatures() {
    return clusterOps.describeFeatures(this.cluster);
  }
  /** The log directories of brokers, with the size of each partition in them. */
  describeLogDirs(options?: { brokers?: number[]; topics?: Array<{ topic: string; partitions: number[] }> }) {
    return clusterOps.describeLogDirs(this.cluster, options);
  }
  /** Runs a preferred or unclean leader election for partitions. */
  electLeaders(options?: ElectLeadersOptions) {
    return clusterOps.electLeaders(this.cluster, options);
  }
  /** Starts (or cancels, with `replicas: null`) moving partitions to other replicas. */
  alterPartitionReassignments(options: AlterPartitionReassignmentsOptions) {
    return clusterOps.alterPartitionReassignments(this.cluster, options);
  }
  /** The partition reassignments in progress. */
  listPartitionReassignments(options?: ListPartitionReassignmentsOptions) {
    return clusterOps.listPartitionReassignments(this.cluster, options);
  }

  // Configs -----------------------------------------------------------------------------------

  /** The configuration of topics or brokers (KafkaJS shape), optionally with synonyms. */
  describeConfigs(options: DescribeConfigsOptions) {
    return configs.describeConfigs(this.cluster, options);
  }
  /** Replaces the whole configuration of resources (the entries not given return to their defaults). */
  alterConfigs(options: AlterConfigsOptions) {
    return configs.alterConfigs(this.cluster, options);
  }
  /** Sets, deletes, appends to or subtracts from single configuration entries (KIP-339). */
  incrementalAlterConfigs(options: IncrementalAlterConfigsOptions) {
    return configs.incrementalAlterConfigs(this.cluster, options);
  }

  // Groups ------------------------------------------------------------------------------------

  /** Share groups (KIP-932) of the cluster, from every broker. */
  listShareGroups() {
    return share.listShareGroups(this.cluster);
  }

  /** ShareGroupDescribe: members, assignments and state of each share group. */
  describeShareGroups(groupIds: string[]) {
    return share.describeShareGroups(this.cluster, groupIds);
  }

  /** Start offsets (and lag) of a share group per partition. */
  fetchShareGroupOffsets({
    groupId,
    topics,
  }: {
    groupId: string;
    topics?: Array<{ topic: string; partitions?: number[] }>;
  }) {
    return share.describeShareGroupOffsets(this.cluster, groupId, topics);
  }

  /** Moves a share group's start offsets; the group must have no members. */
  alterShareGroupOffsets({
    groupId,
    topics,
  }: {
    groupId: string;
    topics: Parameters<typeof share.alterShareGroupOffsets>[2];
  }) {
    return share.alterShareGroupOffsets(this.cluster, groupId, topics);
  }

  /** Forgets a share group's offsets for whole topics. */
  deleteShareGroupOffsets({ groupId, topics }: { groupId: string; topics: string[] }) {
    return share.deleteShareGroupOffsets(this.cluster, groupId, topics);
  }

  /** Sets share-group configs (e.g. `share.record.lock.duration.ms`) with IncrementalAlterConfigs. */
  alterShareGroupConfigs({
    groupId,
    configs,
    validateOnly,
  }: {
    groupId: string;
    configs: Record<string, string | number | null>;
    validateOnly?: boolean;
  }) {
    return share.alterShareGroupConfigs(this.cluster, groupId, configs, { validateOnly });
  }

  /** Sets the group's `share.auto.offset.reset` (`earliest`, `latest` or `by_duration:<ISO-8601>`). */
  setShareGroupAutoOffsetReset({ groupId, reset }: { groupId: string; reset: share.ShareAutoOffsetReset }) {
    return share.setShareGroupAutoOffsetReset(this.cluster, groupId, reset);
  }

  /** Every group of the cluster with its protocol type, optionally filtered by state and type. */
  listGroups(options?: ListGroupsOptions) {
    return groups.listGroups(this.cluster, options);
  }
  /** Members, state and assignment of classic and KIP-848 groups, in KafkaJS's classic shape. */
  describeGroups(groupIds: string[]) {
    return groups.describeGroups(this.cluster, groupIds);
  }
  /** Deletes empty groups; the result names each group with its error, if any. */
  deleteGroups(groupIds: string[]) {
    return groups.deleteGroups(this.cluster, groupIds);
  }
  /** Removes members from a group (static members by instance id), as Java's admin does. */
  removeMembersFromConsumerGroup(options: Parameters<typeof groups.removeMembersFromConsumerGroup>[1]) {
    return groups.removeMembersFromConsumerGroup(this.cluster, options);
  }
  /** KIP-848 description of consumer groups (ConsumerGroupDescribe): epochs, assignors, target assignments. */
  describeConsumerGroups(groupIds: string[]) {
    return groups.describeConsumerGroups(this.cluster, groupIds);
  }

  // ACLs --------------------------------------------------------------------------------------

  /** Creates ACL bindings. */
  createAcls(options: CreateAclsOptions) {
    return acls.createAcls(this.cluster, options);
  }
  /** The ACL bindings matching a filter. */
  describeAcls(filter: AclFilter) {
    return acls.describeAcls(this.cluster, filter);
  }
  /** Deletes the ACL bindings matching each filter and returns what each removed. */
  deleteAcls(options: DeleteAclsOptions) {
    return acls.deleteAcls(this.cluster, options);
  }

  // SCRAM, quotas, transactions ----------------------------------------------------------------

  /** The SCRAM mechanisms and iterations stored for users (all users when none are given). */
  describeUserScramCredentials(users?: string[]) {
    return scram.describeUserScramCredentials(this.cluster, users);
  }
  /** Creates, updates or deletes SCRAM credentials of users. */
  alterUserScramCredentials(options: Parameters<typeof scram.alterUserScramCredentials>[1]) {
    return scram.alterUserScramCredentials(this.cluster, options);
  }
  /** The client quotas matching the given entity filters. */
  describeClientQuotas(options: Parameters<typeof quotas.describeClientQuotas>[1]) {
    return quotas.describeClientQuotas(this.cluster, options);
  }
  /** Sets or removes client quotas. */
  alterClientQuotas(options: Parameters<typeof quotas.alterClientQuotas>[1]) {
    return quotas.alterClientQuotas(this.cluster, options);
  }
  /** The active producers writing to partitions (KIP-664), for finding hanging transactions. */
  describeProducers(options: Parameters<typeof transactions.describeProducers>[1]) {
    return transactions.describeProducers(this.cluster, options);
  }
  /** State, timeout and partitions of transactions by transactional id (KIP-664). */
  describeTransactions(transactionalIds: string[]) {
    return transactions.describeTransactions(this.cluster, transactionalIds);
  }
  /** The transactional ids known to the cluster, optionally filtered by state or producer id. */
  listTransactions(options?: Parameters<typeof transactions.listTransactions>[1]) {
    return transactions.listTransactions(this.cluster, options);
  }
  /** Fences the producers of transactional ids by bumping their epoch (KIP-664). */
  fenceProducers(transactionalIds: string[]) {
    return transactions.fenceProducers(this.cluster, transactionalIds);
  }
}

/** @internal Builds the admin client of a `Kafka` instance; use `kafka.admin()`. */
export function createAdmin(context: AdminContext, options: AdminConfig = {}): Admin {
  const logger = context.logger.namespace('Admin');
  const adapter = new ClusterAdapter(context.cluster, logger, options.retry ?? context.retry);
  return new Admin(adapter, logger, context.instrumentation);
}
