/**
 * The `message` of a KafkaJSProtocolError, as KafkaJS 2.2.4 words it: programs migrating from
 * KafkaJS match on it, so it is part of the drop-in contract. KafkaJS's text is the Kafka
 * message of the code without its final period, except for the codes below, whose wording Kafka
 * changed after KafkaJS took it (and two that KafkaJS words its own way). Codes newer than
 * KafkaJS (above 88) keep Kafka's current text. test/unit/compat/protocol-messages.test.ts
 * compares every code with KafkaJS's own table.
 */
import { Codes } from '../protocol/codes.js';
import type { KafkaErrorCode } from '../protocol/error-codes.js';

/** The last code KafkaJS 2.2.4 knows (UNSTABLE_OFFSET_COMMIT). */
const LAST_KAFKAJS_CODE = 88;

/** KafkaJS's wording where it is not Kafka's current text minus the period. */
const OLDER_WORDING = new Map<number, string>([
  [
    Codes.CORRUPT_MESSAGE,
    'This message has failed its CRC checksum, exceeds the valid size, or is otherwise corrupt',
  ],
  [Codes.NOT_LEADER_OR_FOLLOWER, 'This server is not the leader for that topic-partition'],
  [Codes.REPLICA_NOT_AVAILABLE, 'The replica is not available for the requested topic-partition'],
  [
    Codes.COORDINATOR_LOAD_IN_PROGRESS,
    "The coordinator is loading and hence can't process requests for this group",
  ],
  [Codes.COORDINATOR_NOT_AVAILABLE, 'The group coordinator is not available'],
  [Codes.NOT_COORDINATOR, 'This is not the correct coordinator for this group'],
  [
    Codes.INCONSISTENT_GROUP_PROTOCOL,
    "The group member's supported protocols are incompatible with those of existing members",
  ],
  [Codes.INVALID_GROUP_ID, 'The configured groupId is invalid'],
  [Codes.TOPIC_AUTHORIZATION_FAILED, 'Not authorized to access topics: [Topic authorization failed]'],
  [Codes.GROUP_AUTHORIZATION_FAILED, 'Not authorized to access group: Group authorization failed'],
  [Codes.INVALID_PARTITIONS, 'Number of partitions is invalid'],
  [Codes.INVALID_REPLICATION_FACTOR, 'Replication-factor is invalid'],
  [
    Codes.INVALID_PRODUCER_EPOCH,
    "Producer attempted an operation with an old epoch. Either there is a newer producer with the same transactionalId, or the producer's transaction has been expired by the broker",
  ],
  [
    Codes.INVALID_TRANSACTION_TIMEOUT,
    'The transaction timeout is larger than the maximum value allowed by the broker (as configured by max.transaction.timeout.ms)',
  ],
  [Codes.GROUP_ID_NOT_FOUND, 'The group id was not found'],
  [
    Codes.GROUP_MAX_SIZE_REACHED,
    'The consumer group has reached its max size. It already has the configured maximum number of members',
  ],
  [
    Codes.FENCED_INSTANCE_ID,
    'The broker rejected this static consumer since another consumer with the same group instance id has registered with a different member id',
  ],
  [Codes.INVALID_RECORD, 'This record has failed the validation on broker and hence be rejected'],
]);

/** The message KafkaJS gives this code, or Kafka's own text for codes KafkaJS does not know. */
export function kafkajsMessage(entry: KafkaErrorCode): string {
  if (entry.code > LAST_KAFKAJS_CODE || entry.code < -1 || entry.code === Codes.NONE) return entry.message;
  return OLDER_WORDING.get(entry.code) ?? entry.message.replace(/\.$/, '');
}
