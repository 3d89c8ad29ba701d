/**
 * KafkaJS 2.2.4's type names for types kafkats has under its own names, so that a TypeScript
 * program's `import type { ProducerConfig, logCreator, SASLOptions } from 'kafkajs'` compiles
 * after changing the module name. Types only: nothing here exists at run time.
 */
import type {
  AclDescription,
  AclResource,
  ConfigEntry,
  ConfigSynonym,
  DeleteAclFilterResponse,
  DeleteAclMatchingAcl,
  DescribedConfigEntry,
  ListPartitionReassignmentsResponse,
  PartitionCommittedOffset,
  PartitionMetadata,
} from '../admin/types.js';
import type { AssignerCluster } from '../consumer/assignors/assigner.js';
import type { CONSUMER_EVENTS } from '../consumer/events.js';
import type { ConsumerOptions } from '../consumer/options.js';
import type { EachBatchPayload, EachMessagePayload } from '../consumer/runner.js';
import type { TopicPartition } from '../consumer/subscription-state.js';
import type { KafkaJSError, KafkaJSErrorMetadata } from '../errors/base.js';
import type { RequestTimeoutDetails } from '../errors/network.js';
import type {
  InstrumentationEvent,
  NetworkRequestPayload,
  NetworkRequestQueueSizePayload,
  NetworkRequestTimeoutPayload,
} from '../instrumentation/events.js';
import type { LogCreator, LogEntry } from '../logger.js';
import type { SocketFactory } from '../network/connection.js';
import type {
  CustomSaslOptions,
  KafkaJSSaslAuthenticateArgs,
  OauthbearerToken,
  SaslOptions,
} from '../network/sasl/types.js';
import type { ProducerOptions } from '../producer/options.js';
import type { ICustomPartitioner, PartitionerArgs } from '../producer/partitioners/types.js';
import type {
  ProducerBatchRecord,
  ProducerEvents as ProducerEventsValue,
  TopicOffsets,
} from '../producer/producer.js';

/** KafkaJS's `logCreator` (lower-case, as KafkaJS spells it). */
export type logCreator = LogCreator;

/** KafkaJS's `SASLOptions`. */
export type SASLOptions = SaslOptions;

/** KafkaJS's `SASLMechanism`: the mechanism names `sasl.mechanism` accepts. */
export type SASLMechanism = SaslOptions['mechanism'];

/** KafkaJS's `ProducerConfig` (kafkats' options add linger, idempotence defaults and more). */
export type ProducerConfig = ProducerOptions;

export type { ICustomPartitioner, PartitionerArgs };

/** KafkaJS's metadata argument of `new KafkaJSOffsetOutOfRange(e, metadata)`. */
export interface KafkaJSOffsetOutOfRangeMetadata {
  topic: string;
  partition: number;
}

/** KafkaJS's metadata argument of `new KafkaJSServerDoesNotSupportApiKey(e, metadata)`. */
export interface KafkaJSServerDoesNotSupportApiKeyMetadata {
  apiKey: number;
  apiName: string;
}

/** KafkaJS's metadata argument of `new KafkaJSTopicMetadataNotLoaded(e, metadata)`. */
export interface KafkaJSTopicMetadataNotLoadedMetadata {
  topic: string;
}

/** KafkaJS's metadata argument of `new KafkaJSNumberOfRetriesExceeded(e, metadata)`. */
export interface KafkaJSNumberOfRetriesExceededMetadata {
  retryCount: number;
  retryTime: number;
}

// --- KafkaJS 2.2.4's remaining type names ---------------------------------------------------
// Aliases where kafkats has the same thing under its own name; KafkaJS's shape where kafkats
// has no such type of its own (named below as such).

/** KafkaJS's `brokers` as a function (kafkats also accepts one returning host:port strings). */
export type BrokersFunction = () => string[] | Promise<string[]>;

/** What a custom SASL mechanism's `authenticationProvider` returns. */
export interface Authenticator {
  authenticate: () => Promise<void>;
}

/** KafkaJS's `saslAuthenticate()` argument. */
export type SaslAuthenticateArgs<ParseResult> = KafkaJSSaslAuthenticateArgs<ParseResult>;

/** KafkaJS's custom SASL mechanism (`sasl: { mechanism, authenticationProvider }`). */
export type Mechanism = CustomSaslOptions;

/** KafkaJS's `socketFactory` option and its argument. */
export type ISocketFactory = SocketFactory;
export type ISocketFactoryArgs = Parameters<SocketFactory>[0];

