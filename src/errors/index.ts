export { KafkaJSError, type KafkaJSErrorOptions, KafkaProtocolError } from './base.js';
export * from './kafkajs.js';
export * from './network.js';
export * from './protocol.js';
export { KafkaJSInvalidStateTransition } from './state.js';
