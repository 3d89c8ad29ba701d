export {
  AssignerProtocol,
  type ConsumerAssignment,
  type ConsumerSubscription,
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
  type MemberAssignment,
  type MemberMetadata,
} from '../group/consumer-protocol.js';
export * from './assignors/index.js';
export {
  type ConsumedMessage,
  Consumer,
  type ConsumerRunConfig,
  type ConsumerSubscribeTopics,
  createConsumer,
  type GroupDescription,
} from './consumer.js';
export type { ConsumerCluster, ConsumerContext, ConsumerPurpose, ConsumerSendOptions } from './context.js';
export type { RebalanceListener } from './core.js';
export { CONSUMER_EVENTS, type ConsumerEventName, type ConsumerEvents } from './events.js';
export { KafkaJSGroupJoinTimeout } from './join-errors.js';
export type { ConsumerOptions } from './options.js';
export type { Batch, IHeaders, KafkaMessage } from './payloads.js';
export type { EachBatchPayload, EachMessagePayload } from './runner.js';
export type { TopicPartition } from './subscription-state.js';
