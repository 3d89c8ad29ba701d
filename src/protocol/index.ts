/**
 * `kafkats/protocol`: the wire codec on its own, for tools, proxies and tests. Every API's
 * request/response types and codecs (generated from Kafka's message specs), the api table,
 * the primitive Reader/Writer, framing helpers, record batches, compression and error codes.
 *
 * @module kafkats/protocol
 */
export type { ApiKeyInfo, ApiMessage } from './api.js';
export { Reader } from './codec/reader.js';
export { uuidFromBytes, uuidToBytes, ZERO_UUID } from './codec/uuid.js';
export { Writer } from './codec/writer.js';
export * from './codes.js';
export * from './compression/index.js';
export * from './error-codes.js';
export {
  decodeRequestFrame,
  decodeResponseFrame,
  encodeRequestFrame,
  encodeResponseFrame,
  peekCorrelationId,
} from './frame.js';
export * from './messages/index.js';
export type { UnknownTaggedField } from './messages/runtime.js';
export * from './records/index.js';
