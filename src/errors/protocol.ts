import { errorByCode, type KafkaErrorCode } from '../protocol/error-codes.js';
import { KafkaJSError } from './base.js';

export interface KafkaJSProtocolErrorOptions {
  /** Overrides the table's retriable flag, for the few places where the context decides. */
  retriable?: boolean;
  cause?: unknown;
}

/**
 * An error code a broker returned. `type` is Kafka's name for the code
 * (`NOT_LEADER_OR_FOLLOWER`), `code` its number, `retriable` whether the Java client retries
 * it, and `brokerMessage` the error message the broker sent with it, when it sent one.
 *
 * Codes that clients branch on have subclasses (`NotLeaderOrFollowerError`, ...) so that
 * `instanceof` works; every other code is a plain KafkaJSProtocolError with its `type`. `name`
 * is `KafkaJSProtocolError` for all of them, as in KafkaJS. Build them with
 * {@link createProtocolError}.
 */
export class KafkaJSProtocolError extends KafkaJSError {
  readonly type: string;
  readonly code: number;
  readonly brokerMessage: string | undefined;

  constructor(
    code: number | KafkaErrorCode,
    brokerMessage?: string | null,
    options: KafkaJSProtocolErrorOptions = {},
  ) {
    const entry = typeof code === 'number' ? errorByCode(code) : code;
    const text = brokerMessage ? `${entry.message} Broker message: ${brokerMessage}` : entry.message;
    super(text, { retriable: options.retriable ?? entry.retriable, cause: options.cause });
    this.name = 'KafkaJSProtocolError';
    this.type = entry.type;
    this.code = entry.code;
    this.brokerMessage = brokerMessage ?? undefined;
  }
}

/** NOT_LEADER_OR_FOLLOWER (6) — retriable. */
export class NotLeaderOrFollowerError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(6, brokerMessage, options);
  }
}

/** UNKNOWN_TOPIC_OR_PARTITION (3) — retriable. */
export class UnknownTopicOrPartitionError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(3, brokerMessage, options);
  }
}

/** LEADER_NOT_AVAILABLE (5) — retriable. */
export class LeaderNotAvailableError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(5, brokerMessage, options);
  }
}

/** NOT_COORDINATOR (16) — retriable. */
export class NotCoordinatorError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(16, brokerMessage, options);
  }
}

/** COORDINATOR_NOT_AVAILABLE (15) — retriable. */
export class CoordinatorNotAvailableError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(15, brokerMessage, options);
  }
}

/** COORDINATOR_LOAD_IN_PROGRESS (14) — retriable. */
export class CoordinatorLoadInProgressError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(14, brokerMessage, options);
  }
}

/** REBALANCE_IN_PROGRESS (27). */
export class RebalanceInProgressError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(27, brokerMessage, options);
  }
}

/** ILLEGAL_GENERATION (22). */
export class IllegalGenerationError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(22, brokerMessage, options);
  }
}

/** UNKNOWN_MEMBER_ID (25). */
export class UnknownMemberIdError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(25, brokerMessage, options);
  }
}

/** FENCED_INSTANCE_ID (82). */
export class FencedInstanceIdError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(82, brokerMessage, options);
  }
}

/** OFFSET_OUT_OF_RANGE (1). */
export class OffsetOutOfRangeError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(1, brokerMessage, options);
  }
}

/** OUT_OF_ORDER_SEQUENCE_NUMBER (45). */
export class OutOfOrderSequenceNumberError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(45, brokerMessage, options);
  }
}

/** DUPLICATE_SEQUENCE_NUMBER (46). */
export class DuplicateSequenceNumberError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(46, brokerMessage, options);
  }
}

/** UNKNOWN_PRODUCER_ID (59). */
export class UnknownProducerIdError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(59, brokerMessage, options);
  }
}

/** INVALID_PRODUCER_EPOCH (47). */
export class InvalidProducerEpochError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(47, brokerMessage, options);
  }
}

/** PRODUCER_FENCED (90). */
export class ProducerFencedError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(90, brokerMessage, options);
  }
}