/** What an OAUTHBEARER `oauthBearerProvider` resolves to. */
export type OauthbearerProviderResponse = OauthbearerToken;

/** KafkaJS's names for the built-in partitioner factories' type. */
export type DefaultPartitioner = ICustomPartitioner;
/** Type of `Partitioners.LegacyPartitioner`: KafkaJS 1.x's default, whose key hashing does not match the Java client. */
export type LegacyPartitioner = ICustomPartitioner;

/** KafkaJS's `kafka.consumer(config)` options. */
export type ConsumerConfig = ConsumerOptions;

/** KafkaJS's group coordinator lookup answer (its Cluster type; kafkats hands none out). */
export interface CoordinatorMetadata {
  errorCode: number;
  coordinator: { nodeId: number; host: string; port: number };
}

/** The cluster view a custom assigner receives. */
export type Cluster = AssignerCluster;

/** Partitions per topic in a member's assignment. */
export interface Assignment {
  [topic: string]: number[];
}

/** KafkaJS's `describeConfigs` entry and synonym names. */
export type ConfigEntries = DescribedConfigEntry;
export type ConfigSynonyms = ConfigSynonym;
/** KafkaJS's `{ name, value }` config entry of createTopics/alterConfigs. */
export type IResourceConfigEntry = ConfigEntry;

/** What `on()` returns: call it to remove the listener (defined with the clients' event shell). */
export type { RemoveInstrumentationEventListener } from '../instrumentation/emitter.js';

/** Network events of every client (KafkaJS's names). */
export type ConnectEvent = InstrumentationEvent<null>;
export type DisconnectEvent = InstrumentationEvent<null>;
/** The event a `*.network.request` listener receives. */
export type RequestEvent = InstrumentationEvent<NetworkRequestPayload>;
/** The event a `*.network.request_timeout` listener receives. */
export type RequestTimeoutEvent = InstrumentationEvent<NetworkRequestTimeoutPayload>;
/** The event a `*.network.request_queue_size` listener receives. */
export type RequestQueueSizeEvent = InstrumentationEvent<NetworkRequestQueueSizePayload>;

/** One partition of `admin.fetchOffsets()`'s answer. */
export type FetchOffsetsPartition = PartitionCommittedOffset;

/** KafkaJS's ACL names. */
export type Acl = AclDescription;
export type DescribeAclResource = AclResource;
/** An ACL that a `deleteAcls` filter matched (and deleted unless its `errorCode` says otherwise). */
export type MatchingAcl = DeleteAclMatchingAcl;
export type DeleteAclFilterResponses = DeleteAclFilterResponse;
/** One topic of `listPartitionReassignments()`'s answer. */
export type OngoingTopicReassignment = ListPartitionReassignmentsResponse['topics'][number];

/** KafkaJS's encoder/decoder pair (`AssignerProtocol.MemberMetadata`). */
export interface ISerializer<T> {
  encode(value: T): Buffer;
  decode(buffer: Buffer): T | null;
}

/** The `log` object of a {@link LogEntry}. */
export type LoggerEntryContent = LogEntry['log'];

/** KafkaJS's metadata answer shape (its Cluster and Broker types; kafkats hands none out). */
export interface BrokerMetadata {
  brokers: Array<{ nodeId: number; host: string; port: number; rack?: string }>;
  topicMetadata: Array<{ topicErrorCode: number; topic: string; partitionMetadata: PartitionMetadata[] }>;
}

/** API version ranges by API key (KafkaJS's Broker type). */
export interface ApiVersions {
  [apiKey: number]: { minVersion: number; maxVersion: number };
}

/**
 * KafkaJS's internal broker connection, named by its `ConsumerGroup.coordinator` type. kafkats
 * hands no such object out; the type is here so that KafkaJS-typed code compiles.
 */
export interface Broker {
  isConnected(): boolean;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  apiVersions(): Promise<ApiVersions>;
  metadata(topics: string[]): Promise<BrokerMetadata>;
}

/** KafkaJS's `producer.sendBatch()` argument. */
export type ProducerBatch = ProducerBatchRecord;

/** A partition and an offset (a string, as KafkaJS carries offsets). */
export interface PartitionOffset {
  /** Partition index, from 0. */
  partition: number;
  /** Offset as a decimal string. */
  offset: string;
}

