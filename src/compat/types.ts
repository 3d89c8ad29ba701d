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
} from '../producer/types.js';

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
  /** Topic of the partition whose offset was out of range. */
  topic: string;
  /** Partition index. */
  partition: number;
}

/** KafkaJS's metadata argument of `new KafkaJSServerDoesNotSupportApiKey(e, metadata)`. */
export interface KafkaJSServerDoesNotSupportApiKeyMetadata {
  /** Numeric API key the broker does not support (e.g. 0 for Produce). */
  apiKey: number;
  /** Name of that API (e.g. `Produce`). */
  apiName: string;
}

/** KafkaJS's metadata argument of `new KafkaJSTopicMetadataNotLoaded(e, metadata)`. */
export interface KafkaJSTopicMetadataNotLoadedMetadata {
  /** Topic whose metadata was not loaded. */
  topic: string;
}

/** KafkaJS's metadata argument of `new KafkaJSNumberOfRetriesExceeded(e, metadata)`. */
export interface KafkaJSNumberOfRetriesExceededMetadata {
  /** Retries made before giving up. */
  retryCount: number;
  /** Milliseconds from the first attempt until giving up. */
  retryTime: number;
}

// --- KafkaJS 2.2.4's remaining type names ---------------------------------------------------
// Aliases where kafkats has the same thing under its own name; KafkaJS's shape where kafkats
// has no such type of its own (named below as such).

/** KafkaJS's `brokers` as a function (kafkats also accepts one returning host:port strings). */
export type BrokersFunction = () => string[] | Promise<string[]>;

/** What a custom SASL mechanism's `authenticationProvider` returns. */
export interface Authenticator {
  /**
   * Runs the mechanism's exchange on the connection; resolves once the broker accepts it, rejects
   * otherwise.
   */
  authenticate: () => Promise<void>;
}

/** KafkaJS's `saslAuthenticate()` argument. */
export type SaslAuthenticateArgs<ParseResult> = KafkaJSSaslAuthenticateArgs<ParseResult>;

/** KafkaJS's custom SASL mechanism (`sasl: { mechanism, authenticationProvider }`). */
export type Mechanism = CustomSaslOptions;

/** KafkaJS's `socketFactory` option and its argument. */
export type ISocketFactory = SocketFactory;
/** The argument of a `socketFactory`: `host`, `port`, `ssl` options and the `onConnect` callback. */
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
  /** Kafka error code of the lookup; 0 on success. */
  errorCode: number;
  /** The coordinator broker: its node id, host and port. */
  coordinator: {
    /** Broker id of the coordinator. */
    nodeId: number;
    /** Host the coordinator advertises. */
    host: string;
    /** Port the coordinator advertises. */
    port: number;
  };
}

/** The cluster view a custom assigner receives. */
export type Cluster = AssignerCluster;

/** Partitions per topic in a member's assignment. */
export interface Assignment {
  [topic: string]: number[];
}

/** KafkaJS's `describeConfigs` entry and synonym names. */
export type ConfigEntries = DescribedConfigEntry;
/** KafkaJS's name for a {@link ConfigSynonym}. */
export type ConfigSynonyms = ConfigSynonym;
/** KafkaJS's `{ name, value }` config entry of createTopics/alterConfigs. */
export type IResourceConfigEntry = ConfigEntry;

/** What `on()` returns: call it to remove the listener (defined with the clients' event shell). */
export type { RemoveInstrumentationEventListener } from '../instrumentation/emitter.js';

/** Network events of every client (KafkaJS's names). */
export type ConnectEvent = InstrumentationEvent<null>;
/** Payload-less event emitted when a client's connection to a broker closes (`*.disconnect`). */
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
/** KafkaJS's name for an {@link AclResource} of describeAcls. */
export type DescribeAclResource = AclResource;
/** An ACL that a `deleteAcls` filter matched (and deleted unless its `errorCode` says otherwise). */
export type MatchingAcl = DeleteAclMatchingAcl;
/** KafkaJS's name for a {@link DeleteAclFilterResponse}. */
export type DeleteAclFilterResponses = DeleteAclFilterResponse;
/** One topic of `listPartitionReassignments()`'s answer. */
export type OngoingTopicReassignment = ListPartitionReassignmentsResponse['topics'][number];

/** KafkaJS's encoder/decoder pair (`AssignerProtocol.MemberMetadata`). */
export interface ISerializer<T> {
  /** Encodes a value to its wire bytes. */
  encode(value: T): Buffer;
  /** Decodes wire bytes; null when there is nothing to decode. */
  decode(buffer: Buffer): T | null;
}