/** INVALID_TXN_STATE (48). */
export class InvalidTxnStateError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(48, brokerMessage, options);
  }
}

/** TRANSACTION_ABORTABLE (120). */
export class TransactionAbortableError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(120, brokerMessage, options);
  }
}

/** CONCURRENT_TRANSACTIONS (51) — retriable. */
export class ConcurrentTransactionsError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(51, brokerMessage, options);
  }
}

/** INVALID_PRODUCER_ID_MAPPING (49). */
export class InvalidProducerIdMappingError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(49, brokerMessage, options);
  }
}

/** TRANSACTIONAL_ID_AUTHORIZATION_FAILED (53). */
export class TransactionalIdAuthorizationFailedError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(53, brokerMessage, options);
  }
}

/** TOPIC_AUTHORIZATION_FAILED (29). */
export class TopicAuthorizationFailedError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(29, brokerMessage, options);
  }
}

/** GROUP_AUTHORIZATION_FAILED (30). */
export class GroupAuthorizationFailedError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(30, brokerMessage, options);
  }
}

/** CLUSTER_AUTHORIZATION_FAILED (31). */
export class ClusterAuthorizationFailedError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(31, brokerMessage, options);
  }
}

/** SASL_AUTHENTICATION_FAILED (58). */
export class SaslAuthenticationFailedError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(58, brokerMessage, options);
  }
}

/** UNSUPPORTED_SASL_MECHANISM (33). */
export class UnsupportedSaslMechanismError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(33, brokerMessage, options);
  }
}

/** ILLEGAL_SASL_STATE (34). */
export class IllegalSaslStateError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(34, brokerMessage, options);
  }
}

/** UNSUPPORTED_VERSION (35). */
export class UnsupportedVersionError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(35, brokerMessage, options);
  }
}

/** MESSAGE_TOO_LARGE (10). */
export class MessageTooLargeError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(10, brokerMessage, options);
  }
}

/** RECORD_LIST_TOO_LARGE (18). */
export class RecordListTooLargeError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(18, brokerMessage, options);
  }
}

/** CORRUPT_MESSAGE (2) — retriable. */
export class CorruptMessageError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(2, brokerMessage, options);
  }
}

/** INVALID_RECORD (87). */
export class InvalidRecordError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(87, brokerMessage, options);
  }
}

/** FENCED_LEADER_EPOCH (74) — retriable. */
export class FencedLeaderEpochError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(74, brokerMessage, options);
  }
}

/** UNKNOWN_LEADER_EPOCH (75) — retriable. */
export class UnknownLeaderEpochError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(75, brokerMessage, options);
  }
}

/** OFFSET_NOT_AVAILABLE (78) — retriable. */
export class OffsetNotAvailableError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(78, brokerMessage, options);
  }
}

/** TOPIC_ALREADY_EXISTS (36). */
export class TopicAlreadyExistsError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(36, brokerMessage, options);
  }
}

/** INVALID_TOPIC_EXCEPTION (17). */
export class InvalidTopicError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(17, brokerMessage, options);
  }
}

/** INVALID_PARTITIONS (37). */
export class InvalidPartitionsError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(37, brokerMessage, options);
  }
}

/** INVALID_REPLICATION_FACTOR (38). */
export class InvalidReplicationFactorError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(38, brokerMessage, options);
  }
}

/** INVALID_REPLICA_ASSIGNMENT (39). */
export class InvalidReplicaAssignmentError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(39, brokerMessage, options);
  }
}

/** INVALID_CONFIG (40). */
export class InvalidConfigError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(40, brokerMessage, options);
  }
}

/** POLICY_VIOLATION (44). */
export class PolicyViolationError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(44, brokerMessage, options);
  }
}

/** REQUEST_TIMED_OUT (7) — retriable. */
export class RequestTimedOutError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(7, brokerMessage, options);
  }
}

/** NOT_ENOUGH_REPLICAS (19) — retriable. */
export class NotEnoughReplicasError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(19, brokerMessage, options);
  }
}

