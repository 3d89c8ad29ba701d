export * from './admin/index.js';
export * from './compat/names.js';
export {
  type Batch,
  CONSUMER_EVENTS,
  type ConsumedMessage,
  Consumer,
  type ConsumerEventName,
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
export type { DeserializationErrorPolicy } from './consumer/options.js';
export type { TypedBatch, TypedKafkaMessage } from './consumer/runner.js';
export * from './errors/index.js';
export {
  InstrumentationEmitter,
  type InstrumentationEvent,
  type NetworkEvents,
} from './instrumentation/events.js';
export { Kafka, type KafkaConfig } from './kafka.js';
export { type LogCreator, type LogEntry, type Logger, type LogLevel, logLevel } from './logger.js';
export type { RetryOptions } from './network/retry.js';
export type { SaslConfig, SaslOptions } from './network/sasl/types.js';
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
export type { RawMessageData } from './producer/message.js';
export {
  type CompressionType,
  CompressionTypes,
} from './protocol/compression/index.js';
export * from './serdes/index.js';
export {
  type Acknowledge,
  type AcknowledgementCommit,
  type AcknowledgementMode,
  KafkaJSShareAlreadyAcknowledgedError,
  KafkaJSShareConsumerStateError,
  KafkaJSShareLockExpiredError,
  type ShareBatch,
  ShareConsumer,
  type ShareConsumerEventMap,
  type ShareConsumerOptions,
  type ShareEachBatchPayload,
  type ShareEachMessagePayload,
  type ShareMessage,
  type ShareRunOptions,
  type ShareSubscribeOptions,
} from './share/index.js';
