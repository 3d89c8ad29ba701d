export { type AckBatch, type AcknowledgeType, AckType, PartitionAcks, toAckBatches } from './ack.js';
export { createShareConsumer, ShareConsumer } from './consumer.js';
export type { CreateShareConsumerContext } from './core.js';
export {
  KafkaJSShareAlreadyAcknowledgedError,
  KafkaJSShareConsumerStateError,
  KafkaJSShareLockExpiredError,
  KafkaJSShareRenewUnsupportedError,
} from './errors.js';
export {
  SHARE_CONSUMER_EVENTS,
  type ShareConsumerEventName,
  type ShareConsumerEvents,
  type ShareGroupJoinPayload,
} from './events.js';
export type {
  Acknowledge,
  AcknowledgementCommit,
  AcknowledgementMode,
  ShareBatch,
  ShareConsumerEventMap,
  ShareConsumerOptions,
  ShareEachBatchPayload,
  ShareEachMessagePayload,
  ShareMessage,
  ShareMessageHeaders,
  ShareRunOptions,
  ShareSubscribeOptions,
} from './types.js';