/** NOT_ENOUGH_REPLICAS_AFTER_APPEND (20) — retriable. */
export class NotEnoughReplicasAfterAppendError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(20, brokerMessage, options);
  }
}

/** THROTTLING_QUOTA_EXCEEDED (89) — retriable. */
export class ThrottlingQuotaExceededError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(89, brokerMessage, options);
  }
}

/** NOT_CONTROLLER (41) — retriable. */
export class NotControllerError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(41, brokerMessage, options);
  }
}

/** INVALID_REQUEST (42). */
export class InvalidRequestError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(42, brokerMessage, options);
  }
}

/** UNKNOWN_TOPIC_ID (100) — retriable. */
export class UnknownTopicIdError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(100, brokerMessage, options);
  }
}

/** INCONSISTENT_TOPIC_ID (103) — retriable. */
export class InconsistentTopicIdError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(103, brokerMessage, options);
  }
}

/** GROUP_ID_NOT_FOUND (69). */
export class GroupIdNotFoundError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(69, brokerMessage, options);
  }
}

/** GROUP_MAX_SIZE_REACHED (81). */
export class GroupMaxSizeReachedError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(81, brokerMessage, options);
  }
}

/** INVALID_SESSION_TIMEOUT (26). */
export class InvalidSessionTimeoutError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(26, brokerMessage, options);
  }
}

/** MEMBER_ID_REQUIRED (79). */
export class MemberIdRequiredError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(79, brokerMessage, options);
  }
}

/** NON_EMPTY_GROUP (68). */
export class NonEmptyGroupError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(68, brokerMessage, options);
  }
}

/** STALE_MEMBER_EPOCH (113). */
export class StaleMemberEpochError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(113, brokerMessage, options);
  }
}

/** UNRELEASED_INSTANCE_ID (111). */
export class UnreleasedInstanceIdError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(111, brokerMessage, options);
  }
}

/** UNSUPPORTED_ASSIGNOR (112). */
export class UnsupportedAssignorError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(112, brokerMessage, options);
  }
}

/** FETCH_SESSION_ID_NOT_FOUND (70) — retriable. */
export class FetchSessionIdNotFoundError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(70, brokerMessage, options);
  }
}

/** INVALID_FETCH_SESSION_EPOCH (71) — retriable. */
export class InvalidFetchSessionEpochError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(71, brokerMessage, options);
  }
}

/** KAFKA_STORAGE_ERROR (56) — retriable. */
export class KafkaStorageErrorError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(56, brokerMessage, options);
  }
}

/** NETWORK_EXCEPTION (13) — retriable. */
export class NetworkExceptionError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(13, brokerMessage, options);
  }
}

/** BROKER_NOT_AVAILABLE (8). */
export class BrokerNotAvailableError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(8, brokerMessage, options);
  }
}

/** UNKNOWN_SERVER_ERROR (-1). */
export class UnknownServerErrorError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(-1, brokerMessage, options);
  }
}

/** INVALID_GROUP_ID (24). */
export class InvalidGroupIdError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(24, brokerMessage, options);
  }
}

/** INVALID_COMMIT_OFFSET_SIZE (28). */
export class InvalidCommitOffsetSizeError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(28, brokerMessage, options);
  }
}

/** OFFSET_METADATA_TOO_LARGE (12). */
export class OffsetMetadataTooLargeError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(12, brokerMessage, options);
  }
}

/** INVALID_REQUIRED_ACKS (21). */
export class InvalidRequiredAcksError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(21, brokerMessage, options);
  }
}

/** INVALID_TIMESTAMP (32). */
export class InvalidTimestampError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(32, brokerMessage, options);
  }
}

/** TOPIC_DELETION_DISABLED (73). */
export class TopicDeletionDisabledError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(73, brokerMessage, options);
  }
}

/** UNKNOWN_SUBSCRIPTION_ID (117). */
export class UnknownSubscriptionIdError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(117, brokerMessage, options);
  }
}

/** TELEMETRY_TOO_LARGE (118). */
export class TelemetryTooLargeError extends KafkaJSProtocolError {
  constructor(brokerMessage?: string | null, options?: KafkaJSProtocolErrorOptions) {
    super(118, brokerMessage, options);
  }
}

