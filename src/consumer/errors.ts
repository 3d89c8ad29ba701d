import { createProtocolError, KafkaJSProtocolError } from '../errors/protocol.js';
import { Codes } from '../protocol/codes.js';
import { errorByCode } from '../protocol/error-codes.js';

export { KafkaJSProtocolError };

/**
 * A broker error code seen by the consumer, as the shared typed error (`RebalanceInProgressError`,
 * `OffsetOutOfRangeError`, … all `KafkaJSProtocolError`), its message prefixed with where it
 * happened and suffixed with Kafka's name for the code.
 */
export function protocolError(
  code: number,
  context?: string,
  brokerMessage?: string | null,
): KafkaJSProtocolError {
  const e = createProtocolError(code, brokerMessage);
  e.message = `${context ? `${context}: ` : ''}${e.message} (${e.type})`;
  return e;
}

/** Error codes by name, from the one generated table; re-exported for the consumer's modules. */
export { Codes };

export function isRetriableCode(code: number): boolean {
  return errorByCode(code).retriable;
}

/** Errors after which the coordinator must be looked up again. */
export function isCoordinatorMoved(code: number): boolean {
  return code === Codes.NOT_COORDINATOR || code === Codes.COORDINATOR_NOT_AVAILABLE;
}

/**
 * Partition errors that mean "ask the metadata again": the leader moved or is not known yet.
 * Fetch holds such a partition back until a refresh; position validation asks again after one.
 */
export const LEADERSHIP_ERRORS: ReadonlySet<number> = new Set<number>([
  Codes.NOT_LEADER_OR_FOLLOWER,
  Codes.LEADER_NOT_AVAILABLE,
  Codes.UNKNOWN_TOPIC_OR_PARTITION,
  Codes.FENCED_LEADER_EPOCH,
  Codes.UNKNOWN_LEADER_EPOCH,
  Codes.KAFKA_STORAGE_ERROR,
  Codes.UNKNOWN_TOPIC_ID,
  Codes.INCONSISTENT_TOPIC_ID,
  Codes.OFFSET_NOT_AVAILABLE,
]);