/** The `log` object of a {@link LogEntry}. */
export type LoggerEntryContent = LogEntry['log'];

/** KafkaJS's metadata answer shape (its Cluster and Broker types; kafkats hands none out). */
export interface BrokerMetadata {
  /** The brokers: node id, host, port and rack (when the broker has one). */
  brokers: Array<{
    /** Broker id. */
    nodeId: number;
    /** Host the broker advertises. */
    host: string;
    /** Port the broker advertises. */
    port: number;
    /** Rack of the broker (`broker.rack`), when set. */
    rack?: string;
  }>;
  /** The topics: error code (0 when found), name and per-partition metadata. */
  topicMetadata: Array<{
    /** Kafka error code of the topic; 0 when found. */
    topicErrorCode: number;
    /** Topic name. */
    topic: string;
    /** Metadata of each partition. */
    partitionMetadata: PartitionMetadata[];
  }>;
}

/** API version ranges by API key (KafkaJS's Broker type). */
export interface ApiVersions {
  /** Range of versions the broker supports for that API key. */
  [apiKey: number]: {
    /** Lowest version the broker supports. */
    minVersion: number;
    /** Highest version the broker supports. */
    maxVersion: number;
  };
}

/**
 * KafkaJS's internal broker connection, named by its `ConsumerGroup.coordinator` type. kafkats
 * hands no such object out; the type is here so that KafkaJS-typed code compiles.
 */
export interface Broker {
  /** Whether the connection is open. */
  isConnected(): boolean;
  /** Opens the connection (and authenticates). */
  connect(): Promise<void>;
  /** Closes the connection. */
  disconnect(): Promise<void>;
  /** Asks the broker which API versions it supports. */
  apiVersions(): Promise<ApiVersions>;
  /** Fetches metadata of the given topics (all topics when empty). */
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
  /** The group id. */
  groupId: string;
  /** Generation of the group the member last joined. */
  generationId: number;
  /** Member id the coordinator assigned. */
  memberId: string;
  /** Connection to the group coordinator. */
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
  /** The group id. */
  groupId: string;
  /** This consumer's member id. */
  memberId: string;
  /** Generation the member is in. */
  groupGenerationId: number;
}>;
/**
 * Payload of `consumer.commit_offsets`: the group, member, generation and the offsets committed per
 * topic.
 */
export type ConsumerCommitOffsetsEvent = InstrumentationEvent<{
  /** The group id. */
  groupId: string;
  /** This consumer's member id. */
  memberId: string;
  /** Generation the commit was made in. */
  groupGenerationId: number;
  /** The committed offsets, per topic and partition. */
  topics: TopicOffsets[];
}>;
/** Payload of `consumer.group_join`: emitted each time the consumer joins (or rejoins) its group. */
export type ConsumerGroupJoinEvent = InstrumentationEvent<{
  /** Milliseconds the join took. */
  duration: number;
  /** The group id. */
  groupId: string;
  /** Whether this member is the group leader that computed the assignment (classic protocol). */
  isLeader: boolean;
  /** Member id of the group leader. */
  leaderId: string;
  /** Assignment strategy the group chose (e.g. `RoundRobinAssigner`). */
  groupProtocol: string;
  /** This consumer's member id. */
  memberId: string;
  /** Partitions assigned to this member, per topic. */
  memberAssignment: IMemberAssignment;
}>;
/** Payload of `consumer.fetch_start`: a fetch to a broker begins. */
export type ConsumerFetchStartEvent = InstrumentationEvent<{
  /** Node id of the broker fetched from. */
  nodeId: number;
}>;
/** Payload of `consumer.fetch`: a fetch from a broker completed. */
export type ConsumerFetchEvent = InstrumentationEvent<{
  /** Number of record batches the fetch returned. */
  numberOfBatches: number;
  /** Milliseconds the fetch took. */
  duration: number;
  /** Node id of the broker fetched from. */
  nodeId: number;
}>;
/** KafkaJS's payload of `consumer.start_batch_process` and `consumer.end_batch_process`. */
export interface BatchProcessPayload {
  /** Topic of the batch. */
  topic: string;
  /** Partition of the batch. */
  partition: number;
  /** High watermark of the partition when fetched (decimal string). */
  highWatermark: string;
  /** Records between the batch's last offset and the high watermark (decimal string). */
  offsetLag: string;
  /** Records between the batch's first offset and the high watermark (decimal string). */
  offsetLagLow: string;
  /** Number of messages in the batch. */
  batchSize: number;
  /** Offset of the first message in the batch (decimal string). */
  firstOffset: string;
  /** Offset of the last message in the batch (decimal string). */
  lastOffset: string;
}
/** Payload of `consumer.start_batch_process`: the runner hands a batch to eachBatch/eachMessage. */
export type ConsumerStartBatchProcessEvent = InstrumentationEvent<BatchProcessPayload>;
/** Payload of `consumer.end_batch_process`: a batch was processed; `duration` is in milliseconds. */
export type ConsumerEndBatchProcessEvent = InstrumentationEvent<
  BatchProcessPayload & {
    /** Milliseconds the batch took to process. */
    duration: number;
  }