type ProtocolErrorClass = new (
  brokerMessage?: string | null,
  options?: KafkaJSProtocolErrorOptions,
) => KafkaJSProtocolError;

const CLASSES = new Map<number, ProtocolErrorClass>([
  [6, NotLeaderOrFollowerError],
  [3, UnknownTopicOrPartitionError],
  [5, LeaderNotAvailableError],
  [16, NotCoordinatorError],
  [15, CoordinatorNotAvailableError],
  [14, CoordinatorLoadInProgressError],
  [27, RebalanceInProgressError],
  [22, IllegalGenerationError],
  [25, UnknownMemberIdError],
  [82, FencedInstanceIdError],
  [1, OffsetOutOfRangeError],
  [45, OutOfOrderSequenceNumberError],
  [46, DuplicateSequenceNumberError],
  [59, UnknownProducerIdError],
  [47, InvalidProducerEpochError],
  [90, ProducerFencedError],
  [48, InvalidTxnStateError],
  [120, TransactionAbortableError],
  [51, ConcurrentTransactionsError],
  [49, InvalidProducerIdMappingError],
  [53, TransactionalIdAuthorizationFailedError],
  [29, TopicAuthorizationFailedError],
  [30, GroupAuthorizationFailedError],
  [31, ClusterAuthorizationFailedError],
  [58, SaslAuthenticationFailedError],
  [33, UnsupportedSaslMechanismError],
  [34, IllegalSaslStateError],
  [35, UnsupportedVersionError],
  [10, MessageTooLargeError],
  [18, RecordListTooLargeError],
  [2, CorruptMessageError],
  [87, InvalidRecordError],
  [74, FencedLeaderEpochError],
  [75, UnknownLeaderEpochError],
  [78, OffsetNotAvailableError],
  [36, TopicAlreadyExistsError],
  [17, InvalidTopicError],
  [37, InvalidPartitionsError],
  [38, InvalidReplicationFactorError],
  [39, InvalidReplicaAssignmentError],
  [40, InvalidConfigError],
  [44, PolicyViolationError],
  [7, RequestTimedOutError],
  [19, NotEnoughReplicasError],
  [20, NotEnoughReplicasAfterAppendError],
  [89, ThrottlingQuotaExceededError],
  [41, NotControllerError],
  [42, InvalidRequestError],
  [100, UnknownTopicIdError],
  [103, InconsistentTopicIdError],
  [69, GroupIdNotFoundError],
  [81, GroupMaxSizeReachedError],
  [26, InvalidSessionTimeoutError],
  [79, MemberIdRequiredError],
  [68, NonEmptyGroupError],
  [113, StaleMemberEpochError],
  [111, UnreleasedInstanceIdError],
  [112, UnsupportedAssignorError],
  [70, FetchSessionIdNotFoundError],
  [71, InvalidFetchSessionEpochError],
  [56, KafkaStorageErrorError],
  [13, NetworkExceptionError],
  [8, BrokerNotAvailableError],
  [-1, UnknownServerErrorError],
  [24, InvalidGroupIdError],
  [28, InvalidCommitOffsetSizeError],
  [12, OffsetMetadataTooLargeError],
  [21, InvalidRequiredAcksError],
  [32, InvalidTimestampError],
  [73, TopicDeletionDisabledError],
  [117, UnknownSubscriptionIdError],
  [118, TelemetryTooLargeError],
]);

/**
 * The error for a code a broker returned (with the message it sent, if any): an instance of the
 * code's subclass when it has one, else of {@link KafkaJSProtocolError}.
 */
export function createProtocolError(
  code: number,
  brokerMessage?: string | null,
  options?: KafkaJSProtocolErrorOptions,
): KafkaJSProtocolError {
  const Cls = CLASSES.get(code);
  return Cls ? new Cls(brokerMessage, options) : new KafkaJSProtocolError(code, brokerMessage, options);
}

/** Whether `code` has its own subclass. */
export function hasProtocolErrorClass(code: number): boolean {
  return CLASSES.has(code);
}
