import { createProtocolError, KafkaJSProtocolError } from '../errors/protocol.js';
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

/** Error codes the consumer reacts to by name. */
export const Codes = {
  NONE: 0,
  OFFSET_OUT_OF_RANGE: 1,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  LEADER_NOT_AVAILABLE: 5,
  NOT_LEADER_OR_FOLLOWER: 6,
  REQUEST_TIMED_OUT: 7,
  COORDINATOR_LOAD_IN_PROGRESS: 14,
  COORDINATOR_NOT_AVAILABLE: 15,
  NOT_COORDINATOR: 16,
  ILLEGAL_GENERATION: 22,
  INCONSISTENT_GROUP_PROTOCOL: 23,
  UNKNOWN_MEMBER_ID: 25,
  REBALANCE_IN_PROGRESS: 27,
  TOPIC_AUTHORIZATION_FAILED: 29,
  GROUP_AUTHORIZATION_FAILED: 30,
  KAFKA_STORAGE_ERROR: 56,
  FENCED_LEADER_EPOCH: 74,
  UNKNOWN_LEADER_EPOCH: 75,
  MEMBER_ID_REQUIRED: 79,
  FENCED_INSTANCE_ID: 82,
  OFFSET_NOT_AVAILABLE: 78,
  UNSTABLE_OFFSET_COMMIT: 88,
  UNKNOWN_TOPIC_ID: 100,
  INCONSISTENT_TOPIC_ID: 103,
  FENCED_MEMBER_EPOCH: 110,
  UNRELEASED_INSTANCE_ID: 111,
  UNSUPPORTED_ASSIGNOR: 112,
  STALE_MEMBER_EPOCH: 113,
  UNSUPPORTED_VERSION: 35,
  GROUP_ID_NOT_FOUND: 69,
} as const;

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