>;
/** Payload of `consumer.crash`: the run loop stopped on an error. */
export type ConsumerCrashEvent = InstrumentationEvent<{
  /** The error that stopped the run loop. */
  error: Error;
  /** The group id. */
  groupId: string;
  /** Whether the consumer will restart itself (retriable error, or restartOnFailure said so). */
  restart: boolean;
}>;
/** Payload of `consumer.rebalancing`: the group is rebalancing and this member will rejoin. */
export type ConsumerRebalancingEvent = InstrumentationEvent<{
  /** The group id. */
  groupId: string;
  /** This consumer's member id. */
  memberId: string;
}>;
/**
 * Payload of `consumer.received_unsubscribed_topics`: the assignment holds topics this member did not
 * subscribe to.
 */
export type ConsumerReceivedUnsubcribedTopicsEvent = InstrumentationEvent<{
  /** The group id. */
  groupId: string;
  /** Generation of the assignment. */
  generationId: number;
  /** This consumer's member id. */
  memberId: string;
  /** Topics of the received assignment. */
  assignedTopics: string[];
  /** Topics this consumer subscribed to. */
  topicsSubscribed: string[];
  /** Assigned topics that this consumer did not subscribe to (and will not consume). */
  topicsNotSubscribed: string[];
}>;

/** @types/kafkajs's names for the payloads, kept by KafkaJS. */
export type ConsumerEachMessagePayload = EachMessagePayload;
/** KafkaJS's name for {@link EachBatchPayload}. */
export type ConsumerEachBatchPayload = EachBatchPayload;

/** @deprecated KafkaJS's one-topic subscription; use `{ topics: [...] }`. */
export interface ConsumerSubscribeTopic {
  /** Topic name, or a regular expression matched against the cluster's topics. */
  topic: string | RegExp;
  /** Start from the earliest offset when the group has no committed offset (default false: the latest). */
  fromBeginning?: boolean;
}

/** One group that `admin.deleteGroups()` could not delete, as KafkaJSDeleteGroupsError carries it. */
export interface KafkaJSDeleteGroupsErrorGroups {
  /** The group id. */
  groupId: string;
  /** Kafka error code of the failure. */
  errorCode: number;
  /** The typed error of the failure. */
  error: KafkaJSError;
}
/** One partition that `admin.deleteTopicRecords()` could not truncate. */
export interface KafkaJSDeleteTopicRecordsErrorPartition {
  /** Partition index. */
  partition: number;
  /** Offset up to which records were to be deleted. */
  offset: string;
  /** The typed error of the failure. */
  error: KafkaJSError;
}
/** One topic of a KafkaJSDeleteTopicRecordsError: the partitions that failed. */
export interface KafkaJSDeleteTopicRecordsErrorTopic {
  /** Topic name. */
  topic: string;
  /** The partitions that failed. */
  partitions: KafkaJSDeleteTopicRecordsErrorPartition[];
}
export type { KafkaJSErrorMetadata };
/** Details of a KafkaJSConnectionError. */
export interface KafkaJSConnectionErrorMetadata {
  /** `host:port` of the broker the connection was to. */
  broker?: string;
  /** Node.js error code of the socket failure (e.g. `ECONNREFUSED`). */
  code?: string;
}
/** Details of a KafkaJSRequestTimeoutError (broker, correlation id, createdAt, sentAt, pendingDuration). */
export type KafkaJSRequestTimeoutErrorMetadata = RequestTimeoutDetails;
/** Details of a KafkaJSStaleTopicMetadataAssignment. */
export interface KafkaJSStaleTopicMetadataAssignmentMetadata {
  /** The topic of the assignment. */
  topic: string;
  /** Partitions assigned that the topic's metadata does not know. */
  unknownPartitions: PartitionMetadata[];
}
