/**
 * `kafkats`: the clients and everything they take and give. Start with {@link Kafka}: it holds
 * the connection settings ({@link KafkaConfig}) and makes a {@link Producer}, a {@link Consumer},
 * an {@link Admin} client or a {@link ShareConsumer}. The API is KafkaJS 2.2.4's, so a KafkaJS
 * program changes its import and keeps working (see the Migrating from KafkaJS guide).
 *
 * The navigation groups the exports by what they are for: the clients, their configuration,
 * the messages and results they exchange, instrumentation events, errors, serializers. The wire
 * codec is the separate `kafkats/protocol` module, the real-Kafka test harness `kafkats/testing`;
 * the guides are listed under Documents.
 *
 * @module kafkats
 */
export type { FeaturesDescription, LogDirDescription } from './admin/cluster-ops.js';
export type { ConsumerGroupDescription, ConsumerGroupMemberDescription } from './admin/groups.js';
export * from './admin/index.js';
export type { GroupOffsetsResult } from './admin/offsets.js';
export type { QuotaAlteration, QuotaEntity, QuotaFilterComponent } from './admin/quotas.js';
export type {
  ScramDeletion,
  ScramMechanismName,
  ScramUpsertion,
  UserScramCredentials,
} from './admin/scram.js';
export type {
  ShareAutoOffsetReset,
  ShareGroupDescription,
  ShareGroupListing,
  ShareGroupMemberDescription,
  ShareGroupPartitionOffset,
} from './admin/share-groups.js';
export type { TopicPartitionsDescription } from './admin/topics.js';
export type { ProducerStateDescription, TransactionDescription } from './admin/transactions.js';
/** The admin client's group description (`admin.describeGroups`); the consumer's `describeGroup` has its own {@link GroupDescription}. */
export type { GroupDescription as AdminGroupDescription } from './admin/types.js';
export * from './compat/names.js';
export type { ProtocolInput } from './consumer/assignors/assigner.js';
export type { RebalanceProtocol } from './consumer/assignors/types.js';
export {
  type Batch,
  CONSUMER_EVENTS,
  type ConsumedMessage,
  Consumer,
  type ConsumerEventName,
  /** The consumer's events with their payloads; `ConsumerEvents` is KafkaJS's name for the event-name object. */
  type ConsumerEvents as ConsumerEventPayloads,
  type ConsumerOptions,
  type ConsumerRunConfig,
  type ConsumerSubscribeTopics,
  type EachBatchPayload,
  type EachMessagePayload,
  type GroupDescription,
  type KafkaMessage,
  type RebalanceListener,
  type TopicPartition,
} from './consumer/index.js';
export { KafkaJSGroupJoinTimeout } from './consumer/join-errors.js';
export type { DeserializationErrorPolicy } from './consumer/options.js';
export type { IHeaders as KafkaMessageHeaders } from './consumer/payloads.js';
export type {
  EachBatchHandler,
  EachMessageHandler,
  Offsets,
  OffsetsByTopicPartition,
  TypedBatch,
  TypedKafkaMessage,
} from './consumer/runner.js';
export * from './errors/index.js';
export type { TopicPartitions } from './group/consumer-protocol.js';
export type { ClientEventListener } from './instrumentation/emitter.js';
export type {
  NetworkConnectionPayload,
  NetworkRequestPayload,
  NetworkRequestQueueSizePayload,
  NetworkRequestTimeoutPayload,
} from './instrumentation/events.js';
export {
  InstrumentationEmitter,
  type InstrumentationEvent,
  type NetworkEvents,
} from './instrumentation/events.js';
export { Kafka, type KafkaConfig } from './kafka.js';
export type { ExternalLogger } from './logger.js';
export { type LogCreator, type LogEntry, type Logger, type LogLevel, logLevel } from './logger.js';
export type { BrokersOption, MetadataRecoveryStrategy } from './network/cluster.js';
export type { SocketFactory } from './network/connection.js';
export type { RetryOptions } from './network/retry.js';
export * from './network/sasl/providers.js';
export type {
  AuthenticationProviderArgs,
  CustomSaslOptions,
  KafkaJSSaslAuthenticateArgs,
  OauthbearerProviderContext,
  OauthbearerSaslOptions,
  OauthbearerToken,
  PlainSaslOptions,
  SaslConfig,
  SaslOptions,
  ScramSaslOptions,
  SecretProvider,
} from './network/sasl/types.js';
export {
  ChannelNames,
  type ConsumerMetricsSnapshot,
  commitChannel,
  consumeChannel,
  type MessagingAttributeMap,
  MessagingAttributes,
  type MessagingOperationType,
  type OperationTraceContext,
  type PartitionLag,
  type ProducerMetricsSnapshot,
  type ProducerPartitionMetrics,
  produceChannel,
  rebalanceChannel,
} from './observability/index.js';
export {
  DeliveryReport,
  type IHeaders,
  KafkaJSBufferExhaustedError,
  KafkaJSDeliveryTimeoutError,
  KafkaJSProducerNotConnectedError,
  KafkaJSRecordTooLargeError,
  KafkaJSSendAbortedError,
  KafkaJSTransactionStateError,
  type Message,
  Partitioners,
  Producer,
  type ProducerBatchRecord,
  type ProducerOptions,
  type ProducerRecord,
  type RecordMetadata,
  type TopicMessages,
  type TopicOffsets,
  type Transaction,
} from './producer/index.js';
export type { HeaderValue, RawMessageData } from './producer/message.js';
export type { Acks, RetryOptions as ProducerRetryOptions } from './producer/options.js';
export type {
  Partitioner,
  PartitionerMessage,
  PartitionerOptions,
  PartitionMetadata as PartitionerPartitionMetadata,
} from './producer/partitioners/types.js';
export type {
  ProducerEventMap,
  ProducerEventName,
  ProducerEventPayloads,
  SendOffsetsArgs,
} from './producer/types.js';
export {
  type CompressionType,
  CompressionTypes,
  KafkaJSDecompressionLimitError,
} from './protocol/compression/index.js';
export { KafkaJSRecordBatchDecodeError } from './protocol/records/errors.js';
export * from './serdes/index.js';
export type { AcknowledgeType } from './share/ack.js';
export {
  type Acknowledge,
  type AcknowledgementCommit,
  type AcknowledgementMode,
  KafkaJSShareAlreadyAcknowledgedError,
  KafkaJSShareConsumerStateError,
  KafkaJSShareLockExpiredError,
  KafkaJSShareRenewUnsupportedError,
  SHARE_CONSUMER_EVENTS,
  type ShareBatch,
  ShareConsumer,
  type ShareConsumerEventMap,
  type ShareConsumerEventName,
  type ShareConsumerEvents,
  type ShareConsumerOptions,
  type ShareEachBatchPayload,
  type ShareEachMessagePayload,
  type ShareGroupJoinPayload,
  type ShareMessage,
  type ShareRunOptions,
  type ShareSubscribeOptions,
} from './share/index.js';
export type { ShareMessageHeaders } from './share/types.js';
