/**
 * Attribute names from the OpenTelemetry messaging semantic conventions (and the general
 * `server.*` ones), as plain strings so that kafkats needs no OpenTelemetry package.
 * https://opentelemetry.io/docs/specs/semconv/messaging/kafka/
 */
export const MessagingAttributes = Object.freeze({
  /** The messaging system: always `kafka`. */
  SYSTEM: 'messaging.system',
  /** The operation as kafkats names it: `send`, `process`, `commit` or `rebalance`. */
  OPERATION_NAME: 'messaging.operation.name',
  /** The operation's kind, a {@link MessagingOperationType}. */
  OPERATION_TYPE: 'messaging.operation.type',
  /** The topic. */
  DESTINATION_NAME: 'messaging.destination.name',
  /** The partition, as a string. */
  DESTINATION_PARTITION_ID: 'messaging.destination.partition.id',
  /** The consumer group id. */
  CONSUMER_GROUP_NAME: 'messaging.consumer.group.name',
  /** Number of records in a batch operation. */
  BATCH_MESSAGE_COUNT: 'messaging.batch.message_count',
  /** The client's `clientId`. */
  CLIENT_ID: 'messaging.client.id',
  /** Size of the record value in bytes (in the conventions; kafkats does not set it). */
  MESSAGE_BODY_SIZE: 'messaging.message.body.size',
  /** The record key as text, when it is a string or UTF-8 bytes of at most 256 characters. */
  KAFKA_MESSAGE_KEY: 'messaging.kafka.message.key',
  /** True when the record value is null (a tombstone). */
  KAFKA_MESSAGE_TOMBSTONE: 'messaging.kafka.message.tombstone',
  /** The record's offset. */
  KAFKA_OFFSET: 'messaging.kafka.offset',
  /** Host of the broker the request went to. */
  SERVER_ADDRESS: 'server.address',
  /** Port of the broker the request went to. */
  SERVER_PORT: 'server.port',
  /** The conventions' name for a failed operation's error class; kafkats leaves it to subscribers to set. */
  ERROR_TYPE: 'error.type',
} as const);

/** `messaging.operation.type` values the conventions define (kafkats uses send, process, settle). */
export type MessagingOperationType = 'create' | 'send' | 'receive' | 'process' | 'settle';

/** Span attributes: what OpenTelemetry's `Attributes` accepts, restricted to scalars. */
export type MessagingAttributeMap = Record<string, string | number | boolean>;
