/**
 * Attribute names from the OpenTelemetry messaging semantic conventions (and the general
 * `server.*` ones), as plain strings so that kafkats needs no OpenTelemetry package.
 * https://opentelemetry.io/docs/specs/semconv/messaging/kafka/
 */
export const MessagingAttributes = Object.freeze({
  SYSTEM: 'messaging.system',
  OPERATION_NAME: 'messaging.operation.name',
  OPERATION_TYPE: 'messaging.operation.type',
  DESTINATION_NAME: 'messaging.destination.name',
  DESTINATION_PARTITION_ID: 'messaging.destination.partition.id',
  CONSUMER_GROUP_NAME: 'messaging.consumer.group.name',
  BATCH_MESSAGE_COUNT: 'messaging.batch.message_count',
  CLIENT_ID: 'messaging.client.id',
  MESSAGE_BODY_SIZE: 'messaging.message.body.size',
  KAFKA_MESSAGE_KEY: 'messaging.kafka.message.key',
  KAFKA_MESSAGE_TOMBSTONE: 'messaging.kafka.message.tombstone',
  KAFKA_OFFSET: 'messaging.kafka.offset',
  SERVER_ADDRESS: 'server.address',
  SERVER_PORT: 'server.port',
  ERROR_TYPE: 'error.type',
} as const);

/** `messaging.operation.type` values the conventions define (kafkats uses send, process, settle). */
export type MessagingOperationType = 'create' | 'send' | 'receive' | 'process' | 'settle';

/** Span attributes: what OpenTelemetry's `Attributes` accepts, restricted to scalars. */
export type MessagingAttributeMap = Record<string, string | number | boolean>;