/** `producer.events` and `consumer.events` as types. */
export type ProducerEvents = typeof ProducerEventsValue;
/** KafkaJS's type of `consumer.events`: the event-name object (`CONSUMER_EVENTS`). */
export type ConsumerEvents = typeof CONSUMER_EVENTS;

/** KafkaJS's group membership summary (its ConsumerGroup type; kafkats hands none out). */
export interface ConsumerGroup {
  groupId: string;
  generationId: number;
  memberId: string;
  coordinator: Broker;
}

/** Classic group states, as `describeGroup()` reports them. */
export type ConsumerGroupState =
  | 'Unknown'
  | 'PreparingRebalance'
  | 'CompletingRebalance'
  | 'Stable'
  | 'Dead'
  | 'Empty';

/** A topic, a partition and an offset. */
export type TopicPartitionOffset = TopicPartition & {
  /** Offset as a decimal string. */
  offset: string;
};
/** A topic, a partition, an offset and the metadata string committed with it. */
export type TopicPartitionOffsetAndMetadata = TopicPartitionOffset & {
  /** Metadata string stored with a committed offset, or null. */
  metadata?: string | null;
};

/** Partitions per topic in a GROUP_JOIN event's `memberAssignment`. */
export interface IMemberAssignment {
  [key: string]: number[];
}

/** Consumer instrumentation events, with KafkaJS's payloads. */
export type ConsumerHeartbeatEvent = InstrumentationEvent<{
  groupId: string;
  memberId: string;
  groupGenerationId: number;
}>;
export type ConsumerCommitOffsetsEvent = InstrumentationEvent<{
  groupId: string;
  memberId: string;
  groupGenerationId: number;
  topics: TopicOffsets[];
}>;
export type ConsumerGroupJoinEvent = InstrumentationEvent<{
  duration: number;
  groupId: string;
  isLeader: boolean;
  leaderId: string;
  groupProtocol: string;
  memberId: string;
  memberAssignment: IMemberAssignment;
}>;
export type ConsumerFetchStartEvent = InstrumentationEvent<{ nodeId: number }>;
export type ConsumerFetchEvent = InstrumentationEvent<{
  numberOfBatches: number;
  duration: number;
  nodeId: number;
}>;
/** KafkaJS's payload of `consumer.start_batch_process` and `consumer.end_batch_process`. */
export interface BatchProcessPayload {
  topic: string;
  partition: number;
  highWatermark: string;
  offsetLag: string;
  offsetLagLow: string;
  batchSize: number;
  firstOffset: string;
  lastOffset: string;
}
export type ConsumerStartBatchProcessEvent = InstrumentationEvent<BatchProcessPayload>;
export type ConsumerEndBatchProcessEvent = InstrumentationEvent<BatchProcessPayload & { duration: number }>;
export type ConsumerCrashEvent = InstrumentationEvent<{ error: Error; groupId: string; restart: boolean }>;
export type ConsumerRebalancingEvent = InstrumentationEvent<{ groupId: string; memberId: string }>;
export type ConsumerReceivedUnsubcribedTopicsEvent = InstrumentationEvent<{
  groupId: string;
  generationId: number;
  memberId: string;
  assignedTopics: string[];
  topicsSubscribed: string[];
  topicsNotSubscribed: string[];
}>;

/** @types/kafkajs's names for the payloads, kept by KafkaJS. */
export type ConsumerEachMessagePayload = EachMessagePayload;
export type ConsumerEachBatchPayload = EachBatchPayload;

/** @deprecated KafkaJS's one-topic subscription; use `{ topics: [...] }`. */
export interface ConsumerSubscribeTopic {
  topic: string | RegExp;
  fromBeginning?: boolean;
}

/** Arguments of KafkaJS's admin error classes. */
export interface KafkaJSDeleteGroupsErrorGroups {
  groupId: string;
  errorCode: number;
  error: KafkaJSError;
}
export interface KafkaJSDeleteTopicRecordsErrorPartition {
  partition: number;
  offset: string;
  error: KafkaJSError;
}
export interface KafkaJSDeleteTopicRecordsErrorTopic {
  topic: string;
  partitions: KafkaJSDeleteTopicRecordsErrorPartition[];
}
export type { KafkaJSErrorMetadata };
export interface KafkaJSConnectionErrorMetadata {
  broker?: string;
  code?: string;
}
export type KafkaJSRequestTimeoutErrorMetadata = RequestTimeoutDetails;
export interface KafkaJSStaleTopicMetadataAssignmentMetadata {
  topic: string;
  unknownPartitions: PartitionMetadata[];
}
