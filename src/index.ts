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
  CompressionTypes,
  type CompressionType,
} from './protocol/compression/index.js';
export {
  DeliveryReport,
  KafkaJSBufferExhaustedError,
  KafkaJSDeliveryTimeoutError,
  KafkaJSProducerNotConnectedError,
  KafkaJSRecordTooLargeError,
  KafkaJSSendAbortedError,
  KafkaJSTransactionStateError,
  type Message,
  type IHeaders,
  Partitioners,
  Producer,
  type ProducerOptions,
  type ProducerRecord,
  type ProducerBatchRecord,
  type RecordMetadata,
  type TopicMessages,
  type TopicOffsets,
  type Transaction,
} from './producer/index.js';
export * from './admin/index.js';
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
